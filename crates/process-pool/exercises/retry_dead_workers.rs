//! Exercise: retry a task whose worker died (docs/process-pool.md,
//! "Exercises").
//!
//! The pool never re-runs a task whose worker died while running it: the
//! task itself may be what kills workers (a "poison pill"), and running it
//! again could repeat a side effect. The caller may know better. Write
//! `run_with_retries`: submit `task`; while its outcome is
//! `TaskError::WorkerDied`, submit it again, at most `retries` more times
//! (the pool has replaced the dead worker by then). Any other outcome (a
//! value, the task's own error, a panic) is returned at once, without a
//! retry.
//!
//! Check it: `cargo test -p process-pool --features exercises --test exercises retry`

use process_pool::{Outcome, PoolError, ProcessPoolExecutor, Task};

/// Runs `task`, again after each worker death, at most `retries` more
/// times; the last outcome.
pub fn run_with_retries<T: Task + Clone>(
    pool: &ProcessPoolExecutor<T>,
    task: T,
    retries: usize,
) -> Result<Outcome<T>, PoolError> {
    // Your code here: submit again while the outcome is WorkerDied, at most
    // `retries` more times. As it stands, it tries once.
    let _ = retries;
    Ok(pool.submit(task)?.result())
}
