//! Worked solution of exercise 2 of docs/asyncio-and-futures.md: a
//! `direct` job that gives the loop back every `chunk` steps.

use common::WorkloadError;

/// `count(number, iterations)`, handing the thread back every `chunk` steps
/// (a `chunk` of 0 counts as 1).
pub async fn count_cooperatively(
    number: u64,
    iterations: u64,
    chunk: u64,
) -> Result<u64, WorkloadError> {
    if number.checked_mul(iterations).is_none() {
        // `count` checks the product before it loops: the overflow error,
        // at once. (Below, no sum can overflow: each is at most the product.)
        return common::count(number, iterations);
    }
    let chunk = chunk.max(1);
    let (mut done, mut total) = (0, 0);
    while done < iterations {
        let steps = chunk.min(iterations - done);
        total += common::count(number, steps)?;
        done += steps;
        // The one `.await` of the loop: the task goes to the back of the
        // queue and every other ready task on this thread runs first.
        tokio::task::yield_now().await;
    }
    Ok(total)
}
