//! Exercise: Python's `gather(*tasks)` without `return_exceptions`, in
//! Rust: the first exception propagates, and the other tasks run on.
//!
//! `futures::future::try_join_all` also returns the first error, but it
//! drops (cancels) the other futures (see the `exceptions` part). Python's
//! `gather` does not cancel anything: after it raises, the other tasks are
//! still running, and whoever holds them can still await them. Write that:
//! spawn every future into a `JoinSet`, each with its argument index, take
//! the results as they complete (`join_next`), and
//! - if every task succeeds, return the values in *argument* order;
//! - at the first error to happen, return it at once, together with the
//!   set of the tasks still running (not aborted).
//!
//! A task that panicked: re-raise its panic in the caller, as Python's
//! `gather` re-raises a task's exception:
//! `Err(e) => std::panic::resume_unwind(e.into_panic())`.
//!
//! Check it: `cargo test -p task-manipulation --features exercises --test exercises gather_first_error`

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
    // Your code here: spawn each future with its index into a JoinSet, then
    // take the results with `join_next` until the set is empty or one fails.
    drop(futures);
    Ok(Vec::new())
}
