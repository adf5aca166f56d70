//! Part `cancel`: cancel a running task, and cancel a future by dropping it.
//!
//! | Python                                   | Rust (tokio)                                  |
//! |------------------------------------------|-----------------------------------------------|
//! | `task.cancel()`                          | `handle.abort()`                              |
//! | `await task` raises `CancelledError`     | `handle.await` is `Err(e)`, `e.is_cancelled()` |
//! | `task.cancelled()`                       | `JoinError::is_cancelled()`                   |
//! | `try: ... finally: cleanup()`            | a value whose `Drop` cleans up (a guard)      |
//! | (no counterpart)                         | `drop(future)`: cancelling by dropping        |
//!
//! How cancellation works underneath: `abort()` marks the task; the next
//! time the runtime would poll it, it drops the task's future instead. So
//! a task is only cancelled at an `.await` point, like Python, where
//! `CancelledError` is raised at the `await` the task is suspended on. A
//! task busy in blocking code is not interrupted until it reaches an
//! `.await`.
//!
//! In Rust *every* future can be cancelled by dropping it: a future only
//! makes progress while someone polls it, so one that is never polled again
//! simply stops, and dropping it runs the destructors of what it holds.
//! Mind the one exception: dropping a `JoinHandle` does **not** cancel its
//! task (the task is detached and keeps running); only `abort()` does.

use std::time::Duration;

use tokio::time::{Instant, sleep};

use crate::Error;
use crate::work::{Guard, Pace};
use runner::Recorder;

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelReport {
    /// Steps the aborted task completed before `abort()`.
    pub steps_before_abort: u32,
    /// When `abort()` was called.
    pub aborted_at: Duration,
    /// The awaiting side saw `JoinError::is_cancelled()`.
    pub await_saw_cancelled: bool,
    /// Steps the dropped future completed while it was polled.
    pub steps_before_drop: u32,
    /// When the future was dropped.
    pub dropped_at: Duration,
}

/// A long-running worker: `steps` steps of 1 (demo) second each, printing
/// each one. Holds a [`Guard`], so cancelling it prints. Returns how many
/// steps it completed.
async fn worker(log: Recorder, name: &'static str, steps: u32, step: Duration) -> u32 {
    let mut guard = Guard::new(log.clone(), name);
    for i in 1..=steps {
        sleep(step).await;
        log.say(name, format!("step {i} of {steps} done"));
    }
    guard.finish();
    steps
}

/// Aborts a task after 2.5 s, then drops a plain future after it was
/// polled for 1.5 s and left alone for 1 s more.
pub async fn run(log: &Recorder, pace: Pace) -> Result<CancelReport, Error> {
    let t0 = Instant::now();
    log.say("main", "spawn a 10-step worker, cancel it after 2.5 s");
    let handle = tokio::spawn(worker(log.clone(), "worker", 10, pace.secs(1.0)));
    sleep(pace.secs(2.5)).await;
    log.say("main", "task.cancel() -> handle.abort()");
    let aborted_at = t0.elapsed();
    handle.abort();
    let await_saw_cancelled = match handle.await {
        Err(e) if e.is_cancelled() => {
            log.say(
                "main",
                "await task -> Err(JoinError::Cancelled) (Python: CancelledError)",
            );
            true
        }
        Err(e) => return Err(Error::Join(e)),
        Ok(steps) => {
            log.say(
                "main",
                format!("the worker finished all {steps} steps first"),
            );
            false
        }
    };

    // Cancel by drop: poll a future for 1.5 s, stop polling, drop it later.
    log.say(
        "main",
        "a plain future, polled for 1.5 s only (select! with a timer)",
    );
    let t1 = Instant::now();
    // Boxed and pinned, so we can poll it through `&mut` and still own it.
    let mut future = Box::pin(worker(log.clone(), "future", 10, pace.secs(1.0)));
    tokio::select! {
        _ = &mut future => log.say("main", "the future finished first"),
        _ = sleep(pace.secs(1.5)) => log.say("main", "stopped polling it; it is now idle"),
    }
    // Nothing happens for 1 s: nobody polls the future, so no step prints.
    sleep(pace.secs(1.0)).await;
    let dropped_at = t1.elapsed();
    log.say("main", "no step printed for 1 s; now drop(future)");
    drop(future); // the guard prints here: cancellation by drop
    let steps_before_drop = log
        .lines()
        .iter()
        .filter(|l| l.who == "future" && l.message.starts_with("step"))
        .count() as u32;
    let steps_before_abort = log
        .lines()
        .iter()
        .filter(|l| l.who == "worker" && l.message.starts_with("step"))
        .count() as u32;
    Ok(CancelReport {
        steps_before_abort,
        aborted_at,
        await_saw_cancelled,
        steps_before_drop,
        dropped_at,
    })
}
