//! The pieces every part is built from: a pace, a simulated job, and a
//! drop guard that makes cancellation visible.
//!
//! A "job" stands for the chapter's I/O-bound coroutine: it waits (a tokio
//! sleep, like `await asyncio.sleep(d)`), then computes something real with
//! a shared workload, `common::cube`. Its result is a `Result`, because
//! `cube` refuses to overflow: the `exceptions` part uses that real error.

use std::time::Duration;

use common::WorkloadError;

use runner::Recorder;

/// How fast the demo runs (`--speed`): shared by every chapter.
pub use common::cli::Pace;

/// Prints a line when it is dropped before its job finished: the Rust form
/// of Python's `try: ... finally: cleanup()` around a cancelled `await`.
///
/// Cancelling a future in Rust means *dropping* it. Dropping runs the
/// destructors of everything the future holds, so a guard like this one is
/// how a task cleans up when cancelled (closing a file, releasing a lock).
/// Nothing else gets to run: there is no `except CancelledError:` inside the
/// task, and a task cannot refuse to be cancelled.
#[derive(Debug)]
pub struct Guard {
    /// Where to print.
    log: Recorder,
    /// The owning job's name, used as the line's label.
    who: String,
    /// Set by [`Guard::finish`] when the job completed; a finished job's
    /// guard drops silently.
    finished: bool,
}

impl Guard {
    /// A guard for the job named `who`.
    pub fn new(log: Recorder, who: &str) -> Self {
        Self {
            log,
            who: who.to_owned(),
            finished: false,
        }
    }

    /// Marks the job as completed normally.
    pub fn finish(&mut self) {
        self.finished = true;
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.finished {
            self.log.say(
                &self.who,
                "cancelled: Drop guard runs the cleanup (Python: finally)",
            );
        }
    }
}

/// The text the guard prints, for tests that look for it.
pub const CANCELLED: &str = "cancelled: Drop guard";

/// One simulated job: wait `duration` (I/O), then compute `cube(n)`.
///
/// Prints when it starts and when it is done. If it is cancelled while
/// waiting (its future dropped, or its task aborted), its [`Guard`] prints.
pub async fn job(
    log: Recorder,
    name: &'static str,
    duration: Duration,
    n: i64,
) -> Result<i64, WorkloadError> {
    let mut guard = Guard::new(log.clone(), name);
    log.say(
        name,
        format!("started, waits {:.3} s", duration.as_secs_f64()),
    );
    // Python: `await asyncio.sleep(duration)`. The task is suspended here;
    // this is also the point where cancellation can take effect.
    tokio::time::sleep(duration).await;
    let value = common::cube(n);
    guard.finish();
    match &value {
        Ok(v) => log.say(name, format!("done: cube({n}) = {v}")),
        Err(e) => log.say(name, format!("failed: {e}")),
    }
    value
}
