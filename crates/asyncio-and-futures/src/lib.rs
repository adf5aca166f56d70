//! # asyncio-and-futures: CPU work off the event loop, I/O on it
//!
//! Ports the Python chapter's "asyncio and futures" section
//! (`asyncioAndFuture.py`): run synchronous, CPU-bound functions from async
//! code on a thread or process pool (`loop.run_in_executor`), so that the
//! I/O stays asynchronous and responsive.
//!
//! The program starts a small HTTP server on `127.0.0.1:0` (hyper), then,
//! on a client runtime with few workers (`--runtime`; with tokio,
//! `--flavor`), sends many concurrent requests to it and times each one,
//! while CPU-bound jobs (`common::count`) run in one of four ways
//! (`--mode`, see [`jobs`]): `direct`, inside an async task (the mistake
//! to recognise), `spawn-blocking`, `rayon` or `process-pool`. A table
//! compares the modes; then "futures both ways" (`--part futures`, see
//! [`bridge`]); then everything is shut down and checked: the port
//! closed, every task, thread and worker process gone. Ctrl-C stops the
//! run within a second in every mode, exit status 130.
//!
//! ```text
//! cargo run -p asyncio-and-futures --release
//! cargo run -p asyncio-and-futures --release -- --mode direct --workers 1 --part table
//! cargo run -p asyncio-and-futures --release -- --runtime smol --part table
//! cargo run -p asyncio-and-futures --release -- --part table --timeline run.svg
//! ```
//!
//! What to look for: the `direct` row's p99 and max latency are as long as
//! a job (the client could not even read the responses that had arrived),
//! and its ticker barely ticked; the other rows keep p99 near p50 and the
//! ticker ticking, while the jobs take about as long. The `job k done`
//! lines say where each job ran: `tokio-worker-<i>` (the runtime's own
//! workers!) versus `tokio-block-<i>`, `rayon-<i>` or `pid <n>` (a worker
//! process). `--timeline run.svg` draws it: a lane per client lane with a
//! bar per request, the ticker's ticks, and a lane per thread or process
//! that ran a job.
//!
//! The direct port of the Python program's one mode is [`port`]
//! (`python/asyncio_and_executors.py` beside it). Beyond it, one idea per
//! module: [`server`] (the hyper server), [`client`] (the timed requests),
//! [`jobs`] (the CPU work and the pools), [`runtime`] (the client runtime
//! on the shared `runtimes` layer: thread counts, TCP for hyper),
//! [`experiment`] (what a mode is given and measures), [`bridge`] (futures
//! both ways), [`futures_part`] (the part that runs them), [`program`]
//! (start, parts, shutdown), [`progress`] (how far the run got, for
//! Ctrl-C), [`output`] (the table and the lines).

pub mod bridge;
pub mod client;
pub mod experiment;
pub mod futures_part;
pub mod jobs;
pub mod output;
pub mod port;
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
