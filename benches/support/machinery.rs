//! The async machinery itself: benchmark 4 (`machinery`) and the timer and
//! spawn figures of `compare`.
//!
//! - **Timers**: `n` tasks each sleeping 10 ms, all at once. The ideal total
//!   is 10 ms whatever `n` is; what comes on top is the runtime's cost of
//!   creating, registering and firing `n` timers and waking `n` tasks (and
//!   the timer's granularity: tokio rounds a sleep up to its next 1 ms tick).
//!   Each task starts its timer when it first runs (`Runtime::sleep` is an
//!   `async fn`), as asyncio's `create_task(asyncio.sleep(0.01))` does, so
//!   the time to spawn the later tasks is in the total too.
//! - **Spawn storms**: `n` tasks that do nothing, spawned and joined: the
//!   bare cost of a task.
//!
//! | Python (asyncio)                                   | Rust (here)      |
//! |----------------------------------------------------|------------------|
//! | `gather(*(create_task(sleep(0.01)) for ...))`      | [`timers`]       |
//! | `gather(*(create_task(noop()) for ...))`           | [`noop_tasks`]   |
//!
//! Each runs one batch ([`crate::batch::spawn_join`]) and returns how many
//! tasks completed, checked against `n`.

use crate::batch::{On, spawn_join};
use crate::{BenchError, check};
use std::time::Duration;

/// The chapter's timer length.
pub const TIMER: Duration = Duration::from_millis(10);

/// Counts the tasks that completed.
fn count(done: usize, (): ()) -> Result<usize, BenchError> {
    Ok(done + 1)
}

/// `n` tasks each sleeping `delay` (`Runtime::sleep`: tokio's
/// `time::sleep`, async-std's `task::sleep`, a `smol::Timer`), spawned at
/// once, then joined.
pub fn timers(on: On<'_>, n: usize, delay: Duration) -> Result<usize, BenchError> {
    let done = spawn_join(
        on,
        0..n,
        move |runtime, _| runtime.spawn(runtime.sleep(delay)),
        0,
        count,
    )?;
    check("timers", done, n)
}

/// `n` tasks that do nothing, spawned, then joined.
pub fn noop_tasks(on: On<'_>, n: usize) -> Result<usize, BenchError> {
    let done = spawn_join(on, 0..n, |runtime, _| runtime.spawn(async {}), 0, count)?;
    check("no-op tasks", done, n)
}
