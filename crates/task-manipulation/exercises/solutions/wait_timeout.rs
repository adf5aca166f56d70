//! Worked solution: Python's `done, pending = await asyncio.wait(tasks,
//! timeout=limit)`.

use std::time::Duration;

use tokio::task::{JoinError, JoinSet};
use tokio::time::{Instant, timeout_at};

/// The values of the tasks of `set` that finished within `limit`, in the
/// order they finished; the rest left running in `set`. A task that
/// panicked or was cancelled gives its `JoinError`.
pub async fn wait<T: 'static>(set: &mut JoinSet<T>, limit: Duration) -> Result<Vec<T>, JoinError> {
    // One deadline for the whole wait: a `timeout(limit, ..)` per task
    // would give each task `limit` again.
    let deadline = Instant::now() + limit;
    let mut done = Vec::new();
    // `join_next` is cancel-safe: when the deadline drops it, no finished
    // task is lost, it stays in the set.
    while let Ok(Some(joined)) = timeout_at(deadline, set.join_next()).await {
        done.push(joined?);
    }
    Ok(done)
}
