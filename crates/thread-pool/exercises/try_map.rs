//! Exercise 2: Python's `list(executor.map(f, items))`, which raises the
//! first exception it reaches.
//!
//! The pool's `map` gives an iterator of `Result`s, one per item, in input
//! order. Write `try_map`, which submits every item at once (as Python's
//! `map` does, and the pool's `map` already does) and returns all the
//! values in input order, or the first error in input order, without
//! reading any result after it.
//!
//! Check it with
//! `cargo test -p thread-pool --features exercises --test exercises try_map`.
//! Then: when `try_map` returns an error, do the other tasks still run?

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
    // Your code here: `pool.map(f, items)`, then read the results in
    // order, stopping at the first `Err` (`collect` into a `Result` does
    // exactly that).
    let _ = (pool, f, items.into_iter().count());
    Ok(Vec::new())
}
