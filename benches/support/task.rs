//! What the benchmarks send to process-pool workers: the chapter's two
//! workloads, as a task type of their own. A process pool sends data, not
//! functions (see the process-pool chapter's `task.rs`): Python's
//! `executor.submit(cube, i)` is `pool.submit(BenchTask::Cube(i))` here.

use crate::BenchError;
use serde::{Deserialize, Serialize};

/// A job for the benchmarks' process-pool workers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BenchTask {
    /// Python's `cube(x)`, the per-task figures' trivial task.
    Cube(i64),
    /// Python's `evaluate(item)`, the CPU-bound figures' count loop.
    Evaluate {
        /// Which item (1..=10 in the chapter).
        item: u64,
        /// Loop length (10,000,000 in the chapter).
        iterations: u64,
    },
}

/// What a [`BenchTask`] gives back, tagged with the job it answers (so a
/// mixed-up reply is an error rather than a wrong sum).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BenchOutput {
    /// `cube(x)`.
    Cube(i64),
    /// `count(item, iterations)`.
    Count(u64),
}

impl process_pool::Task for BenchTask {
    type Output = BenchOutput;
    /// The workload's error as text (a worker only has to say what went
    /// wrong, and `common::WorkloadError` is not serializable).
    type Error = String;

    fn run(self) -> Result<BenchOutput, String> {
        match self {
            BenchTask::Cube(x) => common::cube(x).map(BenchOutput::Cube),
            BenchTask::Evaluate { item, iterations } => {
                common::evaluate_item(item, iterations).map(|r| BenchOutput::Count(r.result))
            }
        }
        .map_err(|e| e.to_string())
    }
}

impl BenchOutput {
    /// The cube, or an error if this answers another job.
    pub fn cube(self) -> Result<i64, BenchError> {
        match self {
            BenchOutput::Cube(c) => Ok(c),
            other => Err(BenchError::WrongResult(format!("not a cube: {other:?}"))),
        }
    }

    /// The count, or an error if this answers another job.
    pub fn count(self) -> Result<u64, BenchError> {
        match self {
            BenchOutput::Count(n) => Ok(n),
            other => Err(BenchError::WrongResult(format!("not a count: {other:?}"))),
        }
    }
}
