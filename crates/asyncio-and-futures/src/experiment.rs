//! The experiment: HTTP requests and CPU jobs at the same time, on one
//! runtime, for one `--mode`.
//!
//! Everything that should compete for the runtime's workers is a task:
//! - `--jobs` job tasks, each running `count(job, iterations)` the way the
//!   mode says (in the task itself, or handed to a pool and awaited);
//! - `--concurrency` client lanes, which together send `--requests`
//!   requests to the server and time each one;
//! - a ticker, which wakes every millisecond and counts the ticks that
//!   happened while at least one job was inside its CPU loop.
//!
//! If the jobs run *in* tasks (mode `direct`) and there are fewer workers
//! than jobs, every worker ends up inside a CPU loop: no lane and no ticker
//! gets polled until a job finishes. The latency percentiles jump and the
//! ticker counts (almost) nothing. With `spawn-blocking`, `rayon` or
//! `process-pool` the workers stay free: requests keep flowing and the
//! ticker keeps ticking.
//!
//! Python's version of this is one event loop running `aiohttp` requests
//! with `asyncio.gather`, while `loop.run_in_executor` sends the CPU work
//! elsewhere; calling `count()` directly in a coroutine would freeze the
//! whole loop.
//!
//! The experiment is written once, for any runtime, against the chapter's
//! [`Client`]; every task it spawns is awaited before it returns. (If the
//! run is dropped instead, at Ctrl-C, the ticker stops at its next tick:
//! it runs only while the run holds `ticking`.)

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use runtimes::TaskError;

use crate::client::{ClientError, run_lane, split_requests};
use crate::jobs::{
    CountTask, JobError, JobOutcome, Mode, RunningJobs, on_process_pool, on_rayon, run_job,
};
use crate::runtime::Client;

/// How much work one run does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Requests in all (`--requests`).
    pub requests: u64,
    /// Lanes, i.e. requests in flight at once (`--concurrency`).
    pub concurrency: usize,
    /// CPU jobs (`--jobs`); job `k` computes `count(k, iterations)`.
    pub jobs: u64,
    /// Steps of each job's loop (`--iterations`).
    pub iterations: u64,
}

/// The pools the offloading modes use, built once by the caller and shared
/// by every run.
#[derive(Clone, Copy)]
pub struct Pools<'a> {
    /// For mode `rayon`.
    pub rayon: &'a rayon::ThreadPool,
    /// For mode `process-pool` (`None` if that mode is not run).
    pub processes: Option<&'a process_pool::ProcessPoolExecutor<CountTask>>,
}

impl std::fmt::Debug for Pools<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pools")
            .field("rayon_threads", &self.rayon.current_num_threads())
            .field(
                "process_workers",
                &self.processes.map(|pool| pool.max_workers()),
            )
            .finish()
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

/// A finished job and when it finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedJob {
    /// The job's outcome.
    pub outcome: JobOutcome,
    /// When its task saw the result, since the run started.
    pub finished_at: Duration,
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
    pub jobs: Vec<FinishedJob>,
    /// From the start until the last job finished.
    pub jobs_total: Duration,
    /// Ticks of the 1 ms ticker over the whole run.
    pub ticks: u64,
    /// Of those, ticks that saw a job inside its CPU loop.
    pub ticks_during_jobs: u64,
}

impl RunReport {
    /// The `p`-th percentile latency (nearest rank; `p` in 0..=100), or
    /// zero if there were no requests.
    pub fn percentile(&self, p: f64) -> Duration {
        percentile(&self.latencies, p)
    }

    /// Whether every job returned `job * iterations`.
    pub fn results_correct(&self, iterations: u64) -> bool {
        self.jobs.iter().enumerate().all(|(i, f)| {
            let job = i as u64 + 1;
            f.outcome.job == job && Some(f.outcome.result) == JobOutcome::expected(job, iterations)
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

/// Runs one experiment on `client`: jobs in `mode`, requests to `server`.
///
/// `pools` has the pools for modes `rayon` and `process-pool`; `running`
/// counts the jobs inside their loop (the ticker reads it, and so does the
/// Ctrl-C summary).
pub async fn run(
    client: &Client,
    mode: Mode,
    load: Load,
    server: SocketAddr,
    pools: Pools<'_>,
    running: RunningJobs,
) -> Result<RunReport, ExperimentError> {
    if mode == Mode::ProcessPool && pools.processes.is_none() {
        return Err(ExperimentError::NoProcessPool);
    }
    // The ticker runs while this lives: dropped at the end of the run, or
    // with the run itself, it stops the ticker at its next tick.
    let ticking = Arc::new(());
    let started = Instant::now();

    // The ticker: a task that should wake every millisecond. Whether it
    // does, while jobs run, is the simplest measure of a free event loop.
    let ticker = client.spawn({
        let client = client.clone();
        let running = running.clone();
        let ticking = Arc::downgrade(&ticking);
        async move {
            let (mut ticks, mut during_jobs) = (0, 0);
            while ticking.strong_count() > 0 {
                client.sleep(Duration::from_millis(1)).await;
                ticks += 1;
                if running.now() > 0 {
                    during_jobs += 1;
                }
            }
            (ticks, during_jobs)
        }
    });

    // The jobs, each in its own task, run the way the mode says.
    let jobs: Vec<_> = (1..=load.jobs)
        .map(|job| {
            let running = running.clone();
            let iterations = load.iterations;
            let outcome: futures::future::BoxFuture<'static, Result<JobOutcome, ExperimentError>> =
                match mode {
                    // The mistake: the CPU loop runs inside the task, on a
                    // runtime worker, which can poll nothing else meanwhile.
                    Mode::Direct => {
                        Box::pin(async move { Ok(run_job(job, iterations, &running)?) })
                    }
                    // `run_in_executor(None, count, job)`.
                    Mode::SpawnBlocking => {
                        let blocking =
                            client.spawn_blocking(move || run_job(job, iterations, &running));
                        Box::pin(async move { Ok(blocking.await??) })
                    }
                    // `run_in_executor(thread_pool, count, job)`.
                    Mode::Rayon => {
                        let result = on_rayon(pools.rayon, job, iterations, running);
                        Box::pin(async move { Ok(result.await?) })
                    }
                    // `run_in_executor(process_pool, count, job)`: submit
                    // now, await the pool's handle in the task.
                    Mode::ProcessPool => {
                        let submitted = pools
                            .processes
                            .ok_or(ExperimentError::NoProcessPool)
                            .and_then(|pool| Ok(on_process_pool(pool, job, iterations, running)?));
                        Box::pin(async move { Ok(submitted?.await?) })
                    }
                };
            client.spawn(async move {
                let outcome = outcome.await?;
                Ok::<_, ExperimentError>(FinishedJob {
                    outcome,
                    finished_at: started.elapsed(),
                })
            })
        })
        .collect();

    // The client lanes: each connects, then sends its share of requests.
    let lanes: Vec<_> = split_requests(load.requests, load.concurrency)
        .into_iter()
        .enumerate()
        .map(|(lane, requests)| {
            let connecting = client.clone();
            client.spawn(async move {
                let io = connecting
                    .connect(server)
                    .await
                    .map_err(|source| ClientError::Connect { lane, source })?;
                let report = run_lane(lane, io, requests, started).await?;
                Ok::<_, ClientError>(report)
            })
        })
        .collect();

    // Join everything, also on error: collect every result first, then
    // look at them, so that no task is left running when we return.
    let job_results = futures::future::join_all(jobs).await;
    let lane_results = futures::future::join_all(lanes).await;
    drop(ticking);
    let (ticks, ticks_during_jobs) = ticker.await?;

    let mut finished = Vec::with_capacity(job_results.len());
    for result in job_results {
        finished.push(result??);
    }
    let mut latencies = Vec::with_capacity(usize::try_from(load.requests).unwrap_or(0));
    let mut answered = 0;
    for result in lane_results {
        let report = result??;
        latencies.extend(report.latencies);
        answered += report.answered;
    }
    latencies.sort_unstable();
    let jobs_total = finished
        .iter()
        .map(|f| f.finished_at)
        .max()
        .unwrap_or_default();
    Ok(RunReport {
        mode,
        latencies,
        answered,
        jobs: finished,
        jobs_total,
        ticks,
        ticks_during_jobs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Nearest rank: p50 of 1..=10 ms is 5 ms, p99 is the largest.
    #[test]
    fn percentiles_by_nearest_rank() {
        let ms: Vec<Duration> = (1..=10).map(Duration::from_millis).collect();
        assert_eq!(percentile(&ms, 50.0), Duration::from_millis(5));
        assert_eq!(percentile(&ms, 99.0), Duration::from_millis(10));
        assert_eq!(percentile(&ms, 0.0), Duration::from_millis(1));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }
}
