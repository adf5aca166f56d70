//! The pieces every part is built from: `job(*spec)` ([`job_of`]; the job
//! itself is in [`crate::port`]), main's `say!`, the drop guard that makes
//! cancellation visible, and how durations and lists are printed.

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

/// `job(*spec)`, its seconds divided by `--speed` (`use<>`: the future
/// borrows nothing, it owns a clone of `log`, so it can be spawned).
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

/// Prints a line, and marks the moment, when it is dropped before its job
/// finished: Python's `except asyncio.CancelledError: cleanup(); raise`.
///
/// Cancelling a future in Rust means *dropping* it, which runs the
/// destructors of all it holds: a guard like this one is how a task cleans
/// up when cancelled. Nothing else runs, and a task cannot refuse.
#[derive(Debug)]
pub struct Guard {
    log: Recorder,
    /// The owning job's name: the line's label and the mark's lane.
    who: &'static str,
    /// Set by [`Guard::finish`]: a finished job's guard drops silently.
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

/// A duration as the program prints it (already divided by `--speed`):
/// `0.250 s`.
pub fn shown(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}

/// Values as Python prints a list: `[1, 8, 27]`.
pub fn list(values: &[i64]) -> String {
    let items: Vec<String> = values.iter().map(i64::to_string).collect();
    format!("[{}]", items.join(", "))
}
