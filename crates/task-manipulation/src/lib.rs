//! # task-manipulation: what you can do with tasks once you have them
//!
//! The Rust counterpart of the chapter's `manipulating_task.py` (in
//! `python/`): create, gather, first-completed, exceptions, cancel,
//! timeouts, sequential versus concurrent, a dependency scheduler, and
//! four pitfalls. Its direct port is [`port`]; each `--part` ([`Part`])
//! runs the port of a Python part, then what Rust adds beyond it.
//!
//! ```text
//! cargo run -p task-manipulation -- --speed 10
//! cargo run -p task-manipulation -- --clock virtual
//! cargo run -p task-manipulation -- --part cancel
//! cargo run -p task-manipulation -- --part pitfalls --speed 4
//! cargo run -p task-manipulation -- --part scheduler --task a=1 --task b=2:a --task c=1:a
//! ```
//!
//! What to look for: tasks that run together start on the same timestamp;
//! `gather` returns results in argument order although they finish in
//! another; a cancelled task's "Drop guard" line appears at the exact
//! moment of the cancellation; `sequential` takes the sum of the times and
//! `concurrent` the longest one. The jobs are a tokio sleep (simulated I/O)
//! then `common::cube`, so the tests run on tokio's paused clock with exact
//! times. Ctrl-C cancels the running part and prints which parts finished.

pub mod cancel;
pub mod exceptions;
pub mod first_completed;
pub mod gather;
pub mod pitfalls;
pub mod port;
pub mod scheduler;
pub mod timeout;
pub mod work;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use clap::ValueEnum;
use runner::{Recorder, SpanKind};
use tokio_util::sync::CancellationToken;

pub use scheduler::{Graph, GraphError, TaskSpec};
pub use work::Pace;

/// What can go wrong while a part runs: the unexpected failures (the demo's
/// failing job and panicking task are expected, and reported as results).
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
    /// Ctrl-C stopped work that the part waits for.
    #[error("interrupted by Ctrl-C")]
    Interrupted,
    /// Something the demo relies on did not happen (a timeout did not fire).
    #[error("unexpected: {0}")]
    Unexpected(&'static str),
}

/// The sections of the program, for `--part`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The Python program's parts below, in order (not the pitfalls).
    All,
    /// create_task and await: tokio::spawn and the JoinHandle.
    Create,
    /// gather and as_completed: join_all, join! and JoinSet.
    Gather,
    /// wait(FIRST_COMPLETED): JoinSet::join_next, and select!.
    FirstCompleted,
    /// One task fails, one panics, the others finish.
    Exceptions,
    /// task.cancel(): abort, and cancelling a future by dropping it.
    Cancel,
    /// wait_for: tokio::time::timeout cancels what timed out.
    Timeout,
    /// The same three jobs one after another, then together.
    Sequential,
    /// A dependency scheduler (refuses cycles).
    Scheduler,
    /// The four pitfalls below, in order.
    Pitfalls,
    /// Pitfall: abort() does not stop spawn_blocking work; a token does.
    CancelBlocking,
    /// Pitfall: a select! loop that drops a half-finished read loses data.
    CancelSafety,
    /// Pitfall: select! picks a ready branch at random; biased; starves.
    SelectFairness,
    /// Pitfall: std::sync::Mutex or tokio::sync::Mutex, and a deadlock.
    Mutex,
}

impl Part {
    /// The parts `all` runs, in order: the Python program's.
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

    /// The parts `pitfalls` runs, in order.
    pub const PITFALLS: [Part; 4] = [
        Part::CancelBlocking,
        Part::CancelSafety,
        Part::SelectFairness,
        Part::Mutex,
    ];

    /// The name on the command line (`first-completed`).
    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|value| value.get_name().to_owned())
            .unwrap_or_default()
    }

    /// The parts a run of `self` runs, in order.
    pub fn parts(self) -> Vec<Part> {
        match self {
            Part::All => Part::EACH.to_vec(),
            Part::Pitfalls => Part::PITFALLS.to_vec(),
            one => vec![one],
        }
    }

    /// Whether the part blocks a thread on purpose: tokio's paused clock
    /// stands still while a thread blocks, so these need the real clock.
    pub fn blocks_a_thread(self) -> bool {
        self.parts()
            .iter()
            .any(|part| matches!(part, Part::CancelBlocking | Part::Mutex))
    }

    /// The part's title, printed as its banner.
    fn title(self) -> &'static str {
        match self {
            Part::All => "every part",
            Part::Pitfalls => "the pitfalls",
            Part::Create => "create_task and await",
            Part::Gather => "gather: results in argument order",
            Part::FirstCompleted => "wait(FIRST_COMPLETED)",
            Part::Exceptions => "exceptions: one task fails, the others finish",
            Part::Cancel => "cancel: abort and drop",
            Part::Timeout => "wait_for: timeouts",
            Part::Sequential => "sequential versus concurrent",
            Part::Scheduler => "a dependency scheduler",
            Part::CancelBlocking => "pitfall: abort() does not stop spawn_blocking",
            Part::CancelSafety => "pitfall: a select! loop that loses data",
            Part::SelectFairness => "pitfall: select! picks at random; biased; starves",
            Part::Mutex => "pitfall: std::sync::Mutex or tokio::sync::Mutex",
        }
    }
}

/// Which clock the run's times come from (`--clock`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Clock {
    /// Real time (the default), on tokio's multi-thread runtime.
    #[default]
    Real,
    /// tokio's paused clock, on its current-thread runtime: it jumps to the
    /// next timer whenever every task waits, so every time is exact.
    Virtual,
}

impl Clock {
    /// The runtime a run on this clock goes on.
    pub fn runtime(self) -> std::io::Result<tokio::runtime::Runtime> {
        match self {
            Clock::Real => tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build(),
            // `start_paused` is tokio's test clock: it needs tokio's
            // `test-util` feature, enabled in this crate's normal
            // dependencies for this one flag (see Cargo.toml).
            Clock::Virtual => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build(),
        }
    }

    /// Whether `part` can run on this clock; `Err` is the usage error.
    pub fn check(self, part: Part) -> Result<(), String> {
        if self == Clock::Virtual && part.blocks_a_thread() {
            return Err(format!(
                "--part {} blocks a thread, and tokio's paused clock stands still while a \
                 thread blocks: run it with --clock real",
                part.name()
            ));
        }
        Ok(())
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
    /// Cancelled on Ctrl-C (`Interrupt::token`): what blocking work checks
    /// between its steps, since nothing else can stop it.
    pub interrupted: CancellationToken,
}

impl Config {
    /// `part` at `pace`, the example graph, never interrupted (for tests).
    pub fn new(part: Part, pace: Pace) -> Self {
        Self {
            part,
            pace,
            graph: Graph::new(scheduler::example()).expect("the example graph is well formed"),
            interrupted: CancellationToken::new(),
        }
    }
}

/// How far a run got, for the Ctrl-C summary line. Clones share one count.
#[derive(Debug, Clone)]
pub struct Progress {
    /// The parts of this run, in order; fixed at the start.
    parts: Arc<[Part]>,
    /// How many of them have finished: written by [`run`], read by
    /// [`Progress::summary`] on the Ctrl-C handler's thread.
    finished: Arc<AtomicUsize>,
}

impl Progress {
    /// The progress of a run of `part` (`all`: every part), none finished.
    pub fn new(part: Part) -> Self {
        Self {
            parts: part.parts().into(),
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

/// Runs the parts `progress` lists, counting each one finished.
///
/// Not `Send` (the `mutex` pitfall holds a `std::sync::MutexGuard` across
/// an `.await` on purpose): `block_on` it, never `tokio::spawn` it.
pub async fn run(config: &Config, log: &Recorder, progress: &Progress) -> Result<(), Error> {
    for &part in progress.parts.iter() {
        // Main's lane on the timeline: a bar per part, under its name.
        let _bar = log.span("main", part.name(), SpanKind::Wait);
        log.say("main", format!("===== {} =====", part.title()));
        run_part(part, config, log).await?;
        progress.finished.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

/// Runs one part: the port of the Python part first, then what is beyond it.
async fn run_part(part: Part, config: &Config, log: &Recorder) -> Result<(), Error> {
    let pace = config.pace;
    match part {
        // Never one of a run's parts: `Part::parts` expands them.
        Part::All | Part::Pitfalls => Ok(()),
        Part::Create => port::create(log, pace).await.map(drop),
        Part::Gather => {
            port::gather(log, pace).await?;
            gather::beyond(log, pace).await.map(drop)
        }
        Part::FirstCompleted => {
            port::first_completed(log, pace).await?;
            first_completed::race(log, pace).await.map(drop)
        }
        Part::Exceptions => exceptions::run(log, pace).await.map(drop),
        Part::Cancel => {
            cancel::run(log, pace).await?;
            cancel::drop_a_future(log, pace).await;
            Ok(())
        }
        Part::Timeout => timeout::run(log, pace).await,
        Part::Sequential => port::sequential(log, pace).await,
        Part::Scheduler => scheduler::run(&config.graph, log, pace).await.map(drop),
        Part::CancelBlocking => pitfalls::cancel_blocking::run(log, pace, &config.interrupted)
            .await
            .map(drop),
        Part::CancelSafety => pitfalls::cancel_safety::run(log, pace).await.map(drop),
        Part::SelectFairness => pitfalls::select_fairness::run(log).await.map(drop),
        Part::Mutex => pitfalls::mutexes::run(log, pace).await.map(drop),
    }
}
