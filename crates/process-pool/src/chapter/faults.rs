//! When tasks go wrong (`--part faults`): a failing task, a panicking
//! task, a worker that aborts, a worker killed from outside, and a task
//! that never returns, each reported on its own handle while the pool
//! carries on.
//!
//! Python raises the first two from `future.result()`, like ours; for the
//! next two its pool is *broken* (`BrokenProcessPool` for every pending
//! future), where ours fails only the dead worker's task and replaces it
//! (the fault policy in the library's `pool.rs`); for the last, Python's
//! `shutdown(wait=True)` waits for ever, ours kills the worker after a
//! grace. On a timeline the abort and the `kill -9` are marked where the
//! lane ends; the replacements' lanes start below.

use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use process_pool::{ProcessPoolExecutor, TaskError, TaskHandle};
use runner::Interrupted;

use super::tasks::{ChapterTask, TaskOutput, describe};
use super::{Run, StepError, lane, pid_list, stop_on_ctrl_c, submit};

/// The grace the last pool's shutdown gives a task that never returns.
pub const GRACE: Duration = Duration::from_millis(200);

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
    /// The error of the task that never returned, ended by the grace.
    pub hung: TaskError<String>,
}

/// The error of an outcome that must be one.
fn expect_error(
    outcome: Result<TaskOutput, TaskError<String>>,
) -> Result<TaskError<String>, StepError> {
    match outcome {
        Err(error) => Ok(error),
        Ok(value) => Err(StepError::Unexpected(format!(
            "it {}",
            describe(&Ok(value))
        ))),
    }
}

/// Waits until a worker holds `handle`'s task, and a moment more, so that
/// the worker really has read it when something happens to it.
fn until_running(handle: &TaskHandle<ChapterTask>) {
    super::until_running(handle);
    // The writer marks it running just before writing it out.
    std::thread::sleep(Duration::from_millis(20));
}

/// Runs the five faults on pools of `workers`, with `items` sound items
/// of `iterations` in between.
pub fn run(
    run: &Run,
    workers: usize,
    items: u64,
    iterations: u64,
) -> Result<FaultsReport, StepError> {
    let say = |message: String| run.out.say("main", message);
    let pool = ProcessPoolExecutor::<ChapterTask>::new(workers)?;
    let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
    let before = pool.worker_pids();
    say(format!(
        "pool of {workers}: worker pids {}",
        pid_list(&before)
    ));

    let task = ChapterTask::Cube(3_000_000);
    let failed = expect_error(submit(run, &pool, task, "cube(3000000)")?.result())?;
    say(format!("cube(3000000) -> {failed}"));

    let task = ChapterTask::Panic("division by zero".into());
    let panicked = expect_error(submit(run, &pool, task, "panic")?.result())?;
    say(format!("a panicking task -> {panicked}"));

    let aborted = expect_error(submit(run, &pool, ChapterTask::Abort, "abort()")?.result())?;
    if let TaskError::WorkerDied { pid, .. } = &aborted {
        run.out.mark(&lane(*pid), "the worker died: SIGABRT");
    }
    say(format!("a task calling abort() -> {aborted}"));

    let task = ChapterTask::Sleep { millis: 30_000 };
    let long = submit(run, &pool, task, "sleep 30 s")?;
    until_running(&long);
    if let Some(pid) = long.worker_pid() {
        say(format!("kill -9 {pid} (the worker running a 30 s task)"));
        run.out.mark(&lane(pid), "kill -9");
        kill(Pid::from_raw(pid as i32), Signal::SIGKILL)
            .map_err(|e| StepError::Unexpected(format!("kill {pid}: {e}")))?;
    }
    let killed = expect_error(long.result())?;
    say(format!("the killed worker's task -> {killed}"));
    run.interrupt.check()?;

    say("the pool carries on:".to_owned());
    let mut afterwards = Vec::new();
    let handles = (1..=items)
        .map(|item| {
            let task = ChapterTask::Evaluate { item, iterations };
            submit(run, &pool, task, &format!("item {item}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    for handle in handles {
        handle.wait();
        let pid = handle.worker_pid().unwrap_or(0);
        match handle.result() {
            Ok(TaskOutput::Item { item, result }) => {
                run.out
                    .say(&lane(pid), format!("Item {item}, result {result}"));
                afterwards.push((item, result));
            }
            Err(_) if run.interrupt.raised() => return Err(Interrupted.into()),
            other => return Err(StepError::Unexpected(describe(&other))),
        }
    }
    let after = pool.worker_pids();
    say(format!(
        "worker pids now {}: the dead ones were reaped and replaced",
        pid_list(&after)
    ));
    drop(pool);

    // A task that never returns: Python's shutdown(wait=True) would wait
    // for ever; a grace period ends it.
    let pool = ProcessPoolExecutor::<ChapterTask>::builder(1)
        .shutdown_grace(GRACE)
        .build()?;
    let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
    let stuck = submit(run, &pool, ChapterTask::Forever, "never returns")?;
    until_running(&stuck);
    let pid = stuck.worker_pid().unwrap_or(0);
    let started = Instant::now();
    drop(pool);
    run.out
        .mark(&lane(pid), "the shutdown's grace ran out: killed");
    let hung = expect_error(stuck.result())?;
    say(format!(
        "a task that never returns, then drop(pool) with shutdown_grace({:.1} s): \
         drop returned after {:.3} s; the task -> {hung}",
        GRACE.as_secs_f64(),
        started.elapsed().as_secs_f64()
    ));
    run.interrupt.check()?;
    Ok(FaultsReport {
        failed,
        panicked,
        aborted,
        killed,
        afterwards,
        pids_before_and_after: (before, after),
        hung,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::chapter::progress::Screen;
    use runner::Interrupt;

    /// Each fault is reported on its own task, with what happened; the
    /// items afterwards are right; the dead workers were replaced; the
    /// task that never returns was ended by the grace.
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
        match &report.hung {
            TaskError::WorkerDied { cause, .. } => assert!(cause.contains("grace"), "{cause}"),
            other => panic!("expected a worker killed by the grace, got {other}"),
        }
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
