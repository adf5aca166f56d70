//! Part `first-completed`, beyond the Python program: a race with
//! `select!`, whose losers are cancelled.
//!
//! | Python                                                   | Rust                           |
//! |----------------------------------------------------------|--------------------------------|
//! | `done, pending = await asyncio.wait(ts, return_when=FIRST_COMPLETED)` | `JoinSet::join_next()` ([`crate::port::first_completed`]) |
//! | `for t in pending: t.cancel()`                           | `set.shutdown().await`         |
//! | (no direct counterpart: a race of bare awaitables)       | `tokio::select!`               |
//!
//! The two Rust ways differ in what happens to the losers, and that is the
//! lesson of this part:
//! - A `JoinSet` holds *spawned tasks*. `join_next` returns the first to
//!   finish and the others **keep running**, exactly like Python's
//!   `pending` set (the port takes a second result to show it).
//! - `select!` races *futures* it owns. When one finishes, `select!`
//!   returns and the other futures are **dropped**, which cancels them:
//!   their drop guards print at that very moment.
//!
//! Two pitfalls live here: a `select!` in a loop drops a half-finished
//! future each time another branch wins (`--part cancel-safety`), and
//! which ready branch `select!` takes is random (`--part select-fairness`).

use std::time::Duration;

use tokio::time::Instant;

use crate::Error;
use crate::port::RACE;
use crate::work::{Pace, job_of};
use runner::Recorder;

/// The winner of `select!` and when it won.
pub type Winner = (&'static str, Duration);

/// Races the `RACE` jobs (3 s, 1 s, 2 s) with `select!`.
pub async fn race(log: &Recorder, pace: Pace) -> Result<Winner, Error> {
    let [(n0, ..), (n1, ..), (n2, ..)] = RACE;
    log.say(
        "main",
        "beyond the Python program: a race with select!, the losers dropped",
    );
    let t0 = Instant::now();
    let (winner, value) = tokio::select! {
        // `biased;`: poll the branches in the order written, so the jobs
        // start (and print) in that order on every run; without it
        // select! starts with a random branch (see select-fairness).
        biased;
        v = job_of(log, pace, RACE[0]) => (n0, v),
        v = job_of(log, pace, RACE[1]) => (n1, v),
        v = job_of(log, pace, RACE[2]) => (n2, v),
    };
    // The two losers' guards have printed by now: `select!` dropped them
    // before it returned.
    log.say("main", format!("select! -> {winner} = {}", value?));
    Ok((winner, t0.elapsed()))
}
