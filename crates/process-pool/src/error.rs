//! What a task gives back when it gives no value: [`TaskError`], Python's
//! exceptions from `future.result()`, one variant per way a task can fail
//! in a process pool.

use std::time::Duration;

use crate::task::Task;

/// What one task gives back: its value, or why there is none.
pub type Outcome<T> = Result<<T as Task>::Output, TaskError<<T as Task>::Error>>;

/// Why a task produced no value.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TaskError<E> {
    /// The task ran and returned `Err` (Python: it raised an exception).
    #[error("task failed: {0}")]
    Failed(E),
    /// The task panicked; the worker caught it and carries on.
    #[error("task panicked: {0}")]
    Panicked(String),
    /// The worker process died while it held the task (it aborted, was
    /// killed, or exited); the cause names the signal or the exit code.
    #[error("worker process {pid} died while running the task: {cause}")]
    WorkerDied {
        /// The dead worker's process id.
        pid: u32,
        /// What ended it, e.g. `killed by signal SIGKILL`.
        cause: String,
    },
    /// Cancelled before a worker started it (by `cancel`, by
    /// `shutdown(cancel_futures)`, or because the pool was stopped).
    #[error("task was cancelled before it ran")]
    Cancelled,
    /// A wait with a timeout gave up (`result_timeout`, or the iterators of
    /// `map` and `as_completed` given a timeout): the task goes on, and a
    /// handle can be asked again.
    #[error("no result within {:.3} s", .0.as_secs_f64())]
    Timeout(Duration),
    /// The result was already taken out of this handle by an earlier
    /// `result_timeout` or `.await`.
    #[error("the result was already taken from this handle")]
    AlreadyTaken,
    /// The pool cannot run tasks any more (its initializer failed, or
    /// workers cannot be started).
    #[error("the process pool is broken: {0}")]
    Broken(String),
    /// The task or its result could not cross the process boundary (too
    /// large for a frame, or undecodable).
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// The pool's own failures, which never carry a task's error value and so
/// can be copied onto every item of a chunk.
#[derive(Debug, Clone)]
pub(crate) enum Fault {
    WorkerDied { pid: u32, cause: String },
    Broken(String),
    Protocol(String),
}

impl<E> From<Fault> for TaskError<E> {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::WorkerDied { pid, cause } => TaskError::WorkerDied { pid, cause },
            Fault::Broken(m) => TaskError::Broken(m),
            Fault::Protocol(m) => TaskError::Protocol(m),
        }
    }
}
