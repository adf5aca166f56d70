//! Worked solution: stop at the first failure (see `exercises/fail_fast.rs`
//! for the exercise).

use process_pool::{PoolError, ProcessPoolExecutor, ReturnWhen, Task, TaskError, wait};

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
    // Returns as soon as one fails, or when all are done (none failed).
    let split = wait(&handles, None, ReturnWhen::FirstException);
    // Cancel at once: every moment lost lets a worker start one more task.
    // A running task cannot be cancelled (as in Python): it finishes,
    // unseen.
    for &at in &split.not_done {
        handles[at].cancel();
    }
    // The done ones, in input order: the first error among them is the
    // failure `wait` returned for (if all are done and one failed last, it
    // is that one); with no error, every task is done and these are all the
    // values, in order.
    let mut values = Vec::with_capacity(handles.len());
    let mut handles: Vec<Option<_>> = handles.into_iter().map(Some).collect();
    for at in split.done {
        let Some(handle) = handles[at].take() else {
            continue;
        };
        match handle.result() {
            Ok(value) => values.push(value),
            Err(error) => return Ok(Err((at, error))),
        }
    }
    Ok(Ok(values))
}
