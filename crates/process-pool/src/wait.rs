//! `wait`: block until some or all of several tasks are done, and get the
//! done and the not-done apart (Python: `concurrent.futures.wait(fs,
//! timeout, return_when)`, which returns the named pair `(done, not_done)`).
//!
//! Built on done callbacks, like `as_completed`: each bumps a counter and
//! wakes the waiting thread, which looks at the handles again. Nothing polls.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::error::{Outcome, TaskError};
use crate::handle::TaskHandle;
use crate::slot::{deadline_after, wait_while};
use crate::task::Task;

/// When [`wait`] returns (Python: `FIRST_COMPLETED`, `FIRST_EXCEPTION`,
/// `ALL_COMPLETED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as any task is done (finished, failed or cancelled).
    FirstCompleted,
    /// As soon as any task is done with an error other than a
    /// cancellation (Python: "raising an exception"); if none fails, when
    /// all are done.
    FirstException,
    /// When every task is done.
    AllCompleted,
}

/// What [`wait`] gives back: the positions of the handles, split in two,
/// each in increasing order (Python: `DoneAndNotDoneFutures(done,
/// not_done)`, two sets of futures). The handles stay the caller's, as
/// Python's futures do: `handles[i]` for each position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoneAndNotDone {
    /// Positions of the handles whose task is done: their `result()` does
    /// not block.
    pub done: Vec<usize>,
    /// The others: still queued or running (when a timeout ran out, or
    /// `return_when` was satisfied before every task was done).
    pub not_done: Vec<usize>,
}

/// Waits until `return_when` holds for `handles`, or until `timeout`
/// (`None`, or a timeout too large for the clock: no limit), and tells
/// which are done (Python: `wait(fs, timeout, return_when)`). With no
/// handles it returns at once, as Python's does.
pub fn wait<T: Task>(
    handles: &[TaskHandle<T>],
    timeout: Option<Duration>,
    return_when: ReturnWhen,
) -> DoneAndNotDone {
    let deadline = timeout.and_then(deadline_after);
    // How many callbacks have run, and the condvar they signal.
    let finished = Arc::new((Mutex::new(0usize), Condvar::new()));
    for handle in handles {
        let finished = Arc::clone(&finished);
        // Runs on a pool thread when the task is done (or here, at once,
        // if it already is). A callback stays registered on a task that
        // never finishes; it only holds this small counter.
        handle.add_done_callback(move || {
            let (count, changed) = &*finished;
            *count.lock().unwrap_or_else(|p| p.into_inner()) += 1;
            changed.notify_all();
        });
    }
    let (count, changed) = &*finished;
    // Looked at under the counter's lock: a task finishing meanwhile bumps
    // the counter after we let go of it, so its wake-up is not lost.
    let seen = count.lock().unwrap_or_else(|p| p.into_inner());
    drop(wait_while(changed, seen, deadline, |_| {
        !satisfied(handles, return_when)
    }));
    let (done, not_done) = (0..handles.len()).partition(|&at| handles[at].done());
    DoneAndNotDone { done, not_done }
}

/// Whether `return_when` holds for `handles` now.
fn satisfied<T: Task>(handles: &[TaskHandle<T>], return_when: ReturnWhen) -> bool {
    let all_done = handles.iter().all(TaskHandle::done);
    match return_when {
        ReturnWhen::AllCompleted => all_done,
        ReturnWhen::FirstCompleted => handles.is_empty() || handles.iter().any(TaskHandle::done),
        ReturnWhen::FirstException => {
            let failed = |o: &Outcome<T>| matches!(o, Err(e) if !matches!(e, TaskError::Cancelled));
            all_done || handles.iter().any(|h| h.peek(failed) == Some(true))
        }
    }
}
