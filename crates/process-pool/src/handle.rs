//! [`TaskHandle`], what `submit` returns (Python: `concurrent.futures.Future`;
//! the page's table pairs its methods with Python's). The pool's reader thread
//! *stores* the outcome in the handle's slot (`slot.rs`) and wakes whoever
//! waits: a worker never waits for the caller to collect a result.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::error::{Outcome, TaskError};
use crate::slot::{Slot, Stage, deadline_after};
use crate::task::Task;

/// The pending result of one submitted task (Python: `concurrent.futures.Future`).
///
/// Dropping a handle does not cancel the task: like Python's, it still
/// runs; only its result is thrown away.
pub struct TaskHandle<T: Task> {
    pub(crate) slot: Arc<Slot<Outcome<T>>>,
}

impl<T: Task> fmt::Debug for TaskHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHandle")
            .field("done", &self.done())
            .field("worker_pid", &self.worker_pid())
            .finish()
    }
}

impl<T: Task> TaskHandle<T> {
    /// True once the task finished, failed, or was cancelled
    /// (Python: `done()`).
    pub fn done(&self) -> bool {
        self.slot.is_done()
    }

    /// True while a worker holds the task (Python: `running()`).
    pub fn running(&self) -> bool {
        !self.done() && !self.slot.is_queued()
    }

    /// True if the task was cancelled (Python: `cancelled()`).
    pub fn cancelled(&self) -> bool {
        matches!(
            &self.slot.lock().stage,
            Stage::Done {
                value: Some(Err(TaskError::Cancelled)),
                ..
            }
        )
    }

    /// Cancels the task if no worker has it yet; true if it is cancelled
    /// (Python: `cancel()`, which also fails once the task is running).
    pub fn cancel(&self) -> bool {
        self.cancelled() || self.slot.cancel_with(|| Err(TaskError::Cancelled))
    }

    /// The pid of the worker that runs (or ran) the task, once one has it.
    pub fn worker_pid(&self) -> Option<u32> {
        self.slot.pid()
    }

    /// Blocks until the task is done.
    pub fn wait(&self) {
        self.slot.wait_until(None);
    }

    /// Blocks until the task is done and returns its outcome
    /// (Python: `result()`, with the exception as the `Err`).
    pub fn result(self) -> Outcome<T> {
        self.slot.wait_until(None);
        self.take()
    }

    /// Waits at most `timeout` (Python: `result(timeout)`; one too large
    /// for the clock waits for ever). Not done by then: [`TaskError::Timeout`],
    /// and the handle stays usable; done: the outcome is moved out, and a
    /// later call gives [`TaskError::AlreadyTaken`].
    pub fn result_timeout(&mut self, timeout: Duration) -> Outcome<T> {
        if !self.slot.wait_until(deadline_after(timeout)) {
            return Err(TaskError::Timeout(timeout));
        }
        self.take()
    }

    /// The outcome of a finished task, moved out.
    fn take(&self) -> Outcome<T> {
        self.slot
            .take()
            .flatten()
            .unwrap_or(Err(TaskError::AlreadyTaken))
    }

    /// Calls `callback` once the task is done, on the pool thread that
    /// finished it (or here, at once, if it is done): keep it short, it
    /// delays that worker's next result (Python: `add_done_callback`). A
    /// panic in it is reported on stderr, as Python logs an exception.
    pub fn add_done_callback(&self, callback: impl FnOnce() + Send + 'static) {
        self.slot.add_callback(Box::new(callback));
    }

    /// Calls `callback(pid)` when a worker first takes the task, on that
    /// worker's writer thread just before the task is sent (or here, at
    /// once, if one has it); never if it is cancelled first. Python has no
    /// such hook; the chapter draws its timeline bars with it. Contained
    /// like a done callback.
    pub fn add_running_callback(&self, callback: impl FnOnce(u32) + Send + 'static) {
        self.slot.add_running_callback(Box::new(callback));
    }

    /// The task's outcome, if it is done and not yet taken, looked at
    /// without taking it (what `wait`'s `FirstException` checks).
    pub(crate) fn peek<R>(&self, look: impl FnOnce(&Outcome<T>) -> R) -> Option<R> {
        self.slot.peek(look)
    }
}

/// Awaiting a handle gives the task's outcome without blocking a thread:
/// the pool's reader thread wakes the awaiting task. Works under any async
/// runtime (it only uses `std::task::Waker`).
impl<T: Task> Future for TaskHandle<T> {
    type Output = Outcome<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.slot
            .poll_take(cx)
            .map(|taken| taken.unwrap_or(Err(TaskError::AlreadyTaken)))
    }
}
