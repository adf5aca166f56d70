//! The direct port of `python/manipulating_task.py`, read beside it: `job`
//! and four parts, in its order, each Python line above its Rust. Its other
//! parts need more Rust, in modules of their own: `part_exceptions` in
//! [`crate::exceptions`] (a panic is no exception), `worker` and
//! `part_cancel` in [`crate::cancel`] (cancelling is dropping),
//! `part_timeout` in [`crate::timeout`] (no `shield`), `part_scheduler` in
//! [`crate::scheduler`]. Helpers (`say!`, `job_of`) are in [`crate::work`].

use std::time::Duration;

use futures::future::try_join_all;
use runner::{Recorder, SpanKind};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

use crate::Error;
use crate::work::{Guard, Pace, Spec, Value, job_of, list, say, shown};

/// `async def job(name, seconds, n):` wait (standing for I/O), then `cube(n)`.
pub async fn job(log: Recorder, name: &'static str, wait: Duration, n: i64) -> Value {
    // try: ... except asyncio.CancelledError: say(name, "cancelled ..."); raise
    let mut guard = Guard::new(&log, name);
    let _bar = log.span(name, format!("cube({n})"), SpanKind::Wait); // ends on drop
    //     say(name, "started, waits %.3f s" % pace(seconds))
    log.say(name, format!("started, waits {}", shown(wait)));
    //     await asyncio.sleep(pace(seconds))
    sleep(wait).await; // the task is suspended here: where a cancel takes effect
    //     value = cube(n)
    let value = common::cube(n);
    guard.finish();
    //     say(name, "done: cube(%s) = %s" % (n, value))
    match &value {
        Ok(v) => log.say(name, format!("done: cube({n}) = {v}")),
        Err(e) => log.say(name, format!("failed: {e}")),
    }
    value
}

/// `async def part_create():` create a task, work meanwhile, await it.
pub async fn create(log: &Recorder, pace: Pace) -> Result<i64, Error> {
    //     task = asyncio.create_task(job("coffee", 2, 3))
    let task = tokio::spawn(job_of(log, pace, ("coffee", 2.0, 3)));
    //     say("main", "created; task.done() = %s" % task.done())
    let done = task.is_finished();
    say!(log, "created; task.done() -> is_finished() = {done}");
    //     await job("main-work", 0.5, 1)
    job_of(log, pace, ("main-work", 0.5, 1)).await?;
    say!(log, "own work done; now await task -> handle.await");
    //     say("main", "awaited the task: result %s" % await task)
    let value = task.await??; // the outer `?`: it panicked or was cancelled
    say!(log, "awaited the task: result {value}");
    Ok(value)
}

/// `RACE`, in argument order: they finish fast, medium, slow.
pub const RACE: [Spec; 3] = [("slow", 3.0, 1), ("fast", 1.0, 2), ("medium", 2.0, 3)];

/// `async def part_gather():` results in argument order, then as completed.
pub async fn gather(log: &Recorder, pace: Pace) -> Result<Vec<i64>, Error> {
    //     results = await asyncio.gather(*(job(*spec) for spec in RACE))
    let results = try_join_all(RACE.map(|spec| job_of(log, pace, spec))).await?;
    let shown = list(&results);
    say!(log, "gather -> try_join_all -> {shown} (argument order)");
    //     for next_done in asyncio.as_completed([indexed(i, job(*s)) ...]):
    let mut set = JoinSet::new();
    for (i, spec) in RACE.into_iter().enumerate() {
        let job = job_of(log, pace, spec);
        set.spawn(async move { (i, job.await) }); // each task carries its index
    }
    let mut slots = [0; RACE.len()];
    while let Some(joined) = set.join_next().await {
        //         i, value = await next_done
        let (i, value) = joined?;
        let (name, value) = (RACE[i].0, value?);
        say!(log, "as_completed -> {name} (argument #{i}) = {value}");
        slots[i] = value;
    }
    say!(log, "as_completed re-ordered -> {}", list(&slots));
    Ok(results)
}

/// `async def part_first_completed():` the first to finish; the rest run on.
pub async fn first_completed(log: &Recorder, pace: Pace) -> Result<(), Error> {
    //     tasks = {asyncio.create_task(job(*spec), name=spec[0]): ...}
    let mut set = JoinSet::new();
    for spec in RACE {
        let job = job_of(log, pace, spec);
        set.spawn(async move { (spec.0, job.await) });
    }
    for _ in 0..2 {
        //     done, pending = await asyncio.wait(tasks, return_when=FIRST_COMPLETED)
        let (name, value) = set.join_next().await.ok_or(Error::EmptySet)??;
        say!(log, "first completed -> {name} = {}", value?);
        say!(log, "{} still pending, and still running", set.len());
    }
    //     for t in pending: t.cancel()
    say!(log, "for t in pending: t.cancel() -> set.shutdown()");
    set.shutdown().await; // aborts what is left, and waits until it is gone
    say!(log, "shutdown() returned: nothing left running");
    Ok(())
}

/// `THREE`: one, two and three seconds.
pub const THREE: [Spec; 3] = [("one", 1.0, 1), ("two", 2.0, 2), ("three", 3.0, 3)];

/// `async def part_sequential():` one after another, then together.
pub async fn sequential(log: &Recorder, pace: Pace) -> Result<(), Error> {
    let waits = THREE.map(|(_, secs, _)| pace.secs(secs));
    let start = Instant::now();
    //     for spec in THREE: await job(*spec)
    for spec in THREE {
        job_of(log, pace, spec).await?;
    }
    let (took, sum) = (shown(start.elapsed()), shown(waits.iter().sum()));
    say!(log, "sequential took {took} (the sum of the waits, {sum})");
    let start = Instant::now();
    //     await asyncio.gather(*(job(*spec) for spec in THREE))
    try_join_all(THREE.map(|spec| job_of(log, pace, spec))).await?;
    let (took, max) = (shown(start.elapsed()), shown(waits[2]));
    say!(log, "concurrent took {took} (the longest wait, {max})");
    Ok(())
}
