//! The pooling comparison of `concurrent_futures_pooling.py`: items
//! 1..=10 through `evaluate_item`, sequentially, on a thread pool and on a
//! process pool.
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
//! The thread phase runs on the `thread-pool` crate's `ThreadPoolExecutor`
//! (with `map`, the thread-pool chapter shows `submit`), so that the three
//! phases run the very same workload code and print the same lines.
//!
//! Ctrl-C: the process pool's workers are killed at once (so its phase
//! stops at once); the thread pool cancels what has not started and the
//! sequential loop stops after its item; an item that cannot stop mid-loop
//! is cut by the Ctrl-C policy's grace period.

use std::collections::BTreeMap;
use std::time::Duration;

use common::clock::speedup;
use common::workloads::Workload;
use common::{ItemResult, WorkloadError, evaluate_item};
use process_pool::{PoolError, ProcessPoolExecutor, TaskError, as_completed};
use runner::Interrupted;
use thread_pool::ThreadPoolExecutor;

use super::tasks::{ChapterTask, TaskOutput};
use super::{Run, stop_on_ctrl_c};

/// The phases, as the Ctrl-C summary names them.
pub const PHASES: [&str; 3] = [SEQUENTIAL, THREADS, PROCESSES];
const SEQUENTIAL: &str = "sequential";
const THREADS: &str = "thread pool";
/// The process pool's phase (alone, it is `--part pool`).
pub const PROCESSES: &str = "process pool";

/// An item as computed on the process pool, with the worker that ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PooledItem {
    /// The item and its result.
    pub result: ItemResult,
    /// The pid of the worker process that computed it.
    pub pid: u32,
}

/// The process-pool phase's results.
#[derive(Debug, Clone, PartialEq, Eq)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    Workload(#[from] WorkloadError),
    /// The thread pool could not start.
    #[error("thread pool: {0}")]
    ThreadPool(#[from] thread_pool::ExecutorError),
    /// An item failed on the thread pool (or was cancelled by Ctrl-C).
    #[error("thread pool: {0}")]
    Threads(#[from] thread_pool::TaskError<WorkloadError>),
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
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

/// The process-pool phase (`--part pool`): starts `workers` worker
/// processes, submits every item, prints each result as it arrives
/// (labelled with the pid of the worker that computed it), and returns
/// them in item order.
pub fn run_process_phase(
    run: &Run,
    workload: Workload,
    workers: usize,
) -> Result<ProcessPhase, CompareError> {
    workload.check()?;
    let ((items, worker_pids), time) = run.tally.phase(PROCESSES, workload.items, || {
        // Python: `with ProcessPoolExecutor(max_workers=5) as executor:`
        let pool = ProcessPoolExecutor::new(workers)?;
        let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
        let worker_pids = pool.worker_pids();
        let bar = run.screen.bar(workload.items, "process pool");
        run.out.say(
            "main",
            format!("process pool: {workers} worker processes {worker_pids:?}"),
        );
        // Python: `executor.submit(evaluate_item, item)` for each item.
        let handles = workload
            .numbers()
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
                Err(_) if run.interrupt.raised() => return Err(Interrupted.into()),
                Err(error) => return Err(CompareError::Item { item, error }),
            };
            run.out.say(&format!("pid {pid}"), result);
            bar.inc();
            run.tally.item_done();
            by_item.insert(item, PooledItem { result, pid });
        }
        drop(bar);
        // Leaving the `with` block: shut down, wait, reap. Part of the phase.
        drop(pool);
        Ok((by_item.into_values().collect(), worker_pids))
    })?;
    Ok(ProcessPhase {
        items,
        time,
        worker_pids,
    })
}

/// The thread phase: the same items on `workers` threads of the
/// thread-pool chapter's `ThreadPoolExecutor`, read back with `map`
/// (Python: `executor.map(evaluate_item, number_list)`).
fn run_thread_phase(
    run: &Run,
    workload: Workload,
    workers: usize,
) -> Result<Vec<ItemResult>, CompareError> {
    let (out, tally, iterations) = (run.out.clone(), run.tally.clone(), workload.iterations);
    let pool = ThreadPoolExecutor::new(workers)?;
    let results = pool.map(
        move |item| {
            let result = evaluate_item(item, iterations)?;
            out.say_here(result);
            tally.item_done();
            Ok(result)
        },
        workload.numbers(),
    );
    // Every item is queued now; while they are read back, Ctrl-C cancels
    // the ones no thread has started.
    let stopper = pool.stopper();
    let _stop = run.interrupt.on_interrupt(move || stopper.stop());
    Ok(results.collect::<Result<Vec<_>, _>>()?)
}

/// The full comparison (`--part compare`): sequential, thread pool,
/// process pool, each timed, with the speedups.
pub fn run(run: &Run, workload: Workload, workers: usize) -> Result<CompareReport, CompareError> {
    let say = |message: String| run.out.say("main", message);
    workload.check()?;
    say(format!(
        "sequential: items 1..={} with count({} iterations)",
        workload.items, workload.iterations
    ));
    let (sequential, sequential_time) = run.tally.phase(SEQUENTIAL, workload.items, || {
        workload.run_sequential(|result| {
            run.out.say_here(result);
            run.tally.item_done();
            Ok::<_, CompareError>(run.interrupt.check()?)
        })
    })?;
    say(format!(
        "sequential phase: {:.3} s",
        sequential_time.as_secs_f64()
    ));

    say(format!("thread pool: {workers} worker threads"));
    let (threads, threads_time) = run.tally.phase(THREADS, workload.items, || {
        run_thread_phase(run, workload, workers)
    })?;
    say(format!(
        "thread pool phase: {:.3} s, speedup {:.2}x",
        threads_time.as_secs_f64(),
        speedup(sequential_time, threads_time)
    ));

    let processes = run_process_phase(run, workload, workers)?;
    say(format!(
        "process pool phase: {:.3} s, speedup {:.2}x",
        processes.time.as_secs_f64(),
        speedup(sequential_time, processes.time)
    ));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    say(format!(
        "on {cores} cores: in Rust threads and processes both use every core; \
         in Python only the process pool would beat the sequential loop (the GIL)"
    ));
    Ok(CompareReport {
        sequential,
        sequential_time,
        threads,
        threads_time,
        processes,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::chapter::progress::Screen;
    use runner::Interrupt;

    /// An overflowing workload is refused before any process starts.
    #[test]
    fn overflow_is_refused_up_front() {
        let workload = Workload {
            items: 3,
            iterations: u64::MAX / 2,
        };
        let run = Run::new(Screen::default(), Interrupt::new());
        let err = run_process_phase(&run, workload, 2).unwrap_err();
        assert!(err.to_string().contains("overflows u64"), "{err}");
        assert!(run.out.lines().is_empty());
    }

    /// The three phases agree, item by item; the process phase's items
    /// were computed by the pool's worker processes, not by this one.
    #[test]
    fn three_phases_agree() {
        let workload = Workload {
            items: 4,
            iterations: 1_000,
        };
        let run = Run::new(Screen::default(), Interrupt::new());
        let report = super::run(&run, workload, 2).unwrap();
        assert_eq!(report.sequential, report.threads);
        let processed: Vec<ItemResult> = report.processes.items.iter().map(|p| p.result).collect();
        assert_eq!(processed, report.sequential);
        for item in &report.processes.items {
            assert!(report.processes.worker_pids.contains(&item.pid), "{item:?}");
        }
        assert_eq!(
            run.tally.summary(),
            "sequential done (4 items); thread pool done (4 items); process pool done (4 items)"
        );
    }
}
