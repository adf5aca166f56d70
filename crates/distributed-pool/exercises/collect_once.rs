//! Exercise 2: results in input order, each counted once.
//!
//! A submitter that reads results from a stream (not from a key-value
//! store that keeps one value per key) sees a task's result once per run:
//! twice for a job that ran twice. And it sees them in completion order.
//! Write `collect_once`: given how many tasks were submitted (numbered
//! 1..=total) and the results in the order they arrived, as (task number,
//! result), give each task's first result in task order (`None` for a
//! task with no result yet) and how many arrivals were duplicates. A
//! number outside 1..=total is not ours: skip it.
//!
//! Check it: `cargo test -p distributed-pool --features exercises --test exercises collect_once`

/// The results of `total` tasks, in task order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collected {
    /// Task k's first result at index k - 1.
    pub results: Vec<Option<u64>>,
    /// Arrivals for a task that already had a result.
    pub duplicates: usize,
}

/// Each task's first result, in task order, and the duplicates counted.
pub fn collect_once(total: u64, arrivals: impl IntoIterator<Item = (u64, u64)>) -> Collected {
    // Your code here: this keeps them in arrival order, duplicates and all.
    let _ = total;
    Collected {
        results: arrivals
            .into_iter()
            .map(|(_, result)| Some(result))
            .collect(),
        duplicates: 0,
    }
}
