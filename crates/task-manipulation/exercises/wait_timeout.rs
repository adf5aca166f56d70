//! Exercise: Python's `done, pending = await asyncio.wait(tasks,
//! timeout=limit)`.
//!
//! Wait until every task of the set has finished or `limit` has passed,
//! whichever comes first, and return the values of the tasks that
//! finished, in the order they finished. The others stay in the set, still
//! running: Python's `wait` cancels nothing, its `pending` tasks run on.
//! It returns as soon as the last task is done, not at the deadline.
//!
//! Hint: one deadline for the whole wait (`tokio::time::timeout_at`), and
//! `join_next` is cancel-safe: timing it out loses no task.
//!
//! Check it: `cargo test -p task-manipulation --features exercises --test exercises wait_timeout`

use std::time::Duration;

use tokio::task::{JoinError, JoinSet};

/// The values of the tasks of `set` that finished within `limit`, in the
/// order they finished; the rest left running in `set`. A task that
/// panicked or was cancelled gives its `JoinError`.
pub async fn wait<T: 'static>(set: &mut JoinSet<T>, limit: Duration) -> Result<Vec<T>, JoinError> {
    // Your code here: take `set.join_next()` results until the set is empty
    // or the deadline, now + limit, has passed.
    let _ = (set, limit);
    Ok(Vec::new())
}
