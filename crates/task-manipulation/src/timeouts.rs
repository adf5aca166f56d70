//! Part `timeout`: give up waiting after a deadline, and cancel what timed
//! out.
//!
//! | Python                                      | Rust (tokio)                                   |
//! |---------------------------------------------|------------------------------------------------|
//! | `await asyncio.wait_for(coro, 2)`           | `tokio::time::timeout(2 s, fut).await`         |
//! | raises `TimeoutError` (`asyncio.TimeoutError` before 3.11) | returns `Err(Elapsed)`          |
//! | the awaited task is cancelled               | the future is dropped, hence cancelled         |
//! | `wait_for(task, 2)` on a task               | `timeout(2 s, &mut handle)` + `handle.abort()` |
//!
//! `timeout` wraps a future; when the deadline passes first it returns
//! `Err(Elapsed)` and drops the inner future, which cancels it, as
//! `wait_for` does. The trap is a spawned task: timing out the *handle*
//! only stops waiting for it, the task keeps running (a handle is not the
//! task). To match `wait_for`, abort the task yourself.

use std::time::Duration;

use tokio::time::{Instant, timeout};

use crate::Error;
use crate::work::{Pace, job};
use runner::Recorder;

/// What the part observed; times from the part's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutReport {
    /// The 1 s job under a 2 s timeout: its value and when it came.
    pub in_time: (i64, Duration),
    /// When the 5 s job under a 2 s timeout gave `Elapsed`.
    pub timed_out_at: Duration,
    /// The spawned 5 s task after its handle timed out: was it still
    /// running (`!is_finished()`)?
    pub task_still_running: bool,
    /// When the spawned task's handle timed out (and it was aborted).
    pub task_timed_out_at: Duration,
    /// Awaiting the aborted task reported it cancelled.
    pub task_cancelled: bool,
}

/// A job that makes it, one that does not, and a spawned task that does not.
pub async fn run(log: &Recorder, pace: Pace) -> Result<TimeoutReport, Error> {
    let t0 = Instant::now();
    let limit = pace.secs(2.0);

    log.say("main", "wait_for(job 1 s, timeout=2) -> timeout(2 s, job)");
    let value = timeout(limit, job(log.clone(), "quick", pace.secs(1.0), 4)).await;
    let in_time = match value {
        Ok(v) => (v?, t0.elapsed()),
        Err(_) => return Err(Error::Unexpected("the 1 s job timed out")),
    };
    log.say("main", format!("in time: {}", in_time.0));

    log.say("main", "wait_for(job 5 s, timeout=2) -> timeout(2 s, job)");
    let late = timeout(limit, job(log.clone(), "late", pace.secs(5.0), 5)).await;
    let timed_out_at = t0.elapsed();
    match late {
        Err(elapsed) => log.say("main", format!("Err({elapsed}) (Python: TimeoutError)")),
        Ok(_) => return Err(Error::Unexpected("the 5 s job beat a 2 s timeout")),
    }

    log.say("main", "timeout(2 s, &mut handle) on a spawned 5 s task");
    let mut handle = tokio::spawn(job(log.clone(), "spawned", pace.secs(5.0), 6));
    let waited = timeout(limit, &mut handle).await;
    let task_timed_out_at = t0.elapsed();
    if waited.is_ok() {
        return Err(Error::Unexpected("the 5 s task beat a 2 s timeout"));
    }
    let task_still_running = !handle.is_finished();
    log.say(
        "main",
        format!("timed out, but the task is still running: {task_still_running}; abort it"),
    );
    handle.abort();
    let task_cancelled = matches!(handle.await, Err(e) if e.is_cancelled());
    log.say("main", format!("the task was cancelled: {task_cancelled}"));
    Ok(TimeoutReport {
        in_time,
        timed_out_at,
        task_still_running,
        task_timed_out_at,
        task_cancelled,
    })
}
