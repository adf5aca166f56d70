//! Handles: where a task's result is stored until its owner collects it.
//!
//! Python's `submit` returns a `concurrent.futures.Future`; ours returns a
//! [`TaskHandle`]. The pool's reader thread for the worker that ran the task
//! *stores* the outcome in the handle's slot and wakes whoever waits: the
//! worker never waits for the caller to collect anything, so a caller that
//! never asks for a result slows nobody down.
//!
//! | Python `Future`          | [`TaskHandle`]                                  |
//! |--------------------------|-------------------------------------------------|
//! | `result()`               | [`TaskHandle::result`] (consumes the handle)    |
//! | `result(timeout=t)`      | [`TaskHandle::result_timeout`]                  |
//! | `exception()`            | the `Err` of `result`: a [`TaskError`]          |
//! | `done()` / `running()`   | [`TaskHandle::done`] / [`TaskHandle::running`]  |
//! | `cancel()` / `cancelled()` | [`TaskHandle::cancel`] / [`TaskHandle::cancelled`] |
//! | `add_done_callback(fn)`  | [`TaskHandle::add_done_callback`]               |
//! | `await asyncio.wrap_future(f)` | `handle.await` ([`TaskHandle`] is a `Future`) |
//! | `as_completed(fs)`       | [`as_completed`]                                |

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use crate::task::Task;

/// Why a task produced no value.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum TaskError<E> {
    /// The task ran and returned `Err` (Python: it raised an exception).
    #[error("task failed: {0}")]
    Failed(E),
    /// The task panicked; the worker caught it and carries on.
    #[error("task panicked: {0}")]
    Panicked(String),
    /// The worker process died while it held the task (it aborted, was
    /// killed, or exited); the cause names the signal or the exit code.
    #[error("worker process {pid} died while running the task: {cause}")]
    WorkerDied {
        /// The dead worker's process id.
        pid: u32,
        /// What ended it, e.g. `killed by signal SIGKILL`.
        cause: String,
    },
    /// Cancelled before a worker started it (by `cancel`, by
    /// `shutdown(cancel_futures)`, or because the pool was stopped).
    #[error("task was cancelled before it ran")]
    Cancelled,
    /// `result_timeout` gave up waiting; the task goes on and the handle
    /// can be asked again.
    #[error("no result after {0:?}")]
    Timeout(Duration),
    /// The result was already taken out of this handle by an earlier
    /// `result_timeout` or `.await`.
    #[error("the result was already taken from this handle")]
    AlreadyTaken,
    /// The pool cannot run tasks any more (its initializer failed, or
    /// workers cannot be started).
    #[error("the process pool is broken: {0}")]
    Broken(String),
    /// The task or its result could not cross the process boundary (too
    /// large for a frame, or undecodable).
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// The pool's own failures, which never carry a task's error value and so
/// can be copied onto every item of a chunk.
#[derive(Debug, Clone)]
pub(crate) enum Fault {
    WorkerDied { pid: u32, cause: String },
    Broken(String),
    Protocol(String),
}

impl<E> From<Fault> for TaskError<E> {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::WorkerDied { pid, cause } => TaskError::WorkerDied { pid, cause },
            Fault::Broken(m) => TaskError::Broken(m),
            Fault::Protocol(m) => TaskError::Protocol(m),
        }
    }
}

/// What one task gives back: its value, or why there is none.
pub type Outcome<T> = Result<<T as Task>::Output, TaskError<<T as Task>::Error>>;

/// Where a request stands. Written by the pool (writer, reader and
/// supervisor threads) and by `cancel`; read by the handle's owner.
pub(crate) enum Stage<V> {
    /// In the pool's queue: it can still be cancelled.
    Queued,
    /// Handed to the worker with this pid: too late to cancel.
    Running { pid: u32 },
    /// Finished; `value` is `None` once taken out.
    Done { value: Option<V>, pid: Option<u32> },
}

/// The shared state behind a handle (or behind one chunk of a `map`).
pub(crate) struct Slot<V> {
    /// The stage, guarded by its own mutex: the pool's state lock is never
    /// held while a slot is locked, so the two cannot deadlock.
    stage: Mutex<SlotState<V>>,
    /// Signalled when the stage becomes `Done`.
    finished: Condvar,
}

pub(crate) struct SlotState<V> {
    stage: Stage<V>,
    /// Who to wake when the slot finishes: an async task awaiting the
    /// handle, and plain callbacks.
    waker: Option<Waker>,
    callbacks: Vec<Box<dyn FnOnce() + Send>>,
}

impl<V> Slot<V> {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            stage: Mutex::new(SlotState {
                stage: Stage::Queued,
                waker: None,
                callbacks: Vec::new(),
            }),
            finished: Condvar::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, SlotState<V>> {
        // A poisoned slot only means a callback panicked; the stage itself
        // is always consistent, so keep going.
        self.stage.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Queued -> Running. False if the request was cancelled meanwhile (the
    /// writer then drops it instead of sending it).
    pub(crate) fn start(&self, pid: u32) -> bool {
        let mut state = self.lock();
        match state.stage {
            Stage::Queued => {
                state.stage = Stage::Running { pid };
                true
            }
            Stage::Running { .. } => true,
            Stage::Done { .. } => false,
        }
    }

    /// Back to Queued: the request will be sent again (it never ran).
    pub(crate) fn requeue(&self) {
        let mut state = self.lock();
        if let Stage::Running { .. } = state.stage {
            state.stage = Stage::Queued;
        }
    }

    /// Stores the value and wakes every waiter. A slot finishes once; a
    /// second `finish` (cannot happen in the pool) is ignored.
    pub(crate) fn finish(&self, value: V) {
        let (waker, callbacks) = {
            let mut state = self.lock();
            if let Stage::Done { .. } = state.stage {
                return;
            }
            let pid = match state.stage {
                Stage::Running { pid } => Some(pid),
                _ => None,
            };
            state.stage = Stage::Done {
                value: Some(value),
                pid,
            };
            (state.waker.take(), std::mem::take(&mut state.callbacks))
        };
        self.finished.notify_all();
        // Wake and call back outside the lock: a callback may look at the
        // handle.
        if let Some(waker) = waker {
            waker.wake();
        }
        for callback in callbacks {
            callback();
        }
    }

    /// Cancels if still queued: stores `cancelled()` as the value and wakes
    /// waiters. True if it did; false if a worker already has the request
    /// or it is done. Decided under the slot's lock, the same lock the
    /// writer takes in [`Slot::start`], so a request is either sent or
    /// cancelled, never both.
    pub(crate) fn cancel_with(&self, cancelled: impl FnOnce() -> V) -> bool {
        let (waker, callbacks) = {
            let mut state = self.lock();
            if !matches!(state.stage, Stage::Queued) {
                return false;
            }
            state.stage = Stage::Done {
                value: Some(cancelled()),
                pid: None,
            };
            (state.waker.take(), std::mem::take(&mut state.callbacks))
        };
        self.finished.notify_all();
        if let Some(waker) = waker {
            waker.wake();
        }
        for callback in callbacks {
            callback();
        }
        true
    }

    pub(crate) fn is_done(&self) -> bool {
        matches!(self.lock().stage, Stage::Done { .. })
    }

    pub(crate) fn is_queued(&self) -> bool {
        matches!(self.lock().stage, Stage::Queued)
    }

    fn pid(&self) -> Option<u32> {
        match self.lock().stage {
            Stage::Queued => None,
            Stage::Running { pid } => Some(pid),
            Stage::Done { pid, .. } => pid,
        }
    }

    /// Waits until done or until `deadline`; true if done.
    fn wait_until(&self, deadline: Option<Instant>) -> bool {
        let mut state = self.lock();
        loop {
            if let Stage::Done { .. } = state.stage {
                return true;
            }
            match deadline {
                None => {
                    state = self.finished.wait(state).unwrap_or_else(|p| p.into_inner());
                }
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return false;
                    }
                    state = self
                        .finished
                        .wait_timeout(state, deadline - now)
                        .unwrap_or_else(|p| p.into_inner())
                        .0;
                }
            }
        }
    }

    /// Takes the value if done: `None` if not done yet, `Some(None)` if
    /// already taken.
    fn take(&self) -> Option<Option<V>> {
        match &mut self.lock().stage {
            Stage::Done { value, .. } => Some(value.take()),
            _ => None,
        }
    }

    fn add_callback(&self, callback: Box<dyn FnOnce() + Send>) {
        let mut state = self.lock();
        if let Stage::Done { .. } = state.stage {
            drop(state);
            callback();
        } else {
            state.callbacks.push(callback);
        }
    }

    fn poll_take(&self, cx: &mut Context<'_>) -> Poll<Option<V>> {
        let mut state = self.lock();
        match &mut state.stage {
            Stage::Done { value, .. } => Poll::Ready(value.take()),
            _ => {
                state.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// The pending result of one submitted task (Python: `concurrent.futures.Future`).
///
/// Dropping a handle does not cancel the task: like Python's, it still
/// runs; only its result is thrown away.
pub struct TaskHandle<T: Task> {
    pub(crate) id: u64,
    pub(crate) slot: Arc<Slot<Outcome<T>>>,
}

impl<T: Task> fmt::Debug for TaskHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHandle")
            .field("id", &self.id)
            .field("done", &self.done())
            .finish()
    }
}

impl<T: Task> TaskHandle<T> {
    /// The pool's number for this task (submission order, from 0).
    pub fn id(&self) -> u64 {
        self.id
    }

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
        if self.cancelled() {
            return true;
        }
        self.slot.cancel_with(|| Err(TaskError::Cancelled))
    }

    /// The pid of the worker that runs (or ran) the task, once one has it.
    pub fn worker_pid(&self) -> Option<u32> {
        self.slot.pid()
    }

    /// Blocks until the task is done.
    pub fn wait(&self) {
        self.slot.wait_until(None);
    }

    /// Blocks until the task is done or `timeout` passes; true if done.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.slot.wait_until(Some(Instant::now() + timeout))
    }

    /// Blocks until the task is done and returns its outcome
    /// (Python: `result()`, with the exception as the `Err`).
    pub fn result(self) -> Outcome<T> {
        self.slot.wait_until(None);
        self.slot
            .take()
            .flatten()
            .unwrap_or(Err(TaskError::AlreadyTaken))
    }

    /// Waits at most `timeout` (Python: `result(timeout)`). If the task is
    /// not done by then, returns [`TaskError::Timeout`] and the handle stays
    /// usable; otherwise the outcome is moved out of the handle, and a
    /// later call returns [`TaskError::AlreadyTaken`].
    pub fn result_timeout(&mut self, timeout: Duration) -> Outcome<T> {
        if !self.slot.wait_until(Some(Instant::now() + timeout)) {
            return Err(TaskError::Timeout(timeout));
        }
        self.slot
            .take()
            .flatten()
            .unwrap_or(Err(TaskError::AlreadyTaken))
    }

    /// Calls `callback` once the task is done, on the pool thread that
    /// finished it (or at once, here, if it is already done). Keep it
    /// short: a slow callback delays that worker's next result
    /// (Python: `add_done_callback`).
    pub fn add_done_callback(&self, callback: impl FnOnce() + Send + 'static) {
        self.slot.add_callback(Box::new(callback));
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

/// Yields each handle's outcome as it completes, fastest first (Python:
/// `concurrent.futures.as_completed`).
pub fn as_completed<T: Task>(handles: Vec<TaskHandle<T>>) -> AsCompleted<T> {
    let (sender, receiver) = mpsc::channel();
    let total = handles.len();
    let mut slots = Vec::with_capacity(total);
    for (index, handle) in handles.into_iter().enumerate() {
        let sender = sender.clone();
        // The callback only sends an index: a channel send never blocks, so
        // the pool thread that runs it is not held up.
        handle.add_done_callback(move || {
            let _ = sender.send(index);
        });
        slots.push(Some(handle));
    }
    AsCompleted {
        receiver,
        handles: slots,
        remaining: total,
    }
}

/// One finished task, as yielded by [`as_completed`].
pub struct Completed<T: Task> {
    /// The handle's position in the `Vec` given to [`as_completed`].
    pub index: usize,
    /// The worker that ran it (`None` if it never reached one).
    pub worker_pid: Option<u32>,
    /// Its outcome.
    pub outcome: Outcome<T>,
}

/// The iterator returned by [`as_completed`].
pub struct AsCompleted<T: Task> {
    /// Indexes of finished handles, in the order they finished.
    receiver: mpsc::Receiver<usize>,
    /// The handles, taken out as they are yielded.
    handles: Vec<Option<TaskHandle<T>>>,
    /// How many are still to be yielded.
    remaining: usize,
}

impl<T: Task> Iterator for AsCompleted<T> {
    type Item = Completed<T>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let index = self.receiver.recv().ok()?;
        let handle = self.handles.get_mut(index)?.take()?;
        self.remaining -= 1;
        Some(Completed {
            index,
            worker_pid: handle.worker_pid(),
            outcome: handle.result(),
        })
    }
}

/// The results of [`crate::ProcessPoolExecutor::map`], in input order.
///
/// All chunks were submitted when `map` returned; iterating waits for each
/// chunk in turn. Dropping the iterator early cancels the chunks no worker
/// has started (as Python's `map` does when its generator is closed).
pub struct MapResults<T: Task> {
    /// One slot per chunk, in input order, not yet reached.
    pub(crate) chunks: VecDeque<Arc<Slot<Vec<Outcome<T>>>>>,
    /// The items of the chunk being yielded.
    pub(crate) current: std::vec::IntoIter<Outcome<T>>,
}

impl<T: Task> Iterator for MapResults<T> {
    type Item = Outcome<T>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(item);
            }
            let chunk = self.chunks.pop_front()?;
            chunk.wait_until(None);
            self.current = chunk.take().flatten().unwrap_or_default().into_iter();
        }
    }
}

impl<T: Task> Drop for MapResults<T> {
    fn drop(&mut self) {
        for chunk in &self.chunks {
            chunk.cancel_with(Vec::new);
        }
    }
}
