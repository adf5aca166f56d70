//! Exercise 2, solved: Python's `list(executor.map(f, items))`, which
//! raises the first exception it reaches.

use thread_pool::{TaskError, ThreadPoolExecutor};

/// Every item's value in input order, or the first error in input order.
pub fn try_map<I, T, E, F>(
    pool: &ThreadPoolExecutor,
    f: F,
    items: impl IntoIterator<Item = I>,
) -> Result<Vec<T>, TaskError<E>>
where
    F: Fn(I) -> Result<T, E> + Send + Sync + 'static,
    I: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    // `map` submits every item before it returns; collecting into a
    // `Result` reads the results in input order and stops at the first
    // `Err`, so the results after it are never waited for. Their tasks
    // were submitted all the same: they run, and their results are
    // dropped with their handles.
    pool.map(f, items).collect()
}
