//! What both sides run: one set of sizes, passed to the Python programs as
//! flags and used by the Rust side directly, so the two cannot drift apart.

use crate::{CHAPTER_ITERATIONS, SCALING_WORKERS};
use std::time::Duration;

/// The sizes of every figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Sizes {
    /// Items 1..=items of the count workload (10).
    pub items: u64,
    /// The count loop's length (10,000,000).
    pub iterations: u64,
    /// Worker counts of the scaling figures (1, 2, 4, 8).
    pub workers: Vec<usize>,
    /// Workers of the start-up figure and of the per-task pools (the core
    /// count, at least 2).
    pub pool_workers: usize,
    /// Threads started one per task (1,000).
    pub threads: usize,
    /// Thread-pool and async tasks per batch (10,000).
    pub tasks: usize,
    /// Process-pool tasks per batch (10,000).
    pub process_tasks: usize,
    /// Process-pool `map` chunksizes (1, 64, 1024).
    pub chunksizes: Vec<usize>,
    /// No-op async tasks spawned and joined (100,000).
    pub noop_tasks: usize,
    /// Concurrent 10 ms timers (1,000 and 10,000).
    pub timers: Vec<usize>,
    /// Ping-pong round trips between two threads (2,000).
    pub round_trips: usize,
    /// The queue section (`compare::queue`): trivial tasks sent one at a
    /// time, each waited for (100).
    pub queue_single: usize,
    /// The queue section: trivial tasks in flight at once (500).
    pub queue_tasks: usize,
    /// The queue section's throughput items, each `count(iterations)`
    /// (120: about a second on one worker of the Rust queue).
    pub queue_items: u64,
    /// How long the Rust side runs each figure back to back per round (1
    /// s; see `compare::rust`). Not a Python flag: a Python figure is one
    /// run, already seconds long.
    pub span: Duration,
}

impl Default for Sizes {
    /// The chapter's sizes and the task counts.
    fn default() -> Self {
        Sizes {
            items: 10,
            iterations: CHAPTER_ITERATIONS,
            workers: SCALING_WORKERS.to_vec(),
            pool_workers: crate::cores().max(2),
            threads: 1_000,
            tasks: 10_000,
            process_tasks: 10_000,
            chunksizes: vec![1, 64, 1024],
            noop_tasks: 100_000,
            timers: vec![1_000, 10_000],
            round_trips: 2_000,
            queue_single: 100,
            queue_tasks: 500,
            queue_items: 120,
            span: Duration::from_secs(1),
        }
    }
}

impl Sizes {
    /// The count workload's items.
    pub fn items(&self) -> Vec<u64> {
        (1..=self.items).collect()
    }

    /// Every size and the span divided by `factor` (sizes at least 1;
    /// timers and chunksizes kept), for a quick run that still exercises
    /// every figure.
    pub fn scaled_down(&self, factor: usize) -> Sizes {
        let f = factor.max(1);
        let down = |n: usize| (n / f).max(1);
        let mut timers: Vec<usize> = self.timers.iter().map(|&n| down(n)).collect();
        timers.dedup(); // two counts may shrink to the same one
        Sizes {
            iterations: (self.iterations / f as u64).max(1),
            threads: down(self.threads),
            tasks: down(self.tasks),
            process_tasks: down(self.process_tasks),
            noop_tasks: down(self.noop_tasks),
            timers,
            round_trips: down(self.round_trips),
            queue_single: down(self.queue_single),
            queue_tasks: down(self.queue_tasks),
            queue_items: (self.queue_items / f as u64).max(1),
            span: self.span / u32::try_from(f).unwrap_or(u32::MAX),
            ..self.clone()
        }
    }

    fn list(values: &[usize]) -> Vec<String> {
        values.iter().map(usize::to_string).collect()
    }

    /// The flags for one Python program (`pooling.py`, `overhead.py` or
    /// `asyncio_costs.py`).
    pub fn python_args(&self, script: &str) -> Vec<String> {
        let mut args = vec!["--tsv".to_owned()];
        let mut flag = |name: &str, values: Vec<String>| {
            args.push(format!("--{name}"));
            args.extend(values);
        };
        match script {
            "pooling.py" => {
                flag("items", vec![self.items.to_string()]);
                flag("iterations", vec![self.iterations.to_string()]);
                flag("workers", Self::list(&self.workers));
                flag("startup-workers", vec![self.pool_workers.to_string()]);
            }
            "overhead.py" => {
                flag("workers", vec![self.pool_workers.to_string()]);
                flag("threads", vec![self.threads.to_string()]);
                flag("tasks", vec![self.tasks.to_string()]);
                flag("process-tasks", vec![self.process_tasks.to_string()]);
                flag("chunksizes", Self::list(&self.chunksizes));
                flag("round-trips", vec![self.round_trips.to_string()]);
            }
            "asyncio_costs.py" => {
                flag("tasks", vec![self.tasks.to_string()]);
                flag("noop-tasks", vec![self.noop_tasks.to_string()]);
                flag("timers", Self::list(&self.timers));
            }
            _ => {}
        }
        args
    }
}
