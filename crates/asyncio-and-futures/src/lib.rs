//! # asyncio-and-futures: CPU work off the event loop, I/O on it
//!
//! Ports the Python chapter's "asyncio and futures" section (seed 001,
//! `asyncioAndFuture.py`): run synchronous, CPU-bound functions from async
//! code on a thread or process pool (`loop.run_in_executor`), so that the
//! I/O stays asynchronous and responsive.
//!
//! The program starts a small HTTP server on `127.0.0.1:0` (hyper), then,
//! on a client runtime with few workers, sends many concurrent requests to
//! it and times each one, while CPU-bound jobs (`common::count`) run at the
//! same time in one of four ways (`--mode`):
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
//! left.
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
//! [`runtime`] (tokio, async-std and smol behind one trait),
//! [`experiment`] (one run: requests and jobs together), [`bridge`]
//! (futures both ways), [`table`] (the output), [`interrupt`] (Ctrl-C).

pub mod bridge;
pub mod client;
pub mod experiment;
pub mod interrupt;
pub mod jobs;
pub mod runtime;
pub mod server;
pub mod table;

use std::net::SocketAddr;
use std::time::Duration;

use common::clock::{Clock, format_line};

use process_pool::{PoolError, ProcessPoolExecutor};

use crate::bridge::{PoolWait, ResultError, run_coroutine_threadsafe, wait_for_job};
use crate::experiment::{ExperimentError, Load, Pools, RunReport};
use crate::jobs::{CountTask, JobError, Mode, RunningJobs, on_process_pool, rayon_pool};
use crate::runtime::{Leftovers, RuntimeKind, with_async_std, with_smol, with_tokio};
use crate::server::{Server, ServerError, ServerStats};

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
    /// The client's runtime.
    pub runtime: RuntimeKind,
    /// Worker threads of the client runtime (tokio and smol).
    pub workers: usize,
    /// Threads of the rayon pool.
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
}

/// What the whole program did, for the caller (and the tests) to check.
#[derive(Debug)]
pub struct Summary {
    /// One report per mode run.
    pub runs: Vec<ModeRun>,
    /// The futures-both-ways results, when that part ran.
    pub futures: Option<FuturesSummary>,
    /// The server's counts, once stopped.
    pub server: ServerStats,
    /// Whether connecting to the server's port after the stop was refused.
    pub port_closed: bool,
    /// rayon threads seen exiting at the end (equals `pool_workers`).
    pub rayon_threads_exited: usize,
    /// The process pool's worker pids just before it was shut down (empty
    /// if no part needed the pool).
    pub worker_pids: Vec<u32>,
    /// Of those, processes still present afterwards (0: all reaped).
    pub workers_alive: usize,
}

/// One mode's run: what it measured and what its runtime left behind.
#[derive(Debug, Clone)]
pub struct ModeRun {
    /// What the experiment measured.
    pub report: RunReport,
    /// Tasks left on the runtime after the run (none, we check).
    pub leftovers: Leftovers,
}

/// What the futures-both-ways part saw.
#[derive(Debug)]
pub struct FuturesSummary {
    /// Awaiting a process pool's handle with a generous timeout: in time.
    pub pool_in_time: PoolWait,
    /// Awaiting a long process-pool job with a tiny timeout: timed out,
    /// then collected anyway.
    pub pool_timed_out: PoolWait,
    /// A thread waiting for an HTTP request made by an async task.
    pub thread_in_time: Result<String, ResultError>,
    /// A thread waiting too briefly for a slow async task (cancelled).
    pub thread_timed_out: Result<String, ResultError>,
}

/// Runs the program: server, experiment(s), futures, shutdown; prints as
/// it goes and returns what happened. With `ctrl_c`, an interrupt while
/// the process pool runs stops its workers before the program exits.
pub fn run(config: &Config, ctrl_c: Option<&interrupt::CtrlC>) -> Result<Summary, Error> {
    let clock = Clock::start();
    let server = Server::start()?;
    let addr = server.addr();
    clock.say(
        "main",
        format!("HTTP server listening on http://{addr} (thread http-server)"),
    );
    let rayon = rayon_pool(config.pool_workers)?;
    // The process pool starts worker processes: only when a part uses it.
    let processes = if config.modes.contains(&Mode::ProcessPool) || config.part != Part::Table {
        let pool = match ProcessPoolExecutor::<CountTask>::new(config.pool_workers) {
            Ok(pool) => pool,
            Err(error) => {
                // Stop what did start before reporting the error.
                let _ = server.stop();
                rayon.shutdown();
                return Err(error.into());
            }
        };
        clock.say(
            "main",
            format!(
                "process pool: {} worker processes, pids {:?}",
                config.pool_workers,
                pool.worker_pids()
            ),
        );
        if let Some(ctrl_c) = ctrl_c {
            ctrl_c.watch(&pool);
        }
        Some(pool)
    } else {
        None
    };
    let pools = Pools {
        rayon: &rayon.pool,
        processes: processes.as_ref(),
    };

    // Run the parts, keeping the result, so that the shutdown below
    // happens whatever went wrong.
    let result = run_parts(config, &clock, addr, pools);

    let stats = server.stop()?;
    let port_closed = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err();
    let rayon_threads_exited = rayon.shutdown();
    let worker_pids = processes
        .as_ref()
        .map(|p| p.worker_pids())
        .unwrap_or_default();
    // Dropping the pool shuts it down and waits until every worker has
    // exited and been reaped (waited for: no zombie).
    drop(processes);
    if let Some(ctrl_c) = ctrl_c {
        ctrl_c.forget();
    }
    let workers_alive = worker_pids
        .iter()
        .filter(|&&pid| process_exists(pid))
        .count();
    let (runs, futures) = result?;
    clock.say(
        "main",
        format!(
            "server stopped: {} requests on {} connections, {} connection tasks joined; \
             port {} {}",
            stats.requests,
            stats.connections,
            stats.connections_joined,
            addr.port(),
            if port_closed {
                "closed (connect refused)"
            } else {
                "STILL OPEN"
            }
        ),
    );
    clock.say(
        "main",
        format!(
            "rayon pool: {rayon_threads_exited} of {} threads exited",
            config.pool_workers
        ),
    );
    if !worker_pids.is_empty() {
        clock.say(
            "main",
            format!("process pool shut down: workers {worker_pids:?}, {workers_alive} still alive"),
        );
    }
    Ok(Summary {
        runs,
        futures,
        server: stats,
        port_closed,
        rayon_threads_exited,
        worker_pids,
        workers_alive,
    })
}

/// Whether a process with this pid exists (a zombie counts: it exists
/// until its parent waits for it). Linux: `/proc/<pid>`.
pub fn process_exists(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// The table part, then the futures part, as `config.part` says.
fn run_parts(
    config: &Config,
    clock: &Clock,
    addr: SocketAddr,
    pools: Pools<'_>,
) -> Result<(Vec<ModeRun>, Option<FuturesSummary>), Error> {
    let mut runs = Vec::new();
    if config.part != Part::Futures {
        clock.say("main", describe(config));
        for &mode in &config.modes {
            let run = run_mode(config, mode, addr, pools, clock)?;
            runs.push(run);
        }
        println!();
        print!("{}", table::render(config, &runs));
        println!();
    }
    let futures = if config.part == Part::Table {
        None
    } else {
        let processes = pools.processes.ok_or(ExperimentError::NoProcessPool)?;
        Some(futures_both_ways(config, clock, addr, processes)?)
    };
    Ok((runs, futures))
}

/// The line that says what is about to run.
fn describe(config: &Config) -> String {
    let Load {
        requests,
        concurrency,
        jobs,
        iterations,
    } = config.load;
    let workers = match config.runtime {
        RuntimeKind::AsyncStd => {
            "its global executor (size: ASYNC_STD_THREAD_COUNT, default one per CPU; \
             --workers does not apply)"
                .to_string()
        }
        _ => format!("{} worker thread(s)", config.workers),
    };
    format!(
        "{requests} requests over {concurrency} connections while {jobs} jobs \
         count(k, {iterations}) run; client runtime {} with {workers}",
        config.runtime.name()
    )
}

/// One mode on the configured runtime; prints where each job ran.
fn run_mode(
    config: &Config,
    mode: Mode,
    addr: SocketAddr,
    pools: Pools<'_>,
    clock: &Clock,
) -> Result<ModeRun, Error> {
    let offset = clock.elapsed();
    clock.say("main", format!("mode {}: start", mode.name()));
    let load = config.load;
    let (report, leftovers) = match config.runtime {
        RuntimeKind::Tokio => with_tokio(config.workers, |rt| async move {
            experiment::run(&rt, mode, load, addr, pools).await
        })?,
        RuntimeKind::AsyncStd => {
            with_async_std(|rt| async move { experiment::run(&rt, mode, load, addr, pools).await })
        }
        RuntimeKind::Smol => with_smol(config.workers, |rt| async move {
            experiment::run(&rt, mode, load, addr, pools).await
        })?,
    };
    let report = report?;
    let mut by_time: Vec<_> = report.jobs.iter().collect();
    by_time.sort_by_key(|f| f.finished_at);
    for f in by_time {
        println!(
            "{}",
            format_line(
                offset + f.finished_at,
                &f.outcome.ran_on,
                format!(
                    "job {} done: count = {} (loop took {:.3}s)",
                    f.outcome.job,
                    f.outcome.result,
                    f.outcome.took.as_secs_f64()
                )
            )
        );
    }
    clock.say(
        "main",
        format!(
            "mode {}: {}/{} responses, p50 {}, p99 {}, jobs done after {:.3}s",
            mode.name(),
            report.answered,
            config.load.requests,
            table::millis(report.percentile(50.0)),
            table::millis(report.percentile(99.0)),
            report.jobs_total.as_secs_f64()
        ),
    );
    Ok(ModeRun { report, leftovers })
}

/// The futures-both-ways part, on a tokio runtime of its own.
fn futures_both_ways(
    config: &Config,
    clock: &Clock,
    addr: SocketAddr,
    processes: &ProcessPoolExecutor<CountTask>,
) -> Result<FuturesSummary, Error> {
    let iterations = config.load.iterations;
    let runtime = runtime::tokio_runtime(config.workers)?;

    // 1. Async code awaiting a pool's handle (`wrap_future` + `wait_for`).
    clock.say(
        "main",
        "futures both ways: async code awaits a process pool's handle \
         (asyncio.wrap_future), timeout 10 s",
    );
    let job = on_process_pool(processes, 1, iterations, RunningJobs::default())?;
    let pool_in_time = runtime.block_on(wait_for_job(job, Duration::from_secs(10)));
    clock.say("main", describe_pool_wait(&pool_in_time));
    clock.say(
        "main",
        "again with a job 10 times longer and a timeout of 1 ms",
    );
    let job = on_process_pool(
        processes,
        1,
        iterations.saturating_mul(10),
        RunningJobs::default(),
    )?;
    let pool_timed_out = runtime.block_on(wait_for_job(job, Duration::from_millis(1)));
    clock.say("main", describe_pool_wait(&pool_timed_out));

    // 2. A plain thread waiting for async code (`run_coroutine_threadsafe`).
    let handle = runtime.handle();
    let (thread_in_time, thread_timed_out) = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("plain-thread".into())
            .spawn_scoped(scope, || {
                clock.say_here(
                    "run_coroutine_threadsafe(fetch /echo/42), then .result(timeout = 10 s)",
                );
                let in_time = run_coroutine_threadsafe(handle, fetch_once(addr, 42)).result(Duration::from_secs(10));
                clock.say_here(format!("result: {in_time:?}"));
                clock.say_here(
                    "run_coroutine_threadsafe(sleep 10 s, then fetch), then .result(timeout = 20 ms)",
                );
                let slow = async move {
                    tokio::time::sleep(Duration::from_secs(10)).await;
                    fetch_once(addr, 43).await
                };
                let timed_out =
                    run_coroutine_threadsafe(handle, slow).result(Duration::from_millis(20));
                clock.say_here(format!(
                    "result: {timed_out:?} (the task was cancelled at its sleep, and joined)"
                ));
                (in_time, timed_out)
            })
            .map(|thread| thread.join().expect("the plain thread does not panic"))
    })?;
    // Dropping the runtime joins its workers.
    drop(runtime);
    Ok(FuturesSummary {
        pool_in_time,
        pool_timed_out,
        thread_in_time: thread_in_time.and_then(|r| r.map_err(|_| ResultError::Lost)),
        thread_timed_out: thread_timed_out.and_then(|r| r.map_err(|_| ResultError::Lost)),
    })
}

/// One request to the server from tokio, returning the body.
async fn fetch_once(addr: SocketAddr, n: u64) -> Result<String, client::ClientError> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|source| client::ClientError::Connect { lane: 0, source })?;
    let io = hyper_util::rt::TokioIo::new(stream);
    let report = client::run_lane(0, io, n..n + 1, std::time::Instant::now()).await?;
    Ok(String::from_utf8_lossy(&report.last_body).into_owned())
}

/// A line for a [`PoolWait`].
fn describe_pool_wait(wait: &PoolWait) -> String {
    match wait {
        PoolWait::InTime(Ok(o)) => format!(
            "in time: count = {} from {} (loop took {:.3}s)",
            o.result,
            o.ran_on,
            o.took.as_secs_f64()
        ),
        PoolWait::InTime(Err(e)) => format!("in time, but the job failed: {e}"),
        PoolWait::TimedOut {
            then,
            finished_after,
        } => format!(
            "timed out: the wait stopped, the job did not; it finished after {:.3}s with {}",
            finished_after.as_secs_f64(),
            match then {
                Ok(o) => format!("count = {}", o.result),
                Err(e) => format!("an error: {e}"),
            }
        ),
    }
}
