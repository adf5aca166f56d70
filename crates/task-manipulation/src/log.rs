//! The labelled output every part prints, kept so that tests can read it.
//!
//! Each line is printed as it happens (`[   1.000s] fast           | done`),
//! and also recorded with the *virtual* time it was printed at. Under
//! tokio's paused clock (`#[tokio::test(start_paused = true)]`) those times
//! are exact, so a test can say "the guard of `slow` printed at exactly
//! 1.000 s", which is how we prove that cancellation ran the cleanup.

use std::fmt::Display;
use std::sync::Mutex;
use std::time::Duration;

use common::clock::format_line;
use tokio::time::Instant;

/// One line a part printed: when, who, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Time since the log was created (tokio's clock: virtual in tests).
    pub at: Duration,
    /// Who printed it: `main`, a task's name, a guard.
    pub who: String,
    /// The message itself.
    pub message: String,
}

/// A printing, recording log shared by every task of a run (`Arc<Log>`).
#[derive(Debug)]
pub struct Log {
    /// When the run started; every line's time is measured from here.
    /// `tokio::time::Instant`, not `std`'s, so the paused clock applies.
    start: Instant,
    /// Every line so far, in the order printed. Written by [`Log::say`] from
    /// any task, read by tests through [`Log::lines`]. A `std` mutex rather
    /// than tokio's: it is held only to push a line, never across an
    /// `.await`, so it can never block the runtime for long.
    lines: Mutex<Vec<Line>>,
}

impl Default for Log {
    fn default() -> Self {
        Self::new()
    }
}

impl Log {
    /// Starts a log at the current (tokio) time. Call it inside a runtime.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            lines: Mutex::new(Vec::new()),
        }
    }

    /// Time since the log started.
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Prints one labelled line and records it.
    pub fn say(&self, who: &str, message: impl Display) {
        let at = self.elapsed();
        let message = message.to_string();
        // Print while holding the lock, so printed order == recorded order.
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        println!("{}", format_line(at, who, &message));
        lines.push(Line {
            at,
            who: who.to_owned(),
            message,
        });
    }

    /// A copy of every line so far.
    pub fn lines(&self) -> Vec<Line> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// When `who` first printed a message containing `text`, if ever.
    pub fn when(&self, who: &str, text: &str) -> Option<Duration> {
        self.lines()
            .into_iter()
            .find(|line| line.who == who && line.message.contains(text))
            .map(|line| line.at)
    }
}
