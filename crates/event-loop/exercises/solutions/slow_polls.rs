//! Exercise 2, solved: asyncio's slow-callback warning, for futures (see
//! `exercises/slow_polls.rs` for the question, and ANSWERS.md).
//!
//! Each poll is timed on the loop's clock. A poll that blocks the loop
//! (`time.sleep`, `std::thread::sleep`, a long computation) takes as long
//! as the block; a poll that only starts an await and returns `Pending`
//! takes next to nothing, however long the await then lasts.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use event_loop::Loop;

/// asyncio's `loop.slow_callback_duration`.
pub const SLOW: Duration = Duration::from_millis(100);

/// `future`, with every poll of it timed on `lp`'s clock: a poll longer
/// than `limit` is said as a warning, as `name`.
pub struct SlowPolls<F> {
    /// The wrapped future, boxed so that it can be polled without `unsafe`
    /// whatever it is (a `Pin<Box<F>>` is `Unpin`).
    pub future: Pin<Box<F>>,
    /// The loop whose clock times the polls, and which prints the warning.
    pub lp: Loop,
    /// Who is timed (the warning's label).
    pub name: String,
    /// The longest poll that is not worth a warning.
    pub limit: Duration,
}

impl<F: Future> Future for SlowPolls<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let started = self.lp.time();
        let result = self.future.as_mut().poll(cx);
        let took = self.lp.time().saturating_sub(started);
        if took > self.limit {
            let warning = format!(
                "Executing {} took {:.3} seconds",
                self.name,
                took.as_secs_f64()
            );
            self.lp.say(&self.name, warning);
        }
        result
    }
}
