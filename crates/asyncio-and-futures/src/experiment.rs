//! What one run of a mode is given and what it measured: the load, the
//! pools, the report and its percentiles. The run itself is the direct
//! port of the Python's `run_mode` ([`crate::port::run_mode`]).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use clap::builder::RangedU64ValueParser;
use process_pool::ProcessPoolExecutor;
use runtimes::TaskError;

use crate::client::{ClientError, LaneReport};
use crate::jobs::{CountTask, JobError, JobOutcome, Jobs, Mode};
use crate::runtime::Client;

/// How much work one run does: the first four flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Load {
    /// Requests to send in all.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub requests: u64,

    /// Requests in flight at once (one keep-alive connection each); at
    /// most --requests.
    // The lanes. At most 512: each lane holds one connection.
    #[arg(long, default_value_t = 20, value_parser = RangedU64ValueParser::<usize>::new().range(1..=512))]
    pub concurrency: usize,

    /// CPU-bound jobs; job k computes count(k, iterations).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=256))]
    pub jobs: u64,

    /// Steps of each job's loop.
    // At most 10^10: seconds per job in a release build; the cap keeps a
    // typo from looking like a hang.
    #[arg(long, default_value_t = 200_000_000, value_parser = clap::value_parser!(u64).range(1..=10_000_000_000))]
    pub iterations: u64,
}

/// What every task of a mode shares (the Python's `run`, `args`, `port`
/// and `start`): what [`crate::port::run_mode`] is given.
#[derive(Debug, Clone)]
pub struct Run {
    /// Spawns, sleeps and connects on `--runtime`.
    pub client: Client,
    /// The jobs inside their loop (`run.jobs_running`), and the recorder.
    pub jobs: Jobs,
    /// Requests, lanes, jobs and iterations.
    pub load: Load,
    /// The server's address.
    pub server: SocketAddr,
    /// The start of the load: every lane's first request is due then.
    pub start: Instant,
}

/// The pools the offloading modes use, built once by the caller and shared
/// by every run.
#[derive(Clone, Copy)]
pub struct Pools<'a> {
    /// For mode `rayon`.
    pub rayon: &'a rayon::ThreadPool,
    /// For mode `process-pool` (`None` if that mode is not run).
    pub processes: Option<&'a ProcessPoolExecutor<CountTask>>,
}

impl<'a> Pools<'a> {
    /// The process pool, or why mode `process-pool` cannot run.
    pub fn processes(&self) -> Result<&'a ProcessPoolExecutor<CountTask>, ExperimentError> {
        self.processes.ok_or(ExperimentError::NoProcessPool)
    }
}

/// What went wrong during a run.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// A client lane failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// A job failed.
    #[error(transparent)]
    Job(#[from] JobError),
    /// A task died.
    #[error(transparent)]
    Task(#[from] TaskError),
    /// Mode `process-pool` was asked for without a process pool.
    #[error("mode process-pool needs a process pool, and none was given")]
    NoProcessPool,
}

/// Everything one run measured.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The mode the jobs ran in.
    pub mode: Mode,
    /// Every request's latency, sorted (shortest first).
    pub latencies: Vec<Duration>,
    /// Responses received and checked (`echo <n>` for request `n`).
    pub answered: u64,
    /// The jobs, in job order.
    pub jobs: Vec<JobOutcome>,
    /// From the start until the last job finished.
    pub jobs_total: Duration,
    /// Ticks of the 1 ms ticker that saw a job inside its CPU loop.
    pub ticks_during_jobs: u64,
}

impl RunReport {
    /// The report of a run of `mode` from what its tasks returned (each a
    /// task's result, and in it the lane's or the job's): the first error
    /// if any, else the latencies of every lane, sorted, and the jobs.
    pub fn new<L, J>(
        mode: Mode,
        lanes: L,
        jobs: J,
        jobs_total: Duration,
        ticks_during_jobs: u64,
    ) -> Result<Self, ExperimentError>
    where
        L: IntoIterator<Item = Result<Result<LaneReport, ExperimentError>, TaskError>>,
        J: IntoIterator<Item = Result<Result<JobOutcome, ExperimentError>, TaskError>>,
    {
        let (mut latencies, mut answered) = (Vec::new(), 0);
        for lane in lanes {
            let lane = lane??;
            latencies.extend(lane.latencies);
            answered += lane.answered;
        }
        latencies.sort_unstable();
        // The task's error (it died) or, inside, the job's own result.
        let jobs = jobs.into_iter().map(|job| job?);
        Ok(Self {
            mode,
            latencies,
            answered,
            jobs: jobs.collect::<Result<_, ExperimentError>>()?,
            jobs_total,
            ticks_during_jobs,
        })
    }

    /// The `p`-th percentile latency (nearest rank; `p` in 0..=100), or
    /// zero if there were no requests.
    pub fn percentile(&self, p: f64) -> Duration {
        percentile(&self.latencies, p)
    }

    /// Whether every job returned `job * iterations`.
    pub fn results_correct(&self, iterations: u64) -> bool {
        self.jobs.iter().enumerate().all(|(i, outcome)| {
            let job = i as u64 + 1;
            outcome.job == job && Some(outcome.result) == job.checked_mul(iterations)
        })
    }
}

/// Nearest-rank percentile of sorted `values` (`p` in 0..=100).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}
