//! When tasks go wrong (`--part faults`): a failing task, a panicking
//! task, a worker that aborts, and a worker killed from outside, each
//! reported on its own handle while the pool carries on.
//!
//! Python raises the task's exception from `future.result()` for the first
//! two, like ours. For the last two Python's pool is *broken*: every
//! pending future fails with `BrokenProcessPool` and the executor must be
//! thrown away. Ours fails only the task the dead worker was running,
//! starts a replacement, and runs everything else (see [`crate::pool`]).

use std::time::Duration;

use common::clock::Clock;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::handle::TaskError;
use crate::pool::{PoolError, ProcessPoolExecutor};
use crate::progress::Interrupt;
use crate::tasks::{ChapterTask, TaskOutput};

/// What happened to each faulty task, and to the work after them.
#[derive(Debug, Clone)]
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
    #[error("interrupted")]
    Interrupted,
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
    clock: Clock,
    workers: usize,
    items: u64,
    iterations: u64,
    interrupt: &Interrupt,
) -> Result<FaultsReport, FaultsError> {
    let pool = ProcessPoolExecutor::<ChapterTask>::new(workers)?;
    interrupt.watch(&pool);
    let before = pool.worker_pids();
    clock.say("main", format!("pool of {workers}: workers {before:?}"));

    let failed = expect_error(pool.submit(ChapterTask::Cube(3_000_000))?.result())?;
    clock.say("main", format!("cube(3000000) -> {failed}"));

    let panicked = expect_error(
        pool.submit(ChapterTask::Panic("division by zero".into()))?
            .result(),
    )?;
    clock.say("main", format!("a panicking task -> {panicked}"));

    let aborted = expect_error(pool.submit(ChapterTask::Abort)?.result())?;
    clock.say("main", format!("a task calling abort() -> {aborted}"));

    let long = pool.submit(ChapterTask::Sleep { millis: 30_000 })?;
    while !long.running() && !long.done() {
        std::thread::sleep(Duration::from_millis(1));
    }
    // Give the writer a moment to hand the request over, so the worker
    // really holds it when it dies.
    std::thread::sleep(Duration::from_millis(20));
    if let Some(pid) = long.worker_pid() {
        clock.say(
            "main",
            format!("kill -9 {pid} (the worker running a 30 s task)"),
        );
        kill(Pid::from_raw(pid as i32), Signal::SIGKILL)
            .map_err(|e| FaultsError::Unexpected(format!("kill {pid}: {e}")))?;
    }
    let killed = expect_error(long.result())?;
    clock.say("main", format!("the killed worker's task -> {killed}"));
    if interrupt.raised() {
        return Err(FaultsError::Interrupted);
    }

    clock.say("main", "the pool carries on:".to_owned());
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
                clock.say(&who, format!("Item {item}, result {result}"));
                afterwards.push((item, result));
            }
            Err(_) if interrupt.raised() => return Err(FaultsError::Interrupted),
            other => return Err(FaultsError::Unexpected(format!("{other:?}"))),
        }
    }
    let after = pool.worker_pids();
    clock.say(
        "main",
        format!("workers now {after:?}: the dead ones were reaped and replaced"),
    );
    Ok(FaultsReport {
        failed,
        panicked,
        aborted,
        killed,
        afterwards,
        pids_before_and_after: (before, after),
    })
}
