//! The pieces every part is built from: a pace, a job's spec and value,
//! `job(*spec)` ([`job_of`]), main's `say!`, the drop guard that makes
//! cancellation visible, and how durations and lists are printed.
//!
//! The job itself, the Python program's `job`, is in [`crate::port`].

use std::time::Duration;

use runner::Recorder;

use crate::port::job;

/// How fast the demo runs (`--speed`): shared by every chapter.
pub use common::cli::Pace;

/// A job as the Python program lists it: `(name, seconds, n)`; it waits
/// `seconds` of demo time, then computes `cube(n)`.
pub type Spec = (&'static str, f64, i64);

/// A job's value: `cube(n)`, or the error of a cube that overflows.
pub type Value = Result<i64, common::WorkloadError>;

/// `job(*spec)`, its seconds divided by `--speed` (a future that owns a
/// clone of `log`: `use<>` says it borrows nothing, so it can be spawned).
pub fn job_of(
    log: &Recorder,
    pace: Pace,
    (name, secs, n): Spec,
) -> impl Future<Output = Value> + use<> {
    job(log.clone(), name, pace.secs(secs), n)
}

/// `say("main", f"...")`: a line from main, its text formatted as `format!`'s.
macro_rules! say {
    ($log:expr, $($text:tt)+) => { $log.say("main", format!($($text)+)) };
}
pub(crate) use say;

/// Prints a line, and marks the moment on the timeline, when it is dropped
/// before its job finished: the Rust form of Python's
/// `except asyncio.CancelledError: cleanup(); raise` (or `finally:`).
///
/// Cancelling a future in Rust means *dropping* it. Dropping runs the
/// destructors of everything the future holds, so a guard like this one is
/// how a task cleans up when cancelled (closing a file, releasing a lock).
/// Nothing else gets to run: there is no `except CancelledError:` inside the
/// task, and a task cannot refuse to be cancelled.
#[derive(Debug)]
pub struct Guard {
    /// Where to print (and mark).
    log: Recorder,
    /// The owning job's name: the line's label and the mark's lane.
    who: &'static str,
    /// Set by [`Guard::finish`] when the job completed; a finished job's
    /// guard drops silently.
    finished: bool,
}

impl Guard {
    /// A guard for the job named `who`.
    pub fn new(log: &Recorder, who: &'static str) -> Self {
        Self {
            log: log.clone(),
            who,
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
            self.log.mark(self.who, "cancelled here");
            self.log.say(self.who, CANCELLED_LINE);
        }
    }
}

/// What the guard prints.
const CANCELLED_LINE: &str =
    "cancelled: Drop guard runs the cleanup (Python: except CancelledError)";

/// The start of the guard's line, for tests that look for it.
pub const CANCELLED: &str = "cancelled: Drop guard";

/// A duration as the program prints it: `0.250 s`. Every time printed is
/// one that really passes, already divided by `--speed`.
pub fn shown(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

/// Values as Python prints a list: `[1, 8, 27]`.
pub fn list(values: &[i64]) -> String {
    let items: Vec<String> = values.iter().map(i64::to_string).collect();
    format!("[{}]", items.join(", "))
}
