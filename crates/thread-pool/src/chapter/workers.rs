//! After part 2's port: which worker ran each task, and rayon's own way.
//!
//! `executor.map(cube, [2, 4, 6, 8])` gives the results in input order;
//! which thread ran which call is the pool's business. Here each task says
//! it: a `cube` takes a microsecond, so sometimes one worker takes all four
//! before the other has taken one. The order is the promise; the spread
//! over the workers is not. Then the same `map` as rayon is usually
//! written: `par_iter`, no executor and no handles, `collect` keeping the
//! input order.

use std::collections::BTreeMap;

use common::clock::thread_label;
use common::cube;
use rayon::prelude::*;
use thread_pool::ThreadPoolExecutor;

use super::{ChapterError, Run};

/// The chapter's `max_workers`.
pub const MAX_WORKERS: usize = 2;
/// The chapter's `map` input.
pub const MAP_INPUT: [i64; 4] = [2, 4, 6, 8];

/// What this part observed, for the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkersReport {
    /// `map(cube, [2, 4, 6, 8])`, each with the worker that computed it.
    pub mapped: Vec<(i64, String)>,
    /// The same map with rayon's `par_iter`.
    pub par_iter: Vec<i64>,
}

/// Runs this part and prints what it shows.
pub fn run(run: &Run) -> Result<WorkersReport, ChapterError> {
    let pool = ThreadPoolExecutor::new(MAX_WORKERS)?;
    let task_run = run.clone();
    let mapped = pool
        .map(
            move |x| {
                let me = thread_label();
                let _bar = task_run.work_bar(format!("cube({x})"));
                let value = cube(x)?;
                task_run.say(format!("cube({x}) = {value}"));
                Ok::<_, common::WorkloadError>((value, me))
            },
            MAP_INPUT,
        )
        .collect::<Result<Vec<_>, _>>()?;
    pool.shutdown();
    let values: Vec<i64> = mapped.iter().map(|(value, _)| *value).collect();
    run.say(format!(
        "the same map, each task saying where it ran: {values:?}, in input order; \
         the tasks ran on {}",
        spread(&mapped)
    ));

    let par_iter = MAP_INPUT
        .par_iter()
        .map(|&x| cube(x))
        .collect::<Result<Vec<_>, _>>()?;
    run.say(format!(
        "rayon: [2, 4, 6, 8].par_iter().map(cube).collect() = {par_iter:?}"
    ));
    Ok(WorkersReport { mapped, par_iter })
}

/// How many tasks each worker ran, in words: `worker-1 (4)`, or
/// `worker-0 (1) and worker-1 (3)`.
fn spread(mapped: &[(i64, String)]) -> String {
    let mut per_worker: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, worker) in mapped {
        *per_worker.entry(worker.as_str()).or_default() += 1;
    }
    let counts: Vec<String> = per_worker
        .iter()
        .map(|(worker, n)| format!("{worker} ({n})"))
        .collect();
    match counts.as_slice() {
        [one] => format!("{one} alone: each cube was done before another worker got to one"),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => "no worker".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Results in input order, every task on one of the pool's two
    /// workers (never on main), each line from the worker that says it.
    #[test]
    fn workers_part_reports() {
        let run = Run::quiet();
        let report = super::run(&run).unwrap();
        let values: Vec<i64> = report.mapped.iter().map(|(v, _)| *v).collect();
        assert_eq!(values, vec![8, 64, 216, 512]);
        assert_eq!(report.par_iter, vec![8, 64, 216, 512]);
        for (_, worker) in &report.mapped {
            assert!(
                ["worker-0", "worker-1"].contains(&worker.as_str()),
                "{worker}"
            );
        }
        let on_workers: usize = (0..MAX_WORKERS)
            .map(|i| run.out.messages_of(&format!("worker-{i}")).len())
            .sum();
        assert_eq!(on_workers, 4, "the four map items");
    }

    /// The spread names each worker once, with its count.
    #[test]
    fn spread_in_words() {
        let on = |w: &str| (0, w.to_owned());
        assert_eq!(
            spread(&[on("worker-1"), on("worker-1")]),
            "worker-1 (2) alone: each cube was done before another worker got to one"
        );
        assert_eq!(
            spread(&[on("worker-1"), on("worker-0"), on("worker-1")]),
            "worker-0 (1) and worker-1 (2)"
        );
    }
}
