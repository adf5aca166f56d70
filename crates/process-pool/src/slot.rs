//! The slot: where one request's outcome waits for its owner, and the
//! states every request goes through.
//!
//! ```text
//!   Queued ──start(pid)──► Running { pid } ──finish(value)──► Done { value }
//!     │  ▲                      │
//!     │  └──────requeue─────────┘   (its worker died before starting it)
//!     └──cancel_with(value)──────────────────────────────► Done { value }
//! ```
//!
//! The pool's threads move a slot along; the handle's owner waits on it,
//! polls it, or registers callbacks. Starting and cancelling are decided
//! under the slot's one lock, so a request is sent or cancelled, never both.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use runner::panic_hook::payload_text;

/// A done callback: `add_done_callback`'s, or the one `as_completed` and
/// `wait` use.
pub(crate) type DoneCallback = Box<dyn FnOnce() + Send>;

/// A running callback: called with the pid of the worker that took the
/// request.
pub(crate) type RunningCallback = Box<dyn FnOnce(u32) + Send>;

/// The deadline `timeout` from now, or `None` (wait for ever) when the
/// clock cannot represent it: `Duration::MAX` simply means "no limit".
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

/// Waits on `changed` while `pending` holds, until `deadline` (`None`: for
/// ever), and gives the guard back: every condvar wait of the pool. A
/// poisoned lock only means a callback panicked; the state is consistent.
pub(crate) fn wait_while<'a, S>(
    changed: &Condvar,
    guard: MutexGuard<'a, S>,
    deadline: Option<Instant>,
    pending: impl FnMut(&mut S) -> bool,
) -> MutexGuard<'a, S> {
    match deadline {
        None => changed
            .wait_while(guard, pending)
            .unwrap_or_else(PoisonError::into_inner),
        Some(deadline) => {
            let left = deadline.saturating_duration_since(Instant::now());
            changed
                .wait_timeout_while(guard, left, pending)
                .unwrap_or_else(PoisonError::into_inner)
                .0
        }
    }
}

/// Runs the caller's callback `what`, catching a panic: the pool thread
/// running it must go on (a dead reader thread would leave its worker's
/// results undelivered and `drop(pool)` waiting for ever). Reported on
/// stderr, as Python logs a done callback's exception.
pub(crate) fn contain(what: &str, callback: impl FnOnce()) {
    if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(callback)) {
        eprintln!(
            "process-pool: {what} panicked ({}); the pool carries on",
            payload_text(payload.as_ref())
        );
    }
}

/// Where a request stands.
pub(crate) enum Stage<V> {
    /// In the pool's queue: it can still be cancelled.
    Queued,
    /// Handed to the worker with this pid: too late to cancel.
    Running {
        /// The worker that has it.
        pid: u32,
    },
    /// Finished; `value` is `None` once taken out; `pid`: the worker that
    /// had it, if one did.
    Done { value: Option<V>, pid: Option<u32> },
}

impl<V> Stage<V> {
    /// The worker that has (or had) the request, once one has.
    fn pid(&self) -> Option<u32> {
        match self {
            Stage::Queued => None,
            Stage::Running { pid } => Some(*pid),
            Stage::Done { pid, .. } => *pid,
        }
    }
}

/// The shared state behind a handle (or behind one chunk of a `map`).
pub(crate) struct Slot<V> {
    /// The stage and who to wake. Written by the pool's threads and by
    /// `cancel`, read by the handle's owner. The pool's lock is never taken
    /// while a slot is locked, so the two cannot deadlock.
    state: Mutex<SlotState<V>>,
    /// Signalled when the stage becomes `Done`.
    finished: Condvar,
}

pub(crate) struct SlotState<V> {
    pub(crate) stage: Stage<V>,
    /// The async task awaiting the handle, to wake when it is done.
    waker: Option<Waker>,
    /// `add_done_callback`s still to call, once, when it is done.
    callbacks: Vec<DoneCallback>,
    /// `add_running_callback`s still to call, once, when a worker first
    /// takes the request (taken by [`Slot::start`]).
    running: Vec<RunningCallback>,
}

impl<V> Slot<V> {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(SlotState {
                stage: Stage::Queued,
                waker: None,
                callbacks: Vec::new(),
                running: Vec::new(),
            }),
            finished: Condvar::new(),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, SlotState<V>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queued -> Running. `None` if the request was cancelled meanwhile
    /// (the writer then drops it instead of sending it); otherwise the
    /// running callbacks to call once the pool's lock is released (the
    /// writer holds it here, and a callback may call `submit`).
    pub(crate) fn start(&self, pid: u32) -> Option<Vec<RunningCallback>> {
        let mut state = self.lock();
        match state.stage {
            Stage::Queued | Stage::Running { .. } => {
                state.stage = Stage::Running { pid };
                Some(std::mem::take(&mut state.running))
            }
            Stage::Done { .. } => None,
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
        self.settle(|stage| !matches!(stage, Stage::Done { .. }), || value);
    }

    /// Cancels if still queued: stores `cancelled()` as the value and wakes
    /// waiters. True if it did; false if a worker already has the request
    /// or it is done. Decided under the slot's lock, the same lock the
    /// writer takes in [`Slot::start`].
    pub(crate) fn cancel_with(&self, cancelled: impl FnOnce() -> V) -> bool {
        self.settle(|stage| matches!(stage, Stage::Queued), cancelled)
    }

    /// Moves to `Done` with `value()` if `allowed` says the current stage
    /// may, then wakes the waiters, the awaiting task and the callbacks.
    fn settle(&self, allowed: impl FnOnce(&Stage<V>) -> bool, value: impl FnOnce() -> V) -> bool {
        let (waker, callbacks) = {
            let mut state = self.lock();
            if !allowed(&state.stage) {
                return false;
            }
            let pid = state.stage.pid();
            state.stage = Stage::Done {
                value: Some(value()),
                pid,
            };
            (state.waker.take(), std::mem::take(&mut state.callbacks))
        };
        self.finished.notify_all();
        // Wake and call back outside the lock: a callback may look at the
        // handle. Both are the caller's code: a panic is contained.
        if let Some(waker) = waker {
            contain("a waker", || waker.wake());
        }
        for callback in callbacks {
            contain("a done callback", callback);
        }
        true
    }

    pub(crate) fn is_done(&self) -> bool {
        matches!(self.lock().stage, Stage::Done { .. })
    }

    pub(crate) fn is_queued(&self) -> bool {
        matches!(self.lock().stage, Stage::Queued)
    }

    /// Looks at the value if done and not taken (`None` otherwise).
    pub(crate) fn peek<R>(&self, look: impl FnOnce(&V) -> R) -> Option<R> {
        match &self.lock().stage {
            Stage::Done {
                value: Some(value), ..
            } => Some(look(value)),
            _ => None,
        }
    }

    pub(crate) fn pid(&self) -> Option<u32> {
        self.lock().stage.pid()
    }

    /// Waits until done or until `deadline` (`None`: for ever); true if done.
    pub(crate) fn wait_until(&self, deadline: Option<Instant>) -> bool {
        let pending = |s: &mut SlotState<V>| !matches!(s.stage, Stage::Done { .. });
        let mut state = wait_while(&self.finished, self.lock(), deadline, pending);
        !pending(&mut state)
    }

    /// Takes the value if done: `None` if not done yet, `Some(None)` if
    /// already taken.
    pub(crate) fn take(&self) -> Option<Option<V>> {
        match &mut self.lock().stage {
            Stage::Done { value, .. } => Some(value.take()),
            _ => None,
        }
    }

    /// Calls `callback` when done, or at once (contained) if it already is.
    pub(crate) fn add_callback(&self, callback: DoneCallback) {
        let mut state = self.lock();
        if let Stage::Done { .. } = state.stage {
            drop(state);
            contain("a done callback", callback);
        } else {
            state.callbacks.push(callback);
        }
    }

    /// Calls `callback(pid)` when a worker first takes the request, or at
    /// once if one already has (or had) it; never if it is cancelled first.
    pub(crate) fn add_running_callback(&self, callback: RunningCallback) {
        let mut state = self.lock();
        match state.stage.pid() {
            Some(pid) => {
                drop(state);
                contain("a running callback", || callback(pid));
            }
            None if matches!(state.stage, Stage::Queued) => state.running.push(callback),
            None => {} // cancelled: it never runs
        }
    }

    /// The value if done (taking it out), else remembers who to wake.
    pub(crate) fn poll_take(&self, cx: &mut Context<'_>) -> Poll<Option<V>> {
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
