//! The Rust side of a round: the same figures as the Python programs, with
//! the same sizes, timed in this process.
//!
//! As on the Python side, pools and runtimes are started before the clock
//! starts (except for the start-up figure). Each figure's value for the
//! round is the mean of back-to-back runs that fill [`Sizes::span`] (at
//! least [`MIN_RUNS`] of them); the table's medians come from the rounds.

use super::sizes::Sizes;
use crate::cpu::Executor;
use crate::stats::median;
use crate::{BenchError, machinery, overhead};
use process_pool::ProcessPoolExecutor;
use process_pool::tasks::ChapterTask;
use std::hint::black_box;
use std::time::{Duration, Instant};
use thread_pool::ThreadPoolExecutor;

/// The fewest runs behind a Rust figure in a round, however long they take.
pub const MIN_RUNS: usize = 5;

/// Runs `f` back to back until `span` has passed and at least [`MIN_RUNS`]
/// runs are done; returns the mean seconds per run.
///
/// Why a span, and a mean: a Python figure is one run of a second or more
/// (the sequential count takes about 3 s), which averages over whatever
/// the machine does meanwhile. On a shared machine that matters: a core
/// switches every second or so between a fast and a slow mode (the same
/// Rust run takes 27 or 49 ms while another virtual machine competes for
/// it), so a Rust figure taken from a few runs of milliseconds falls into
/// one mode, while the Python figure beside it is a mixture of both, and
/// the ratio would measure the host. Runs filling a comparable span,
/// totalled and divided by their number, are the same kind of average as
/// the Python figure.
fn time<T>(span: Duration, f: impl FnMut() -> Result<T, BenchError>) -> Result<f64, BenchError> {
    mean_of_runs(MIN_RUNS, span, f)
}

/// Runs `f` back to back until `span` has passed and at least `min_runs`
/// runs are done; returns the mean seconds per run (see [`time`]).
pub(super) fn mean_of_runs<T>(
    min_runs: usize,
    span: Duration,
    mut f: impl FnMut() -> Result<T, BenchError>,
) -> Result<f64, BenchError> {
    let start = Instant::now();
    let mut runs = 0usize;
    while runs < min_runs.max(1) || start.elapsed() < span {
        black_box(f()?);
        runs += 1;
    }
    Ok(start.elapsed().as_secs_f64() / runs as f64)
}

/// Times a batch of `n` tasks as [`time`] does; returns seconds per task.
fn per_task<T>(
    span: Duration,
    n: usize,
    f: impl FnMut() -> Result<T, BenchError>,
) -> Result<f64, BenchError> {
    Ok(time(span, f)? / n.max(1) as f64)
}

/// Runs `sequential` and `parallel` back to back, in pairs, until `span`
/// has passed and at least [`MIN_RUNS`] pairs are done; returns the mean
/// time of `parallel` and the median of the ratios sequential / parallel of
/// each pair: its speedup.
///
/// Why pairs: a sequential time and a parallel time taken a second apart
/// can come from different modes of a shared machine (see [`time`]), and
/// their ratio would say more about the host than about the executor. Two
/// runs taken back to back almost always share a mode; the median over the
/// pairs ignores the few that straddle a switch.
fn paired<A, B>(
    span: Duration,
    mut sequential: impl FnMut() -> Result<A, BenchError>,
    mut parallel: impl FnMut() -> Result<B, BenchError>,
) -> Result<(f64, f64), BenchError> {
    let clock = Instant::now();
    let mut total = 0.0;
    let mut ratios = Vec::new();
    while ratios.len() < MIN_RUNS || clock.elapsed() < span {
        let start = Instant::now();
        black_box(sequential()?);
        let base = start.elapsed().as_secs_f64();
        let start = Instant::now();
        black_box(parallel()?);
        let time = start.elapsed().as_secs_f64();
        total += time;
        ratios.push(base / time);
    }
    let speedup = median(&ratios).ok_or_else(|| BenchError::WrongResult("no runs".into()))?;
    Ok((total / ratios.len() as f64, speedup))
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
    let span = sizes.span;

    progress("count workload");
    let sequential = Executor::Sequential.start(1)?;
    out.push((
        count_id(Executor::Sequential, 1),
        time(span, || sequential.run(&items, n))?,
    ));
    for executor in Executor::SCALABLE {
        for &workers in &sizes.workers {
            let started = executor.start(workers)?;
            let (seconds, speedup) = paired(
                span,
                || sequential.run(&items, n),
                || started.run(&items, n),
            )?;
            out.push((count_id(executor, workers), seconds));
            out.push((speedup_id(executor, workers), speedup));
        }
    }
    let startup = Executor::ProcessPoolStartup.start(pw)?;
    out.push((
        count_id(Executor::ProcessPoolStartup, pw),
        time(span, || startup.run(&items, n))?,
    ));

    progress("per-task costs");
    let handoffs = sizes.round_trips * 2;
    out.push((
        "handoff/ping-pong".into(),
        per_task(span, handoffs, || overhead::ping_pong(sizes.round_trips))?,
    ));
    out.push((
        "task/thread-spawn-join".into(),
        per_task(span, sizes.threads, || {
            overhead::thread_spawn_join(sizes.threads)
        })?,
    ));
    let pool = ThreadPoolExecutor::new(pw).map_err(|e| BenchError::start("thread-pool", e))?;
    // Warm the pool up (its threads exist, but have never run a task).
    overhead::thread_pool_map(&pool, 4 * pw)?;
    out.push((
        "task/thread-pool-submit".into(),
        per_task(span, sizes.tasks, || {
            overhead::thread_pool_submit(&pool, sizes.tasks)
        })?,
    ));
    out.push((
        "task/thread-pool-map".into(),
        per_task(span, sizes.tasks, || {
            overhead::thread_pool_map(&pool, sizes.tasks)
        })?,
    ));
    drop(pool);
    let processes = ProcessPoolExecutor::<ChapterTask>::new(pw)?;
    overhead::process_pool_map(&processes, 4 * pw, 1)?;
    let m = sizes.process_tasks;
    out.push((
        "task/process-pool-submit".into(),
        per_task(span, m, || overhead::process_pool_submit(&processes, m))?,
    ));
    for &chunksize in &sizes.chunksizes {
        out.push((
            format!("task/process-pool-map/{chunksize}"),
            per_task(span, m, || {
                overhead::process_pool_map(&processes, m, chunksize)
            })?,
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
            per_task(span, t, || overhead::tokio_spawn(runtime, t))?,
        ));
        let t = sizes.noop_tasks;
        out.push((
            format!("async/spawn-noop/{t}/{name}"),
            time(span, || machinery::tokio_noop_tasks(runtime, t))?,
        ));
        for &timers in &sizes.timers {
            out.push((
                format!("async/timers/{timers}/{name}"),
                time(span, || {
                    machinery::tokio_timers(runtime, timers, machinery::TIMER)
                })?,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A figure runs at least MIN_RUNS times, and for at least its span;
    /// its value is the mean.
    #[test]
    fn time_fills_the_span_with_at_least_min_runs() {
        let mut runs = 0;
        let mean = time(Duration::ZERO, || {
            runs += 1;
            Ok::<_, BenchError>(())
        })
        .unwrap();
        assert_eq!(runs, MIN_RUNS);
        assert!(mean >= 0.0);

        let span = Duration::from_millis(20);
        let mut runs = 0;
        let start = Instant::now();
        let mean = time(span, || {
            runs += 1;
            std::thread::sleep(Duration::from_millis(1));
            Ok::<_, BenchError>(())
        })
        .unwrap();
        let elapsed = start.elapsed();
        assert!(elapsed >= span);
        assert!(runs > MIN_RUNS, "{runs} runs of 1 ms in 20 ms");
        let expected = elapsed.as_secs_f64() / runs as f64;
        assert!(
            (mean - expected).abs() <= expected * 0.5,
            "{mean} vs {expected}"
        );
        assert!(mean >= 0.001);
    }

    /// Pairs: both sides run once per pair; the speedup is the median of
    /// the pairs' ratios (here about 2: 2 ms against 1 ms).
    #[test]
    fn paired_runs_both_sides_in_turn() {
        let (mut seq, mut par) = (0, 0);
        let (mean, speedup) = paired(
            Duration::ZERO,
            || {
                seq += 1;
                std::thread::sleep(Duration::from_millis(4));
                Ok::<_, BenchError>(())
            },
            || {
                par += 1;
                std::thread::sleep(Duration::from_millis(2));
                Ok::<_, BenchError>(())
            },
        )
        .unwrap();
        assert_eq!((seq, par), (MIN_RUNS, MIN_RUNS));
        assert!(mean >= 0.002);
        assert!(speedup > 1.0 && speedup < 2.5, "{speedup}");
    }

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
