//! What the program says: the results table, one row per mode (so a
//! reader sees at a glance which way of running CPU work keeps the I/O
//! fast), and the labelled lines around it.
//!
//! `ticks/jobs-ms` compares the ticks of a 1 ms ticker seen while a job was
//! running with the milliseconds until the jobs were done: near zero means
//! the event loop was frozen, close to the other number means it was free.

use std::fmt::Write;
use std::net::SocketAddr;
use std::time::Duration;

use runtimes::{Runtime, TokioFlavor};

use crate::Config;
use crate::bridge::{PoolWait, ResultError};
use crate::client::ClientError;
use crate::experiment::{Load, RunReport};
use crate::jobs::JobOutcome;
use crate::program::ModeRun;
use crate::server::ServerStats;

/// A duration in milliseconds with one decimal: `12.3 ms`.
pub fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// The table's columns: heading, width, and whether the cells are
/// right-aligned (the numbers are).
const COLUMNS: [(&str, usize, bool); 10] = [
    ("mode", 14, false),
    ("runtime", 9, false),
    ("responses", 10, true),
    ("p50", 8, true),
    ("p99", 8, true),
    ("max", 8, true),
    ("jobs done", 9, true),
    ("ticks/jobs-ms", 13, true),
    ("results", 7, false),
    ("tasks left", 0, false),
];

/// Renders the table (ending with a newline).
pub fn render(config: &Config, runs: &[ModeRun]) -> String {
    let heading = COLUMNS.map(|(name, ..)| name.to_owned());
    let rows = runs.iter().map(|run| {
        let report = &run.report;
        let max = report.latencies.last().copied().unwrap_or_default();
        let correct = report.results_correct(config.load.iterations);
        let tasks_left = match run.all_tasks_finished {
            Some(true) => "none",
            Some(false) => "SOME",
            None => "unknown",
        };
        let ticks = report.ticks_during_jobs;
        [
            report.mode.name().to_owned(),
            config.client.runtime.name().to_owned(),
            format!("{}/{}", report.answered, config.load.requests),
            millis(report.percentile(50.0)),
            millis(report.percentile(99.0)),
            millis(max),
            format!("{:.3} s", report.jobs_total.as_secs_f64()),
            format!("{ticks}/{}", report.jobs_total.as_millis()),
            (if correct { "ok" } else { "WRONG" }).to_owned(),
            tasks_left.to_owned(),
        ]
    });
    let mut out = String::new();
    for cells in std::iter::once(heading).chain(rows) {
        let mut line = String::new();
        for (cell, (_, width, right)) in cells.iter().zip(COLUMNS) {
            // Writing to a String cannot fail: `let _` drops the Ok(()).
            let _ = match right {
                true => write!(line, "{cell:>width$}  "),
                false => write!(line, "{cell:<width$}  "),
            };
        }
        out += line.trim_end();
        out.push('\n');
    }
    out
}

/// The line that says what is about to run.
pub fn describe(config: &Config) -> String {
    let (load, client) = (config.load, config.client);
    let threads = match (client.runtime, client.flavor) {
        (Runtime::AsyncStd, _) => {
            "its global executor (size: ASYNC_STD_THREAD_COUNT, default one per CPU; \
             --workers does not apply)"
                .to_owned()
        }
        (Runtime::Tokio, TokioFlavor::CurrentThread) => {
            "one thread, main, polling every task (current-thread; --workers does not apply)"
                .to_owned()
        }
        (Runtime::Tokio, TokioFlavor::MultiThread) => {
            format!("{} worker thread(s) (multi-thread)", client.workers)
        }
        _ => format!("{} worker thread(s)", client.workers),
    };
    format!(
        "{} requests over {} connections while {} jobs count(k, {}) run; \
         client runtime {} with {threads}",
        load.requests, load.concurrency, load.jobs, load.iterations, client.runtime
    )
}

/// Worker pids as a reader sees them: `pid 4211, pid 4214`.
pub fn pids(pids: &[u32]) -> String {
    let named: Vec<String> = pids.iter().map(|pid| format!("pid {pid}")).collect();
    named.join(", ")
}

/// The timeline's title: the load, in a few words.
pub fn title(config: &Config) -> String {
    let load = config.load;
    format!(
        "asyncio-and-futures: {} requests on {} connections, {} jobs of count(k, {}), on {}",
        load.requests, load.concurrency, load.jobs, load.iterations, config.client.runtime
    )
}

/// The line for one finished job, labelled with where it ran.
pub fn job_done(outcome: &JobOutcome) -> String {
    format!(
        "job {} done: count = {} (loop took {:.3}s)",
        outcome.job,
        outcome.result,
        outcome.took.as_secs_f64()
    )
}

/// The line at the end of one mode.
pub fn mode_done(report: &RunReport, load: Load) -> String {
    format!(
        "mode {}: {}/{} responses, p50 {}, p99 {}, jobs done after {:.3}s",
        report.mode.name(),
        report.answered,
        load.requests,
        millis(report.percentile(50.0)),
        millis(report.percentile(99.0)),
        report.jobs_total.as_secs_f64()
    )
}

/// The line for a [`PoolWait`].
pub fn pool_wait(wait: &PoolWait) -> String {
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
                Ok(o) => format!("count = {} from {}", o.result, o.ran_on),
                Err(e) => format!("an error: {e}"),
            }
        ),
    }
}

/// The line for what a plain thread got from a coroutine it handed to the
/// loop (`future.result(timeout)`): the body, or why there is none.
pub fn threadsafe_result(result: &Result<Result<String, ClientError>, ResultError>) -> String {
    match result {
        Ok(Ok(body)) => format!("result: {body}"),
        Ok(Err(error)) => format!("no result: the coroutine failed: {error}"),
        Err(error) => format!("no result: {error}"),
    }
}

/// The line once the server has stopped.
pub fn server_stopped(stats: &ServerStats, addr: SocketAddr, port_closed: bool) -> String {
    format!(
        "server stopped: {} requests on {} connections, {} connection tasks joined; port {} {}",
        stats.requests,
        stats.connections,
        stats.connections_joined,
        addr.port(),
        if port_closed {
            "closed (connect refused)"
        } else {
            "STILL OPEN"
        }
    )
}
