//! The CPU-bound workload on every executor: benchmarks 1 (`pooling`) and
//! 3 (`scaling`), and the count figures of `compare`.
//!
//! The workload is the chapter's: items 1..=10, each `count(item,
//! iterations)` (a loop that really runs `iterations` increments, about one
//! per clock cycle: see [`common::count`]). Every item costs the same, so
//! on `n` cores the ideal parallel time is the sequential time divided by
//! `n`, rounded up to whole items per worker.
//!
//! | Python (chapter)                      | Rust (here)                         |
//! |---------------------------------------|-------------------------------------|
//! | a `for` loop                          | [`Executor::Sequential`]            |
//! | `threading.Thread` per worker         | [`Executor::ScopedThreads`]         |
//! | `ThreadPoolExecutor(w).submit`        | [`Executor::ThreadPool`] (crate `thread-pool`) |
//! | (no counterpart)                      | [`Executor::Rayon`] (`par_iter`)    |
//! | `loop.run_in_executor(None, f)`       | [`Executor::TokioSpawnBlocking`], [`Executor::AsyncStdSpawnBlocking`] |
//! | `ProcessPoolExecutor(w).submit`       | [`Executor::ProcessPool`] (crate `process-pool`) |
//! | the same inside `with ...:`           | [`Executor::ProcessPoolStartup`]    |
//!
//! [`Executor::start`] creates the pool or runtime (not measured: the
//! benchmarks time [`Started::run`] only), except for
//! [`Executor::ProcessPoolStartup`], whose `run` starts the pool, runs the
//! items and shuts the pool down, all measured.

use crate::batch::{On, spawn_join};
use crate::task::BenchTask;
use crate::{BenchError, check};
use common::evaluate_item;
use process_pool::ProcessPoolExecutor;
use rayon::prelude::*;
use std::hint::black_box;
use thread_pool::ThreadPoolExecutor;

/// One way to run the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Executor {
    /// One item after another on the calling thread.
    Sequential,
    /// `std::thread::scope` with one thread per worker; worker `w` takes
    /// items `w`, `w + workers`, ... (every item costs the same, so a fixed
    /// split is as good as a queue).
    ScopedThreads,
    /// The `thread-pool` crate's `ThreadPoolExecutor::map`.
    ThreadPool,
    /// rayon's `par_iter` on a pool of `workers` threads.
    Rayon,
    /// tokio's `spawn_blocking` per item, on a current-thread runtime whose
    /// blocking pool has at most `workers` threads.
    TokioSpawnBlocking,
    /// async-std's `spawn_blocking` per item. async-std's blocking pool
    /// sizes itself (a thread per waiting task), so `workers` is ignored.
    /// (async-std is discontinued upstream: see the runtime table in
    /// `crates/runtimes/src/lib.rs`.)
    AsyncStdSpawnBlocking,
    /// The `process-pool` crate, workers started before the clock starts.
    ProcessPool,
    /// The `process-pool` crate, including starting `workers` processes
    /// and shutting them down (reaped) after the run.
    ProcessPoolStartup,
}

impl Executor {
    /// Every executor, sequential first.
    pub const ALL: [Executor; 8] = [
        Executor::Sequential,
        Executor::ScopedThreads,
        Executor::ThreadPool,
        Executor::Rayon,
        Executor::TokioSpawnBlocking,
        Executor::AsyncStdSpawnBlocking,
        Executor::ProcessPool,
        Executor::ProcessPoolStartup,
    ];

    /// The executors whose worker count can be set, for the scaling
    /// benchmark (pools started beforehand).
    pub const SCALABLE: [Executor; 5] = [
        Executor::ScopedThreads,
        Executor::ThreadPool,
        Executor::Rayon,
        Executor::TokioSpawnBlocking,
        Executor::ProcessPool,
    ];

    /// A short name, used in benchmark ids, figure ids and the chart.
    pub fn name(self) -> &'static str {
        match self {
            Executor::Sequential => "sequential",
            Executor::ScopedThreads => "std-scope",
            Executor::ThreadPool => "thread-pool",
            Executor::Rayon => "rayon",
            Executor::TokioSpawnBlocking => "tokio-spawn_blocking",
            Executor::AsyncStdSpawnBlocking => "async-std-spawn_blocking",
            Executor::ProcessPool => "process-pool",
            Executor::ProcessPoolStartup => "process-pool+startup",
        }
    }

    /// Gets ready to run with `workers` workers: starts the pool or the
    /// runtime (not measured by the benchmarks).
    pub fn start(self, workers: usize) -> Result<Started, BenchError> {
        if workers == 0 {
            return Err(BenchError::start(self.name(), "workers must be at least 1"));
        }
        let engine = match self {
            Executor::Sequential => Engine::Sequential,
            Executor::ScopedThreads => Engine::Scoped,
            Executor::ThreadPool => Engine::ThreadPool(
                ThreadPoolExecutor::new(workers)
                    .map_err(|e| BenchError::start("thread-pool", e))?,
            ),
            Executor::Rayon => Engine::Rayon(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(workers)
                    .build()
                    .map_err(|e| BenchError::start("rayon pool", e))?,
            ),
            Executor::TokioSpawnBlocking => Engine::Tokio(
                tokio::runtime::Builder::new_current_thread()
                    .max_blocking_threads(workers)
                    .enable_all()
                    .build()
                    .map_err(|e| BenchError::start("tokio runtime", e))?,
            ),
            Executor::AsyncStdSpawnBlocking => Engine::AsyncStd,
            Executor::ProcessPool => Engine::ProcessPool(ProcessPoolExecutor::new(workers)?),
            Executor::ProcessPoolStartup => Engine::ProcessPoolStartup,
        };
        Ok(Started {
            executor: self,
            workers,
            engine,
        })
    }
}

/// An executor ready to run: its pool or runtime is up.
pub struct Started {
    executor: Executor,
    workers: usize,
    engine: Engine,
}

/// What each executor keeps between runs.
enum Engine {
    Sequential,
    Scoped,
    ThreadPool(ThreadPoolExecutor),
    Rayon(rayon::ThreadPool),
    Tokio(tokio::runtime::Runtime),
    AsyncStd,
    ProcessPool(ProcessPoolExecutor<BenchTask>),
    ProcessPoolStartup,
}

impl Started {
    /// Runs `count(item, iterations)` for every item and returns the
    /// results in the order of `items`.
    pub fn run(&self, items: &[u64], iterations: u64) -> Result<Vec<u64>, BenchError> {
        // black_box: the optimizer must not see the sizes as constants
        // (the loop inside `count` is kept honest by its own black_box).
        let iterations = black_box(iterations);
        let one = move |item: u64| -> Result<u64, common::WorkloadError> {
            Ok(evaluate_item(black_box(item), iterations)?.result)
        };
        let results = match &self.engine {
            Engine::Sequential => items
                .iter()
                .map(|&item| one(item))
                .collect::<Result<_, _>>()?,
            Engine::Scoped => scoped(self.workers, items, one)?,
            Engine::ThreadPool(pool) => pool
                .map(one, items.to_vec())
                .collect::<Result<_, _>>()
                .map_err(BenchError::task)?,
            Engine::Rayon(pool) => pool.install(|| {
                items
                    .par_iter()
                    .map(|&item| one(item))
                    .collect::<Result<_, _>>()
            })?,
            // Submit every item, then wait for each: all run at once, as
            // many at a time as the blocking pool has threads.
            Engine::Tokio(runtime) => blocking_each(On::Tokio(runtime), items, one)?,
            Engine::AsyncStd => blocking_each(On::AsyncStd, items, one)?,
            Engine::ProcessPool(pool) => on_process_pool(pool, items, iterations)?,
            Engine::ProcessPoolStartup => {
                let pool = ProcessPoolExecutor::new(self.workers)?;
                let results = on_process_pool(&pool, items, iterations);
                // Python's `with` block: wait for the workers to exit and
                // reap them, inside the measured time.
                pool.shutdown(true, false);
                results?
            }
        };
        check(
            self.executor.name(),
            results,
            items.iter().map(|&item| item * iterations).collect(),
        )
    }
}

/// `workers` scoped threads; worker `w` takes items `w, w + workers, ...`.
fn scoped(
    workers: usize,
    items: &[u64],
    one: impl Fn(u64) -> Result<u64, common::WorkloadError> + Copy + Send,
) -> Result<Vec<u64>, BenchError> {
    let parts: Vec<Vec<u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                scope.spawn(move || {
                    items
                        .iter()
                        .skip(w)
                        .step_by(workers)
                        .map(|&item| one(item))
                        .collect::<Result<Vec<u64>, _>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(part) => part.map_err(BenchError::from),
                Err(_) => Err(BenchError::task("a scoped thread panicked")),
            })
            .collect::<Result<_, _>>()
    })?;
    // Put the results back in item order: item i was the (i / workers)-th
    // of worker i % workers.
    Ok((0..items.len())
        .filter_map(|i| parts.get(i % workers)?.get(i / workers).copied())
        .collect())
}

/// `spawn_blocking(one(item))` per item on `on`, then each awaited.
fn blocking_each(
    on: On<'_>,
    items: &[u64],
    one: impl Fn(u64) -> Result<u64, common::WorkloadError> + Copy + Send + 'static,
) -> Result<Vec<u64>, BenchError> {
    spawn_join(
        on,
        items.to_vec(),
        move |runtime, item| runtime.spawn_blocking(move || one(item)),
        Vec::with_capacity(items.len()),
        |mut results, result| {
            results.push(result?);
            Ok(results)
        },
    )
}

/// The items as `BenchTask::Evaluate`, one per request (chunksize 1, as
/// Python's `submit` per item).
fn on_process_pool(
    pool: &ProcessPoolExecutor<BenchTask>,
    items: &[u64],
    iterations: u64,
) -> Result<Vec<u64>, BenchError> {
    let tasks = items
        .iter()
        .map(|&item| BenchTask::Evaluate { item, iterations });
    pool.map(tasks, 1)?
        .map(|outcome| outcome.map_err(BenchError::task)?.count())
        .collect()
}
