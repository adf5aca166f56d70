//! How a run of items ends: what it counted, and the last word and exit
//! status that follow (130 after Ctrl-C, 1 after a timeout, 0 when every
//! task was answered, with a result or a task error).

use std::process::ExitCode;
use std::time::Duration;

/// How a run of the items ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Items submitted.
    pub total: usize,
    /// Items with a result.
    pub done: usize,
    /// Items whose task failed (an error or a panic on the worker, or the
    /// queue gave the job up).
    pub failed: usize,
    /// Tasks withdrawn from the queue because the run stopped first.
    pub withdrawn: usize,
    /// Why it stopped early, if it did.
    pub stopped: Option<Stopped>,
}

/// Why a run stopped before every item was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The time limit (`--timeout`) ran out.
    TimedOut(Duration),
    /// Ctrl-C.
    Interrupted,
}

/// The last word on stderr if the run stopped early, and the exit status
/// (see the module's opening). `rest` says what became of the tasks not done.
pub fn conclude(report: &Report, rest: &str) -> ExitCode {
    let counted = format!("{} of {} results in", report.done, report.total);
    match report.stopped {
        Some(Stopped::Interrupted) => {
            eprintln!("interrupted: {counted}; {rest}");
            ExitCode::from(runner::interrupt::EXIT_CODE)
        }
        Some(Stopped::TimedOut(limit)) => {
            eprintln!(
                "error: gave up after {:.1} s with {counted}; {rest}",
                limit.as_secs_f64()
            );
            ExitCode::FAILURE
        }
        None => ExitCode::SUCCESS,
    }
}
