//! The results table: one row per mode, so a reader sees at a glance which
//! way of running CPU work keeps the I/O fast.
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
use std::time::Duration;

use crate::{Config, ModeRun};

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
            config.runtime.name(),
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
