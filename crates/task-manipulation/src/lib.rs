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
//! clock and check exact virtual times. Lines are printed and kept by the
//! workspace's one output recorder, `runner::Recorder`.
//!
//! Ctrl-C (`runner::Interrupt`) cancels the part that is running (its drop
//! guards print), and the program ends with one line saying which parts
//! finished and which did not, exit status 130.

pub mod cancel;
pub mod create;
pub mod exceptions;
pub mod first_completed;
pub mod gather;
pub mod scheduler;
pub mod sequential;
pub mod timeouts;
pub mod work;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::ValueEnum;
use runner::Recorder;

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

impl Part {
    /// The parts `all` runs, in order.
    pub const EACH: [Part; 8] = [
        Part::Create,
        Part::Gather,
        Part::FirstCompleted,
        Part::Exceptions,
        Part::Cancel,
        Part::Timeout,
        Part::Sequential,
        Part::Scheduler,
    ];

    /// The name used on the command line (`first-completed`).
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default()
    }

    /// The part's title, printed as its banner.
    fn title(self) -> &'static str {
        match self {
            Part::All => "every part",
            Part::Create => "create_task and await",
            Part::Gather => "gather: results in argument order",
            Part::FirstCompleted => "wait(FIRST_COMPLETED)",
            Part::Exceptions => "exceptions: one task fails, the others finish",
            Part::Cancel => "cancel: abort and drop",
            Part::Timeout => "wait_for: timeouts",
            Part::Sequential => "sequential versus concurrent",
            Part::Scheduler => "a dependency scheduler",
        }
    }
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

/// How far a run got: which parts it runs, and how many have finished.
/// What the Ctrl-C summary line is made of. Clones share one count.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The parts of this run, in order; fixed at the start.
    parts: Arc<[Part]>,
    /// How many of them have finished. Written by [`run`] after each part,
    /// read by [`Progress::summary`] on the Ctrl-C handler's thread: an
    /// atomic, because nothing else is shared.
    finished: Arc<AtomicUsize>,
}

impl Progress {
    /// The progress of a run of `part` (`all`: every part), none finished.
    pub fn new(part: Part) -> Self {
        let parts: Vec<Part> = match part {
            Part::All => Part::EACH.to_vec(),
            one => vec![one],
        };
        Self {
            parts: parts.into(),
            finished: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// One line: the parts finished, the one stopped, the ones not started.
    pub fn summary(&self) -> String {
        let finished = self.finished.load(Ordering::SeqCst).min(self.parts.len());
        let names = |parts: &[Part]| {
            let names: Vec<String> = parts.iter().map(|part| part.name()).collect();
            names.join(", ")
        };
        let mut line = match finished {
            0 => "finished no part".to_owned(),
            _ => format!("finished {}", names(&self.parts[..finished])),
        };
        if let Some(stopped) = self.parts.get(finished) {
            line += &format!("; stopped {} (its tasks cancelled)", stopped.name());
            let rest = &self.parts[finished + 1..];
            if !rest.is_empty() {
                line += &format!("; not started: {}", names(rest));
            }
        }
        line
    }
}

/// Runs the part(s) that `progress` lists, printing through `log` as it
/// goes and counting each finished part in `progress`.
pub async fn run(config: &Config, log: &Recorder, progress: &Progress) -> Result<(), Error> {
    for &part in progress.parts.iter() {
        log.say("main", format!("===== {} =====", part.title()));
        run_part(part, config, log).await?;
        progress.finished.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

/// Runs one part; its report is for the tests, the output is what it printed.
async fn run_part(part: Part, config: &Config, log: &Recorder) -> Result<(), Error> {
    let pace = config.pace;
    match part {
        // `all` is never one of a run's parts: `Progress::new` expands it.
        Part::All => Ok(()),
        Part::Create => create::run(log, pace).await.map(drop),
        Part::Gather => gather::run(log, pace).await.map(drop),
        Part::FirstCompleted => first_completed::run(log, pace).await.map(drop),
        Part::Exceptions => exceptions::run(log, pace).await.map(drop),
        Part::Cancel => cancel::run(log, pace).await.map(drop),
        Part::Timeout => timeouts::run(log, pace).await.map(drop),
        Part::Sequential => sequential::run(log, pace).await.map(drop),
        Part::Scheduler => scheduler::run(&config.graph, log, pace).await.map(drop),
    }
}
