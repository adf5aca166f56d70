//! Part 3, the pooling comparison (seeds 003 and 004).
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

use crate::executor::{ExecutorError, TaskError, ThreadPoolExecutor};
use common::cli::MAX_WORKERS;
use common::clock::{Clock, speedup, timed};
use common::{ItemResult, WorkloadError, evaluate_item};
use std::time::Duration;

/// What to run: items `1..=items`, each counting `iterations` times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// How many items (the chapter: 10).
    pub items: u64,
    /// The count loop's size (the chapter: 10,000,000).
    pub iterations: u64,
}

impl Workload {
    /// The chapter's workload: 10 items of 10,000,000 iterations.
    pub const CHAPTER: Workload = Workload {
        items: 10,
        iterations: 10_000_000,
    };

    /// Checks, before any counting starts, that the largest item's result
    /// fits in a `u64`, so an overflow is reported at once instead of after
    /// the earlier items have run.
    pub fn check(&self) -> Result<(), WorkloadError> {
        match self.items.checked_mul(self.iterations) {
            Some(_) => Ok(()),
            None => Err(WorkloadError::Overflow {
                expression: format!("count({}, iterations = {})", self.items, self.iterations),
                ty: "u64",
                limit: format!("items * iterations <= {}", u64::MAX),
            }),
        }
    }
}

/// The pooling workload's flags, shared by the `thread-pool` and
/// `process-pool` chapters so that both accept the same values with the
/// same messages (`#[command(flatten)]` in each `main.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct WorkloadArgs {
    /// Workers in the comparison's pool (threads; in process-pool, processes too).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=MAX_WORKERS))]
    pub workers: u64,

    /// Items 1..=ITEMS in the comparison.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub items: u64,

    /// Iterations of the count loop per item (the chapter's size is 10,000,000).
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(0..=10_000_000_000))]
    pub iterations: u64,
}

impl WorkloadArgs {
    /// The workload these flags describe.
    pub fn workload(&self) -> Workload {
        Workload {
            items: self.items,
            iterations: self.iterations,
        }
    }

    /// `--workers` as a `usize` (at most [`MAX_WORKERS`]).
    pub fn workers(&self) -> usize {
        usize::try_from(self.workers).expect("--workers is at most MAX_WORKERS")
    }
}

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
    /// An item failed on the pool.
    #[error(transparent)]
    Task(#[from] TaskError<WorkloadError>),
}

/// Sequential phase: Python's `for item in number_list: evaluate_item(item)`.
pub fn run_sequential(clock: Clock, workload: Workload) -> Result<Vec<ItemResult>, WorkloadError> {
    (1..=workload.items)
        .map(|item| {
            let result = evaluate_item(item, workload.iterations)?;
            clock.say_here(result);
            Ok(result)
        })
        .collect()
}

/// Pooled phase: Python's
/// `with ThreadPoolExecutor(max_workers=5) as executor: executor.submit(evaluate_item, item)`.
///
/// Each worker prints its item's line as soon as it has it, so the lines
/// come in completion order, labelled with the worker that computed them;
/// the returned results are in item order.
pub fn run_pooled(
    clock: Clock,
    workload: Workload,
    workers: usize,
) -> Result<Vec<ItemResult>, CompareError> {
    let pool = ThreadPoolExecutor::new(workers)?;
    let iterations = workload.iterations;
    let handles: Vec<_> = (1..=workload.items)
        .map(|item| {
            pool.submit(move || {
                let result = evaluate_item(item, iterations)?;
                clock.say_here(result);
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
pub fn run(
    clock: Clock,
    workload: Workload,
    workers: usize,
) -> Result<CompareReport, CompareError> {
    workload.check()?;
    clock.say_here(format!(
        "sequential: items 1..={} with count({} iterations)",
        workload.items, workload.iterations
    ));
    let (sequential, sequential_time) = timed(|| run_sequential(clock, workload));
    let sequential = sequential?;
    clock.say_here(format!(
        "sequential phase: {:.3} s",
        sequential_time.as_secs_f64()
    ));

    clock.say_here(format!("thread pool: {workers} workers"));
    let (pooled, pooled_time) = timed(|| run_pooled(clock, workload, workers));
    let pooled = pooled?;
    let report = CompareReport {
        sequential,
        pooled,
        sequential_time,
        pooled_time,
        workers,
    };
    clock.say_here(format!(
        "thread pool phase: {:.3} s; speedup {:.2}x with {} workers on {} cores",
        pooled_time.as_secs_f64(),
        report.speedup(),
        workers,
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    clock.say_here(
        "why: Rust threads run the loop on every core at once; in Python the GIL \
         lets one thread at a time run bytecode, so the same pool gives no speedup there",
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Both phases give the same, correct results in item order.
    #[test]
    fn both_phases_agree() {
        let workload = Workload {
            items: 6,
            iterations: 1_000,
        };
        let report = run(Clock::start(), workload, 3).unwrap();
        let expected: Vec<_> = (1..=6)
            .map(|item| ItemResult {
                item,
                result: item * 1_000,
            })
            .collect();
        assert_eq!(report.sequential, expected);
        assert_eq!(report.pooled, expected);
        assert_eq!(report.workers, 3);
    }

    /// An overflowing workload is refused before any item runs, naming
    /// the limit: no wrapped number, no long count first.
    #[test]
    fn overflow_is_refused_up_front() {
        let workload = Workload {
            items: 3,
            iterations: u64::MAX / 2,
        };
        let err = run(Clock::start(), workload, 2).unwrap_err();
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
}
