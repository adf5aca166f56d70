//! After part 3's port: the speedup, measured so that the number means
//! something.
//!
//! One pass of each phase, as the Python program makes, is too short to
//! tell a speedup on a machine doing other things: at the chapter's sizes
//! the pooled phase lasts a few tens of milliseconds, and one slow moment
//! of a core decides it. So this part repeats both phases `--rounds`
//! times, silently, alternating which comes first (sequential then pooled,
//! then pooled then sequential, ...), so that a machine getting busier or
//! quieter during the run weighs on both alike. Each round gives one
//! speedup, its sequential time over its pooled time; the part reports the
//! median of those and the middle half of them (the spread), the median
//! time of each phase, and how many cores each phase kept busy (this
//! process's CPU time over the wall time). What those numbers mean is
//! [`verdict`](super::verdict)'s.

use std::time::{Duration, Instant};

use common::evaluate_item;
use common::workloads::Workload;
use thread_pool::ThreadPoolExecutor;

use super::verdict::{Measured, Spread, plural};
use super::{ChapterError, Run};

/// The phase name for the Ctrl-C summary.
pub const PHASE: &str = "measured rounds";

/// One silent sequential phase: every item in turn.
fn sequential_round(work: Workload) -> Result<(), ChapterError> {
    work.run_sequential(|_| Ok::<_, ChapterError>(()))?;
    Ok(())
}

/// One silent pooled phase, as the port's: a pool started, every item
/// submitted, every result taken, the pool shut down.
fn pooled_round(run: &Run, work: Workload, workers: usize) -> Result<(), ChapterError> {
    let pool = ThreadPoolExecutor::new(workers)?;
    let stopper = pool.stopper();
    let _on_ctrl_c = run.interrupt.on_interrupt(move || stopper.stop());
    let handles: Vec<_> = work
        .numbers()
        .map(|item| pool.submit(move || evaluate_item(item, work.iterations)))
        .collect();
    for handle in handles {
        handle.result()?;
    }
    pool.shutdown();
    Ok(())
}

/// How long a phase took, on the clock and in CPU time.
#[derive(Debug, Clone, Copy)]
struct Timed {
    /// Wall-clock time.
    wall: Duration,
    /// This process's CPU time meanwhile, every thread's (`None` if the
    /// operating system would not say).
    cpu: Option<Duration>,
}

/// This process's CPU time so far, all its threads', user and system.
fn cpu_time() -> Option<Duration> {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_SELF).ok()?;
    let seconds = |t: nix::sys::time::TimeVal| {
        let micros = t.tv_sec() as i128 * 1_000_000 + i128::from(t.tv_usec());
        Duration::from_micros(u64::try_from(micros).unwrap_or(0))
    };
    Some(seconds(usage.user_time()) + seconds(usage.system_time()))
}

/// How long `f` took.
fn timed(f: impl FnOnce() -> Result<(), ChapterError>) -> Result<Timed, ChapterError> {
    let (started, cpu) = (Instant::now(), cpu_time());
    f()?;
    Ok(Timed {
        wall: started.elapsed(),
        cpu: cpu
            .zip(cpu_time())
            .map(|(before, after)| after.saturating_sub(before)),
    })
}

/// The cores `times` kept busy on average: their CPU time over their
/// wall time.
fn cores_used(times: &[Timed]) -> Option<f64> {
    let cpu: Duration = times.iter().map(|t| t.cpu).sum::<Option<Duration>>()?;
    let wall: Duration = times.iter().map(|t| t.wall).sum();
    (!wall.is_zero()).then(|| cpu.as_secs_f64() / wall.as_secs_f64())
}

/// Measures `rounds` rounds, alternating which phase comes first; Ctrl-C
/// stops it between two phases.
pub fn measure(
    run: &Run,
    work: Workload,
    workers: usize,
    rounds: usize,
) -> Result<Measured, ChapterError> {
    let (mut sequential, mut pooled, mut overhead) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let one = || timed(|| sequential_round(work));
        let pool = || timed(|| pooled_round(run, work, workers));
        if round % 2 == 0 {
            sequential.push(one()?);
            run.interrupt.check()?;
            pooled.push(pool()?);
        } else {
            pooled.push(pool()?);
            run.interrupt.check()?;
            sequential.push(one()?);
        }
        // What the pool itself costs: the same round with nothing to count.
        let empty = Workload {
            iterations: 0,
            ..work
        };
        overhead.push(timed(|| pooled_round(run, empty, workers))?.wall);
        run.interrupt.check()?;
    }
    let walls = |times: &[Timed]| times.iter().map(|t| t.wall).collect();
    Ok(Measured {
        sequential: walls(&sequential),
        pooled: walls(&pooled),
        pool_overhead: Spread::of(overhead).median,
        sequential_cores: cores_used(&sequential),
        pooled_cores: cores_used(&pooled),
        workers,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        items: work.items,
    })
}

/// Runs this part: measures, then prints the medians, the spread and why.
pub fn run(
    run: &Run,
    work: Workload,
    workers: usize,
    rounds: usize,
) -> Result<Measured, ChapterError> {
    let out = &run.out;
    out.say_here(format!(
        "measuring the speedup: {} of both phases, alternating which comes first, items \
         not printed",
        plural(rounds, "round", "rounds")
    ));
    run.tally.start(PHASE, 0);
    let measured = measure(run, work, workers, rounds)?;
    run.tally.finish();
    let [sequential, pooled] = [&measured.sequential, &measured.pooled].map(|times| {
        let spread = Spread::of(times.clone());
        format!(
            "median {:.3} s (middle half {:.3} to {:.3} s)",
            spread.median.as_secs_f64(),
            spread.low.as_secs_f64(),
            spread.high.as_secs_f64()
        )
    });
    out.say_here(format!("sequential round: {sequential}"));
    out.say_here(format!("thread pool round: {pooled}"));
    let speedup = measured.speedup();
    let on = format!(
        "with {} on {}",
        plural(workers, "worker", "workers"),
        plural(measured.cores, "core", "cores")
    );
    if rounds == 1 {
        out.say_here(format!("speedup: {:.2}x in one round {on}", speedup.median));
    } else {
        out.say_here(format!(
            "speedup: median {:.2}x over {rounds} rounds (middle half {:.2}x to {:.2}x) {on}",
            speedup.median, speedup.low, speedup.high
        ));
    }
    if let (Some(alone), Some(pooled)) = (measured.sequential_cores, measured.pooled_cores) {
        let rounds = if rounds == 1 { "round" } else { "rounds" };
        out.say_here(format!(
            "cores kept busy (CPU time over wall time): {alone:.2} in the sequential {rounds}, \
             {pooled:.2} in the pooled {rounds}"
        ));
    }
    out.say_here(format!("why: {}", measured.why()));
    Ok(measured)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::chapter::verdict::Verdict;

    /// A real measurement of a small workload: every round timed, on a
    /// too-short workload the verdict says so, and Ctrl-C stops it.
    #[test]
    fn measures_rounds_and_stops_on_ctrl_c() {
        let run = Run::quiet();
        let work = Workload {
            items: 4,
            iterations: 10,
        };
        let measured = super::run(&run, work, 2, 3).unwrap();
        assert_eq!((measured.sequential.len(), measured.pooled.len()), (3, 3));
        assert_eq!(measured.verdict(), Verdict::TooShort);
        let said = run.out.messages_of(&common::clock::thread_label());
        assert!(
            said.iter().any(|m| m.starts_with("why: too short to tell")),
            "{said:?}"
        );
        run.interrupt.raise();
        let stopped = measure(&run, work, 2, 3);
        assert!(
            matches!(stopped, Err(ChapterError::Interrupted(_))),
            "{stopped:?}"
        );
    }
}
