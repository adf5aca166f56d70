//! After part 3's port: the speedup, measured so that the number means
//! something.
//!
//! One pass of each phase, as the Python program makes, lasts a few tens
//! of milliseconds at the chapter's sizes: one slow moment of a core
//! decides it. So this part repeats both phases `--rounds` times, silently,
//! alternating which comes first, so that a machine getting busier or
//! quieter weighs on both alike. It reports the median speedup over the
//! rounds and their middle half, each phase's median time, and the cores
//! each phase kept busy (CPU time over wall time); what those numbers mean
//! is [`verdict`](super::verdict)'s.

use std::time::{Duration, Instant};

use common::evaluate_item;
use common::workloads::Workload;
use thread_pool::ThreadPoolExecutor;

use super::verdict::{Measured, Spread, plural};
use super::{ChapterError, Run};

/// The phase name for the Ctrl-C summary.
pub const PHASE: &str = "measured rounds";

/// One silent pooled phase, as the port's: a pool started, every item
/// submitted, every result taken, the pool shut down.
fn pooled_round(run: &Run, work: Workload, workers: usize) -> Result<(), ChapterError> {
    let pool = ThreadPoolExecutor::new(workers)?;
    let stopper = pool.stopper();
    let _on_ctrl_c = run.interrupt.on_interrupt(move || stopper.stop());
    let iterations = work.iterations;
    for result in pool.map(move |item| evaluate_item(item, iterations), work.numbers()) {
        result?;
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
    use nix::sys::time::TimeValLike;
    let usage = getrusage(UsageWho::RUSAGE_SELF).ok()?;
    let micros = (usage.user_time() + usage.system_time()).num_microseconds();
    Some(Duration::from_micros(u64::try_from(micros).unwrap_or(0)))
}

/// How long `f` took.
fn timed<T>(f: impl FnOnce() -> Result<T, ChapterError>) -> Result<Timed, ChapterError> {
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
        // Even rounds run the sequential phase first, odd ones the pooled.
        for pooled_now in [round % 2 == 1, round % 2 == 0] {
            if pooled_now {
                pooled.push(timed(|| pooled_round(run, work, workers))?);
            } else {
                sequential.push(timed(|| work.run_sequential(|_| Ok(())))?);
            }
            run.interrupt.check()?;
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
        pool_overhead: common::stats::median_duration(&overhead).unwrap_or_default(),
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
    run.say(format!(
        "measuring the speedup: {} of both phases, alternating which comes first, items \
         not printed",
        plural(rounds, "round", "rounds")
    ));
    run.tally.start(PHASE, 0);
    let measured = measure(run, work, workers, rounds)?;
    run.tally.finish();
    let [sequential, pooled] = [&measured.sequential, &measured.pooled].map(|times| {
        let seconds: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
        let spread = Spread::of(&seconds);
        let (low, median, high) = (spread.low, spread.median, spread.high);
        format!("median {median:.3} s (middle half {low:.3} to {high:.3} s)")
    });
    run.say(format!("sequential round: {sequential}"));
    run.say(format!("thread pool round: {pooled}"));
    let speedup = measured.speedup();
    let on = format!(
        "with {} on {}",
        plural(workers, "worker", "workers"),
        plural(measured.cores, "core", "cores")
    );
    if rounds == 1 {
        run.say(format!("speedup: {:.2}x in one round {on}", speedup.median));
    } else {
        run.say(format!(
            "speedup: median {:.2}x over {rounds} rounds (middle half {:.2}x to {:.2}x) {on}",
            speedup.median, speedup.low, speedup.high
        ));
    }
    if let (Some(alone), Some(pooled)) = (measured.sequential_cores, measured.pooled_cores) {
        let rounds = if rounds == 1 { "round" } else { "rounds" };
        run.say(format!(
            "cores kept busy (CPU time over wall time): {alone:.2} in the sequential {rounds}, \
             {pooled:.2} in the pooled {rounds}"
        ));
    }
    run.say(format!("why: {}", measured.why()));
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
