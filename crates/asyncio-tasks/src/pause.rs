//! One step's wait, and what every task needs to print and to wait.
//!
//! Each step of the three tasks ends with `await asyncio.sleep(delay)`:
//! the `.await` is where the task gives the event loop back, and the loop
//! runs the other tasks meanwhile. [`Ctx::pause`] is that line.
//!
//! **A zero delay is a yield, not a timer**, as Python's `asyncio.sleep(0)`
//! sets no timer. A zero-length timer is not free in Rust: tokio's waits
//! for the next millisecond tick (100,000 steps took 110 s), and on mini, smol
//! and async-std a timer already due completes *without* yielding, so the
//! tasks would no longer take turns. So `--delay 0` awaits [`YieldNow`].

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use runner::{Recorder, SpanKind};
use runtimes::Runtime;

/// What every task needs besides its numbers: where to print, how to wait.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The runtime whose `sleep` the task awaits.
    pub runtime: Runtime,
    /// Where the task prints its labelled lines and records its steps.
    pub recorder: Recorder,
    /// How long each step waits (`--delay`; the chapter's 1 s).
    pub delay: Duration,
}

impl Ctx {
    /// Prints `message` as `task`: Python's `print(...)` in a task.
    pub fn say(&self, task: &str, message: impl std::fmt::Display) {
        self.recorder.say(task, message);
    }

    /// Prints `task`'s result line and marks that moment on its lane (the
    /// task's end on the timeline).
    pub fn finish(&self, task: &str, message: impl std::fmt::Display) {
        self.recorder.say(task, message);
        self.recorder.mark(task, "result printed");
    }

    /// One step's wait, `await asyncio.sleep(delay)`, recorded as the step
    /// `what` on `task`'s lane. A zero delay only yields (see above).
    pub async fn pause(&self, task: &str, what: impl std::fmt::Display) {
        // Ends when dropped: at the end of the wait, or where a Ctrl-C
        // cancelled the task in the middle of it.
        let _step = self.recorder.span(task, what, SpanKind::Wait);
        if self.delay.is_zero() {
            YieldNow::default().await;
        } else {
            self.runtime.sleep(self.delay).await;
        }
    }
}

/// `await asyncio.sleep(0)`: gives the loop one turn to run the others.
/// The first poll wakes its own task and says "not yet", which puts it at
/// the back of the ready queue; the next poll says "done". A waker is all
/// it uses, so it works on every executor (tokio and smol have their own:
/// `tokio::task::yield_now`, `smol::future::yield_now`).
#[derive(Debug, Default)]
pub struct YieldNow {
    /// Whether it has already yielded once.
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        // Ask to be polled again, after whatever else is ready now.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
