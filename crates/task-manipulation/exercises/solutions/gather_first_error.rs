//! Worked solution: Python's `gather(*tasks)` without `return_exceptions`:
//! the first error propagates, and the other tasks run on.

use std::future::Future;

use tokio::task::JoinSet;

/// The tasks still running after the first error, each returning its
/// argument index with its result.
pub type Pending<T, E> = JoinSet<(usize, Result<T, E>)>;

/// Spawns every future; all values in argument order, or the first error
/// with the tasks that are still running.
pub async fn gather<T, E, F>(futures: Vec<F>) -> Result<Vec<T>, (E, Pending<T, E>)>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let mut set = JoinSet::new();
    for (index, future) in futures.into_iter().enumerate() {
        // Each task carries its index: the set hands results back in
        // completion order, the caller wants argument order.
        set.spawn(async move { (index, future.await) });
    }
    let mut slots: Vec<Option<T>> = std::iter::repeat_with(|| None).take(set.len()).collect();
    while let Some(joined) = set.join_next().await {
        let (index, result) = match joined {
            Ok(done) => done,
            // Python's gather re-raises what a task raised: so does this.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        };
        match result {
            Ok(value) => slots[index] = Some(value),
            // Returned with the set: its tasks are not aborted, they run on
            // for whoever awaits them (dropping the set would abort them).
            Err(error) => return Err((error, set)),
        }
    }
    // The set only ends after every task came back, each into its slot.
    Ok(slots.into_iter().flatten().collect())
}
