//! What crosses the network: a job, the event "a worker took it", and its
//! outcome, as JSON.
//!
//! In the process pool a task crossed a pipe to a child the pool had
//! started itself, from the same executable, so a compact binary format
//! (postcard) was safe: both ends were the same build. Here the two ends
//! are processes on different machines, started by different people at
//! different times, possibly from different builds; the broker in the
//! middle stores the bytes for as long as it takes. So the format is JSON:
//! every field named, readable with `nats sub 'pool.>'` or `nats stream
//! view`, and a worker that meets bytes it cannot read says so instead of
//! misreading them (see `worker.rs`, "malformed"). Python's Dask pickles
//! the function and its arguments for the same trip (`cloudpickle`), which
//! only works between identical Python environments.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A task's name, unique across every submitter: the submitter's batch and
/// the task's number in it, `1a2b3c-4242.7`. It is the key of the task's
/// result and the message id the stream de-duplicates on, which is what
/// makes retries safe (see `client.rs`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TaskId {
    /// The submitter's batch (one per `Client`).
    pub batch: String,
    /// The task's number in the batch, from 1, in submission order.
    pub number: u64,
}

impl TaskId {
    /// The key of this task's result in the results bucket (and its
    /// message id on the jobs stream): `BATCH.NUMBER`.
    pub fn key(&self) -> String {
        format!("{}.{}", self.batch, self.number)
    }
}

/// One job on the work queue: Python's `client.submit(evaluate, item)`,
/// as data (a function cannot cross a network: what crosses is which
/// function, by the worker's own code, and its argument).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// Which task this is.
    pub task: TaskId,
    /// The item to evaluate (`common::evaluate_item(item, iterations)`).
    pub item: u64,
    /// The count loop's size.
    pub iterations: u64,
}

/// Who ran a task: a process on a machine.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WorkerId {
    /// The worker's process id (on its own machine).
    pub pid: u32,
    /// The machine's host name.
    pub host: String,
}

impl WorkerId {
    /// This process, on this machine.
    pub fn this_process() -> Self {
        let host = nix::unistd::gethostname()
            .ok()
            .and_then(|name| name.into_string().ok())
            .unwrap_or_else(|| "unknown-host".to_owned());
        Self {
            pid: std::process::id(),
            host,
        }
    }
}

impl fmt::Display for WorkerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pid {}@{}", self.pid, self.host)
    }
}

/// What a worker tells the submitter of a task as it goes, published
/// (fire and forget, core NATS) on `pool.events.BATCH`: the submitter
/// prints them and draws the timeline from them. Losing one loses a line
/// or a bar, never a result (results are saved in the bucket).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The task.
    pub task: TaskId,
    /// Its item.
    pub item: u64,
    /// Who took or ran it.
    pub worker: WorkerId,
    /// Which delivery of the message this is: 1 the first, 2 after one
    /// worker failed to acknowledge it in time, ...
    pub delivery: u64,
    /// What happened (the JSON's `"event"` field).
    #[serde(flatten)]
    pub what: Happened,
}

/// What an [`Event`] says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Happened {
    /// A worker took the task's job.
    Started,
    /// A worker finished running it.
    Finished {
        /// Whether this run's result was the one saved (`false`: an
        /// earlier run had saved it already).
        kept: bool,
    },
}

/// How a task failed on the worker's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Failure {
    /// The workload refused (for example `count` would overflow a `u64`).
    #[error("{0}")]
    Failed(String),
    /// The worker's code panicked on this task; the worker caught it and
    /// went on with the next one.
    #[error("panicked: {0}")]
    Panicked(String),
}

/// What a worker stores as a task's result, under the task's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The task.
    pub task: TaskId,
    /// Its item.
    pub item: u64,
    /// Who ran it (the run whose result was kept, if it ran twice).
    pub worker: WorkerId,
    /// Which delivery of the job this run was.
    pub delivery: u64,
    /// `count(item, iterations)`, or how it failed.
    pub result: Result<u64, Failure>,
    /// How long the work itself took, in microseconds.
    pub micros: u64,
}
