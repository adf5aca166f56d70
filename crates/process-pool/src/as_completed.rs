//! `as_completed`: each handle's outcome in the order the tasks finish,
//! fastest first (Python: `concurrent.futures.as_completed(fs, timeout)`).
//!
//! Built on done callbacks: each handle's callback sends its index down a
//! channel, and the iterator reads the channel. Nothing polls.

use std::fmt;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::error::Outcome;
use crate::handle::TaskHandle;
use crate::task::Task;

/// Yields each handle's outcome as it completes, fastest first (Python:
/// `concurrent.futures.as_completed`). With a timeout:
/// [`AsCompleted::timeout`].
pub fn as_completed<T: Task>(handles: Vec<TaskHandle<T>>) -> AsCompleted<T> {
    let called = Instant::now();
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
        called,
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
    /// When `as_completed` was called: a timeout counts from there.
    called: Instant,
}

impl<T: Task> AsCompleted<T> {
    /// Gives up on the tasks not done `timeout` after the call to
    /// `as_completed` (Python: `as_completed(fs, timeout=t)`, whose `next`
    /// raises `TimeoutError`): the finished tasks as `Ok`, then at most one
    /// `Err` giving the pending handles back (Python's caller still holds
    /// its futures), then the end. Too large for the clock: no limit.
    pub fn timeout(self, timeout: Duration) -> AsCompletedWithin<T> {
        AsCompletedWithin {
            deadline: self.called.checked_add(timeout),
            timeout,
            inner: Some(self),
        }
    }

    /// The next index to yield, waiting at most until `deadline`
    /// (`None`: for ever); `Err(())` if the deadline passed first.
    fn next_index(&mut self, deadline: Option<Instant>) -> Result<Option<usize>, ()> {
        if self.remaining == 0 {
            return Ok(None);
        }
        let Some(deadline) = deadline else {
            return Ok(self.receiver.recv().ok());
        };
        let left = deadline.saturating_duration_since(Instant::now());
        match self.receiver.recv_timeout(left) {
            Ok(index) => Ok(Some(index)),
            Err(mpsc::RecvTimeoutError::Timeout) => Err(()),
            Err(mpsc::RecvTimeoutError::Disconnected) => Ok(None),
        }
    }

    /// Takes out the finished handle `index` and its outcome.
    fn completed(&mut self, index: usize) -> Option<Completed<T>> {
        let handle = self.handles.get_mut(index)?.take()?;
        self.remaining -= 1;
        Some(Completed {
            index,
            worker_pid: handle.worker_pid(),
            outcome: handle.result(),
        })
    }
}

impl<T: Task> Iterator for AsCompleted<T> {
    type Item = Completed<T>;

    fn next(&mut self) -> Option<Self::Item> {
        let index = self.next_index(None).ok().flatten()?;
        self.completed(index)
    }
}

/// [`as_completed`] with a timeout: see [`AsCompleted::timeout`].
pub struct AsCompletedWithin<T: Task> {
    /// The plain iterator; `None` once the timeout was reported.
    inner: Option<AsCompleted<T>>,
    /// When to give up (`None`: never, the timeout did not fit the clock).
    deadline: Option<Instant>,
    /// The timeout, for the error.
    timeout: Duration,
}

impl<T: Task> Iterator for AsCompletedWithin<T> {
    type Item = Result<Completed<T>, NotCompleted<T>>;

    fn next(&mut self) -> Option<Self::Item> {
        let inner = self.inner.as_mut()?;
        match inner.next_index(self.deadline) {
            Ok(index) => inner.completed(index?).map(Ok),
            Err(()) => {
                let inner = self.inner.take()?;
                let pending = inner
                    .handles
                    .into_iter()
                    .enumerate()
                    .filter_map(|(index, handle)| Some((index, handle?)))
                    .collect();
                Some(Err(NotCompleted {
                    timeout: self.timeout,
                    pending,
                }))
            }
        }
    }
}

/// The tasks `as_completed` gave up on (Python: its `TimeoutError`).
pub struct NotCompleted<T: Task> {
    /// The timeout that ran out.
    pub timeout: Duration,
    /// The handles not done by then, with their positions in the `Vec`
    /// given to [`as_completed`]: they still run, and can be waited for.
    pub pending: Vec<(usize, TaskHandle<T>)>,
}

impl<T: Task> fmt::Debug for NotCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotCompleted")
            .field("timeout", &self.timeout)
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl<T: Task> fmt::Display for NotCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (count, were) = match self.pending.len() {
            1 => ("1 task".to_owned(), "was"),
            n => (format!("{n} tasks"), "were"),
        };
        write!(
            f,
            "{count} {were} not done within {:.3} s",
            self.timeout.as_secs_f64()
        )
    }
}

impl<T: Task> std::error::Error for NotCompleted<T> {}
