//! Part `first-completed`, beyond the Python program: a race with
//! `select!`. A `JoinSet`'s `join_next` ([`crate::port::first_completed`])
//! leaves the others **running**, like Python's `pending` set; `select!`
//! races futures it owns and **drops** (cancels) the losers when one wins:
//! their guards print at that moment. Its pitfalls: `--part cancel-safety`
//! and `--part select-fairness`.

use std::time::Duration;

use tokio::time::Instant;

use crate::Error;
use crate::port::RACE;
use crate::work::{Pace, job_of, say};
use runner::Recorder;

/// The winner of `select!` and when it won.
pub type Winner = (&'static str, Duration);

/// Races the `RACE` jobs (3 s, 1 s, 2 s) with `select!`.
pub async fn race(log: &Recorder, pace: Pace) -> Result<Winner, Error> {
    let [(n0, ..), (n1, ..), (n2, ..)] = RACE;
    say!(
        log,
        "beyond the Python program: a race with select!, the losers dropped"
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
    say!(log, "select! -> {winner} = {}", value?);
    Ok((winner, t0.elapsed()))
}
