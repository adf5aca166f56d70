//! Exercise: stop at the first failure (docs/process-pool.md,
//! "Exercises"); Python's `wait(fs, return_when=FIRST_EXCEPTION)`.
//!
//! Write `run_all`: submit every task; return every value, in input order,
//! if all succeed; but as soon as any task fails, return that task's
//! position and error *at once*, without waiting for the tasks still
//! running, and cancel the tasks no worker has started (they must never
//! run). `process_pool::wait` with `ReturnWhen::FirstException` does the
//! waiting; `TaskHandle::cancel` the cancelling.
//!
//! Check it: `cargo test -p process-pool --features exercises --test exercises fail_fast`

use process_pool::{PoolError, ProcessPoolExecutor, Task, TaskError};

/// Every value in input order, or the first task that failed: its
/// position and its error.
pub type AllOrFirstFailure<T> =
    Result<Vec<<T as Task>::Output>, (usize, TaskError<<T as Task>::Error>)>;

/// Runs every task; stops at the first failure.
pub fn run_all<T: Task>(
    pool: &ProcessPoolExecutor<T>,
    tasks: Vec<T>,
) -> Result<AllOrFirstFailure<T>, PoolError> {
    let handles = tasks
        .into_iter()
        .map(|task| pool.submit(task))
        .collect::<Result<Vec<_>, _>>()?;
    // Your code here: wait for the first failure instead of reading the
    // results in order, and cancel what has not started. As it stands, it
    // waits for each task in turn and cancels nothing.
    let mut values = Vec::new();
    for (index, handle) in handles.into_iter().enumerate() {
        match handle.result() {
            Ok(value) => values.push(value),
            Err(error) => return Ok(Err((index, error))),
        }
    }
    Ok(Ok(values))
}
