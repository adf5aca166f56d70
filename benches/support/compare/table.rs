//! The table of `docs/performance.md`: figure | Python | Rust | ratio, then
//! the speedups by executor and worker count.
//!
//! Every value is a median over the rounds of one run. The ratio is
//! Python's median divided by Rust's: how many times longer Python takes;
//! for the rows measured in pairs (`compare::paired`), the median of the
//! pairs' own ratios.

use super::paired;
use super::rust::{count_id, speedup_id};
use super::sizes::Sizes;
use super::{Samples, Side};
use crate::cpu::Executor;
use crate::stats::{human, ratio};

/// One line of the comparison table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What is measured, in words.
    pub figure: String,
    /// Python's median (seconds, or seconds per task).
    pub python: Option<f64>,
    /// Rust's median.
    pub rust: Option<f64>,
    /// For a row measured in pairs: the median of the pairs' ratios.
    pub paired: Option<f64>,
}

impl Row {
    fn new(samples: &Samples, figure: String, python_id: &str, rust_id: &str) -> Row {
        Row {
            figure,
            python: samples.median(Side::Python, python_id),
            rust: samples.median(Side::Rust, rust_id),
            paired: None,
        }
    }

    /// Python / Rust: the pairs' median ratio for a paired row, otherwise
    /// the ratio of the medians, when both were measured.
    pub fn ratio(&self) -> Option<f64> {
        self.paired.or_else(|| Some(self.python? / self.rust?))
    }
}

/// The fastest of `ids` on `side`: (its id, its median).
fn best(samples: &Samples, side: Side, ids: &[String]) -> Option<(String, f64)> {
    ids.iter()
        .filter_map(|id| Some((id.clone(), samples.median(side, id)?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// The rows, in the order of the issue: CPU-bound work, per-task costs,
/// async machinery.
pub fn rows(samples: &Samples, sizes: &Sizes) -> Vec<Row> {
    let pw = sizes.pool_workers;
    let work = format!("{} items x count({})", sizes.items, sizes.iterations);
    let mut rows = vec![
        Row::new(
            samples,
            format!("Count workload, sequential ({work})"),
            "count/sequential",
            "count/sequential",
        ),
        Row::new(
            samples,
            format!("Count, thread pool, {pw} workers (ThreadPoolExecutor / thread-pool)"),
            &format!("count/threads/{pw}"),
            &count_id(Executor::ThreadPool, pw),
        ),
        Row::new(
            samples,
            format!(
                "Count, process pool, {pw} workers started (ProcessPoolExecutor / process-pool)"
            ),
            &format!("count/processes/{pw}"),
            &count_id(Executor::ProcessPool, pw),
        ),
        Row::new(
            samples,
            format!("Count, process pool, {pw} workers, including start-up and shutdown"),
            &format!("count/processes-startup/{pw}"),
            &count_id(Executor::ProcessPoolStartup, pw),
        ),
    ];
    // Python's best parallel run is its process pool (threads cannot beat
    // the GIL); Rust's best is whichever executor won this run.
    let python_ids: Vec<String> = sizes
        .workers
        .iter()
        .map(|w| format!("count/processes/{w}"))
        .collect();
    let rust_ids: Vec<String> = Executor::SCALABLE
        .iter()
        .flat_map(|&e| sizes.workers.iter().map(move |&w| count_id(e, w)))
        .collect();
    if let (Some((py_id, py)), Some((rs_id, rs))) = (
        best(samples, Side::Python, &python_ids),
        best(samples, Side::Rust, &rust_ids),
    ) {
        rows.push(Row {
            figure: format!(
                "Count, best parallel run (Python {}, Rust {})",
                short(&py_id),
                short(&rs_id)
            ),
            python: Some(py),
            rust: Some(rs),
            paired: None,
        });
    }
    rows.push(Row {
        paired: samples.median(Side::Rust, paired::SEQUENTIAL_RATIO),
        ..Row::new(
            samples,
            "Count workload, sequential, Python and Rust alternating item by item on one core (ratio: median of the pairs)".to_owned(),
            paired::SEQUENTIAL,
            paired::SEQUENTIAL,
        )
    });
    rows.push(Row {
        paired: samples.median(Side::Rust, &paired::parallel_ratio_id(pw)),
        ..Row::new(
            samples,
            format!(
                "Count, {pw} workers, ProcessPoolExecutor and rayon alternating (ratio: median of the pairs)"
            ),
            &paired::processes_id(pw),
            &paired::rayon_id(pw),
        )
    });
    let per_task = [
        (
            "Per hand-off: ping-pong between 2 threads (queue.SimpleQueue / Mutex + Condvar)"
                .to_owned(),
            "handoff/ping-pong",
        ),
        (
            "Per task: thread start + join (threading.Thread / std::thread)".to_owned(),
            "task/thread-spawn-join",
        ),
        (
            format!("Per task: thread pool submit + result, {pw} workers"),
            "task/thread-pool-submit",
        ),
        (
            format!("Per task: thread pool map, {pw} workers"),
            "task/thread-pool-map",
        ),
        (
            format!("Per item: process pool submit + result, {pw} workers"),
            "task/process-pool-submit",
        ),
    ];
    for (figure, id) in per_task {
        rows.push(Row::new(samples, figure, id, id));
    }
    for c in &sizes.chunksizes {
        let id = format!("task/process-pool-map/{c}");
        rows.push(Row::new(
            samples,
            format!("Per item: process pool map, chunksize {c}"),
            &id,
            &id,
        ));
    }
    for runtime in ["tokio-current-thread", "tokio-multi-thread"] {
        rows.push(Row::new(
            samples,
            format!("Per task: spawn + await, cube (asyncio create_task + gather / {runtime})"),
            "async/spawn-cube",
            &format!("async/spawn-cube/{runtime}"),
        ));
    }
    for runtime in ["tokio-current-thread", "tokio-multi-thread"] {
        let n = sizes.noop_tasks;
        rows.push(Row::new(
            samples,
            format!("{n} no-op tasks, spawn + join (asyncio / {runtime})"),
            &format!("async/spawn-noop/{n}"),
            &format!("async/spawn-noop/{n}/{runtime}"),
        ));
    }
    for runtime in ["tokio-current-thread", "tokio-multi-thread"] {
        for n in &sizes.timers {
            rows.push(Row::new(
                samples,
                format!("{n} concurrent 10 ms timers, total (asyncio / {runtime})"),
                &format!("async/timers/{n}"),
                &format!("async/timers/{n}/{runtime}"),
            ));
        }
    }
    rows
}

/// `count/processes/2` -> `processes/2`.
fn short(id: &str) -> &str {
    id.strip_prefix("count/").unwrap_or(id)
}

/// The rows as a Markdown table.
pub fn markdown(rows: &[Row]) -> String {
    let cell = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), human);
    let mut out =
        String::from("| Figure | Python | Rust | Python / Rust |\n|---|---:|---:|---:|\n");
    for row in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            row.figure,
            cell(row.python),
            cell(row.rust),
            row.ratio().map_or_else(|| "-".to_owned(), ratio)
        ));
    }
    out
}

/// Speedups of one executor: (workers, sequential time / its time).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// E.g. `Rust rayon` or `Python ProcessPoolExecutor`.
    pub label: String,
    /// Which side it ran on.
    pub side: Side,
    /// (workers, speedup), for the worker counts that were measured.
    pub points: Vec<(usize, f64)>,
}

/// The speedup of every scalable executor, each over its own side's
/// sequential run: on the Rust side the median of the paired speedups
/// (see `rust::paired`) where they were measured; otherwise (and on the
/// Python side, whose runs last seconds) the ratio of the medians.
pub fn speedups(samples: &Samples, sizes: &Sizes) -> Vec<Series> {
    let series = |side: Side, label: String, id: &dyn Fn(usize) -> String| {
        let base = samples.median(side, "count/sequential");
        let points = sizes
            .workers
            .iter()
            .filter_map(|&w| Some((w, base? / samples.median(side, &id(w))?)))
            .collect();
        Series {
            label,
            side,
            points,
        }
    };
    let mut all: Vec<Series> = Executor::SCALABLE
        .iter()
        .map(|&e| {
            let mut s = series(Side::Rust, format!("Rust {}", e.name()), &|w| {
                count_id(e, w)
            });
            for point in &mut s.points {
                if let Some(paired) = samples.median(Side::Rust, &speedup_id(e, point.0)) {
                    point.1 = paired;
                }
            }
            s
        })
        .collect();
    all.push(series(
        Side::Python,
        "Python ThreadPoolExecutor".into(),
        &|w| format!("count/threads/{w}"),
    ));
    all.push(series(
        Side::Python,
        "Python ProcessPoolExecutor".into(),
        &|w| format!("count/processes/{w}"),
    ));
    all
}

/// The speedups as a Markdown table, one column per worker count, each
/// with its efficiency: the speedup divided by the cores the workers can
/// use, `min(workers, cores)` (100% = every usable core fully used).
pub fn speedup_markdown(series: &[Series], workers: &[usize], cores: usize) -> String {
    let mut out = String::from("| Executor |");
    for w in workers {
        out.push_str(&format!(" {w} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(workers.len()));
    out.push('\n');
    for s in series {
        out.push_str(&format!("| {} |", s.label));
        for w in workers {
            let cell = s.points.iter().find(|(pw, _)| pw == w).map_or_else(
                || "-".to_owned(),
                |(_, v)| {
                    let usable = (*w).min(cores).max(1) as f64;
                    format!("{v:.2}x ({:.0}%)", 100.0 * v / usable)
                },
            );
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn samples() -> Samples {
        let mut s = Samples::default();
        s.push(Side::Python, "count/sequential", 6.0);
        s.push(Side::Python, "count/processes/2", 3.0);
        s.push(Side::Python, "count/processes/4", 3.2);
        s.push(Side::Python, "count/threads/2", 6.5);
        s.push(Side::Rust, "count/sequential", 0.04);
        s.push(Side::Rust, "count/rayon/2", 0.02);
        s.push(Side::Rust, "count/thread-pool/2", 0.021);
        s
    }

    fn sizes() -> Sizes {
        Sizes {
            workers: vec![1, 2, 4],
            pool_workers: 2,
            ..Sizes::default()
        }
    }

    /// The ratio is Python over Rust; the best parallel row names the
    /// winners.
    #[test]
    fn rows_pair_python_and_rust() {
        let rows = rows(&samples(), &sizes());
        assert_eq!(rows[0].ratio(), Some(150.0));
        let best = rows.iter().find(|r| r.figure.contains("best")).unwrap();
        assert!(best.figure.contains("processes/2") && best.figure.contains("rayon/2"));
        assert_eq!(best.ratio(), Some(150.0));
        let table = markdown(&rows);
        assert!(table.contains(
            "| Count workload, sequential (10 items x count(10000000)) | 6.00 s | 40.0 ms | 150x |"
        ));
        // Unmeasured figures show a dash, not a zero.
        assert!(table.contains("| - | - |"));
    }

    /// A paired row's ratio is the median of its pairs, not the ratio of
    /// the two medians.
    #[test]
    fn paired_rows_use_the_pairs_ratio() {
        let mut s = samples();
        for (py, rs, r) in [(2.5, 0.028, 95.0), (2.6, 0.05, 100.0), (2.4, 0.027, 90.0)] {
            s.push(Side::Python, paired::SEQUENTIAL, py);
            s.push(Side::Rust, paired::SEQUENTIAL, rs);
            s.push(Side::Rust, paired::SEQUENTIAL_RATIO, r);
        }
        let rows = rows(&s, &sizes());
        let row = rows
            .iter()
            .find(|r| r.figure.contains("alternating item by item"))
            .unwrap();
        assert_eq!((row.python, row.rust), (Some(2.5), Some(0.028)));
        assert_eq!(row.ratio(), Some(95.0));
        let pool = rows
            .iter()
            .find(|r| r.figure.contains("ProcessPoolExecutor and rayon"))
            .unwrap();
        assert_eq!(pool.ratio(), None);
    }

    /// Speedups are over each side's own sequential run.
    #[test]
    fn speedups_use_their_own_baseline() {
        let series = speedups(&samples(), &sizes());
        let rayon = series.iter().find(|s| s.label == "Rust rayon").unwrap();
        assert_eq!(rayon.points, vec![(2, 2.0)]);
        let threads = series.iter().find(|s| s.label.contains("Thread")).unwrap();
        assert_eq!(threads.side, Side::Python);
        assert!((threads.points[0].1 - 6.0 / 6.5).abs() < 1e-9);
        // A paired speedup, where measured, wins over the ratio of medians.
        let mut with_pairs = samples();
        with_pairs.push(Side::Rust, "speedup/rayon/2", 1.9);
        let paired = speedups(&with_pairs, &sizes());
        let rayon = paired.iter().find(|s| s.label == "Rust rayon").unwrap();
        assert_eq!(rayon.points, vec![(2, 1.9)]);
        let table = speedup_markdown(&series, &[1, 2, 4], 2);
        assert!(table.contains("| Rust rayon | - | 2.00x (100%) | - |"));
    }
}
