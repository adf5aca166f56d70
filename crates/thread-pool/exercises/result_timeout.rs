//! Exercise 1: Python's `future.result(timeout=...)`.
//!
//! `Slot` is the executor's result slot (`Slot` in `src/executor.rs`), cut
//! down to its core: a `Mutex` around the value to come and a `Condvar`
//! to wake whoever waits for it. `set` and `result` are written; write
//! `result_timeout`, which waits at most `timeout`, as Python's
//! `future.result(timeout=0.5)` does (Python raises `TimeoutError`; here
//! the answer is `None`).
//!
//! Check it with
//! `cargo test -p thread-pool --features exercises --test exercises result_timeout`.

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
        // Your code here: like `result`, but with
        // `self.ready.wait_timeout_while(guard, timeout, ...)`, which also
        // tells whether the time ran out.
        let _ = timeout;
        None
    }
}
