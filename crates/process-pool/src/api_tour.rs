//! The executor's API, one call at a time (`--part api`): Python's
//! `ProcessPoolExecutor` methods next to ours.
//!
//! | Python                                   | Rust (this crate)                                   |
//! |------------------------------------------|-----------------------------------------------------|
//! | `ProcessPoolExecutor(max_workers=2)`     | `ProcessPoolExecutor::<ChapterTask>::new(2)?`       |
//! | `f = ex.submit(cube, 3)`                 | `let f = pool.submit(ChapterTask::Cube(3))?`        |
//! | `f.done()`, `f.result()`                 | `f.done()`, `f.result()`                            |
//! | `f.result(timeout=0.05)`                 | `f.result_timeout(Duration::from_millis(50))`       |
//! | `f.cancel()`                             | `f.cancel()`                                        |
//! | `ex.map(cube, xs, chunksize=2)`          | `pool.map(xs.map(ChapterTask::Cube), 2)?`           |
//! | `ex.shutdown(wait=True, cancel_futures=True)` | `pool.shutdown(true, true)`                    |
//! | `initializer=init, max_tasks_per_child=2` | `builder(2).initializer(..).max_tasks_per_child(2)` |
//!
//! Each step prints what it did and what came back. The sleeps (100-300 ms
//! of `ChapterTask::Sleep` in a worker) only make "still running" visible.

use std::time::Duration;

use common::clock::Clock;

use crate::handle::TaskError;
use crate::pool::{PoolError, ProcessPoolExecutor};
use crate::tasks::{ChapterTask, TaskOutput};

/// What the tour observed, for the tests.
#[derive(Debug, Clone, Default)]
pub struct ApiReport {
    /// `submit(Cube(3)).result()`.
    pub cube_of_3: i64,
    /// `done()` right after submit, and after `result`'s wait.
    pub done_before_and_after: (bool, bool),
    /// `map(cube, [2, 4, 6, 8], chunksize 2)`.
    pub mapped: Vec<i64>,
    /// `result_timeout(50 ms)` on a 300 ms task timed out.
    pub timed_out: bool,
    /// `cancel()` on the queued task, then on the running one.
    pub cancel_queued_and_running: (bool, bool),
    /// Tasks run / cancelled by `shutdown(wait, cancel_futures = false)`.
    pub shutdown_keep: (usize, usize),
    /// Tasks run / cancelled by `shutdown(wait, cancel_futures = true)`.
    pub shutdown_cancel: (usize, usize),
    /// Distinct worker pids seen by 6 tasks with `max_tasks_per_child(2)`
    /// on one worker, and every task saw the initializer's count at 1.
    pub recycled_pids: usize,
    /// Every worker ran its initializer exactly once.
    pub initialized_once: bool,
}

/// Errors of the tour: the pool could not start or a step went wrong.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Creating or using the pool failed.
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// A task failed where it should not have.
    #[error("unexpected task outcome: {0}")]
    Task(String),
}

fn number(outcome: Result<TaskOutput, TaskError<String>>) -> Result<i64, ApiError> {
    match outcome {
        Ok(TaskOutput::Number(n)) => Ok(n),
        other => Err(ApiError::Task(format!("{other:?}"))),
    }
}

/// Runs the tour, printing each step.
pub fn run(clock: Clock) -> Result<ApiReport, ApiError> {
    let say = |msg: String| clock.say("main", msg);
    let mut report = ApiReport::default();

    // submit / done / result
    let pool = ProcessPoolExecutor::<ChapterTask>::new(2)?;
    say(format!(
        "ProcessPoolExecutor(max_workers=2): workers {:?}",
        pool.worker_pids()
    ));
    let future = pool.submit(ChapterTask::Cube(3))?;
    let done_before = future.done();
    future.wait();
    let done_after = future.done();
    let pid = future.worker_pid().unwrap_or(0);
    report.cube_of_3 = number(future.result())?;
    report.done_before_and_after = (done_before, done_after);
    say(format!(
        "submit(cube, 3): done() = {done_before} at once, {done_after} after wait; \
         result() = {} (computed by pid {pid})",
        report.cube_of_3
    ));

    // map with chunksize
    report.mapped = pool
        .map([2, 4, 6, 8].map(ChapterTask::Cube), 2)?
        .map(number)
        .collect::<Result<_, _>>()?;
    say(format!(
        "map(cube, [2, 4, 6, 8], chunksize=2) = {:?} (input order; 2 requests of 2 tasks)",
        report.mapped
    ));

    // result with a timeout
    let mut slow = pool.submit(ChapterTask::Sleep { millis: 300 })?;
    let first = slow.result_timeout(Duration::from_millis(50));
    report.timed_out = matches!(first, Err(TaskError::Timeout(_)));
    say(format!("result(timeout=0.05) on a 300 ms task: {first:?}"));
    let second = slow.result_timeout(Duration::from_secs(60));
    say(format!("asked again with a longer timeout: {second:?}"));
    drop(pool);
    say("pool dropped: shut down, both workers reaped".into());

    // cancel: one worker, so the second task waits in the queue
    let pool = ProcessPoolExecutor::<ChapterTask>::new(1)?;
    let running = pool.submit(ChapterTask::Sleep { millis: 200 })?;
    let queued = pool.submit(ChapterTask::Cube(5))?;
    let cancelled_queued = queued.cancel();
    while !running.running() && !running.done() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let cancelled_running = running.cancel();
    report.cancel_queued_and_running = (cancelled_queued, cancelled_running);
    say(format!(
        "one worker busy: cancel() on the queued task = {cancelled_queued}, \
         on the running one = {cancelled_running}"
    ));
    say(format!(
        "queued task: {:?}; running task: finished = {}",
        queued.result(),
        running.result().is_ok()
    ));

    // shutdown without and with cancel_futures
    for cancel_futures in [false, true] {
        let pool = ProcessPoolExecutor::<ChapterTask>::new(1)?;
        let first = pool.submit(ChapterTask::Sleep { millis: 100 })?;
        let rest = (1..=3)
            .map(|x| pool.submit(ChapterTask::Cube(x)))
            .collect::<Result<Vec<_>, _>>()?;
        while !first.running() && !first.done() {
            std::thread::sleep(Duration::from_millis(1));
        }
        pool.shutdown(true, cancel_futures);
        let mut ran = usize::from(first.result().is_ok());
        let mut cancelled = 0;
        for handle in rest {
            match handle.result() {
                Ok(_) => ran += 1,
                Err(TaskError::Cancelled) => cancelled += 1,
                Err(other) => return Err(ApiError::Task(other.to_string())),
            }
        }
        let refused = matches!(pool.submit(ChapterTask::Cube(1)), Err(PoolError::ShutDown));
        say(format!(
            "shutdown(wait=True, cancel_futures={}): {ran} tasks ran, {cancelled} cancelled; \
             submit afterwards refused: {refused}",
            if cancel_futures { "True" } else { "False" }
        ));
        if cancel_futures {
            report.shutdown_cancel = (ran, cancelled);
        } else {
            report.shutdown_keep = (ran, cancelled);
        }
    }

    // initializer and max_tasks_per_child
    let pool = ProcessPoolExecutor::builder(1)
        .initializer(ChapterTask::Initialize)
        .max_tasks_per_child(2)
        .build()?;
    let mut pids = Vec::new();
    let mut initialized_once = true;
    for outcome in pool.map((0..6).map(|_| ChapterTask::WhoAmI), 1)? {
        match outcome {
            Ok(TaskOutput::Worker { pid, initialized }) => {
                initialized_once &= initialized == 1;
                pids.push(pid);
            }
            other => return Err(ApiError::Task(format!("{other:?}"))),
        }
    }
    pids.dedup();
    report.recycled_pids = pids.len();
    report.initialized_once = initialized_once;
    say(format!(
        "initializer + max_tasks_per_child=2, 6 tasks on 1 worker: ran in pids {pids:?}, \
         each worker initialized once: {initialized_once}"
    ));
    Ok(report)
}
