//! Part `cancel`: the port of the Python program's `worker` and
//! `part_cancel` ([`worker`], [`run`]: `task.cancel()` is
//! `handle.abort()`), then, beyond it, cancelling a plain future by
//! dropping it ([`drop_a_future`]). Both are here, not in [`crate::port`],
//! because in Rust cancelling a task *is* dropping its future.
//!
//! `abort()` marks the task; the next time the runtime would poll it, it
//! drops the task's future instead. So, as in Python, a task is cancelled
//! only at an `.await`, and `spawn_blocking` work not at all (`--part
//! cancel-blocking`). Dropping a `JoinHandle` does **not** cancel its task:
//! it detaches it.

use std::time::Duration;

use tokio::time::{Instant, sleep};

use crate::Error;
use crate::work::{Guard, Pace, say, shown};
use runner::{Recorder, SpanKind};

/// `async def worker(steps):` a step a (demo) second, until cancelled.
pub async fn worker(log: Recorder, name: &'static str, steps: u32, step: Duration) -> u32 {
    // try: ... except asyncio.CancelledError: say("worker", "cancelled ..."); raise
    let mut guard = Guard::new(&log, name);
    //     for step in range(1, steps + 1):
    for i in 1..=steps {
        let _bar = log.span(name, format!("step {i}"), SpanKind::Wait);
        //         await asyncio.sleep(pace(1))
        sleep(step).await;
        //         say("worker", "step %s of %s done" % (step, steps))
        log.say(name, format!("step {i} of {steps} done"));
    }
    guard.finish();
    steps
}

/// `async def part_cancel():` cancel the worker half-way through a step.
pub async fn run(log: &Recorder, pace: Pace) -> Result<(), Error> {
    let (step, after) = (shown(pace.secs(1.0)), shown(pace.secs(2.5)));
    //     say("main", "create a 10-step worker (%.3f s a step), cancel it after %.3f s" % ...)
    say!(log, "a 10-step worker, {step} a step, cancel after {after}");
    //     task = asyncio.create_task(worker(10))
    let task = tokio::spawn(worker(log.clone(), "worker", 10, pace.secs(1.0)));
    //     await asyncio.sleep(pace(2.5))
    sleep(pace.secs(2.5)).await;
    //     task.cancel()
    say!(log, "task.cancel() -> handle.abort()");
    task.abort(); // its future is dropped instead of polled again
    //     try: await task / except asyncio.CancelledError:
    match task.await {
        Err(e) if e.is_cancelled() => say!(log, "await task -> JoinError::is_cancelled() is true"),
        Err(e) => return Err(Error::Join(e)),
        Ok(steps) => say!(log, "the worker finished all {steps} steps first"),
    }
    Ok(())
}

/// What the part observed beyond the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropReport {
    /// Steps the future completed while it was polled.
    pub steps_before_drop: usize,
    /// When the future was dropped, from the start of this section.
    pub dropped_at: Duration,
}

/// Polls a 10-step worker as a plain future for 1.5 steps, leaves it alone
/// for one step more, then drops it.
pub async fn drop_a_future(log: &Recorder, pace: Pace) -> DropReport {
    let (polled, idle) = (pace.secs(1.5), pace.secs(1.0));
    let line = format!("a plain future, polled for {} only", shown(polled));
    say!(log, "beyond the Python program: {line}");
    let t0 = Instant::now();
    // Boxed and pinned, so we can poll it through `&mut` and still own it.
    let mut future = Box::pin(worker(log.clone(), "future", 10, pace.secs(1.0)));
    tokio::select! {
        biased; // the order written, so the lines come in it on every run
        _ = &mut future => say!(log, "the future finished first"),
        () = sleep(polled) => say!(log, "stopped polling it; it is now idle"),
    }
    log.mark("future", "no longer polled");
    // Nobody polls the future now, so no step prints, although its timer
    // has long expired: a future only runs while it is polled.
    sleep(idle).await;
    let dropped_at = t0.elapsed();
    say!(log, "no step printed for {}; now drop(future)", shown(idle));
    drop(future); // the guard prints here: cancellation by drop
    let steps_before_drop = log
        .messages_of("future")
        .iter()
        .filter(|line| line.starts_with("step"))
        .count();
    DropReport {
        steps_before_drop,
        dropped_at,
    }
}
