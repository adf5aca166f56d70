//! # task-manipulation: what you can do with tasks once you have them
//!
//! The Rust counterpart of the chapter's `manipulating_task.py`: creating
//! tasks and awaiting them, gathering results, waiting for the first one,
//! surviving a failing (or panicking) task, cancelling, timeouts, running
//! sequentially versus concurrently, and a small dependency scheduler. Each
//! technique is one module and one `--part` of the program:
//!
//! | `--part`          | module              | Python                                   |
//! |-------------------|---------------------|------------------------------------------|
//! | `create`          | [`create`]          | `create_task`, `await task`, `done()`    |
//! | `gather`          | [`gather`]          | `gather` (argument order)                |
//! | `first-completed` | [`first_completed`] | `wait(..., return_when=FIRST_COMPLETED)` |
//! | `exceptions`      | [`exceptions`]      | `gather(..., return_exceptions=True)`    |
//! | `cancel`          | [`cancel`]          | `task.cancel()`, `CancelledError`        |
//! | `timeout`         | [`timeouts`]        | `wait_for`, `TimeoutError`               |
//! | `sequential`      | [`sequential`]      | `await` one by one vs `gather`           |
//! | `scheduler`       | [`scheduler`]       | tasks in dependency order                |
//!
//! Run it (all parts, ten times faster than real time):
//!
//! ```text
//! cargo run -p task-manipulation -- --speed 10
//! cargo run -p task-manipulation -- --part cancel
//! cargo run -p task-manipulation -- --part scheduler --task a=1 --task b=2:a --task c=1:a
//! ```
//!
//! What to look for: every line starts with the elapsed time and who
//! printed it. Tasks that run together start on the same timestamp;
//! `gather` returns results in argument order although they finish in
//! another; a cancelled task's "Drop guard" line appears at the exact
//! moment of the cancellation; `sequential` takes the sum of the times and
//! `concurrent` the longest one.
//!
//! The jobs are simulated I/O (a tokio sleep) followed by a real
//! computation (`common::cube`), so the tests run under tokio's paused
//! clock and check exact virtual times.

pub mod cancel;
pub mod create;
pub mod exceptions;
pub mod first_completed;
pub mod gather;
pub mod log;
pub mod scheduler;
pub mod sequential;
pub mod timeouts;
pub mod work;

use std::sync::Arc;

pub use log::{Line, Log};
pub use scheduler::{Graph, GraphError, TaskSpec};
pub use work::Pace;

/// What can go wrong while a part runs. The demo's own failures (a failing
/// job, a panicking task) are *expected* and reported as results; these
/// are the unexpected ones.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A job's computation failed where it should not have.
    #[error("a job failed: {0}")]
    Workload(#[from] common::WorkloadError),
    /// A task panicked or was cancelled where it should not have been.
    #[error("a task ended abnormally: {0}")]
    Join(#[from] tokio::task::JoinError),
    /// `join_next` found no task where one was expected.
    #[error("the JoinSet was empty")]
    EmptySet,
    /// Something the demo relies on did not happen (e.g. a timeout did not
    /// fire): the message says what.
    #[error("unexpected: {0}")]
    Unexpected(&'static str),
}

/// The sections of the program, for `--part`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// Every part below, in order.
    All,
    /// create_task and await: tokio::spawn and the JoinHandle.
    Create,
    /// gather: join!, join_all and JoinSet (results in argument order).
    Gather,
    /// wait(FIRST_COMPLETED): select! and JoinSet::join_next.
    FirstCompleted,
    /// One task fails, one panics, the others finish.
    Exceptions,
    /// task.cancel(): abort, cancellation by drop, the Drop guard.
    Cancel,
    /// wait_for: tokio::time::timeout cancels what timed out.
    Timeout,
    /// The same three jobs one after another, then together.
    Sequential,
    /// A dependency scheduler (refuses cycles).
    Scheduler,
}

/// Everything the program needs to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Which part to run.
    pub part: Part,
    /// How fast.
    pub pace: Pace,
    /// The scheduler's graph, already checked.
    pub graph: Graph,
}

/// Runs the chosen part(s), printing as it goes.
pub async fn run(config: &Config) -> Result<(), Error> {
    let log = Arc::new(Log::new());
    let pace = config.pace;
    let wants = |p: Part| config.part == Part::All || config.part == p;
    if wants(Part::Create) {
        banner(&log, "create_task and await");
        create::run(&log, pace).await?;
    }
    if wants(Part::Gather) {
        banner(&log, "gather: results in argument order");
        gather::run(&log, pace).await?;
    }
    if wants(Part::FirstCompleted) {
        banner(&log, "wait(FIRST_COMPLETED)");
        first_completed::run(&log, pace).await?;
    }
    if wants(Part::Exceptions) {
        banner(&log, "exceptions: one task fails, the others finish");
        exceptions::run(&log, pace).await?;
    }
    if wants(Part::Cancel) {
        banner(&log, "cancel: abort and drop");
        cancel::run(&log, pace).await?;
    }
    if wants(Part::Timeout) {
        banner(&log, "wait_for: timeouts");
        timeouts::run(&log, pace).await?;
    }
    if wants(Part::Sequential) {
        banner(&log, "sequential versus concurrent");
        sequential::run(&log, pace).await?;
    }
    if wants(Part::Scheduler) {
        banner(&log, "a dependency scheduler");
        scheduler::run(&config.graph, &log, pace).await?;
    }
    Ok(())
}

/// Prints a part's title.
fn banner(log: &Log, title: &str) {
    log.say("main", format!("===== {title} ====="));
}
