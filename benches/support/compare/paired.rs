//! The count workload measured in alternation with Python, run by run:
//! the two "alternating" rows of the table.
//!
//! Why: each core of the shared benchmark machine switches, every second or
//! so, between full and about half speed, so a Python figure from one core
//! and a Rust figure taken a minute later on the other can differ by a
//! factor of two that belongs to the host (sequential ratios of medians
//! gave 61x in one run and 87x in the next). Here every Python run has
//! [`RUST_RUNS`] Rust runs of the same work right before it and as many
//! right after: the sequential workload item by item (`benches/python/paired.py
//! sequential`), all pinned to one CPU; and [`PARALLEL_PAIRS`] times the
//! whole workload on Python's `ProcessPoolExecutor` against rayon with as
//! many workers. A round's ratio is the median of its pairs' ratios
//! (Python's time over the mean of the Rust runs beside it).

use super::Side;
use super::python;
use super::rust::Meter;
use super::sizes::Sizes;
use crate::cpu::Executor;
use crate::stats::median;
use crate::{BenchError, check};
use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::unistd::Pid;
use runner::Interrupt;
use std::hint::black_box;
use std::time::Duration;

/// Rust runs before, and again after, each Python run.
pub const RUST_RUNS: usize = 3;

/// Python process-pool runs (each with its Rust runs) per round.
pub const PARALLEL_PAIRS: usize = 3;

/// The sequential workload, item by item, pinned (Python and Rust totals).
pub const SEQUENTIAL: &str = "paired/sequential";

/// The median of the sequential pairs' ratios (a Rust-side figure).
pub const SEQUENTIAL_RATIO: &str = "paired-ratio/sequential";

/// Python's process pool with `workers`, in pairs.
pub fn processes_id(workers: usize) -> String {
    format!("paired/processes/{workers}")
}

/// Rust's rayon with `workers`, beside Python's process pool.
pub fn rayon_id(workers: usize) -> String {
    format!("paired/rayon/{workers}")
}

/// The median of the parallel pairs' ratios (a Rust-side figure).
pub fn parallel_ratio_id(workers: usize) -> String {
    format!("paired-ratio/processes-rayon/{workers}")
}

/// The calling thread's CPU set.
fn affinity() -> Result<CpuSet, BenchError> {
    sched_getaffinity(Pid::from_raw(0)).map_err(|e| BenchError::start("the CPU affinity query", e))
}

/// The CPUs the calling thread may run on, in order.
pub fn allowed_cpus() -> Result<Vec<usize>, BenchError> {
    let set = affinity()?;
    Ok((0..CpuSet::count())
        .filter(|&cpu| set.is_set(cpu).unwrap_or(false))
        .collect())
}

/// Keeps the calling thread on one CPU until dropped; then it may run
/// where it could before.
#[derive(Debug)]
pub struct Pinned {
    previous: CpuSet,
}

impl Pinned {
    /// Pins the calling thread (and the processes it starts meanwhile) to
    /// `cpu`, which must be one of [`allowed_cpus`].
    pub fn to(cpu: usize) -> Result<Pinned, BenchError> {
        let previous = affinity()?;
        let mut only = CpuSet::new();
        let failed =
            |e: nix::Error| BenchError::start("pinning to one CPU", format!("CPU {cpu}: {e}"));
        only.set(cpu).map_err(failed)?;
        sched_setaffinity(Pid::from_raw(0), &only).map_err(failed)?;
        Ok(Pinned { previous })
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        // Cannot fail for a set this thread had a moment ago.
        let _ = sched_setaffinity(Pid::from_raw(0), &self.previous);
    }
}

/// Runs `paired.py` with `args` (words separated by spaces) and returns the
/// value of its one figure `id`.
fn python_run(
    python: &str,
    args: &str,
    id: &str,
    interrupt: &Interrupt,
) -> Result<f64, BenchError> {
    python::run_with(python, "paired.py", args.split_whitespace(), interrupt)?
        .into_iter()
        .find(|(name, _)| name == id)
        .map(|(_, seconds)| seconds)
        .ok_or_else(|| BenchError::Python(format!("paired.py did not print {id}")))
}

/// One Python run between [`RUST_RUNS`] Rust runs before and as many
/// after: (Python seconds, Rust mean seconds).
fn pair<T>(
    interrupt: &Interrupt,
    mut rust: impl FnMut() -> Result<T, BenchError>,
    python: impl FnOnce() -> Result<f64, BenchError>,
) -> Result<(f64, f64), BenchError> {
    let meter = Meter {
        span: Duration::ZERO,
        min_runs: RUST_RUNS,
        interrupt,
    };
    let before = meter.mean(&mut rust)?;
    let py = python()?;
    let after = meter.mean(&mut rust)?;
    Ok((py, (before + after) / 2.0))
}

/// A round's paired figures, as (side, figure id, value): totals in
/// seconds, ratios as numbers. `cpu` is where the sequential pairs run;
/// Ctrl-C (`interrupt`) stops them within one run.
pub fn measure(
    python: &str,
    sizes: &Sizes,
    cpu: usize,
    interrupt: &Interrupt,
    mut progress: impl FnMut(&str),
) -> Result<Vec<(Side, String, f64)>, BenchError> {
    let n = sizes.iterations;
    let mut out = Vec::new();
    let med = |v: &[f64]| median(v).ok_or_else(|| BenchError::WrongResult("no pairs".into()));

    progress(&format!("sequential, item by item on CPU {cpu}"));
    {
        let _pinned = Pinned::to(cpu)?;
        let (mut py_total, mut rust_total, mut ratios) = (0.0, 0.0, Vec::new());
        for item in sizes.items() {
            let (py, rust) = pair(
                interrupt,
                || {
                    let got = common::evaluate_item(black_box(item), black_box(n))?.result;
                    check("paired sequential item", got, item * n)
                },
                || {
                    let args =
                        format!("--tsv --iterations {n} --cpu {cpu} sequential --item {item}");
                    python_run(python, &args, "paired/sequential-item", interrupt)
                },
            )?;
            py_total += py;
            rust_total += rust;
            ratios.push(py / rust);
        }
        out.push((Side::Python, SEQUENTIAL.to_owned(), py_total));
        out.push((Side::Rust, SEQUENTIAL.to_owned(), rust_total));
        out.push((Side::Rust, SEQUENTIAL_RATIO.to_owned(), med(&ratios)?));
    }

    let w = sizes.pool_workers;
    progress(&format!("{w} workers: process pool against rayon"));
    let rayon = Executor::Rayon.start(w)?;
    let items = sizes.items();
    let (mut py_all, mut rust_all, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..PARALLEL_PAIRS {
        let (py, rust) = pair(
            interrupt,
            || rayon.run(&items, n),
            || {
                let items = sizes.items;
                let args =
                    format!("--tsv --iterations {n} processes --workers {w} --items {items}");
                python_run(python, &args, &processes_id(w), interrupt)
            },
        )?;
        py_all.push(py);
        rust_all.push(rust);
        ratios.push(py / rust);
    }
    out.push((Side::Python, processes_id(w), med(&py_all)?));
    out.push((Side::Rust, rayon_id(w), med(&rust_all)?));
    out.push((Side::Rust, parallel_ratio_id(w), med(&ratios)?));
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// A pair runs the Rust side RUST_RUNS times before and after the
    /// Python side, once.
    #[test]
    fn a_pair_surrounds_one_python_run() {
        let mut log = Vec::new();
        let log = std::cell::RefCell::new(&mut log);
        let (py, _rust) = pair(
            &Interrupt::new(),
            || {
                log.borrow_mut().push('r');
                Ok::<_, BenchError>(())
            },
            || {
                log.borrow_mut().push('p');
                Ok(0.5)
            },
        )
        .unwrap();
        assert_eq!(py, 0.5);
        assert_eq!(log.borrow().iter().collect::<String>(), "rrrprrr");
    }
}
