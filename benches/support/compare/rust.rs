//! The Rust side of a round: the same figures as the Python programs, with
//! the same sizes, timed in this process.
//!
//! As on the Python side, pools and runtimes are started before the clock
//! starts (except for the start-up figure). Each figure's value for the
//! round is the median of [`REPEATS`] back-to-back runs; the table's
//! medians come from the rounds.

use super::sizes::Sizes;
use crate::cpu::Executor;
use crate::stats::median;
use crate::{BenchError, machinery, overhead};
use process_pool::ProcessPoolExecutor;
use process_pool::tasks::ChapterTask;
use std::hint::black_box;
use std::time::Instant;
use thread_pool::ThreadPoolExecutor;

/// How many times each Rust figure runs per round; the round's value is
/// their median. A Rust run takes milliseconds where Python's takes
/// seconds, so a single run is easily hit by a burst of other work on a
/// shared machine; five back to back (still well under a second) give the
/// round a value as steady as one long Python run.
pub const REPEATS: usize = 5;

/// Runs `f` [`REPEATS`] times; returns the median of the seconds each took.
fn time<T>(mut f: impl FnMut() -> Result<T, BenchError>) -> Result<f64, BenchError> {
    let mut seconds = Vec::with_capacity(REPEATS);
    for _ in 0..REPEATS {
        let start = Instant::now();
        let result = f()?;
        seconds.push(start.elapsed().as_secs_f64());
        black_box(result);
    }
    median(&seconds).ok_or_else(|| BenchError::WrongResult("no runs".into()))
}

/// Times a batch of `n` tasks as [`time`] does; returns seconds per task.
fn per_task<T>(n: usize, f: impl FnMut() -> Result<T, BenchError>) -> Result<f64, BenchError> {
    Ok(time(f)? / n.max(1) as f64)
}

/// Runs `sequential` and `parallel` back to back, [`REPEATS`] times;
/// returns the median time of `parallel` and the median of the ratios
/// sequential / parallel of each pair: its speedup.
///
/// Why pairs: on a shared machine a core switches for seconds at a time
/// between a fast and a slow mode (the same run takes 27 or 49 ms while
/// another program competes for it), so a sequential time and a parallel time
/// taken a second apart can come from different modes, and their ratio
/// says more about the host than about the executor. Two runs taken back
/// to back almost always share a mode.
fn paired<A, B>(
    mut sequential: impl FnMut() -> Result<A, BenchError>,
    mut parallel: impl FnMut() -> Result<B, BenchError>,
) -> Result<(f64, f64), BenchError> {
    let mut times = Vec::with_capacity(REPEATS);
    let mut ratios = Vec::with_capacity(REPEATS);
    for _ in 0..REPEATS {
        let start = Instant::now();
        black_box(sequential()?);
        let base = start.elapsed().as_secs_f64();
        let start = Instant::now();
        black_box(parallel()?);
        let time = start.elapsed().as_secs_f64();
        times.push(time);
        ratios.push(base / time);
    }
    let none = || BenchError::WrongResult("no runs".into());
    Ok((
        median(&times).ok_or_else(none)?,
        median(&ratios).ok_or_else(none)?,
    ))
}

/// The figure id of the speedup of `executor` with `workers` over
/// sequential, measured in pairs (a ratio, not seconds).
pub fn speedup_id(executor: Executor, workers: usize) -> String {
    format!("speedup/{}/{workers}", executor.name())
}

/// The figure id of the count workload on `executor` with `workers`.
pub fn count_id(executor: Executor, workers: usize) -> String {
    match executor {
        Executor::Sequential => "count/sequential".to_owned(),
        other => format!("count/{}/{workers}", other.name()),
    }
}

/// Runs every Rust figure once; `progress` hears what is being measured.
pub fn measure(
    sizes: &Sizes,
    mut progress: impl FnMut(&str),
) -> Result<Vec<(String, f64)>, BenchError> {
    let mut out = Vec::new();
    let items = sizes.items();
    let n = sizes.iterations;
    let pw = sizes.pool_workers;

    progress("count workload");
    let sequential = Executor::Sequential.start(1)?;
    out.push((
        count_id(Executor::Sequential, 1),
        time(|| sequential.run(&items, n))?,
    ));
    for executor in Executor::SCALABLE {
        for &workers in &sizes.workers {
            let started = executor.start(workers)?;
            let (seconds, speedup) =
                paired(|| sequential.run(&items, n), || started.run(&items, n))?;
            out.push((count_id(executor, workers), seconds));
            out.push((speedup_id(executor, workers), speedup));
        }
    }
    let startup = Executor::ProcessPoolStartup.start(pw)?;
    out.push((
        count_id(Executor::ProcessPoolStartup, pw),
        time(|| startup.run(&items, n))?,
    ));

    progress("per-task costs");
    let handoffs = sizes.round_trips * 2;
    out.push((
        "handoff/ping-pong".into(),
        per_task(handoffs, || overhead::ping_pong(sizes.round_trips))?,
    ));
    out.push((
        "task/thread-spawn-join".into(),
        per_task(sizes.threads, || overhead::thread_spawn_join(sizes.threads))?,
    ));
    let pool = ThreadPoolExecutor::new(pw).map_err(|e| BenchError::start("thread-pool", e))?;
    // Warm the pool up (its threads exist, but have never run a task).
    overhead::thread_pool_map(&pool, 4 * pw)?;
    out.push((
        "task/thread-pool-submit".into(),
        per_task(sizes.tasks, || {
            overhead::thread_pool_submit(&pool, sizes.tasks)
        })?,
    ));
    out.push((
        "task/thread-pool-map".into(),
        per_task(sizes.tasks, || {
            overhead::thread_pool_map(&pool, sizes.tasks)
        })?,
    ));
    drop(pool);
    let processes = ProcessPoolExecutor::<ChapterTask>::new(pw)?;
    overhead::process_pool_map(&processes, 4 * pw, 1)?;
    let m = sizes.process_tasks;
    out.push((
        "task/process-pool-submit".into(),
        per_task(m, || overhead::process_pool_submit(&processes, m))?,
    ));
    for &chunksize in &sizes.chunksizes {
        out.push((
            format!("task/process-pool-map/{chunksize}"),
            per_task(m, || overhead::process_pool_map(&processes, m, chunksize))?,
        ));
    }
    drop(processes);

    progress("async machinery");
    let runtimes = [
        ("tokio-current-thread", overhead::tokio_current_thread()?),
        ("tokio-multi-thread", overhead::tokio_multi_thread(pw)?),
    ];
    for (name, runtime) in &runtimes {
        // A small unmeasured batch first (the Python side does the same):
        // a fresh runtime's first tasks pay for one-time set-up.
        overhead::tokio_spawn(runtime, 100)?;
        let t = sizes.tasks;
        out.push((
            format!("async/spawn-cube/{name}"),
            per_task(t, || overhead::tokio_spawn(runtime, t))?,
        ));
        let t = sizes.noop_tasks;
        out.push((
            format!("async/spawn-noop/{t}/{name}"),
            time(|| machinery::tokio_noop_tasks(runtime, t))?,
        ));
        for &timers in &sizes.timers {
            out.push((
                format!("async/timers/{timers}/{name}"),
                time(|| machinery::tokio_timers(runtime, timers, machinery::TIMER))?,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A tiny round measures every figure the table needs, each once,
    /// with a positive time.
    #[test]
    fn a_round_measures_every_figure() {
        let sizes = Sizes {
            workers: vec![1, 2],
            ..Sizes::default()
        }
        .scaled_down(10_000);
        let figures = measure(&sizes, |_| {}).unwrap();
        let ids: Vec<&str> = figures.iter().map(|(id, _)| id.as_str()).collect();
        for id in [
            "count/sequential",
            "count/thread-pool/2",
            "count/process-pool/1",
            "speedup/rayon/2",
            "task/process-pool-map/1024",
            "handoff/ping-pong",
            "async/spawn-cube/tokio-current-thread",
            "async/timers/1/tokio-multi-thread",
        ] {
            assert_eq!(
                ids.iter().filter(|x| **x == id).count(),
                1,
                "{id} in {ids:?}"
            );
        }
        assert!(figures.iter().all(|(_, s)| *s > 0.0));
    }
}
