//! Part 2, the executor of `thread_pool.py`: `ThreadPoolExecutor(max_workers=2)`.
//!
//! The Python program submits `cube(3)` and prints `future.result()` (27),
//! maps `cube` over `[2, 4, 6, 8]` (results in input order), checks
//! `future.done()` and shuts the executor down. This part does the same
//! with [`ThreadPoolExecutor`], shows what happens when one task fails or
//! panics, and then shows the rayon-native way to write the same `map`:
//! `par_iter`, which needs no executor object at all.

use common::{WorkloadError, cube};
use rayon::prelude::*;
use runner::Recorder;
use std::sync::mpsc;
use thread_pool::{ExecutorError, ShutdownReport, TaskError, ThreadPoolExecutor};

/// The chapter's `max_workers`.
pub const MAX_WORKERS: usize = 2;
/// The chapter's `map` input.
pub const MAP_INPUT: [i64; 4] = [2, 4, 6, 8];

/// What the executor part observed, for the tests.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecutorReport {
    /// `submit(cube, 3).result()`.
    pub submitted: i64,
    /// `done()` while the task was held at its gate, then after it ran.
    pub done_before_and_after: (bool, bool),
    /// `map(cube, [2, 4, 6, 8])`.
    pub mapped: Vec<i64>,
    /// The failing task's error message.
    pub failed: String,
    /// The panicking task's error message.
    pub panicked: String,
    /// The tasks submitted around the failures still gave these results.
    pub neighbours: Vec<i64>,
    /// The same map with rayon's `par_iter`.
    pub par_iter: Vec<i64>,
    /// What shutdown did.
    pub shutdown: ShutdownReport,
}

/// A failure in this part (none is expected with the chapter's inputs).
#[derive(Debug, thiserror::Error)]
pub enum ExecutorDemoError {
    /// The pool could not start.
    #[error(transparent)]
    Executor(#[from] ExecutorError),
    /// A task that should have succeeded did not.
    #[error("{0}")]
    Task(#[from] TaskError<WorkloadError>),
    /// A workload overflowed.
    #[error(transparent)]
    Workload(#[from] WorkloadError),
}

/// Runs part 2 and prints what it shows.
pub fn run(out: &Recorder) -> Result<ExecutorReport, ExecutorDemoError> {
    let pool = ThreadPoolExecutor::new(MAX_WORKERS)?;
    out.say_here(format!(
        "ThreadPoolExecutor(max_workers={MAX_WORKERS}) started on rayon"
    ));

    // submit + result: the task runs on a worker, the handle waits for it.
    let worker_out = out.clone();
    let submitted = pool
        .submit(move || {
            worker_out.say_here("computing cube(3)");
            cube(3)
        })
        .result()?;
    out.say_here(format!("submit(cube, 3).result() = {submitted}"));

    // done(): held at a gate so the "not done" answer is certain.
    let (release, gate) = mpsc::channel::<()>();
    let held = pool.submit(move || {
        let _ = gate.recv();
        cube(5)
    });
    let done_before = held.done();
    let _ = release.send(());
    held.wait();
    let done_after = held.done();
    out.say_here(format!(
        "done() while held: {done_before}; after it ran: {done_after}; result {}",
        held.result()?
    ));

    // map: all four submitted at once, results read back in input order.
    let worker_out = out.clone();
    let mapped = pool
        .map(
            move |x| {
                worker_out.say_here(format!("cube({x})"));
                cube(x)
            },
            MAP_INPUT,
        )
        .collect::<Result<Vec<_>, _>>()?;
    out.say_here(format!(
        "map(cube, {MAP_INPUT:?}) = {mapped:?} (input order)"
    ));

    // A failing and a panicking task between two good ones.
    let first = pool.submit(|| cube(7));
    let failing = pool.submit(|| cube(3_000_000));
    let panicking =
        pool.submit(|| -> Result<i64, WorkloadError> { panic!("this task panicked on purpose") });
    let last = pool.submit(|| cube(9));
    let failed = describe(failing.result());
    let panicked = describe(panicking.result());
    let neighbours = vec![first.result()?, last.result()?];
    out.say_here(format!("failing task -> {failed}"));
    out.say_here(format!("panicking task -> {panicked}"));
    out.say_here(format!(
        "the tasks around them still finished: {neighbours:?}"
    ));

    let shutdown = pool.shutdown();
    out.say_here(format!(
        "shutdown(): {} tasks completed, {} workers joined",
        shutdown.tasks_completed, shutdown.workers_joined
    ));

    // The rayon-native way: no executor object, no handles; the iterator
    // runs on rayon's global pool and `collect` keeps the input order.
    let par_iter = MAP_INPUT
        .par_iter()
        .map(|&x| cube(x))
        .collect::<Result<Vec<_>, _>>()?;
    out.say_here(format!(
        "rayon: [2, 4, 6, 8].par_iter().map(cube).collect() = {par_iter:?}"
    ));

    Ok(ExecutorReport {
        submitted,
        done_before_and_after: (done_before, done_after),
        mapped,
        failed,
        panicked,
        neighbours,
        par_iter,
        shutdown,
    })
}

fn describe(outcome: Result<i64, TaskError<WorkloadError>>) -> String {
    match outcome {
        Ok(value) => format!("unexpected success: {value}"),
        Err(error) => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The chapter's values, failures reported per task, workers joined.
    #[test]
    fn executor_part_reports() {
        let out = Recorder::quiet();
        let report = run(&out).unwrap();
        assert_eq!(report.submitted, 27);
        assert_eq!(report.done_before_and_after, (false, true));
        assert_eq!(report.mapped, vec![8, 64, 216, 512]);
        assert_eq!(report.par_iter, vec![8, 64, 216, 512]);
        assert!(
            report.failed.contains("cube(3000000) overflows i64"),
            "{}",
            report.failed
        );
        assert_eq!(
            report.panicked,
            "task panicked: this task panicked on purpose"
        );
        assert_eq!(report.neighbours, vec![343, 729]);
        assert_eq!(report.shutdown.workers_joined, MAX_WORKERS);
        assert_eq!(report.shutdown.tasks_completed, 10);
        // The work ran on the pool's two workers, never on the caller.
        let on_workers: usize = (0..MAX_WORKERS)
            .map(|i| out.messages_of(&format!("worker-{i}")).len())
            .sum();
        assert_eq!(on_workers, 5, "cube(3) and the four map items");
    }
}
