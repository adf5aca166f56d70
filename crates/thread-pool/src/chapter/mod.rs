//! The chapter's parts beyond the direct port (`src/port.rs`), in the
//! order `cargo run -p thread-pool` runs them, one idea each:
//! - [`threads`]: part 1, plain threads (`threading.Thread`), ported
//!   beside `part_threads` of `thread_pool.py`;
//! - [`workers`]: after part 2's port, which worker ran each task, and
//!   rayon's own way to write the same `map`;
//! - [`measure`]: after part 3's port, the speedup measured: sequential
//!   and pooled rounds alternated, medians, spread and cores kept busy;
//! - [`verdict`]: what those numbers mean, in a sentence;
//! - [`pitfall`]: part 4, a worker that waits on its own pool, and a lock
//!   held across a wait on the pool, each stalled, detected and released.
//!
//! Also here: what every part shares, [`Run`], and the one error type.

pub mod measure;
pub mod pitfall;
pub mod threads;
pub mod verdict;
pub mod workers;

use std::time::Instant;

use common::WorkloadError;
use common::clock::thread_label;
use runner::{Interrupt, Interrupted, Recorder, SpanGuard, SpanKind, Tally};
use thread_pool::{ExecutorError, TaskError};

/// The phases of part 3's port (`port::part_compare`), as the Ctrl-C
/// summary names them.
pub const PHASES: [&str; 2] = ["sequential", "thread pool"];

/// What every part of a run shares (clones share the same three): where
/// lines go, the Ctrl-C flag, and the tally the Ctrl-C summary is made of.
#[derive(Debug, Clone)]
pub struct Run {
    /// Prints and keeps the labelled lines (and the timeline's spans).
    pub out: Recorder,
    /// Raised by Ctrl-C; read by the parts between steps.
    pub interrupt: Interrupt,
    /// Counts finished phases and items for the Ctrl-C summary; written
    /// by main and the workers, read by the summary.
    pub tally: Tally,
}

impl Run {
    /// Says one line as the current thread (Python's `print`, labelled).
    pub fn say(&self, message: impl std::fmt::Display) {
        self.out.say_here(message);
    }

    /// A bar of work on the current thread's lane of the timeline, from
    /// now until the guard is dropped.
    pub fn work_bar(&self, what: impl std::fmt::Display) -> SpanGuard {
        self.out.span(&thread_label(), what, SpanKind::Work)
    }

    /// A bar of the current thread held waiting (blocked), until dropped.
    pub fn block_bar(&self, what: impl std::fmt::Display) -> SpanGuard {
        self.out.span(&thread_label(), what, SpanKind::Block)
    }

    /// Phase `name` of `items` items starts (for the Ctrl-C summary): now.
    pub fn phase(&self, name: &str, items: u64) -> Instant {
        self.tally.start(name, items);
        Instant::now()
    }

    /// The running phase, started at `start`, has ended: its seconds.
    pub fn phase_done(&self, start: Instant) -> f64 {
        self.tally.finish();
        start.elapsed().as_secs_f64()
    }

    /// A run that prints nothing, with a flag only a test raises.
    #[cfg(test)]
    pub fn quiet() -> Self {
        Self {
            out: Recorder::quiet(),
            interrupt: Interrupt::new(),
            tally: Tally::new(),
        }
    }
}

/// Why a part did not finish. None of these is expected with the
/// chapter's inputs, except Ctrl-C.
#[derive(Debug, thiserror::Error)]
pub enum ChapterError {
    /// The operating system refused to start a thread.
    #[error("could not start a thread: {0}")]
    Spawn(#[from] std::io::Error),
    /// A thread panicked instead of returning.
    #[error("thread `{0}` panicked")]
    Panicked(&'static str),
    /// A pool could not start.
    #[error(transparent)]
    Executor(#[from] ExecutorError),
    /// A workload overflowed (only with huge `--items` x `--iterations`).
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// A task on a pool failed, or was cancelled by Ctrl-C.
    #[error(transparent)]
    Task(#[from] TaskError<WorkloadError>),
    /// Ctrl-C, between two steps.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}
