//! Part `sequential`: the same three jobs one after another, then together.
//!
//! | Python                                       | Rust                          |
//! |----------------------------------------------|-------------------------------|
//! | `await a(); await b(); await c()`            | `a().await; b().await; ...`   |
//! | `await asyncio.gather(a(), b(), c())`        | `tokio::join!(a(), b(), c())` |
//!
//! Awaiting one job before starting the next adds their times up; running
//! them together takes as long as the longest, because all three wait at
//! the same time. That holds for *waiting* (I/O, timers). Three CPU-bound
//! jobs on one thread would still take the sum: concurrency is not
//! parallelism (the `thread-pool` and `process-pool` chapters).

use std::time::Duration;

use tokio::time::Instant;

use crate::Error;
use crate::work::{Pace, job};
use runner::Recorder;

/// The jobs: (name, seconds, n for `cube(n)`).
pub const JOBS: [(&str, f64, i64); 3] = [("one", 1.0, 1), ("two", 2.0, 2), ("three", 3.0, 3)];

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequentialReport {
    /// Results and time of the one-after-another run.
    pub sequential: (Vec<i64>, Duration),
    /// Results and time of the concurrent run.
    pub concurrent: (Vec<i64>, Duration),
}

/// Runs the jobs in sequence, then concurrently, and prints both times.
pub async fn run(log: &Recorder, pace: Pace) -> Result<SequentialReport, Error> {
    log.say(
        "main",
        "sequential: await each job before starting the next",
    );
    let t0 = Instant::now();
    let mut values = Vec::new();
    for &(name, secs, n) in &JOBS {
        values.push(job(log.clone(), name, pace.secs(secs), n).await?);
    }
    let sequential = (values, t0.elapsed());
    log.say(
        "main",
        format!(
            "sequential took {:.3} s (the sum)",
            sequential.1.as_secs_f64()
        ),
    );

    log.say("main", "concurrent: all three at once with join!");
    let t0 = Instant::now();
    let [(n0, s0, v0), (n1, s1, v1), (n2, s2, v2)] = JOBS;
    let (a, b, c) = tokio::join!(
        job(log.clone(), n0, pace.secs(s0), v0),
        job(log.clone(), n1, pace.secs(s1), v1),
        job(log.clone(), n2, pace.secs(s2), v2),
    );
    let concurrent = (vec![a?, b?, c?], t0.elapsed());
    log.say(
        "main",
        format!(
            "concurrent took {:.3} s (the longest)",
            concurrent.1.as_secs_f64()
        ),
    );
    Ok(SequentialReport {
        sequential,
        concurrent,
    })
}
