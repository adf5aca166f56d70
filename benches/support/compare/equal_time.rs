//! The speedups again, at equal wall time: Rust's count loop lengthened
//! until its sequential run lasts about as long as Python's.
//!
//! Why a second table: a 28 ms Rust run catches one moment of a shared
//! machine's cores, where Python's seconds-long runs average over many
//! (`docs/performance.md`, "Speedups: two tables, two questions"). Measured
//! as the Python side is: each round runs every figure once, and a speedup
//! is the ratio of the medians over the rounds. The scaled runs add about
//! three minutes to a default `compare`.

use super::sizes::Sizes;
use crate::BenchError;
use crate::compare::rust::{self, Meter};
use crate::cpu::Executor;
use runner::Interrupt;
use std::time::Duration;

/// The most the count loop is lengthened: 1000 times the chapter's, a
/// sequential Rust run of about 28 s, whatever Python's measured.
pub const MAX_FACTOR: f64 = 1000.0;

/// The figure id of the count workload on `executor` with `workers`, at
/// equal wall time (seconds of one run).
pub fn count_id(executor: Executor, workers: usize) -> String {
    format!("equal-time/{}", rust::count_id(executor, workers))
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
        let workers: Vec<String> = sizes.workers.iter().map(usize::to_string).collect();
        progress(&format!(
            "{} with {} workers",
            executor.name(),
            workers.join(", ")
        ));
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
