//! Part `create`: create a task and await it.
//!
//! | Python                              | Rust (tokio)                          |
//! |-------------------------------------|---------------------------------------|
//! | `task = asyncio.create_task(coro)`  | `let handle = tokio::spawn(fut);`     |
//! | `task.done()`                       | `handle.is_finished()`                |
//! | `result = await task`               | `let result = handle.await?;`         |
//!
//! As in Python, a spawned task starts running on its own: `main` keeps
//! working and only waits when it awaits the handle. Unlike a bare future
//! (which does nothing until polled), a task needs nobody to poll it.
//! Awaiting the handle gives `Result<T, JoinError>`: the `Err` side is how
//! a panic or a cancellation reaches the awaiting side (see `exceptions`
//! and `cancel`).

use std::time::Duration;

use tokio::time::Instant;

use crate::Error;
use crate::work::{Pace, job};
use runner::Recorder;

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateReport {
    /// The task's result, read by awaiting its handle.
    pub value: i64,
    /// `is_finished()` just after spawning (false: it is still waiting).
    pub finished_at_spawn: bool,
    /// When main had done its own work, while the task was running.
    pub main_work_done: Duration,
    /// When the await on the handle returned.
    pub awaited: Duration,
}

/// Spawns one job (2 s), does 0.5 s of other work in `main`, then awaits it.
pub async fn run(log: &Recorder, pace: Pace) -> Result<CreateReport, Error> {
    let t0 = Instant::now();
    log.say("main", "create_task -> tokio::spawn(job \"coffee\", 2 s)");
    // `spawn` hands the future to the runtime and returns at once.
    let handle = tokio::spawn(job(log.clone(), "coffee", pace.secs(2.0), 3));
    let finished_at_spawn = handle.is_finished();
    log.say(
        "main",
        format!("spawned; task.done() -> is_finished() = {finished_at_spawn}"),
    );

    // Main is free meanwhile. (A job of our own, awaited directly: no task.)
    let _ = job(log.clone(), "main-work", pace.secs(0.5), 1).await?;
    let main_work_done = t0.elapsed();
    log.say("main", "own work done; now `await task` -> `handle.await`");

    // The outer `?` is the JoinError (panic or cancel), the inner the job's.
    let value = handle.await??;
    let awaited = t0.elapsed();
    log.say("main", format!("awaited the task: result {value}"));
    Ok(CreateReport {
        value,
        finished_at_spawn,
        main_work_done,
        awaited,
    })
}
