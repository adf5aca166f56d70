//! Pitfall: what dropping a task's handle does depends on the runtime
//! (smol#294): on tokio, async-std and mini the task runs on, detached; on
//! smol a dropped `Task` *cancels* it at once. (Python's trap: the loop
//! keeps only a weak reference to a task.) The cure: say what you mean,
//! `.await`, `detach()` or `cancel()` the handle.

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
        let (recorder, progress) = (recorder.clone(), progress.clone());
        runtime.spawn(worker(runtime, recorder, lane, STEPS, delay, progress))
    };
    let [dropped, detached, cancelled]: [Progress; 3] = Default::default();
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
    let did = match outcome.dropped.steps {
        STEPS => "detached",
        _ => "cancelled",
    };
    let dropped = fate(outcome.dropped);
    say(format!(
        "drop(handle): the task {dropped} (the handle's drop {did} it)"
    ));
    for (how, seen) in [
        ("handle.detach()", outcome.detached),
        ("handle.cancel().await", outcome.cancelled),
    ] {
        say(format!("{how}: the task {}", fate(seen)));
    }
    Ok(outcome)
}
