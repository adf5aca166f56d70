//! The chapter's tasks: everything its workers know how to do.
//!
//! One enum, one variant per job: the Rust counterpart of Python's
//! "function plus pickled arguments" (the library's `task.rs`).

use process_pool::{Task, TaskError};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A job for the chapter's workers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChapterTask {
    /// Python's `evaluate(item)` (item 1..=10, a loop of `iterations`,
    /// 10,000,000 in the chapter), returning its result to the parent,
    /// which prints it labelled with the worker's pid
    /// ([`common::evaluate_item`]).
    Evaluate { item: u64, iterations: u64 },
    /// Python's `evaluate(item)` exactly: counts, and prints `Item <item>,
    /// result <result>` itself, in the worker ([`crate::port::evaluate`]).
    PrintEvaluate { item: u64, iterations: u64 },
    /// Python's `cube(x)` ([`common::cube`]); fails for |x| > 2,097,151.
    Cube(i64),
    /// Sleeps `millis` ms, standing for a long task; returns the worker's pid.
    Sleep { millis: u64 },
    /// Panics with this message.
    Panic(String),
    /// Aborts the worker process (SIGABRT), as a crash in native code would.
    Abort,
    /// Never returns, as a task stuck on a lock or a network call would.
    Forever,
    /// The initializer: counts how often this worker was initialized.
    Initialize,
    /// Reports the worker's pid and how often it was initialized.
    WhoAmI,
}

/// What the chapter's tasks return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskOutput {
    /// `Item <item>, result <result>` (`count(item, iterations)`).
    Item { item: u64, result: u64 },
    /// A plain number (a cube).
    Number(i64),
    /// The worker that ran the task, and how many times its initializer
    /// ([`ChapterTask::Initialize`]) ran there.
    Worker { pid: u32, initialized: u64 },
    /// Nothing to report.
    Unit,
}

/// How many times [`ChapterTask::Initialize`] ran in this process. A
/// process-wide static: each worker has its own copy, which is the point
/// (Python: a module global set by the `initializer`).
static INITIALIZED: AtomicU64 = AtomicU64::new(0);

impl Task for ChapterTask {
    type Output = TaskOutput;
    type Error = String;

    fn run(self) -> Result<TaskOutput, String> {
        match self {
            ChapterTask::Evaluate { item, iterations } => common::evaluate_item(item, iterations)
                .map(|r| TaskOutput::Item {
                    item: r.item,
                    result: r.result,
                })
                .map_err(|e| e.to_string()),
            ChapterTask::PrintEvaluate { item, iterations } => {
                crate::port::evaluate(item, iterations)
                    .map(|()| TaskOutput::Unit)
                    .map_err(|e| e.to_string())
            }
            ChapterTask::Cube(x) => common::cube(x)
                .map(TaskOutput::Number)
                .map_err(|e| e.to_string()),
            ChapterTask::Sleep { millis } => {
                std::thread::sleep(Duration::from_millis(millis));
                Ok(worker_info())
            }
            ChapterTask::Panic(message) => panic!("{message}"),
            ChapterTask::Abort => std::process::abort(),
            ChapterTask::Forever => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
            ChapterTask::Initialize => {
                INITIALIZED.fetch_add(1, Ordering::SeqCst);
                Ok(TaskOutput::Unit)
            }
            ChapterTask::WhoAmI => Ok(worker_info()),
        }
    }
}

fn worker_info() -> TaskOutput {
    TaskOutput::Worker {
        pid: std::process::id(),
        initialized: INITIALIZED.load(Ordering::SeqCst),
    }
}

/// What a reader sees of an output: a sentence, never Rust's debug form.
impl fmt::Display for TaskOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskOutput::Item { item, result } => write!(f, "Item {item}, result {result}"),
            TaskOutput::Number(n) => write!(f, "{n}"),
            TaskOutput::Worker { pid, initialized } => {
                let times = match initialized {
                    1 => "once".to_owned(),
                    n => format!("{n} times"),
                };
                write!(f, "pid {pid} (its initializer ran {times})")
            }
            TaskOutput::Unit => write!(f, "done, nothing to return"),
        }
    }
}

/// An outcome as a sentence: `returned 27`, `task panicked: ...`,
/// `task was cancelled before it ran` (each error's own sentence).
pub fn describe(outcome: &Result<TaskOutput, TaskError<String>>) -> String {
    match outcome {
        Ok(output) => format!("returned {output}"),
        Err(error) => error.to_string(),
    }
}

// This test binary is the workers' executable too (see the library's
// `worker.rs`): the chapter's unit tests start pools of these tasks.
#[cfg(test)]
process_pool::worker_test_hook!(ChapterTask);
