//! Exercise 1, solved: Python's `future.result(timeout=...)`.
//!
//! `Slot` is the executor's result slot (`Slot` in `src/executor.rs`), cut
//! down to its core: a `Mutex` around the value to come and a `Condvar`
//! to wake whoever waits for it.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

/// Where a task's value waits for its reader.
#[derive(Debug, Default)]
pub struct Slot<T> {
    /// The value, once the task has set it; taken by its reader.
    value: Mutex<Option<T>>,
    /// Notified when the value is set.
    ready: Condvar,
}

impl<T> Slot<T> {
    /// An empty slot.
    pub fn new() -> Self {
        Self {
            value: Mutex::new(None),
            ready: Condvar::new(),
        }
    }

    /// The task's side: stores the value and wakes the reader.
    pub fn set(&self, value: T) {
        *self.value.lock().unwrap_or_else(PoisonError::into_inner) = Some(value);
        self.ready.notify_all();
    }

    /// Waits for the value as long as it takes (Python's `result()`).
    pub fn result(&self) -> T {
        let guard = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        let mut guard = self
            .ready
            .wait_while(guard, |value| value.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        guard
            .take()
            .expect("wait_while returned, so the value is there")
    }

    /// Waits for the value at most `timeout`: `Some(value)` if it came in
    /// time (or was there already), `None` if not.
    pub fn result_timeout(&self, timeout: Duration) -> Option<T> {
        let guard = self.value.lock().unwrap_or_else(PoisonError::into_inner);
        // Like `wait_while`, the predicate is checked first (a value set
        // already returns at once) and again after every wake-up, so a
        // spurious wake-up cannot end the wait early; the deadline is
        // kept across wake-ups, so they cannot make it longer either.
        let (mut guard, _timed_out) = self
            .ready
            .wait_timeout_while(guard, timeout, |value| value.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        // Whether the time ran out or not, the value is there or it is not.
        guard.take()
    }
}
