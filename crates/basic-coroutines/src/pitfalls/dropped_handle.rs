//! Pitfall: what dropping a task's handle does depends on the runtime
//! (smol#294). On tokio, async-std and mini the task runs on, detached,
//! with nobody to take its result; on smol a dropped `Task` *cancels* the
//! task, at once. The runtime table in `crates/runtimes/src/lib.rs` has
//! this row; [`run`] shows it, on whichever runtime `--runtime` picks.
//!
//! Python has a trap of its own here: the event loop keeps only a *weak*
//! reference to a task, so a task nobody holds can be garbage-collected
//! in the middle of its work ("save a reference to the result of
//! `create_task`", its documentation warns).
//!
//! The cure is the same everywhere: say what you mean. Await the handle
//! for the result, `detach()` it to let the task run on alone (smol's
//! `Task::detach`, a no-op elsewhere), `cancel()` it to stop the task.

use std::time::Duration;

use runner::Recorder;
use runtimes::Runtime;

use super::{PITFALL, Progress, Seen, worker};
use crate::CoroutineError;

/// The steps each task takes, one delay each.
pub const STEPS: u32 = 3;

/// What became of each task, after four delays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DroppedHandle {
    /// The task whose handle was dropped at once.
    pub dropped: Seen,
    /// The task whose handle was detached.
    pub detached: Seen,
    /// The task whose handle was cancelled after one and a half delays.
    pub cancelled: Seen,
}

/// Spawns three tasks of [`STEPS`] steps: drops the first one's handle,
/// detaches the second's, cancels the third after 1.5 delays; after four
/// delays says how far each got.
pub async fn run(
    runtime: Runtime,
    recorder: Recorder,
    delay: Duration,
) -> Result<DroppedHandle, CoroutineError> {
    let say = |message: String| recorder.say(PITFALL, message);
    say(format!(
        "three tasks of {STEPS} steps of {:.3} s on {runtime}: drop(handle), handle.detach(), \
         and handle.cancel().await after {:.3} s",
        delay.as_secs_f64(),
        1.5 * delay.as_secs_f64()
    ));
    let task = |lane, progress: &Progress| {
        runtime.spawn(worker(
            runtime,
            recorder.clone(),
            lane,
            STEPS,
            delay,
            progress.clone(),
        ))
    };
    let (dropped, detached, cancelled) = (
        Progress::default(),
        Progress::default(),
        Progress::default(),
    );
    drop(task("dropped", &dropped));
    task("detached", &detached).detach();
    let to_cancel = task("cancelled", &cancelled);
    runtime.sleep(delay.mul_f64(1.5)).await;
    // `cancel` waits until the task has stopped: its destructor has run.
    let _ = to_cancel.cancel().await;
    runtime.sleep(delay.mul_f64(2.5)).await;

    let outcome = DroppedHandle {
        dropped: dropped.seen(),
        detached: detached.seen(),
        cancelled: cancelled.seen(),
    };
    let fate = |seen: Seen| match seen.steps {
        STEPS => format!("ran all {STEPS} steps"),
        steps => format!("was cancelled after {steps} of {STEPS} steps"),
    };
    say(format!(
        "drop(handle): the task {}{}",
        fate(outcome.dropped),
        match outcome.dropped.steps {
            STEPS => " (the handle's drop detached it)",
            _ => " (the handle's drop cancelled it)",
        }
    ));
    say(format!(
        "handle.detach(): the task {}",
        fate(outcome.detached)
    ));
    say(format!(
        "handle.cancel().await: the task {}",
        fate(outcome.cancelled)
    ));
    Ok(outcome)
}
