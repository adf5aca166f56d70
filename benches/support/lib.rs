//! # benchmarks: every way the chapter runs its work, measured
//!
//! The chapter runs the same few workloads (the CPU-bound `count` loop, a
//! trivial `cube`, sleeps) on threads, pools, processes and three async
//! runtimes. This library holds *one* implementation of each way to run
//! them, and two kinds of programs call it:
//!
//! - the criterion benchmarks beside it (`cargo bench` from the repository
//!   root; the HTML report lands in `target/criterion/report/index.html`):
//!   1. `pooling`: the count workload on every executor ([`cpu`]);
//!   2. `overhead`: what one trivial task costs on each ([`overhead`]);
//!   3. `scaling`: 1, 2, 4 and 8 workers on the count workload ([`cpu`]);
//!   4. `machinery`: async timers and spawn storms ([`machinery`]);
//!   5. `recording`: what `--timeline` and `--trace` cost ([`recording`]);
//! - the `compare` binary, which runs the Python originals in
//!   `benches/python/` and the Rust side alternately, takes medians, and
//!   writes the table and chart of `docs/performance.md` ([`compare`]):
//!   `cargo run --release --bin compare`.
//!
//! Every function here checks its results (a benchmark that computes the
//! wrong thing quickly is worse than none) and returns a [`BenchError`]
//! instead of panicking; the benchmarks `expect` on it. Every async figure
//! is one [`batch`] on the workspace's runtime layer (`runtimes`); what
//! goes to process-pool workers is a [`task::BenchTask`].
//!
//! Programs that start a process pool must call [`worker_hook`] first thing
//! in `main`: the pool's workers are this same executable, started again.
//!
//! ## The allocator
//!
//! Every executable that links this library (the benches, `compare`, their
//! tests and the process-pool workers they start) allocates with
//! [mimalloc](https://docs.rs/mimalloc), set here as the global allocator
//! ([`ALLOCATOR`] names it). Why: glibc's malloc hands the freed top of its
//! heap back to the kernel between two batches of tasks and takes page
//! faults to get it back, depending on what else the process allocated,
//! so one figure measured differently in different executables; mimalloc
//! keeps its pages. `--no-default-features` builds them with the system
//! allocator instead (`docs/performance.md`, "The allocator").

pub mod batch;
pub mod compare;
pub mod cpu;
pub mod machinery;
pub mod overhead;
pub mod recording;
pub mod stats;
pub mod task;

use task::BenchTask;

/// See "The allocator" above.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The name of the allocator this build uses, for reports.
pub const ALLOCATOR: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else {
    "the system allocator (glibc malloc on Linux)"
};

// The library's own unit tests start process pools: the test binary must be
// able to serve as a worker (see process_pool::worker).
#[cfg(test)]
process_pool::worker_test_hook!(BenchTask);

/// The chapter's items: 1..=10.
pub const CHAPTER_ITEMS: std::ops::RangeInclusive<u64> = 1..=10;

/// The chapter's count size: `for i in range(0, 10000000)`.
pub const CHAPTER_ITERATIONS: u64 = 10_000_000;

/// The bootstrap resamples behind each criterion estimate's confidence
/// interval (criterion's default: 100,000). Why fewer: the medians do not
/// depend on them and the intervals hardly move, but drawing 100,000 for
/// the HTML report took 3 to 4 s per benchmark on 2 cores, more than
/// measuring it. `cargo bench -- --nresamples 100000` restores the default.
pub const BOOTSTRAP_RESAMPLES: usize = 10_000;

/// The worker counts of the scaling benchmark: below, at and above the
/// 2 cores of the machine the numbers in `docs/performance.md` come from.
pub const SCALING_WORKERS: [usize; 4] = [1, 2, 4, 8];

/// The process pool's worker hook: call it first in `main` of every program
/// that creates a process pool. In a worker it serves tasks and exits.
pub fn worker_hook() {
    process_pool::worker_entry::<BenchTask>();
}

/// The number of cores this machine offers (1 if it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// What went wrong while measuring: a workload, a pool or a runtime failed,
/// or a result was wrong.
#[derive(Debug, thiserror::Error)]
#[allow(missing_docs)] // each variant's message says what it is
pub enum BenchError {
    /// The workload refused (an overflow: sizes too large).
    #[error(transparent)]
    Workload(#[from] common::WorkloadError),
    #[error(transparent)]
    Pool(#[from] process_pool::PoolError),
    #[error("the NATS queue: {0}")]
    Queue(#[from] distributed_pool::PoolError),
    /// It failed, panicked, or its worker died.
    #[error("a task gave no result: {0}")]
    Task(String),
    #[error("could not start {what}: {why}")]
    Start { what: &'static str, why: String },
    #[error("wrong result: {0}")]
    WrongResult(String),
    #[error("python: {0}")]
    Python(String),
    /// Ctrl-C was pressed: the measuring stopped.
    #[error(transparent)]
    Interrupted(#[from] runner::Interrupted),
    /// Writing the table or the chart failed.
    #[error("cannot write {path}: {why}")]
    Write { path: String, why: String },
}

impl BenchError {
    /// A task's error (from any pool or runtime), as text.
    pub fn task(error: impl std::fmt::Display) -> Self {
        BenchError::Task(error.to_string())
    }

    /// A start-up failure of `what`.
    pub fn start(what: &'static str, why: impl std::fmt::Display) -> Self {
        BenchError::Start {
            what,
            why: why.to_string(),
        }
    }
}

/// Checks `got` against `expected`, naming `what` on a mismatch.
pub fn check<T: PartialEq + std::fmt::Debug>(
    what: &str,
    got: T,
    expected: T,
) -> Result<T, BenchError> {
    if got == expected {
        Ok(got)
    } else {
        Err(BenchError::WrongResult(format!(
            "{what}: got {got:?}, expected {expected:?}"
        )))
    }
}
