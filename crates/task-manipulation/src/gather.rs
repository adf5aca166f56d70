//! Part `gather`, beyond the Python program: `tokio::join!` (a fixed
//! number of futures, of any types: a tuple) and `join_all` over spawned
//! handles. Both keep argument order. `join!` polls its futures inside
//! the current task; spawned tasks run on their own (in parallel on a
//! multi-thread runtime), which is what Python's `gather` does with
//! coroutines: it wraps each in a task.

use std::time::Duration;

use tokio::time::Instant;

use crate::Error;
use crate::port::RACE;
use crate::work::{Pace, job_of, list, say};
use runner::Recorder;

/// What the part observed beyond the port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatherReport {
    /// Results of `join!`, in argument order.
    pub join_macro: Vec<i64>,
    /// Results of `join_all` over spawned tasks, in argument order.
    pub join_all: Vec<i64>,
    /// How long each of the two ways took (each: the longest job).
    pub times: [Duration; 2],
}

/// Gathers the `RACE` jobs with `join!`, then as spawned tasks.
pub async fn beyond(log: &Recorder, pace: Pace) -> Result<GatherReport, Error> {
    let [a, b, c] = RACE;
    say!(
        log,
        "beyond the Python program: gather(a, b, c) -> tokio::join!(a, b, c)"
    );
    let t0 = Instant::now();
    let (a, b, c) = tokio::join!(
        job_of(log, pace, a),
        job_of(log, pace, b),
        job_of(log, pace, c),
    );
    // A tuple: each element has its own type (here three alike).
    let join_macro = vec![a?, b?, c?];
    let t_join = t0.elapsed();
    say!(log, "join! -> {} (argument order)", list(&join_macro));

    say!(log, "gather(*tasks) -> join_all(handles of spawned tasks)");
    let t0 = Instant::now();
    let handles = RACE.map(|spec| tokio::spawn(job_of(log, pace, spec)));
    let mut all = Vec::new();
    // Each handle gives `Result<Value, JoinError>`: the outer `?` for a task
    // that panicked or was cancelled, the inner one for the job's error.
    for joined in futures::future::join_all(handles).await {
        all.push(joined??);
    }
    let t_all = t0.elapsed();
    say!(log, "join_all -> {} (argument order)", list(&all));
    Ok(GatherReport {
        join_macro,
        join_all: all,
        times: [t_join, t_all],
    })
}
