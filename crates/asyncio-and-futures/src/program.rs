//! The whole program: start the server and the pools, run the parts, shut
//! everything down and check that nothing is left. The shutdown runs
//! whatever happened (success, an error, Ctrl-C): the server stops, the
//! port is checked closed, the rayon threads are waited for, the process
//! pool is dropped, which reaps every worker, and `/proc` is checked.
//!
//! The first Ctrl-C kills the pool's workers at once (from the handler's
//! thread) and stops the running part (see `runtime.rs`). The shutdown
//! then waits for nothing that may be inside a CPU loop: those threads end
//! with the process, and [`run`] returns [`Error::Interrupted`].

use std::net::SocketAddr;
use std::time::Duration;

use process_pool::ProcessPoolExecutor;
use runner::{Interrupt, Recorder, SpanKind};

use crate::experiment::Run;
use crate::experiment::{Pools, RunReport};
use crate::futures_part::{self, FuturesSummary};
use crate::jobs::{CountTask, Jobs, Mode, RayonPool, rayon_pool};
use crate::port;
use crate::progress::Progress;
use crate::server::{Server, ServerStats};
use crate::{Config, Error, Part, output};

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
    /// The process pool's worker pids, at its start and just before it was
    /// shut down (empty if no part needed the pool).
    pub worker_pids: Vec<u32>,
    /// Of those, processes still present afterwards (0: all reaped).
    pub workers_alive: usize,
}

/// One mode's run: what it measured and what its runtime left behind.
#[derive(Debug, Clone)]
pub struct ModeRun {
    /// What the experiment measured.
    pub report: RunReport,
    /// Whether every task on the runtime had finished after the run (the
    /// goal: `Some(true)`); `None` when the runtime cannot tell (async-std).
    pub all_tasks_finished: Option<bool>,
}

/// What every part of a run uses, borrowed from [`run`].
#[derive(Clone, Copy)]
pub(crate) struct Context<'a> {
    /// What to run.
    pub config: &'a Config,
    /// Prints (and keeps) the labelled lines.
    pub out: &'a Recorder,
    /// Ctrl-C.
    pub interrupt: &'a Interrupt,
    /// How far the run got.
    pub progress: &'a Progress,
    /// The HTTP server's address.
    pub server: SocketAddr,
    /// The rayon and process pools.
    pub pools: Pools<'a>,
}

impl Context<'_> {
    /// The error of a run that Ctrl-C stopped: how far it got.
    pub fn stopped(&self) -> Error {
        Error::Interrupted(self.progress.summary())
    }

    /// `Err(stopped)` once Ctrl-C was pressed: between the steps of a
    /// part, so that nothing starts after it.
    pub fn check(&self) -> Result<(), Error> {
        self.interrupt.check().map_err(|_| self.stopped())
    }
}

/// Runs the program: server, experiment(s), futures, shutdown; says on
/// `out` what happens as it goes and returns what happened. `interrupt`
/// is the process's Ctrl-C handler in the binary, or a flag that only a
/// test raises; its summary (for a forced exit) is set here.
pub fn run(config: &Config, interrupt: &Interrupt, out: &Recorder) -> Result<Summary, Error> {
    let progress = Progress::new(config);
    interrupt.set_summary({
        let progress = progress.clone();
        move || progress.summary()
    });
    let server = Server::start()?;
    let addr = server.addr();
    out.say(
        "main",
        format!("HTTP server listening on http://{addr} (thread http-server)"),
    );
    let (rayon, processes) = match start_pools(config, out) {
        Ok(pools) => pools,
        Err(error) => {
            // Stop what did start before reporting the error.
            let _ = server.stop();
            return Err(error);
        }
    };
    // The first Ctrl-C kills the worker processes, from the handler's
    // thread: the jobs waiting for them get an error at once, and no
    // worker outlives the program.
    let first_pids = processes
        .as_ref()
        .map(|p| p.worker_pids())
        .unwrap_or_default();
    let stop_workers = processes.as_ref().map(|pool| {
        let stopper = pool.stopper();
        interrupt.on_interrupt(move || stopper.stop())
    });
    let cx = Context {
        config,
        out,
        interrupt,
        progress: &progress,
        server: addr,
        pools: Pools {
            rayon: &rayon.pool,
            processes: processes.as_ref(),
        },
    };
    // Run the parts, keeping the result, so that the shutdown below
    // happens whatever went wrong.
    let result = run_parts(cx);

    let stats = server.stop()?;
    let port_closed = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err();
    out.say("main", output::server_stopped(&stats, addr, port_closed));
    let rayon_threads_exited = if interrupt.raised() {
        // A rayon thread may be inside a job's loop: not waited for.
        drop(rayon);
        let dropped = "rayon pool: dropped; threads still in a job end with the process";
        out.say("main", dropped);
        0
    } else {
        let exited = rayon.shutdown();
        let threads = config.pool_workers;
        out.say(
            "main",
            format!("rayon pool: {exited} of {threads} threads exited"),
        );
        exited
    };
    // Also the pids seen at the start: after Ctrl-C killed them, the pool
    // no longer lists its workers, and they must be checked all the same.
    let mut worker_pids = first_pids;
    worker_pids.extend(processes.iter().flat_map(|p| p.worker_pids()));
    worker_pids.sort_unstable();
    worker_pids.dedup();
    // Dropping the pool shuts it down and waits until every worker has
    // exited and been reaped (waited for: no zombie).
    drop(processes);
    drop(stop_workers);
    let workers_alive = worker_pids
        .iter()
        .filter(|&&pid| process_exists(pid))
        .count();
    if !worker_pids.is_empty() {
        let workers = output::pids(&worker_pids);
        out.say(
            "main",
            format!("process pool shut down: workers {workers}, {workers_alive} still alive"),
        );
    }
    if interrupt.raised() {
        return Err(Error::Interrupted(progress.summary()));
    }
    let (runs, futures) = result?;
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

/// The rayon pool, and the process pool when a part uses it (it starts
/// worker processes: only then).
fn start_pools(
    config: &Config,
    out: &Recorder,
) -> Result<(RayonPool, Option<ProcessPoolExecutor<CountTask>>), Error> {
    let wanted = config.modes.contains(&Mode::ProcessPool) || config.part != Part::Table;
    let processes = wanted
        .then(|| ProcessPoolExecutor::<CountTask>::new(config.pool_workers))
        .transpose()?;
    if let Some(pool) = &processes {
        let workers = output::pids(&pool.worker_pids());
        let started = format!(
            "process pool: {} worker processes started: {workers}",
            config.pool_workers
        );
        out.say("main", started);
    }
    // If it fails, the process pool is dropped: its workers are reaped.
    Ok((rayon_pool(config.pool_workers)?, processes))
}

/// The table part, then the futures part, as `config.part` says.
fn run_parts(cx: Context<'_>) -> Result<(Vec<ModeRun>, Option<FuturesSummary>), Error> {
    let config = cx.config;
    let mut runs = Vec::new();
    if config.part != Part::Futures {
        cx.out.say("main", output::describe(config));
        for &mode in &config.modes {
            runs.push(run_mode(cx, mode)?);
            cx.progress.finish();
        }
        println!();
        print!("{}", output::render(config, &runs));
        println!();
    }
    let futures = if config.part == Part::Table {
        None
    } else {
        let processes = cx.pools.processes()?;
        cx.progress.start(None);
        let summary = futures_part::run(cx, processes)?;
        cx.progress.finish();
        Some(summary)
    };
    Ok((runs, futures))
}

/// One mode on the configured runtime, a bar on main's lane.
fn run_mode(cx: Context<'_>, mode: Mode) -> Result<ModeRun, Error> {
    let jobs = Jobs::new(cx.out);
    cx.progress.start(Some((mode, &jobs.running)));
    let _bar = cx
        .out
        .span("main", format!("mode {}", mode.name()), SpanKind::Wait);
    let (load, server, pools) = (cx.config.load, cx.server, cx.pools);
    let ran = cx.config.client.run(cx.interrupt, |client| async move {
        let start = std::time::Instant::now();
        let run = Run {
            client,
            jobs,
            load,
            server,
            start,
        };
        port::run_mode(run, mode, pools).await
    })?;
    let (report, all_tasks_finished) = ran.ok_or_else(|| cx.stopped())?;
    Ok(ModeRun {
        report: report?,
        all_tasks_finished,
    })
}
