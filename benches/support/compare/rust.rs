//! The Rust side of a round: the same figures as the Python programs, with
//! the same sizes, timed in this process.
//!
//! As on the Python side, pools and runtimes are started before the clock
//! starts (except for the start-up figure). Each figure's value for the
//! round is the mean of back-to-back runs that fill [`Sizes::span`] (at
//! least [`MIN_RUNS`] of them); the table's medians come from the rounds.

use super::sizes::Sizes;
use crate::batch::On;
use crate::cpu::Executor;
use crate::stats::median;
use crate::task::BenchTask;
use crate::{BenchError, machinery, overhead};
use process_pool::ProcessPoolExecutor;
use runner::Interrupt;
use std::hint::black_box;
use std::time::{Duration, Instant};
use thread_pool::ThreadPoolExecutor;

/// The fewest runs behind a Rust figure in a round, however long they take.
pub const MIN_RUNS: usize = 5;

/// How a figure is timed: back-to-back runs until `span` has passed and at
/// least `min_runs` are done. Between two runs it looks at `interrupt`, so
/// that Ctrl-C stops the measuring within one run.
#[derive(Debug, Clone, Copy)]
pub struct Meter<'a> {
    /// The least time the runs fill.
    pub span: Duration,
    /// The fewest runs (at least 1).
    pub min_runs: usize,
    /// Raised by Ctrl-C; the runs stop with `Err(Interrupted)`.
    pub interrupt: &'a Interrupt,
}

impl Meter<'_> {
    /// Runs `f` as the meter says; returns the mean seconds per run.
    ///
    /// Why a span, and a mean: a Python figure is one run of a second or
    /// more (the sequential count takes about 3 s), which averages over
    /// whatever the machine does meanwhile. On a shared machine that
    /// matters: a core switches every second or so between a fast and a
    /// slow mode (the same Rust run takes 27 or 49 ms while another virtual
    /// machine competes for it), so a Rust figure taken from a few runs of
    /// milliseconds falls into one mode, while the Python figure beside it
    /// is a mixture of both, and the ratio would measure the host. Runs
    /// filling a comparable span, totalled and divided by their number, are
    /// the same kind of average as the Python figure.
    pub fn mean<T>(&self, mut f: impl FnMut() -> Result<T, BenchError>) -> Result<f64, BenchError> {
        let start = Instant::now();
        let mut runs = 0usize;
        while runs < self.min_runs.max(1) || start.elapsed() < self.span {
            self.interrupt.check()?;
            black_box(f()?);
            runs += 1;
        }
        Ok(start.elapsed().as_secs_f64() / runs as f64)
    }

    /// [`Meter::mean`] of a batch of `n` tasks, per task.
    fn per_task<T>(
        &self,
        n: usize,
        f: impl FnMut() -> Result<T, BenchError>,
    ) -> Result<f64, BenchError> {
        Ok(self.mean(f)? / n.max(1) as f64)
    }

    /// Runs `sequential` and `parallel` back to back, in pairs, as the
    /// meter says; returns the mean time of `parallel` and the median of
    /// the ratios sequential / parallel of each pair: its speedup.
    ///
    /// Why pairs: a sequential time and a parallel time taken a second
    /// apart can come from different modes of a shared machine (see
    /// [`Meter::mean`]), and their ratio would say more about the host than
    /// about the executor. Two runs taken back to back almost always share
    /// a mode; the median over the pairs ignores the few that straddle a
    /// switch.
    fn paired<A, B>(
        &self,
        mut sequential: impl FnMut() -> Result<A, BenchError>,
        mut parallel: impl FnMut() -> Result<B, BenchError>,
    ) -> Result<(f64, f64), BenchError> {
        let clock = Instant::now();
        let mut total = 0.0;
        let mut ratios = Vec::new();
        while ratios.len() < self.min_runs.max(1) || clock.elapsed() < self.span {
            self.interrupt.check()?;
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
/// Ctrl-C (`interrupt`) stops it within one run of a figure.
pub fn measure(
    sizes: &Sizes,
    interrupt: &Interrupt,
    mut progress: impl FnMut(&str),
) -> Result<Vec<(String, f64)>, BenchError> {
    let mut out = Vec::new();
    let items = sizes.items();
    let n = sizes.iterations;
    let pw = sizes.pool_workers;
    let meter = Meter {
        span: sizes.span,
        min_runs: MIN_RUNS,
        interrupt,
    };

    progress("count workload");
    let sequential = Executor::Sequential.start(1)?;
    out.push((
        count_id(Executor::Sequential, 1),
        meter.mean(|| sequential.run(&items, n))?,
    ));
    for executor in Executor::SCALABLE {
        for &workers in &sizes.workers {
            let started = executor.start(workers)?;
            let (seconds, speedup) =
                meter.paired(|| sequential.run(&items, n), || started.run(&items, n))?;
            out.push((count_id(executor, workers), seconds));
            out.push((speedup_id(executor, workers), speedup));
        }
    }
    let startup = Executor::ProcessPoolStartup.start(pw)?;
    out.push((
        count_id(Executor::ProcessPoolStartup, pw),
        meter.mean(|| startup.run(&items, n))?,
    ));

    progress("per-task costs");
    let handoffs = sizes.round_trips * 2;
    out.push((
        "handoff/ping-pong".into(),
        meter.per_task(handoffs, || overhead::ping_pong(sizes.round_trips))?,
    ));
    out.push((
        "task/thread-spawn-join".into(),
        meter.per_task(sizes.threads, || overhead::thread_spawn_join(sizes.threads))?,
    ));
    let pool = ThreadPoolExecutor::new(pw).map_err(|e| BenchError::start("thread-pool", e))?;
    // Warm the pool up (its threads exist, but have never run a task).
    overhead::thread_pool_map(&pool, 4 * pw)?;
    out.push((
        "task/thread-pool-submit".into(),
        meter.per_task(sizes.tasks, || {
            overhead::thread_pool_submit(&pool, sizes.tasks)
        })?,
    ));
    out.push((
        "task/thread-pool-map".into(),
        meter.per_task(sizes.tasks, || {
            overhead::thread_pool_map(&pool, sizes.tasks)
        })?,
    ));
    drop(pool);
    let processes = ProcessPoolExecutor::<BenchTask>::new(pw)?;
    overhead::process_pool_map(&processes, 4 * pw, 1)?;
    let m = sizes.process_tasks;
    out.push((
        "task/process-pool-submit".into(),
        meter.per_task(m, || overhead::process_pool_submit(&processes, m))?,
    ));
    for &chunksize in &sizes.chunksizes {
        out.push((
            format!("task/process-pool-map/{chunksize}"),
            meter.per_task(m, || overhead::process_pool_map(&processes, m, chunksize))?,
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
        let on = On::Tokio(runtime);
        overhead::spawn(on, 100)?;
        let t = sizes.tasks;
        out.push((
            format!("async/spawn-cube/{name}"),
            meter.per_task(t, || overhead::spawn(on, t))?,
        ));
        let t = sizes.noop_tasks;
        out.push((
            format!("async/spawn-noop/{t}/{name}"),
            meter.mean(|| machinery::noop_tasks(on, t))?,
        ));
        for &timers in &sizes.timers {
            out.push((
                format!("async/timers/{timers}/{name}"),
                meter.mean(|| machinery::timers(on, timers, machinery::TIMER))?,
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A meter of `span`, with MIN_RUNS, that no Ctrl-C stops.
    fn meter(span: Duration, interrupt: &Interrupt) -> Meter<'_> {
        Meter {
            span,
            min_runs: MIN_RUNS,
            interrupt,
        }
    }

    /// A figure runs at least MIN_RUNS times, and for at least its span;
    /// its value is the mean.
    #[test]
    fn a_meter_fills_the_span_with_at_least_min_runs() {
        let interrupt = Interrupt::new();
        let mut runs = 0;
        let mean = meter(Duration::ZERO, &interrupt)
            .mean(|| {
                runs += 1;
                Ok::<_, BenchError>(())
            })
            .unwrap();
        assert_eq!(runs, MIN_RUNS);
        assert!(mean >= 0.0);

        let span = Duration::from_millis(20);
        let mut runs = 0;
        let start = Instant::now();
        let mean = meter(span, &interrupt)
            .mean(|| {
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
        let (mean, speedup) = meter(Duration::ZERO, &Interrupt::new())
            .paired(
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

    /// Once Ctrl-C was pressed, a meter runs nothing more: it stops with
    /// `Interrupted` before the next run, and so does a whole round.
    #[test]
    fn ctrl_c_stops_a_meter_before_the_next_run() {
        let interrupt = Interrupt::new();
        let mut runs = 0;
        let stopped = meter(Duration::from_secs(3600), &interrupt).mean(|| {
            runs += 1;
            if runs == 2 {
                interrupt.raise();
            }
            Ok::<_, BenchError>(())
        });
        assert!(
            matches!(stopped, Err(BenchError::Interrupted(_))),
            "{stopped:?}"
        );
        assert_eq!(runs, 2);
        let round = measure(&Sizes::default(), &interrupt, |_| {});
        assert!(
            matches!(round, Err(BenchError::Interrupted(_))),
            "{round:?}"
        );
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
        let figures = measure(&sizes, &Interrupt::new(), |_| {}).unwrap();
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
