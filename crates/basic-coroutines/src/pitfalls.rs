//! Four pitfalls met on the way from asyncio to Rust, each shown by code
//! that runs on every runtime (they differ in exactly these places) and
//! finishes, or, for [`mutex_across_await`], by code the compiler refuses:
//! [`nested_block_on`], [`main_returns`], [`dropped_handle`]. This module
//! holds what they share: a worker task that counts its steps and says
//! when its destructor runs.

pub mod dropped_handle;
pub mod main_returns;
pub mod mutex_across_await;
pub mod nested_block_on;

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use runner::{Recorder, SpanKind};
use runtimes::Runtime;

/// How far a worker task got. Shared between the task (which writes it)
/// and the demonstration (which reads it); a `std::sync::Mutex`, held only
/// to read or write a field, never across an `.await`.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    inner: Arc<Mutex<Seen>>,
}

/// What [`Progress`] holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Seen {
    /// Steps done so far.
    pub steps: u32,
    /// When the task's destructor ran (at its end, or when it was
    /// cancelled), if it has.
    pub dropped_at: Option<Duration>,
}

impl Progress {
    /// What the task has done so far.
    pub fn seen(&self) -> Seen {
        *self.lock()
    }

    fn lock(&self) -> MutexGuard<'_, Seen> {
        // A panicking worker leaves a consistent record: keep reading it.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Says, and records, when the task that owns it is dropped: at its end,
/// or when it is cancelled (a cancelled future is dropped at its `.await`).
/// When nothing drops it (the process exits first), it says nothing.
struct DestructorReport {
    lane: &'static str,
    steps: u32,
    recorder: Recorder,
    progress: Progress,
}

impl Drop for DestructorReport {
    fn drop(&mut self) {
        let at = self.recorder.elapsed();
        let done = {
            let mut seen = self.progress.lock();
            seen.dropped_at = Some(at);
            seen.steps
        };
        self.recorder.mark(self.lane, "destructor ran");
        self.recorder.say(
            self.lane,
            format!("destructor ran, after {done} of {} steps", self.steps),
        );
    }
}

/// A task of `steps` steps of `delay` each, saying each step on `lane` and
/// recording it in `progress`; its destructor says when it ran.
pub async fn worker(
    runtime: Runtime,
    recorder: Recorder,
    lane: &'static str,
    steps: u32,
    delay: Duration,
    progress: Progress,
) {
    let _report = DestructorReport {
        lane,
        steps,
        recorder: recorder.clone(),
        progress: progress.clone(),
    };
    for step in 1..=steps {
        {
            // A bar per step on the task's lane: where it stopped shows.
            let _step = recorder.span(lane, format!("step {step}"), SpanKind::Wait);
            runtime.sleep(delay).await;
        }
        progress.lock().steps = step;
        recorder.say(lane, format!("step {step} of {steps} done"));
    }
}

/// Label of the demonstrations' own lines.
pub const PITFALL: &str = "pitfall";
