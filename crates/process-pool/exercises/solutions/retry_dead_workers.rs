//! Worked solution: retry a task whose worker died (see
//! `exercises/retry_dead_workers.rs` for the exercise).

use process_pool::{Outcome, PoolError, ProcessPoolExecutor, Task, TaskError};

/// Runs `task`, again after each worker death, at most `retries` more
/// times; the last outcome.
pub fn run_with_retries<T: Task + Clone>(
    pool: &ProcessPoolExecutor<T>,
    task: T,
    retries: usize,
) -> Result<Outcome<T>, PoolError> {
    let mut left = retries;
    loop {
        // A clone per attempt: submit consumes the task (it is encoded and
        // sent), and a death leaves nothing to send again.
        let outcome = pool.submit(task.clone())?.result();
        match outcome {
            // Only a death is retried: the task's own error or a panic
            // would happen again, in the same worker, without harm to it.
            Err(TaskError::WorkerDied { .. }) if left > 0 => left -= 1,
            outcome => return Ok(outcome),
        }
    }
}
