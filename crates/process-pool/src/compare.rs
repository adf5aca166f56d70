//! The pooling comparison (seeds 003 and 004): items 1..=10 through
//! `evaluate_item`, sequentially, on a thread pool and on a process pool.
//!
//! Python's program:
//!
//! ```python
//! with concurrent.futures.ProcessPoolExecutor(max_workers=5) as executor:
//!     for item in number_list:
//!         executor.submit(evaluate_item, item)
//! ```
//!
//! In Python only the process pool speeds the count loop up: threads share
//! one interpreter and take turns under the GIL. In Rust threads *and*
//! processes both run on every core, so both pooled phases show about the
//! same speedup (about the number of cores); the process phase pays a
//! little more, for starting the workers and for encoding each task and
//! result. Processes win in Rust for other reasons: isolation (see
//! `faults`) and separate memory; `docs/process-pool.md` says when.
//!
//! The sequential and thread-pool phases are the `thread-pool` crate's own
//! (`thread_pool::compare`), reused so that the three phases run the very
//! same workload code and print the same lines.

use std::collections::BTreeMap;
use std::time::Duration;

use common::ItemResult;
use common::clock::{Clock, speedup, timed};
use thread_pool::compare::{Workload, run_pooled, run_sequential};

use crate::handle::{TaskError, as_completed};
use crate::pool::{PoolError, ProcessPoolExecutor};
use crate::progress::{Interrupt, Progress};
use crate::tasks::{ChapterTask, TaskOutput};

/// An item as computed on the process pool, with the worker that ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PooledItem {
    /// The item and its result.
    pub result: ItemResult,
    /// The pid of the worker process that computed it.
    pub pid: u32,
}

/// The process-pool phase's results.
#[derive(Debug, Clone)]
pub struct ProcessPhase {
    /// Results in item order, with the worker pid of each.
    pub items: Vec<PooledItem>,
    /// Time of the phase, starting and reaping the workers included (as in
    /// Python's `with` block).
    pub time: Duration,
    /// The workers' pids.
    pub worker_pids: Vec<u32>,
}

/// The whole comparison.
#[derive(Debug, Clone)]
pub struct CompareReport {
    /// Sequential results, in item order.
    pub sequential: Vec<ItemResult>,
    /// Time of the sequential phase.
    pub sequential_time: Duration,
    /// Thread-pool results, in item order.
    pub threads: Vec<ItemResult>,
    /// Time of the thread-pool phase.
    pub threads_time: Duration,
    /// The process-pool phase.
    pub processes: ProcessPhase,
}

/// What can stop the comparison.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// `--items` x `--iterations` overflows.
    #[error(transparent)]
    Workload(#[from] common::WorkloadError),
    /// The thread-pool phase failed.
    #[error("thread pool: {0}")]
    Threads(#[from] thread_pool::compare::CompareError),
    /// The process pool could not start or take the tasks.
    #[error("process pool: {0}")]
    Pool(#[from] PoolError),
    /// An item failed on the process pool.
    #[error("process pool: item {item}: {error}")]
    Item {
        /// Which item.
        item: u64,
        /// Why.
        error: TaskError<String>,
    },
    /// Ctrl-C.
    #[error("interrupted")]
    Interrupted,
}

/// The process-pool phase (`--part pool`): starts `workers` worker
/// processes, submits every item, prints each result as it arrives
/// (labelled with the pid of the worker that computed it), and returns
/// them in item order.
pub fn run_process_phase(
    clock: Clock,
    workload: Workload,
    workers: usize,
    interrupt: &Interrupt,
) -> Result<ProcessPhase, CompareError> {
    workload.check()?;
    let (phase, time) = timed(|| -> Result<_, CompareError> {
        // Python: `with ProcessPoolExecutor(max_workers=5) as executor:`
        let pool = ProcessPoolExecutor::new(workers)?;
        interrupt.watch(&pool);
        let worker_pids = pool.worker_pids();
        let out = Progress::new(clock, workload.items, "process pool");
        out.say(
            "main",
            format!("process pool: {workers} worker processes {worker_pids:?}"),
        );
        // Python: `executor.submit(evaluate_item, item)` for each item.
        let handles = (1..=workload.items)
            .map(|item| {
                pool.submit(ChapterTask::Evaluate {
                    item,
                    iterations: workload.iterations,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut by_item = BTreeMap::new();
        // Python's `as_completed`: results in the order they finish.
        for done in as_completed(handles) {
            let item = done.index as u64 + 1;
            let pid = done.worker_pid.unwrap_or(0);
            let result = match done.outcome {
                Ok(TaskOutput::Item { item, result }) => ItemResult { item, result },
                Ok(other) => {
                    let error = TaskError::Protocol(format!("unexpected output {other:?}"));
                    return Err(CompareError::Item { item, error });
                }
                Err(_) if interrupt.raised() => return Err(CompareError::Interrupted),
                Err(error) => return Err(CompareError::Item { item, error }),
            };
            out.say(&format!("pid {pid}"), result);
            out.inc();
            by_item.insert(item, PooledItem { result, pid });
        }
        drop(out);
        // Leaving the `with` block: shut down, wait, reap. Part of the phase.
        drop(pool);
        Ok((by_item.into_values().collect(), worker_pids))
    });
    let (items, worker_pids) = phase?;
    Ok(ProcessPhase {
        items,
        time,
        worker_pids,
    })
}

/// The full comparison (`--part compare`): sequential, thread pool,
/// process pool, each timed, with the speedups.
pub fn run(
    clock: Clock,
    workload: Workload,
    workers: usize,
    interrupt: &Interrupt,
) -> Result<CompareReport, CompareError> {
    workload.check()?;
    clock.say(
        "main",
        format!(
            "sequential: items 1..={} with count({} iterations)",
            workload.items, workload.iterations
        ),
    );
    let (sequential, sequential_time) = timed(|| run_sequential(clock, workload));
    let sequential = sequential?;
    clock.say(
        "main",
        format!("sequential phase: {:.3} s", sequential_time.as_secs_f64()),
    );
    stop_if_interrupted(interrupt)?;

    clock.say("main", format!("thread pool: {workers} worker threads"));
    let (threads, threads_time) = timed(|| run_pooled(clock, workload, workers));
    let threads = threads?;
    clock.say(
        "main",
        format!(
            "thread pool phase: {:.3} s, speedup {:.2}x",
            threads_time.as_secs_f64(),
            speedup(sequential_time, threads_time)
        ),
    );
    stop_if_interrupted(interrupt)?;

    let processes = run_process_phase(clock, workload, workers, interrupt)?;
    clock.say(
        "main",
        format!(
            "process pool phase: {:.3} s, speedup {:.2}x",
            processes.time.as_secs_f64(),
            speedup(sequential_time, processes.time)
        ),
    );
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    clock.say(
        "main",
        format!(
            "on {cores} cores: in Rust threads and processes both use every core; \
             in Python only the process pool would beat the sequential loop (the GIL)"
        ),
    );
    Ok(CompareReport {
        sequential,
        sequential_time,
        threads,
        threads_time,
        processes,
    })
}

fn stop_if_interrupted(interrupt: &Interrupt) -> Result<(), CompareError> {
    if interrupt.raised() {
        Err(CompareError::Interrupted)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// An overflowing workload is refused before any process starts.
    #[test]
    fn overflow_is_refused_up_front() {
        let workload = Workload {
            items: 3,
            iterations: u64::MAX / 2,
        };
        let err = run_process_phase(Clock::start(), workload, 2, &Interrupt::new()).unwrap_err();
        assert!(err.to_string().contains("overflows u64"), "{err}");
    }
}
