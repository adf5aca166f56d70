//! When tasks go wrong (`--part faults`): a failing task, a panicking
//! task, a worker that aborts, and a worker killed from outside, each
//! reported on its own handle while the pool carries on.
//!
//! Python raises the task's exception from `future.result()` for the first
//! two, like ours. For the last two Python's pool is *broken*: every
//! pending future fails with `BrokenProcessPool` and the executor must be
//! thrown away. Ours fails only the task the dead worker was running,
//! starts a replacement, and runs everything else (see the fault policy
//! in the library's `pool.rs`).

use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use process_pool::{PoolError, ProcessPoolExecutor, TaskError};
use runner::Interrupted;

use super::tasks::{ChapterTask, TaskOutput};
use super::{Run, stop_on_ctrl_c};

/// What happened to each faulty task, and to the work after them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultsReport {
    /// The error of `Cube(3_000_000)` (an overflow the task reports).
    pub failed: TaskError<String>,
    /// The error of the panicking task.
    pub panicked: TaskError<String>,
    /// The error of the task that aborted its worker.
    pub aborted: TaskError<String>,
    /// The error of the task whose worker was killed with SIGKILL.
    pub killed: TaskError<String>,
    /// The items run afterwards, all correct.
    pub afterwards: Vec<(u64, u64)>,
    /// Worker pids at the start and at the end.
    pub pids_before_and_after: (Vec<u32>, Vec<u32>),
}

/// Errors of this part.
#[derive(Debug, thiserror::Error)]
pub enum FaultsError {
    /// The pool could not start or take the tasks.
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// A task meant to fail did not, or a sound one failed.
    #[error("unexpected outcome: {0}")]
    Unexpected(String),
    /// Ctrl-C.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

/// The error of an outcome that must be one.
fn expect_error(
    outcome: Result<TaskOutput, TaskError<String>>,
) -> Result<TaskError<String>, FaultsError> {
    match outcome {
        Err(error) => Ok(error),
        Ok(value) => Err(FaultsError::Unexpected(format!("succeeded with {value:?}"))),
    }
}

/// Runs the four faults on a pool of `workers`, then `items` sound items
/// of `iterations`.
pub fn run(
    run: &Run,
    workers: usize,
    items: u64,
    iterations: u64,
) -> Result<FaultsReport, FaultsError> {
    let say = |message: String| run.out.say("main", message);
    let pool = ProcessPoolExecutor::<ChapterTask>::new(workers)?;
    let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
    let before = pool.worker_pids();
    say(format!("pool of {workers}: workers {before:?}"));

    let failed = expect_error(pool.submit(ChapterTask::Cube(3_000_000))?.result())?;
    say(format!("cube(3000000) -> {failed}"));

    let panicked = expect_error(
        pool.submit(ChapterTask::Panic("division by zero".into()))?
            .result(),
    )?;
    say(format!("a panicking task -> {panicked}"));

    let aborted = expect_error(pool.submit(ChapterTask::Abort)?.result())?;
    say(format!("a task calling abort() -> {aborted}"));

    let long = pool.submit(ChapterTask::Sleep { millis: 30_000 })?;
    while !long.running() && !long.done() {
        std::thread::sleep(Duration::from_millis(1));
    }
    // Give the writer a moment to hand the request over, so the worker
    // really holds it when it dies.
    std::thread::sleep(Duration::from_millis(20));
    if let Some(pid) = long.worker_pid() {
        say(format!("kill -9 {pid} (the worker running a 30 s task)"));
        kill(Pid::from_raw(pid as i32), Signal::SIGKILL)
            .map_err(|e| FaultsError::Unexpected(format!("kill {pid}: {e}")))?;
    }
    let killed = expect_error(long.result())?;
    say(format!("the killed worker's task -> {killed}"));
    run.interrupt.check()?;

    say("the pool carries on:".to_owned());
    let mut afterwards = Vec::new();
    let handles = (1..=items)
        .map(|item| pool.submit(ChapterTask::Evaluate { item, iterations }))
        .collect::<Result<Vec<_>, _>>()?;
    for handle in handles {
        handle.wait();
        let pid = handle.worker_pid();
        match handle.result() {
            Ok(TaskOutput::Item { item, result }) => {
                let who = format!("pid {}", pid.unwrap_or(0));
                run.out.say(&who, format!("Item {item}, result {result}"));
                afterwards.push((item, result));
            }
            Err(_) if run.interrupt.raised() => return Err(Interrupted.into()),
            other => return Err(FaultsError::Unexpected(format!("{other:?}"))),
        }
    }
    let after = pool.worker_pids();
    say(format!(
        "workers now {after:?}: the dead ones were reaped and replaced"
    ));
    Ok(FaultsReport {
        failed,
        panicked,
        aborted,
        killed,
        afterwards,
        pids_before_and_after: (before, after),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::chapter::progress::Screen;
    use runner::Interrupt;

    /// Each fault is reported on its own task, with what happened; the
    /// items afterwards are right; the dead workers were replaced.
    #[test]
    fn each_fault_is_its_own_tasks_error() {
        let run = Run::new(Screen::default(), Interrupt::new());
        let report = super::run(&run, 2, 2, 100).unwrap();
        assert!(matches!(&report.failed, TaskError::Failed(m) if m.contains("overflows")));
        assert!(
            matches!(&report.panicked, TaskError::Panicked(m) if m.contains("division by zero"))
        );
        let (_, after) = &report.pids_before_and_after;
        for (error, signal) in [(&report.aborted, "SIGABRT"), (&report.killed, "SIGKILL")] {
            match error {
                TaskError::WorkerDied { pid, cause } => {
                    assert!(cause.contains(signal), "{cause}");
                    assert!(!after.contains(pid), "dead worker {pid} still listed");
                }
                other => panic!("expected a dead worker, got {other}"),
            }
        }
        assert_eq!(report.afterwards, [(1, 100), (2, 200)]);
    }

    /// Ctrl-C (raised before the part starts) stops the pool at once: the
    /// part ends with an error instead of running its faults.
    #[test]
    fn ctrl_c_stops_the_part() {
        let interrupt = Interrupt::new();
        interrupt.raise();
        let run = Run::new(Screen::default(), interrupt);
        assert!(super::run(&run, 2, 2, 100).is_err());
    }
}
