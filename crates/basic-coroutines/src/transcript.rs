//! The labelled output of an async program, printed and kept for tests.
//!
//! Every line says when it was printed and by whom:
//!
//! ```text
//! [   4.001s] callback       | First coroutine (sum of N ints) result = 15
//! ```
//!
//! A [`Transcript`] prints each line (through `common::clock::format_line`,
//! like every chapter) and also keeps it, so tests can check what was said,
//! by whom and at what time.
//!
//! Time comes from `tokio::time::Instant`. Outside a tokio runtime, or in a
//! normal tokio runtime, that is just `std::time::Instant`; inside a test
//! started with `#[tokio::test(start_paused = true)]` it is tokio's
//! *virtual* clock, which jumps forward whenever every task is asleep. That
//! is what lets a test assert "this line came at exactly 4.000 s" and still
//! finish in a millisecond. For that, create the transcript *inside* the
//! paused runtime (in the test's body), not before it starts.

use std::fmt::Display;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::time::Instant;

/// One line of output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Time since the transcript started.
    pub elapsed: Duration,
    /// Who printed it (a task, a callback, `main`).
    pub who: String,
    /// What it said.
    pub message: String,
}

/// A shared, cloneable log of labelled lines. Clone it into every task.
#[derive(Debug, Clone)]
pub struct Transcript {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// When the program started; set once, read by every `say`.
    start: Instant,
    /// Print each line to stdout as well as keeping it (off in tests).
    echo: bool,
    /// Every line so far, in the order they were said. Written by every
    /// task through `say`, read by tests. A `std::sync::Mutex` and not an
    /// async one: it is held only to push or copy, never across an `.await`.
    lines: Mutex<Vec<Line>>,
}

impl Transcript {
    /// A transcript whose clock starts now and which prints every line.
    pub fn printing() -> Self {
        Self::new(true)
    }

    /// A transcript whose clock starts now and which prints nothing (tests).
    pub fn quiet() -> Self {
        Self::new(false)
    }

    fn new(echo: bool) -> Self {
        Self {
            inner: Arc::new(Inner {
                start: Instant::now(),
                echo,
                lines: Mutex::new(Vec::new()),
            }),
        }
    }

    /// Time since the transcript started.
    pub fn elapsed(&self) -> Duration {
        self.inner.start.elapsed()
    }

    /// Says one line as `who`, printed as `[elapsed] who | message`.
    pub fn say(&self, who: &str, message: impl Display) {
        let line = Line {
            elapsed: self.elapsed(),
            who: who.to_owned(),
            message: message.to_string(),
        };
        let mut lines = self.lock();
        if self.inner.echo {
            // Printed while holding the lock, so lines appear on stdout in
            // the same order as in the transcript.
            println!(
                "{}",
                common::clock::format_line(line.elapsed, who, &line.message)
            );
        }
        lines.push(line);
    }

    /// A copy of every line so far.
    pub fn lines(&self) -> Vec<Line> {
        self.lock().clone()
    }

    /// Just the messages `who` said, in order.
    pub fn messages_of(&self, who: &str) -> Vec<String> {
        self.lock()
            .iter()
            .filter(|line| line.who == who)
            .map(|line| line.message.clone())
            .collect()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Line>> {
        // A panic while holding the lock leaves a consistent Vec (a push
        // either happened or not), so a poisoned lock is still usable.
        self.inner
            .lines
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines keep their order, speaker and virtual time.
    #[tokio::test(start_paused = true)]
    async fn records_virtual_time() {
        let transcript = Transcript::quiet();
        transcript.say("a", "first");
        tokio::time::sleep(Duration::from_secs(3)).await;
        transcript.say("b", 2);
        let lines = transcript.lines();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].elapsed, Duration::ZERO);
        assert_eq!(lines[1].elapsed, Duration::from_secs(3));
        assert_eq!(transcript.messages_of("b"), ["2"]);
    }
}
