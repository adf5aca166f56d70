//! Exercise 2, solved: a slot per task, filled by the first arrival only
//! (the idempotence `worker.rs` gets from the bucket's `create`, here on
//! the submitter's side).

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
    let slots = usize::try_from(total).unwrap_or(usize::MAX);
    let mut collected = Collected {
        results: vec![None; slots],
        duplicates: 0,
    };
    for (number, result) in arrivals {
        // Task numbers start at 1; 0 and anything past `total` are not ours.
        let Some(slot) = usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|index| collected.results.get_mut(index))
        else {
            continue;
        };
        match slot {
            Some(_) => collected.duplicates += 1,
            None => *slot = Some(result),
        }
    }
    collected
}
