//! What the program says: the results table, one row per mode, so a
//! reader sees at a glance which way of running CPU work keeps the I/O
//! fast, and the labelled lines around it.
//!
//! ```text
//! mode            runtime    responses      p50      p99      max  jobs done  ticks/jobs-ms  results  tasks left
//! direct          tokio      2000/2000   0.1 ms 210.3 ms 212.0 ms    0.431 s       0/431     ok       none
//! spawn-blocking  tokio      2000/2000   0.2 ms   3.1 ms   9.8 ms    0.402 s     350/402     ok       none
//! ```
//!
//! `ticks/jobs-ms` compares the ticks of a 1 ms ticker seen while a job was
//! running with the milliseconds until the jobs were done: near zero means
//! the event loop was frozen, close to the other number means it was free.

use std::fmt::Write;
use std::net::SocketAddr;
use std::time::Duration;

use runtimes::{Runtime, TokioFlavor};

use crate::Config;
use crate::bridge::PoolWait;
use crate::experiment::{FinishedJob, Load, RunReport};
use crate::program::ModeRun;
use crate::server::ServerStats;

/// A duration in milliseconds with one decimal: `12.3 ms`.
pub fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// Renders the table (ending with a newline).
pub fn render(config: &Config, runs: &[ModeRun]) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail: `let _` drops the Ok(()).
    let _ = writeln!(
        out,
        "{:<15} {:<10} {:>11} {:>9} {:>9} {:>9} {:>10} {:>14}  {:<7}  tasks left",
        "mode",
        "runtime",
        "responses",
        "p50",
        "p99",
        "max",
        "jobs done",
        "ticks/jobs-ms",
        "results",
    );
    for ModeRun { report, leftovers } in runs {
        let max = report.latencies.last().copied().unwrap_or_default();
        let results = if report.results_correct(config.load.iterations) {
            "ok"
        } else {
            "WRONG"
        };
        let tasks_left = match leftovers.all_tasks_finished {
            Some(true) => "none",
            Some(false) => "SOME",
            None => "unknown",
        };
        let _ = writeln!(
            out,
            "{:<15} {:<10} {:>11} {:>9} {:>9} {:>9} {:>8.3} s {:>14}  {:<7}  {}",
            report.mode.name(),
            config.client.runtime.name(),
            format!("{}/{}", report.answered, config.load.requests),
            millis(report.percentile(50.0)),
            millis(report.percentile(99.0)),
            millis(max),
            report.jobs_total.as_secs_f64(),
            format!(
                "{}/{}",
                report.ticks_during_jobs,
                report.jobs_total.as_millis()
            ),
            results,
            tasks_left,
        );
    }
    out
}

/// The line that says what is about to run.
pub fn describe(config: &Config) -> String {
    let Load {
        requests,
        concurrency,
        jobs,
        iterations,
    } = config.load;
    let client = config.client;
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
        "{requests} requests over {concurrency} connections while {jobs} jobs \
         count(k, {iterations}) run; client runtime {} with {threads}",
        client.runtime.name()
    )
}

/// The line for one finished job, labelled with where it ran.
pub fn job_done(job: &FinishedJob) -> String {
    let outcome = &job.outcome;
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
                Ok(o) => format!("count = {}", o.result),
                Err(e) => format!("an error: {e}"),
            }
        ),
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
