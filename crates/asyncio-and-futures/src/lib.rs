//! # asyncio-and-futures: CPU work off the event loop, I/O on it
//!
//! Ports the Python chapter's "asyncio and futures" section
//! (`asyncioAndFuture.py`): run synchronous, CPU-bound functions from async
//! code on a thread or process pool (`loop.run_in_executor`), so that the
//! I/O stays asynchronous and responsive.
//!
//! A hyper server on `127.0.0.1:0` answers many concurrent, timed requests
//! from a client runtime with few workers (`--runtime`, `--flavor`), while
//! CPU-bound jobs run one of four ways (`--mode`, see [`jobs`]): `direct`,
//! inside an async task (the mistake to recognise), `spawn-blocking`,
//! `rayon` or `process-pool`. A table compares them; then "futures both
//! ways" (`--part futures`, [`bridge`]); then everything is shut down and
//! checked. Ctrl-C stops the run within a second, exit status 130.
//!
//! ```text
//! cargo run -p asyncio-and-futures --release
//! cargo run -p asyncio-and-futures --release -- --mode direct --workers 1 --part table
//! cargo run -p asyncio-and-futures --release -- --runtime smol --part table
//! cargo run -p asyncio-and-futures --release -- --part table --timeline run.svg
//! ```
//!
//! What to look for: the `direct` row's p99 and max latency are as long as
//! a job, and its ticker barely ticked; the other rows keep p99 near p50.
//! The `job k done` lines say where each job ran: `tokio-worker-<i>` (the
//! runtime's own workers!) versus `tokio-block-<i>`, `rayon-<i>` or
//! `pid <n>` (a worker process).
//!
//! The direct port of the Python program's one mode is [`port`]
//! (`python/asyncio_and_executors.py` beside it); the other modules, one
//! idea each, are what it builds on and what runs around it.

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
