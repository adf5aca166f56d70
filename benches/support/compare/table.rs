//! The tables of `docs/performance.md`: figure | Python | Rust | ratio,
//! then the speedups by executor and worker count, at the chapter's size
//! and at equal wall time.
//!
//! Every value is a median over the rounds of one run. The ratio is
//! Python's median divided by Rust's: how many times longer Python takes;
//! for the rows measured in pairs (`compare::paired`), the median of the
//! pairs' own ratios.

use super::rust::{count_id, speedup_id};
use super::sizes::Sizes;
use super::{Samples, Side};
use super::{equal_time, paired};
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

/// The speedups of `side` from the medians of figures `id(workers)`
/// over the median of `base`, at every worker count of `sizes` measured.
fn ratio_series(
    samples: &Samples,
    sizes: &Sizes,
    side: Side,
    label: String,
    base: &str,
    id: &dyn Fn(usize) -> String,
) -> Series {
    let base = samples.median(side, base);
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
}

/// Python's two pools, each over Python's sequential run (ratios of
/// medians: its runs last seconds each). The same rows in both tables.
fn python_series(samples: &Samples, sizes: &Sizes) -> [Series; 2] {
    [
        ("ThreadPoolExecutor", "threads"),
        ("ProcessPoolExecutor", "processes"),
    ]
    .map(|(pool, id)| {
        let label = format!("Python {pool}");
        ratio_series(
            samples,
            sizes,
            Side::Python,
            label,
            "count/sequential",
            &|w| format!("count/{id}/{w}"),
        )
    })
}

/// Every scalable Rust executor `e` over `base`: the ratios of the medians
/// of `id(e, workers)`, then Python's two pools.
fn with_python(
    samples: &Samples,
    sizes: &Sizes,
    base: &str,
    id: fn(Executor, usize) -> String,
) -> Vec<Series> {
    let rust = Executor::SCALABLE.iter().map(|&e| {
        let label = format!("Rust {}", e.name());
        ratio_series(samples, sizes, Side::Rust, label, base, &|w| id(e, w))
    });
    rust.chain(python_series(samples, sizes)).collect()
}

/// The speedup of every scalable executor at the chapter's size, each
/// over its own side's sequential run: on the Rust side the median of the
/// paired speedups (see `rust::paired`) where they were measured,
/// otherwise the ratio of the medians; on the Python side, whose runs last
/// seconds, the ratio of the medians.
pub fn speedups(samples: &Samples, sizes: &Sizes) -> Vec<Series> {
    let base = count_id(Executor::Sequential, 1);
    let mut all = with_python(samples, sizes, &base, count_id);
    for (s, &e) in all.iter_mut().zip(&Executor::SCALABLE) {
        for point in &mut s.points {
            if let Some(paired) = samples.median(Side::Rust, &speedup_id(e, point.0)) {
                point.1 = paired;
            }
        }
    }
    all
}

/// The same speedups with Rust at equal wall time (`compare::equal_time`):
/// the Rust rows are the ratios of the medians of the lengthened runs,
/// measured as Python's are; the Python rows are those of [`speedups`].
pub fn speedups_at_equal_time(samples: &Samples, sizes: &Sizes) -> Vec<Series> {
    let base = equal_time::count_id(Executor::Sequential, 1);
    with_python(samples, sizes, &base, equal_time::count_id)
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
