//! The speedups again, at equal wall time: Rust's count loop lengthened
//! until its sequential run lasts about as long as Python's.
//!
//! Why a second table: at the chapter's size, Rust's whole sequential run
//! takes about 28 ms and Python's about 3 s. On a shared machine, where
//! each core drops to about half speed for a second or so at a time, a
//! 28 ms run (and the 14 ms parallel run beside it) catches one moment of
//! the two cores, while Python's seconds-long runs average over many. The
//! chapter-size table answers "what does a pool gain on a job this short";
//! this one compares like with like: how well each language's pools use
//! the cores when both sides run for the same time, measured the same
//! way. As on the Python side, each round runs the sequential workload
//! once and each executor once per worker count, and a speedup is the
//! ratio of the medians over the rounds (no pairs: a run of seconds is
//! already an average over the machine's moods).
//!
//! How long: the scaled runs last as long as Python's `pooling.py`
//! (about 40 s a round at the default sizes, 20 runs of 1.5 to 3 s), so
//! they add about three minutes to a default `compare`.

use super::sizes::Sizes;
use crate::BenchError;
use crate::compare::rust::Meter;
use crate::cpu::Executor;
use runner::Interrupt;
use std::time::Duration;

/// The most the count loop is lengthened: 1000 times the chapter's, a
/// sequential Rust run of about 28 s, whatever Python's measured.
pub const MAX_FACTOR: f64 = 1000.0;

/// The figure id of the count workload on `executor` with `workers`, at
/// equal wall time (seconds of one run).
pub fn count_id(executor: Executor, workers: usize) -> String {
    match executor {
        Executor::Sequential => "equal-time/count/sequential".to_owned(),
        other => format!("equal-time/count/{}/{workers}", other.name()),
    }
}

/// The loop length per item that makes a Rust sequential run last about
/// `python_seconds`, from a Rust run of `rust_seconds` at `iterations`:
/// `iterations` scaled by their ratio, rounded to two significant digits
/// (the table says "count(1100000000)", not "count(1093754210)"), never
/// shorter than `iterations`, at most [`MAX_FACTOR`] times as long, and
/// small enough that `items * iterations` fits in a `u64` (what `count`
/// checks). A time that is not a positive number gives `iterations`.
pub fn scaled_iterations(
    iterations: u64,
    items: u64,
    python_seconds: f64,
    rust_seconds: f64,
) -> u64 {
    let factor = python_seconds / rust_seconds;
    if !factor.is_finite() || factor <= 1.0 || iterations == 0 {
        return iterations;
    }
    let wanted = iterations as f64 * factor.min(MAX_FACTOR);
    // Two significant digits: 1_093_754_210 -> 1_100_000_000.
    let unit = 10f64.powi(wanted.log10().floor() as i32 - 1);
    let rounded = (wanted / unit).round() * unit;
    let limit = u64::MAX / items.max(1);
    // `as` saturates for floats beyond u64 (the limit below catches them).
    (rounded as u64).clamp(iterations, limit.max(iterations))
}

/// One round of the scaled runs, `iterations` per item: the sequential
/// workload once, then every scalable executor once per worker count of
/// `sizes`; returns (figure id, seconds). `progress` hears each step; Ctrl-C
/// (`interrupt`) stops them between two runs (a run under way is the
/// forced exit's, see `runner::interrupt`).
pub fn measure(
    sizes: &Sizes,
    iterations: u64,
    interrupt: &Interrupt,
    mut progress: impl FnMut(&str),
) -> Result<Vec<(String, f64)>, BenchError> {
    let items = sizes.items();
    // One run per figure, as on the Python side: no span to fill.
    let once = Meter {
        span: Duration::ZERO,
        min_runs: 1,
        interrupt,
    };
    let mut out = Vec::new();
    progress(&format!("sequential, count({iterations}) per item"));
    let sequential = Executor::Sequential.start(1)?;
    out.push((
        count_id(Executor::Sequential, 1),
        once.mean(|| sequential.run(&items, iterations))?,
    ));
    for executor in Executor::SCALABLE {
        let workers = workers_list(&sizes.workers);
        progress(&format!("{} with {workers} workers", executor.name()));
        for &workers in &sizes.workers {
            let started = executor.start(workers)?;
            out.push((
                count_id(executor, workers),
                once.mean(|| started.run(&items, iterations))?,
            ));
        }
    }
    Ok(out)
}

/// `1, 2, 4, 8`.
fn workers_list(workers: &[usize]) -> String {
    let names: Vec<String> = workers.iter().map(usize::to_string).collect();
    names.join(", ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Scaled by the ratio and rounded to two digits; never shorter than
    /// the chapter's, at most MAX_FACTOR longer, within u64 for every item.
    #[test]
    fn scaled_iterations_follow_the_ratio() {
        assert_eq!(
            scaled_iterations(10_000_000, 10, 3.09, 0.0277),
            1_100_000_000
        );
        assert_eq!(scaled_iterations(10_000_000, 10, 0.3, 0.0277), 110_000_000);
        // Python faster, or a time that is no time: the chapter's size.
        assert_eq!(scaled_iterations(10_000_000, 10, 0.01, 0.0277), 10_000_000);
        assert_eq!(scaled_iterations(10_000_000, 10, 3.0, 0.0), 10_000_000);
        assert_eq!(scaled_iterations(10_000_000, 10, f64::NAN, 1.0), 10_000_000);
        assert_eq!(scaled_iterations(10_000_000, 10, 1e9, 1.0), 10_000_000_000);
        let huge = scaled_iterations(u64::MAX / 20, 10, 1e9, 1.0);
        assert_eq!(huge, u64::MAX / 10);
    }

    /// A tiny round: the sequential run and every executor at every
    /// worker count, once each, with a positive time.
    #[test]
    fn a_round_runs_every_executor_once() {
        let sizes = Sizes {
            items: 3,
            workers: vec![1, 2],
            ..Sizes::default()
        };
        let mut steps = Vec::new();
        let figures = measure(&sizes, 1000, &Interrupt::new(), |s| {
            steps.push(s.to_owned())
        })
        .unwrap();
        assert_eq!(figures.len(), 1 + Executor::SCALABLE.len() * 2);
        assert_eq!(figures[0].0, "equal-time/count/sequential");
        assert!(
            figures
                .iter()
                .any(|(id, _)| id == "equal-time/count/process-pool/2")
        );
        assert!(figures.iter().all(|(_, s)| *s > 0.0));
        assert_eq!(steps.len(), 1 + Executor::SCALABLE.len());
        assert_eq!(steps[1], "std-scope with 1, 2 workers");
    }
}
