//! # asyncio-and-futures: CPU work off the event loop, I/O on it
//!
//! Ports the Python chapter's "asyncio and futures" section
//! (`asyncioAndFuture.py`): run synchronous, CPU-bound functions from async
//! code on a thread or process pool (`loop.run_in_executor`), so that the
//! I/O stays asynchronous and responsive.
//!
//! The program starts a small HTTP server on `127.0.0.1:0` (hyper), then,
//! on a client runtime with few workers (`--runtime`, the workspace's one
//! runtime type; with tokio, `--flavor` says which tokio runtime), sends
//! many concurrent requests to it and times each one, while CPU-bound jobs
//! (`common::count`) run at the same time in one of four ways (`--mode`):
//!
//! 1. `direct`: the CPU loop called right inside an async task. It blocks
//!    the worker polling that task: the mistake to recognise;
//! 2. `spawn-blocking`: the runtime's pool for blocking work
//!    (`loop.run_in_executor(None, ...)`);
//! 3. `rayon`: a rayon thread pool, each result sent back on a oneshot
//!    channel (`run_in_executor` with a `ThreadPoolExecutor`);
//! 4. `process-pool`: the `process-pool` crate's pool, its task handle
//!    awaited (`run_in_executor` with a `ProcessPoolExecutor`). The
//!    workers are this very executable started again: `main` calls
//!    `process_pool::worker_entry` first, and each test file that makes a
//!    pool has `process_pool::worker_test_hook!`.
//!
//! A table then shows, per mode, the request latency percentiles (p50,
//! p99, max), the jobs' total time, and how often a 1 ms ticker task got
//! to run while the jobs were busy. After it, "futures both ways"
//! (`--part futures`): async code awaiting a pool's result with a timeout
//! (`asyncio.wrap_future`), and a plain thread waiting for an async task's
//! result with a timeout (`asyncio.run_coroutine_threadsafe`). Finally the
//! server is stopped and every task, thread and connection joined; the
//! program checks that the port is closed and that no worker process is
//! left. Ctrl-C stops the whole run within a second, in every mode: it
//! kills the pool's worker processes, abandons the jobs that cannot be
//! stopped mid-loop (and says so), shuts down, and exits with status 130.
//!
//! ```text
//! cargo run -p asyncio-and-futures --release
//! cargo run -p asyncio-and-futures --release -- --mode direct --workers 1
//! cargo run -p asyncio-and-futures --release -- --runtime async-std
//! cargo run -p asyncio-and-futures --release -- --runtime smol --part table
//! ```
//!
//! What to look for: the `direct` row's p99 and max latency are as long as
//! a job (the client could not even read the responses that had arrived),
//! and its ticker barely ticked; the other rows keep p99 near p50 and the
//! ticker ticking, while the jobs take about as long. The `ran on` lines
//! show where each job ran: `tokio-worker-<i>` (the runtime's own workers!)
//! versus `tokio-block-<i>`, `rayon-<i>` or `pid <n>` (a worker process).
//!
//! Modules, one idea each: [`server`] (the hyper server), [`client`] (the
//! timed requests), [`jobs`] (the CPU work and the ways to run it),
//! [`runtime`] (the client runtime on the shared `runtimes` layer: thread
//! counts, TCP for hyper), [`experiment`] (one run: requests and jobs
//! together), [`bridge`] (futures both ways), [`futures_part`] (the part
//! that runs them), [`program`] (start, parts, shutdown), [`progress`]
//! (how far the run got, for Ctrl-C), [`output`] (the table and the lines).

pub mod bridge;
pub mod client;
pub mod experiment;
pub mod futures_part;
pub mod jobs;
pub mod output;
pub mod program;
pub mod progress;
pub mod runtime;
pub mod server;

use process_pool::PoolError;

pub use program::{ModeRun, Summary, process_exists, run};

use crate::experiment::{ExperimentError, Load};
use crate::jobs::{JobError, Mode};
use crate::runtime::ClientRuntime;
use crate::server::ServerError;

/// Which parts of the program to run (`--part`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The experiment and its table.
    Table,
    /// Futures both ways (`wrap_future`, `run_coroutine_threadsafe`).
    Futures,
    /// Both.
    All,
}

/// Everything the program was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Requests, lanes, jobs and iterations.
    pub load: Load,
    /// The modes to run, in order.
    pub modes: Vec<Mode>,
    /// The client's runtime and its threads.
    pub client: ClientRuntime,
    /// Threads of the rayon pool, and worker processes of the process pool.
    pub pool_workers: usize,
    /// Which parts to run.
    pub part: Part,
}

/// What went wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The server failed.
    #[error(transparent)]
    Server(#[from] ServerError),
    /// A run failed.
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
    /// A runtime or a thread could not be started.
    #[error("could not start a runtime: {0}")]
    Runtime(#[from] std::io::Error),
    /// The rayon pool could not be built.
    #[error("could not build the rayon pool: {0}")]
    Rayon(#[from] rayon::ThreadPoolBuildError),
    /// The process pool could not be started.
    #[error("could not start the process pool: {0}")]
    Pool(#[from] PoolError),
    /// A job of the futures part failed.
    #[error(transparent)]
    Job(#[from] JobError),
    /// Ctrl-C stopped the run; the line says how far it got.
    #[error("{0}")]
    Interrupted(String),
}
