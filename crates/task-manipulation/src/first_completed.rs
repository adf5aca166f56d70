//! Part `first-completed`: wait for the first of several, then deal with
//! the rest.
//!
//! | Python                                                   | Rust                           |
//! |----------------------------------------------------------|--------------------------------|
//! | `done, pending = await asyncio.wait(ts, return_when=FIRST_COMPLETED)` | `JoinSet::join_next()` |
//! | `for t in pending: t.cancel()`                           | `set.shutdown().await`         |
//! | (no direct counterpart: a race of bare awaitables)       | `tokio::select!`               |
//!
//! The two Rust ways differ in what happens to the losers, and that is the
//! lesson of this part:
//! - `select!` races *futures* it owns. When one finishes, `select!`
//!   returns and the other futures are **dropped**, which cancels them: their
//!   drop guards print at that very moment.
//! - A `JoinSet` holds *spawned tasks*. `join_next` returns the first to
//!   finish and the others **keep running**, exactly like Python's
//!   `pending` set. We take a second result to prove it, then cancel the
//!   last one with `shutdown()` (abort every task and wait until each is
//!   gone). Dropping a `JoinSet` aborts its tasks too.

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Error;
use crate::gather::JOBS;
use crate::work::{Pace, job};
use runner::Recorder;

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstReport {
    /// The winner of `select!` and when it won.
    pub select_winner: (&'static str, Duration),
    /// The first result of `join_next` and when it came.
    pub first: (&'static str, Duration),
    /// The second result of `join_next`: the others kept running.
    pub second: (&'static str, Duration),
    /// How many tasks `shutdown()` had to cancel.
    pub cancelled_by_shutdown: usize,
}

/// Races the `gather` jobs (3 s, 1 s, 2 s) with `select!`, then with a
/// `JoinSet`.
pub async fn run(log: &Recorder, pace: Pace) -> Result<FirstReport, Error> {
    let [(n0, s0, v0), (n1, s1, v1), (n2, s2, v2)] = JOBS;

    log.say("main", "race with select!: the losers are dropped");
    let t0 = Instant::now();
    let (winner, value) = tokio::select! {
        v = job(log.clone(), n0, pace.secs(s0), v0) => (n0, v),
        v = job(log.clone(), n1, pace.secs(s1), v1) => (n1, v),
        v = job(log.clone(), n2, pace.secs(s2), v2) => (n2, v),
    };
    let select_winner = (winner, t0.elapsed());
    log.say("main", format!("select! -> {winner} = {}", value?));

    log.say("main", "wait(FIRST_COMPLETED) -> JoinSet::join_next");
    let t0 = Instant::now();
    let mut set = JoinSet::new();
    for &(name, secs, n) in &JOBS {
        let log = log.clone();
        set.spawn(async move { (name, job(log, name, pace.secs(secs), n).await) });
    }
    let first = next(&mut set, log, t0).await?;
    log.say(
        "main",
        format!(
            "{} still pending, and still running: wait once more",
            set.len()
        ),
    );
    let second = next(&mut set, log, t0).await?;
    let cancelled_by_shutdown = set.len();
    log.say(
        "main",
        format!("for t in pending: t.cancel() -> shutdown() ({cancelled_by_shutdown} task)"),
    );
    // Aborts every task left and waits until each has been dropped, so the
    // guards have printed by the time this returns.
    set.shutdown().await;
    log.say("main", "shutdown() returned: nothing left running");
    Ok(FirstReport {
        select_winner,
        first,
        second,
        cancelled_by_shutdown,
    })
}

/// Type of the tasks in the set: name and the job's result.
type Named = (&'static str, Result<i64, common::WorkloadError>);

/// Takes the next finished task from the set and prints it.
async fn next(
    set: &mut JoinSet<Named>,
    log: &Recorder,
    t0: Instant,
) -> Result<(&'static str, Duration), Error> {
    let (name, value) = set.join_next().await.ok_or(Error::EmptySet)??;
    log.say("main", format!("join_next -> {name} = {}", value?));
    Ok((name, t0.elapsed()))
}
