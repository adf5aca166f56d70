//! Part 3, the pooling comparison of `concurrent_futures_pooling.py`.
//!
//! Items 1..=10 go through `evaluate_item` (the CPU-bound `count` loop),
//! first one after another, then on a pool of `--workers` threads, and the
//! two phases are timed.
//!
//! In Python the pooled phase is *not* faster: CPython's global interpreter
//! lock (the GIL) lets only one thread run Python bytecode at a time, so
//! threads take turns on the loop. Rust has no GIL: each worker runs its
//! items on its own core, so with 2 cores the pooled phase takes about half
//! the time. More workers than cores do not help further; they only take
//! turns on the same cores.
//!
//! Ctrl-C stops between items: the sequential loop checks the flag after
//! each item, and the pool's stop action cancels the items no worker has
//! started. An item already counting finishes its loop (a thread cannot be
//! stopped from outside); when that takes too long, the Ctrl-C policy's
//! grace period ends the process with the same summary.

use common::clock::speedup;
use common::workloads::Workload;
use common::{ItemResult, WorkloadError, evaluate_item};
use runner::{Interrupt, Interrupted, Recorder, Tally};
use std::time::Duration;
use thread_pool::{ExecutorError, TaskError, ThreadPoolExecutor};

/// The phases, as the Ctrl-C summary names them.
pub const PHASES: [&str; 2] = [SEQUENTIAL, POOLED];
const SEQUENTIAL: &str = "sequential";
const POOLED: &str = "thread pool";

/// The two phases' results and times.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareReport {
    /// Results of the sequential phase, in item order.
    pub sequential: Vec<ItemResult>,
    /// Results of the pooled phase, in item order.
    pub pooled: Vec<ItemResult>,
    /// Time of the sequential phase.
    pub sequential_time: Duration,
    /// Time of the pooled phase.
    pub pooled_time: Duration,
    /// The number of worker threads used.
    pub workers: usize,
}

impl CompareReport {
    /// Sequential time over pooled time.
    pub fn speedup(&self) -> f64 {
        speedup(self.sequential_time, self.pooled_time)
    }
}

/// A failure in this part.
#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    /// The pool could not start.
    #[error(transparent)]
    Executor(#[from] ExecutorError),
    /// An item's count overflowed (only with huge `--items` × `--iterations`).
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// An item failed on the pool, or was cancelled by Ctrl-C.
    #[error(transparent)]
    Task(#[from] TaskError<WorkloadError>),
    /// Ctrl-C, between two items of the sequential phase.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

/// What every phase of a run shares (clones share the same three): where
/// lines go, the Ctrl-C flag, and the tally the Ctrl-C summary is made of.
#[derive(Debug, Clone)]
pub struct Run {
    /// Prints and keeps the labelled lines.
    pub out: Recorder,
    /// Raised by Ctrl-C.
    pub interrupt: Interrupt,
    /// Counts finished items for the Ctrl-C summary.
    pub tally: Tally,
}

/// Sequential phase: Python's `for item in number_list: evaluate_item(item)`.
pub fn run_sequential(run: &Run, workload: Workload) -> Result<Vec<ItemResult>, CompareError> {
    workload.run_sequential(|result| {
        run.out.say_here(result);
        run.tally.item_done();
        Ok(run.interrupt.check()?)
    })
}

/// Pooled phase: Python's
/// `with ThreadPoolExecutor(max_workers=5) as executor: executor.submit(evaluate_item, item)`.
///
/// Each worker prints its item's line as soon as it has it, so the lines
/// come in completion order, labelled with the worker that computed them;
/// the returned results are in item order.
pub fn run_pooled(
    run: &Run,
    workload: Workload,
    workers: usize,
) -> Result<Vec<ItemResult>, CompareError> {
    let pool = ThreadPoolExecutor::new(workers)?;
    // Ctrl-C stops the pool (kept registered while the pool runs): the
    // items still queued come back as `TaskError::Cancelled`.
    let stopper = pool.stopper();
    let _stop_on_ctrl_c = run.interrupt.on_interrupt(move || stopper.stop());
    let iterations = workload.iterations;
    let handles: Vec<_> = workload
        .numbers()
        .map(|item| {
            let (out, tally) = (run.out.clone(), run.tally.clone());
            pool.submit(move || {
                let result = evaluate_item(item, iterations)?;
                out.say_here(result);
                tally.item_done();
                Ok(result)
            })
        })
        .collect();
    let results = handles
        .into_iter()
        .map(|handle| handle.result())
        .collect::<Result<Vec<_>, _>>()?;
    pool.shutdown();
    Ok(results)
}

/// Runs part 3: both phases, timed, with the speedup and the why.
pub fn run(run: &Run, workload: Workload, workers: usize) -> Result<CompareReport, CompareError> {
    let out = &run.out;
    workload.check()?;
    out.say_here(format!(
        "sequential: items 1..={} with count({} iterations)",
        workload.items, workload.iterations
    ));
    let (sequential, sequential_time) = run
        .tally
        .phase(SEQUENTIAL, workload.items, || run_sequential(run, workload))?;
    out.say_here(format!(
        "sequential phase: {:.3} s",
        sequential_time.as_secs_f64()
    ));

    out.say_here(format!("thread pool: {workers} workers"));
    let (pooled, pooled_time) = run.tally.phase(POOLED, workload.items, || {
        run_pooled(run, workload, workers)
    })?;
    let report = CompareReport {
        sequential,
        pooled,
        sequential_time,
        pooled_time,
        workers,
    };
    out.say_here(format!(
        "thread pool phase: {:.3} s; speedup {:.2}x with {} workers on {} cores",
        pooled_time.as_secs_f64(),
        report.speedup(),
        workers,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    out.say_here(
        "why: Rust threads run the loop on every core at once; in Python the GIL \
         lets one thread at a time run bytecode, so the same pool gives no speedup there",
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A run that prints through `printer` (nothing, by default).
    fn run_printing(printer: impl Fn(&str) + Send + Sync + 'static) -> Run {
        Run {
            out: Recorder::with_printer(printer),
            interrupt: Interrupt::new(),
            tally: Tally::new(),
        }
    }

    /// Both phases give the same, correct results in item order.
    #[test]
    fn both_phases_agree() {
        let workload = Workload {
            items: 6,
            iterations: 1_000,
        };
        let run = run_printing(|_| ());
        let report = super::run(&run, workload, 3).unwrap();
        let expected: Vec<_> = (1..=6)
            .map(|item| ItemResult {
                item,
                result: item * 1_000,
            })
            .collect();
        assert_eq!(report.sequential, expected);
        assert_eq!(report.pooled, expected);
        assert_eq!(report.workers, 3);
        assert_eq!(
            run.tally.summary(),
            "sequential done (6 items); thread pool done (6 items)"
        );
    }

    /// An overflowing workload is refused before any item runs, naming
    /// the limit: no wrapped number, no long count first.
    #[test]
    fn overflow_is_refused_up_front() {
        let workload = Workload {
            items: 3,
            iterations: u64::MAX / 2,
        };
        let err = super::run(&run_printing(|_| ()), workload, 2).unwrap_err();
        assert!(err.to_string().contains("overflows u64"), "{err}");
    }

    /// On the pool, a failing item is that item's error.
    #[test]
    fn a_failing_item_is_its_own_error() {
        let pool = ThreadPoolExecutor::new(2).unwrap();
        let handle = pool.submit(|| evaluate_item(u64::MAX, 2));
        assert!(matches!(
            handle.result(),
            Err(TaskError::Failed(WorkloadError::Overflow { .. }))
        ));
    }

    /// Ctrl-C (raised here as item 2's line is printed) stops the
    /// sequential phase after that item; in the pooled phase every item
    /// not started is cancelled without running (here all of them).
    #[test]
    fn ctrl_c_stops_each_phase_between_items() {
        let workload = Workload {
            items: 5,
            iterations: 10,
        };
        let interrupt = Interrupt::new();
        let raiser = interrupt.clone();
        let run = Run {
            interrupt,
            ..run_printing(move |line| {
                if line.contains("Item 2,") {
                    raiser.raise();
                }
            })
        };
        run.tally.start(SEQUENTIAL, workload.items);
        let stopped = run_sequential(&run, workload);
        assert!(
            matches!(stopped, Err(CompareError::Interrupted(_))),
            "{stopped:?}"
        );
        assert_eq!(run.out.lines().len(), 2, "no item after the second");
        assert_eq!(run.tally.summary(), "sequential cut after 2 of 5 items");
        let pooled = run_pooled(&run, workload, 2);
        assert!(
            matches!(pooled, Err(CompareError::Task(TaskError::Cancelled))),
            "{pooled:?}"
        );
        assert_eq!(run.out.lines().len(), 2, "no pooled item ran");
    }
}
