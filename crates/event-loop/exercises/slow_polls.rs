//! Exercise 2: asyncio's slow-callback warning, for futures.
//!
//! In debug mode (`PYTHONASYNCIODEBUG=1`, or `loop.set_debug(True)`)
//! asyncio times every callback it runs and logs those that held the loop
//! longer than `loop.slow_callback_duration` (0.1 s):
//! `Executing <Handle task_A(...)> took 3.000 seconds`. In Rust a callback
//! holds the loop for as long as one *poll* of its future takes: between
//! two polls, while it awaits, the loop is free.
//!
//! Write [`SlowPolls`]: a future that polls the one it wraps and, when one
//! poll took longer than `limit` on the loop's clock (`lp.time()`), says
//! `Executing {name} took {seconds:.3} seconds` as `name` (`lp.say`).
//! A callback that blocks the loop for 3 s gets one warning; the same
//! callback with its work moved off the loop (`lp.run_blocking`) gets
//! none, though it too takes 3 s.
//!
//! Check: `cargo test -p event-loop --features exercises --test exercises slow_polls`

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
        // Your code here: note the time before the poll (`self.lp.time()`),
        // and after it say the warning if the poll took longer than
        // `self.limit`. As it stands, nothing is timed:
        let _not_yet_used = (&self.lp, &self.name, self.limit);
        self.future.as_mut().poll(cx)
    }
}
