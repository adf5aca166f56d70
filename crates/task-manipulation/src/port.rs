//! The direct port of `python/manipulating_task.py`, read beside it: its
//! `job`, `worker` and six parts, in its order, each Python line above the
//! Rust that ports it. Its other two parts have modules of their own, as
//! Rust needs more for them: `part_exceptions` in [`crate::exceptions`] (a
//! panic is not an exception), `part_scheduler` in [`crate::scheduler`]
//! (the graph is checked first). What Rust adds comes after each part.

use std::time::Duration;

use futures::future::try_join_all;
use runner::{Recorder, SpanKind};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep, timeout};

use crate::Error;
use crate::work::{Guard, Pace, Spec, list, shown};

/// A job's value: `cube(n)`, or the error of a cube that overflows.
pub type Value = Result<i64, common::WorkloadError>;

/// `say("main", f"...")`: a line from main, its text formatted as `format!`'s.
macro_rules! say {
    ($log:expr, $($text:tt)+) => { $log.say("main", format!($($text)+)) };
}

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

/// `job(*spec)`, its seconds divided by `--speed` (a future that owns a
/// clone of `log`: `use<>` says it borrows nothing, so it can be spawned).
pub fn job_of(
    log: &Recorder,
    pace: Pace,
    (name, secs, n): Spec,
) -> impl Future<Output = Value> + use<> {
    job(log.clone(), name, pace.secs(secs), n)
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
    let slots = list(&slots);
    say!(log, "as_completed re-ordered -> {slots}");
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
        let (value, pending) = (value?, set.len());
        say!(log, "first completed -> {name} = {value}");
        say!(log, "{pending} still pending, and still running");
    }
    //     for t in pending: t.cancel()
    say!(log, "for t in pending: t.cancel() -> set.shutdown()");
    set.shutdown().await; // aborts what is left, and waits until it is gone
    say!(log, "shutdown() returned: nothing left running");
    Ok(())
}

/// `async def worker(steps):` a step a (demo) second, until cancelled.
pub async fn worker(log: Recorder, name: &'static str, steps: u32, step: Duration) -> u32 {
    // try: ... except asyncio.CancelledError: say("worker", "cancelled ..."); raise
    let mut guard = Guard::new(&log, name);
    //     for step in range(1, steps + 1):
    for i in 1..=steps {
        let _bar = log.span(name, format!("step {i}"), SpanKind::Wait);
        //         await asyncio.sleep(pace(1))
        sleep(step).await;
        //         say("worker", "step %s of %s done" % (step, steps))
        log.say(name, format!("step {i} of {steps} done"));
    }
    guard.finish();
    steps
}

/// `async def part_cancel():` cancel the worker half-way through a step.
pub async fn cancel(log: &Recorder, pace: Pace) -> Result<(), Error> {
    let (step, after) = (shown(pace.secs(1.0)), shown(pace.secs(2.5)));
    say!(log, "a 10-step worker, {step} a step, cancel after {after}");
    //     task = asyncio.create_task(worker(10))
    let task = tokio::spawn(worker(log.clone(), "worker", 10, pace.secs(1.0)));
    //     await asyncio.sleep(pace(2.5))
    sleep(pace.secs(2.5)).await;
    //     task.cancel()
    say!(log, "task.cancel() -> handle.abort()");
    task.abort(); // its future is dropped instead of polled again
    //     try: await task / except asyncio.CancelledError:
    match task.await {
        Err(e) if e.is_cancelled() => say!(log, "await task -> JoinError::is_cancelled() is true"),
        Err(e) => return Err(Error::Join(e)),
        Ok(steps) => say!(log, "the worker finished all {steps} steps first"),
    }
    Ok(())
}

/// `async def part_timeout():` in time, too late, and a task left running.
pub async fn timeouts(log: &Recorder, pace: Pace) -> Result<(), Error> {
    let limit = pace.secs(2.0);
    for spec in [("quick", 1.0, 4), ("late", 5.0, 5)] {
        let (wait, max) = (shown(pace.secs(spec.1)), shown(limit));
        say!(log, "wait_for(job {wait}, timeout={max})");
        //     await asyncio.wait_for(job(...), timeout=pace(2))
        match timeout(limit, job_of(log, pace, spec)).await {
            Ok(value) => {
                let value = value?;
                say!(log, "in time: {value}");
            }
            //     except TimeoutError:
            Err(_) => say!(log, "TimeoutError: timeout() dropped (cancelled) the job"),
        }
    }
    //     task = asyncio.create_task(job("spawned", 5, 6))
    let mut task = tokio::spawn(job_of(log, pace, ("spawned", 5.0, 6)));
    //     await asyncio.wait_for(asyncio.shield(task), timeout=pace(2))
    say!(log, "timeout(&mut handle): only the waiting times out");
    if timeout(limit, &mut task).await.is_ok() {
        return Err(Error::Unexpected("the spawned job beat its timeout"));
    }
    let running = !task.is_finished();
    say!(log, "timed out, but the task is still running: {running}");
    //     task.cancel()
    task.abort();
    let cancelled = matches!(task.await, Err(e) if e.is_cancelled());
    say!(log, "the task was cancelled: {cancelled}");
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
