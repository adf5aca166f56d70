//! The iterator [`crate::ProcessPoolExecutor::map`] returns: outcomes in
//! input order, read one chunk at a time.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::error::Outcome;
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
