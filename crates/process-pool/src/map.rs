//! The iterator [`crate::ProcessPoolExecutor::map`] returns: outcomes in
//! input order, read one chunk at a time, optionally within a timeout.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Outcome, TaskError};
use crate::slot::Slot;
use crate::task::Task;

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
    /// When `map` was called: a timeout counts from there, as in Python.
    pub(crate) called: Instant,
    /// The timeout, if one was set with [`MapResults::timeout`].
    pub(crate) timeout: Option<Duration>,
}

impl<T: Task> MapResults<T> {
    /// Gives up when a result is not ready `timeout` after the call to
    /// `map` (Python: `map(fn, items, timeout=t)`): one
    /// `Err(TaskError::Timeout(timeout))`, then the end; the chunks no
    /// worker has started are cancelled (those running finish, unseen).
    /// Too large for the clock: no limit.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Cancels what no worker has started, and forgets every chunk.
    fn cancel_rest(&mut self) {
        for chunk in self.chunks.drain(..) {
            chunk.cancel_with(Vec::new);
        }
    }
}

impl<T: Task> Iterator for MapResults<T> {
    type Item = Outcome<T>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(item);
            }
            let chunk = self.chunks.pop_front()?;
            // No deadline when there is no timeout, or it does not fit.
            let deadline = self.timeout.and_then(|t| self.called.checked_add(t));
            if !chunk.wait_until(deadline) {
                chunk.cancel_with(Vec::new);
                self.cancel_rest();
                return Some(Err(TaskError::Timeout(self.timeout.unwrap_or_default())));
            }
            self.current = chunk.take().flatten().unwrap_or_default().into_iter();
        }
    }
}

impl<T: Task> Drop for MapResults<T> {
    fn drop(&mut self) {
        self.cancel_rest();
    }
}
