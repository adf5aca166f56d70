//! Part `gather`: run several at once, get the results in argument order.
//!
//! | Python                                  | Rust                                       |
//! |-----------------------------------------|--------------------------------------------|
//! | `await asyncio.gather(a(), b(), c())`   | `tokio::join!(a(), b(), c())` (a tuple)    |
//! | `await asyncio.gather(*tasks)`          | `futures::future::join_all(handles)` (Vec) |
//! | `for t in asyncio.as_completed(...)`    | `JoinSet::join_next()` (completion order)  |
//!
//! `join!` and `join_all` keep argument order, like `gather`, whatever the
//! order of completion. `join!` over plain futures runs them *concurrently
//! inside the current task* (one task, no spawn); `join_all` over spawned
//! handles waits for tasks that the runtime runs on its own (and, on a
//! multi-thread runtime, in parallel). A `JoinSet` hands results back as
//! they finish; to get argument order back, each task returns its index and
//! we put the result in its slot.

use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Error;
use crate::work::{Pace, job};
use runner::Recorder;

/// The three jobs, in argument order: (name, seconds, n for `cube(n)`).
pub const JOBS: [(&str, f64, i64); 3] = [("slow", 3.0, 1), ("fast", 1.0, 2), ("medium", 2.0, 3)];

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatherReport {
    /// Results of `join!`, in argument order.
    pub join_macro: Vec<i64>,
    /// Results of `join_all` over spawned tasks, in argument order.
    pub join_all: Vec<i64>,
    /// Names in the order the `JoinSet` handed them back (completion order).
    pub join_set_completion: Vec<&'static str>,
    /// The `JoinSet` results after putting each back in its slot.
    pub join_set_reordered: Vec<i64>,
    /// How long each of the three ways took (each: the longest job).
    pub times: [Duration; 3],
}

/// Gathers the same three jobs three ways.
pub async fn run(log: &Recorder, pace: Pace) -> Result<GatherReport, Error> {
    let [(n0, s0, v0), (n1, s1, v1), (n2, s2, v2)] = JOBS;

    // 1. `join!`: a fixed number of futures of any types, a tuple back.
    log.say("main", "gather(a, b, c) -> tokio::join!(a, b, c)");
    let t0 = Instant::now();
    let (a, b, c) = tokio::join!(
        job(log.clone(), n0, pace.secs(s0), v0),
        job(log.clone(), n1, pace.secs(s1), v1),
        job(log.clone(), n2, pace.secs(s2), v2),
    );
    let join_macro = vec![a?, b?, c?];
    let t_join = t0.elapsed();
    log.say("main", format!("join! -> {join_macro:?} (argument order)"));

    // 2. `join_all` over spawned tasks: any number, a Vec back, in order.
    log.say("main", "gather(*tasks) -> join_all(spawned handles)");
    let t0 = Instant::now();
    let handles: Vec<_> = JOBS
        .iter()
        .map(|&(name, secs, n)| tokio::spawn(job(log.clone(), name, pace.secs(secs), n)))
        .collect();
    let mut all = Vec::new();
    for joined in futures::future::join_all(handles).await {
        all.push(joined??);
    }
    let t_all = t0.elapsed();
    log.say("main", format!("join_all -> {all:?} (argument order)"));

    // 3. `JoinSet`: results as they complete; each task carries its index.
    log.say(
        "main",
        "JoinSet: results in completion order, then re-ordered",
    );
    let t0 = Instant::now();
    let mut set = JoinSet::new();
    for (index, &(name, secs, n)) in JOBS.iter().enumerate() {
        let log = log.clone();
        set.spawn(async move { (index, name, job(log, name, pace.secs(secs), n).await) });
    }
    let mut slots: Vec<Option<i64>> = vec![None; JOBS.len()];
    let mut completion = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (index, name, value) = joined?;
        let value = value?;
        log.say(
            "main",
            format!("join_next -> {name} (argument #{index}) = {value}"),
        );
        completion.push(name);
        slots[index] = Some(value);
    }
    // Every slot is filled: the set only ends after every task came back.
    let reordered: Vec<i64> = slots.into_iter().flatten().collect();
    let t_set = t0.elapsed();
    log.say("main", format!("JoinSet re-ordered -> {reordered:?}"));

    Ok(GatherReport {
        join_macro,
        join_all: all,
        join_set_completion: completion,
        join_set_reordered: reordered,
        times: [t_join, t_all, t_set],
    })
}
