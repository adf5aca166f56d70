//! The Rust side of a round: the same figures as the Python programs, with
//! the same sizes, timed in this process. As on the Python side, pools and
//! runtimes are started before the clock (except for the start-up figure).

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
    /// Why a span, and a mean: a Python figure is one run of seconds, an
    /// average over a shared machine's fast and slow spells (a core
    /// switches between them every second or so); a few Rust runs of
    /// milliseconds would catch one spell, and the ratio would measure the
    /// host. Runs filling a comparable span are the same kind of average.
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

    /// [`Meter::mean`] of `f(n)`, a batch of `n` tasks, per task.
    fn per_task<T>(
        &self,
        n: usize,
        mut f: impl FnMut(usize) -> Result<T, BenchError>,
    ) -> Result<f64, BenchError> {
        Ok(self.mean(|| f(n))? / n.max(1) as f64)
    }

    /// Runs `sequential` and `parallel` back to back, in pairs, as the
    /// meter says; returns the mean time of `parallel` and the median of
    /// the ratios sequential / parallel of each pair: its speedup.
    ///
    /// Why pairs: two runs a second apart can come from different spells
    /// of the machine (see [`Meter::mean`]); two back to back almost always
    /// share one, and the median ignores the few pairs that straddle a
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
    let mut put = |id: String, value| out.push((id, value));
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
    let seconds = meter.mean(|| sequential.run(&items, n))?;
    put(count_id(Executor::Sequential, 1), seconds);
    for executor in Executor::SCALABLE {
        for &workers in &sizes.workers {
            let started = executor.start(workers)?;
            let (seconds, speedup) =
                meter.paired(|| sequential.run(&items, n), || started.run(&items, n))?;
            put(count_id(executor, workers), seconds);
            put(speedup_id(executor, workers), speedup);
        }
    }
    let startup = Executor::ProcessPoolStartup.start(pw)?;
    let seconds = meter.mean(|| startup.run(&items, n))?;
    put(count_id(Executor::ProcessPoolStartup, pw), seconds);

    progress("per-task costs");
    let handoffs = meter.per_task(sizes.round_trips * 2, |n| overhead::ping_pong(n / 2))?;
    put("handoff/ping-pong".into(), handoffs);
    let threads = meter.per_task(sizes.threads, overhead::thread_spawn_join)?;
    put("task/thread-spawn-join".into(), threads);
    let pool = ThreadPoolExecutor::new(pw).map_err(|e| BenchError::start("thread-pool", e))?;
    // Warm the pool up (its threads exist, but have never run a task).
    overhead::thread_pool_map(&pool, 4 * pw)?;
    let t = sizes.tasks;
    let submit = meter.per_task(t, |n| overhead::thread_pool_submit(&pool, n))?;
    put("task/thread-pool-submit".into(), submit);
    let map = meter.per_task(t, |n| overhead::thread_pool_map(&pool, n))?;
    put("task/thread-pool-map".into(), map);
    drop(pool);
    let processes = ProcessPoolExecutor::<BenchTask>::new(pw)?;
    overhead::process_pool_map(&processes, 4 * pw, 1)?;
    let m = sizes.process_tasks;
    let submit = meter.per_task(m, |n| overhead::process_pool_submit(&processes, n))?;
    put("task/process-pool-submit".into(), submit);
    for &chunksize in &sizes.chunksizes {
        let map = meter.per_task(m, |n| overhead::process_pool_map(&processes, n, chunksize))?;
        put(format!("task/process-pool-map/{chunksize}"), map);
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
        let spawn = meter.per_task(sizes.tasks, |n| overhead::spawn(on, n))?;
        put(format!("async/spawn-cube/{name}"), spawn);
        let t = sizes.noop_tasks;
        let noop = meter.mean(|| machinery::noop_tasks(on, t))?;
        put(format!("async/spawn-noop/{t}/{name}"), noop);
        for &timers in &sizes.timers {
            let total = meter.mean(|| machinery::timers(on, timers, machinery::TIMER))?;
            put(format!("async/timers/{timers}/{name}"), total);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Pairs: both sides run once per pair; the speedup is the median of
    /// the pairs' ratios (here about 2: 2 ms against 1 ms).
    #[test]
    fn paired_runs_both_sides_in_turn() {
        let (mut seq, mut par) = (0, 0);
        let interrupt = Interrupt::new();
        let meter = Meter {
            span: Duration::ZERO,
            min_runs: MIN_RUNS,
            interrupt: &interrupt,
        };
        let (mean, speedup) = meter
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
}
