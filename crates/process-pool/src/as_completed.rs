//! `as_completed`: each handle's outcome in the order the tasks finish,
//! fastest first (Python: `concurrent.futures.as_completed(fs)`).
//!
//! Built on done callbacks: each handle's callback sends its index down a
//! channel, and the iterator reads the channel. Nothing polls.

use std::sync::mpsc;

use crate::error::Outcome;
use crate::handle::TaskHandle;
use crate::task::Task;

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
