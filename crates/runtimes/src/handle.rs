//! A spawned task's handle, the same on every runtime.
//!
//! Each runtime's own handle says different things when you await it: a
//! tokio `JoinHandle` gives `Result<T, JoinError>`, async-std's and smol's
//! give `T` (and a panic inside the task unwinds somewhere else). This one
//! always gives `Result<T, TaskError>`: the value, or why there is none.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::channel::oneshot;
use futures::future::{AbortHandle, Abortable};

use crate::{Caught, caught, mini};

/// Why a task gave no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// The task panicked; this is the panic's message (Python: the
    /// exception that `await task` re-raises).
    #[error("the task panicked: {0}")]
    Panicked(String),
    /// The task was cancelled before it finished (Python: `CancelledError`).
    #[error("the task was cancelled")]
    Cancelled,
}

impl TaskError {
    /// The error for a caught panic's payload: its text when it has one.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        TaskError::Panicked(runner::panic_hook::payload_text(payload))
    }
}

/// Turns a caught result into the handle's output.
fn settle<T>(caught: Caught<T>) -> Result<T, TaskError> {
    caught.map_err(|payload| TaskError::from_panic(&*payload))
}

/// A spawned task, from whichever runtime spawned it. Await it for
/// `Result<T, TaskError>`.
///
/// Dropping it does what the runtime's own handle does on drop (tokio,
/// async-std and mini detach the task, smol *cancels* it); say what you
/// mean with `.await`, [`JoinHandle::cancel`] or [`JoinHandle::detach`].
#[derive(Debug)]
pub enum JoinHandle<T> {
    /// `tokio::task::JoinHandle`: tokio catches the task's panic itself.
    Tokio(tokio::task::JoinHandle<T>),
    /// `async_std::task::JoinHandle` of the task run inside `catch_unwind`.
    AsyncStd(async_std::task::JoinHandle<Caught<T>>),
    /// `smol::Task` of the task run inside `catch_unwind`.
    Smol(smol::Task<Caught<T>>),
    /// A task on the mini executor, which has no join handles of its own:
    /// the task sends its result down a channel, and an abort handle can
    /// stop it (mini's `Handle::spawn` takes only futures of `()`).
    Mini {
        /// Where the task's result arrives; closed unsent if it was aborted.
        result: oneshot::Receiver<Caught<T>>,
        /// Stops the task at its next poll.
        abort: AbortHandle,
    },
    /// Blocking work on a thread of mini's `unblock`.
    Unblocked(mini::Unblock<Caught<T>>),
}

impl<T: Send + 'static> JoinHandle<T> {
    /// Spawns `future` on the mini loop behind `handle`.
    pub(crate) fn mini<F>(handle: &mini::Handle, future: F) -> Self
    where
        F: Future<Output = T> + Send + 'static,
    {
        let (send, result) = oneshot::channel();
        let (abort, registration) = AbortHandle::new_pair();
        let task = Abortable::new(caught(future), registration);
        handle.spawn(async move {
            if let Ok(value) = task.await {
                // The receiver may be gone (detached): nobody wants it then.
                let _ = send.send(value);
            }
        });
        JoinHandle::Mini { result, abort }
    }

    /// Spawns `future` on a smol `Executor` of the caller's own (a chapter
    /// that decides how many threads run it), with the same handle.
    pub fn spawn_on_smol<F>(executor: &smol::Executor<'static>, future: F) -> Self
    where
        F: Future<Output = T> + Send + 'static,
    {
        JoinHandle::Smol(executor.spawn(caught(future)))
    }

    /// Cancels the task and waits until it has stopped: Python's
    /// `task.cancel()` followed by awaiting it. Gives the value if the task
    /// had already finished, `None` if it was stopped (or panicked).
    ///
    /// A task stops at an `.await`; blocking work that has started
    /// (`spawn_blocking`) cannot be stopped, so for it this waits until it
    /// is done.
    pub async fn cancel(self) -> Option<T> {
        match self {
            JoinHandle::Tokio(handle) => {
                handle.abort();
                handle.await.ok()
            }
            JoinHandle::AsyncStd(handle) => handle.cancel().await.and_then(Result::ok),
            JoinHandle::Smol(task) => task.cancel().await.and_then(Result::ok),
            JoinHandle::Mini { result, abort } => {
                abort.abort();
                result.await.ok().and_then(Result::ok)
            }
            JoinHandle::Unblocked(work) => work.await.and_then(Result::ok),
        }
    }

    /// Awaits the task, unless `stop` completes first: then cancels it and
    /// waits until it has stopped (Python: `task.cancel()` when the program
    /// is told to stop; pass `interrupt.cancelled()` to stop on Ctrl-C).
    /// Gives the task's value if it finished (also while being cancelled),
    /// else `Err(TaskError::Cancelled)`.
    pub async fn cancel_on(mut self, stop: impl Future<Output = ()>) -> Result<T, TaskError> {
        let stop = std::pin::pin!(stop);
        // `&mut self`: the handle stays ours to cancel if `stop` wins.
        match futures::future::select(&mut self, stop).await {
            futures::future::Either::Left((result, _)) => result,
            futures::future::Either::Right(((), _)) => {
                self.cancel().await.ok_or(TaskError::Cancelled)
            }
        }
    }

    /// Lets the task run on with nobody waiting for it (a "fire and forget"
    /// task). On smol this is `Task::detach`, without which dropping the
    /// handle would cancel the task.
    pub fn detach(self) {
        match self {
            JoinHandle::Smol(task) => task.detach(),
            // Dropping these handles detaches.
            JoinHandle::Tokio(_)
            | JoinHandle::AsyncStd(_)
            | JoinHandle::Mini { .. }
            | JoinHandle::Unblocked(_) => {}
        }
    }
}

impl<T> From<tokio::task::JoinHandle<T>> for JoinHandle<T> {
    /// A handle from tokio's own spawn (for example on a runtime the
    /// chapter built itself, through `Handle::spawn`).
    fn from(handle: tokio::task::JoinHandle<T>) -> Self {
        JoinHandle::Tokio(handle)
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, TaskError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Every inner handle is `Unpin`, so this one is too.
        match self.get_mut() {
            JoinHandle::Tokio(handle) => Pin::new(handle).poll(cx).map(|joined| {
                joined.map_err(|error| {
                    if error.is_panic() {
                        TaskError::from_panic(&*error.into_panic())
                    } else {
                        TaskError::Cancelled
                    }
                })
            }),
            JoinHandle::AsyncStd(handle) => Pin::new(handle).poll(cx).map(settle),
            JoinHandle::Smol(task) => Pin::new(task).poll(cx).map(settle),
            JoinHandle::Mini { result, .. } => Pin::new(result)
                .poll(cx)
                .map(|sent| sent.map_err(|_| TaskError::Cancelled).and_then(settle)),
            // `None`: the thread could not be started, so the work never ran.
            JoinHandle::Unblocked(work) => Pin::new(work)
                .poll(cx)
                .map(|done| done.ok_or(TaskError::Cancelled).and_then(settle)),
        }
    }
}
