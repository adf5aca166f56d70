//! Futures both ways, each wait with a timeout: async code waiting for a
//! pool ([`wait_for_job`]: `asyncio.wait_for(asyncio.wrap_future(f), t)`),
//! a plain thread waiting for async code ([`run_coroutine_threadsafe`],
//! [`ThreadsafeFuture::result`]: `future.result(timeout=t)`). The page's
//! table sets Python's two kinds of future beside Rust's.
//!
//! What a timeout means differs by direction, and the code shows it:
//! - async waiting for a pool job: the timeout stops the *waiting*, not
//!   the job. A thread cannot be interrupted in the middle of its loop, so
//!   the job runs to the end anyway (as in Python, where `wait_for` on a
//!   wrapped executor future cannot stop the thread either). We wait for it
//!   afterwards, so it is joined, and report when it finished.
//! - a thread waiting for async code: on timeout we cancel the task
//!   (`abort`, as Python's docs advise calling `future.cancel()`), and an
//!   async task *can* be stopped: at its next `.await`.

use std::future::Future;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::jobs::{JobError, JobOutcome};

/// How waiting for a pool job ended.
#[derive(Debug)]
pub enum PoolWait {
    /// The result came before the timeout.
    InTime(Result<JobOutcome, JobError>),
    /// The timeout came first; the job still ran to its end.
    TimedOut {
        /// The job's result, collected after the timeout.
        then: Result<JobOutcome, JobError>,
        /// When it arrived, counted from the start of the wait.
        finished_after: Duration,
    },
}

/// Async code waiting for a pool's handle, at most `timeout`
/// (`await asyncio.wait_for(asyncio.wrap_future(pool.submit(...)), t)`).
/// `job` is the handle made awaitable (`jobs::on_process_pool`,
/// `jobs::on_rayon`); on timeout we keep waiting (without a limit) so the
/// job is never abandoned, and say so.
pub async fn wait_for_job<F>(job: F, timeout: Duration) -> PoolWait
where
    F: Future<Output = Result<JobOutcome, JobError>>,
{
    let started = Instant::now();
    // Pinned so that the timeout can borrow it and we can await it again.
    let mut job = std::pin::pin!(job);
    match tokio::time::timeout(timeout, job.as_mut()).await {
        Ok(outcome) => PoolWait::InTime(outcome),
        Err(_elapsed) => {
            let then = job.await;
            PoolWait::TimedOut {
                then,
                finished_after: started.elapsed(),
            }
        }
    }
}

/// Why [`ThreadsafeFuture::result`] has no value.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ResultError {
    /// Nothing came within the timeout; the task was cancelled and joined.
    #[error("timed out after {}; the task was cancelled and joined", crate::output::millis(*.0))]
    TimedOut(Duration),
    /// The task ended without a result (it panicked or the runtime shut
    /// down).
    #[error("the task ended without a result")]
    Lost,
}

/// A result that a task on a runtime will send to a plain thread: what
/// `asyncio.run_coroutine_threadsafe` returns (a
/// `concurrent.futures.Future`).
#[derive(Debug)]
pub struct ThreadsafeFuture<T> {
    /// Receives the task's output (written once, by the task).
    receiver: mpsc::Receiver<T>,
    /// The task, to cancel it on timeout and to join it.
    task: tokio::task::JoinHandle<()>,
    /// The runtime the task runs on, to join the task from this thread.
    handle: tokio::runtime::Handle,
}

/// Submits `future` to the runtime behind `handle` from any thread, and
/// returns a handle that a blocking thread can wait on
/// (`asyncio.run_coroutine_threadsafe(coro, loop)`).
///
/// `Handle::spawn` is safe to call from any thread: it is tokio's
/// `call_soon_threadsafe`. The output comes back on a std channel, which a
/// plain thread can wait on with a timeout.
pub fn run_coroutine_threadsafe<F>(
    handle: &tokio::runtime::Handle,
    future: F,
) -> ThreadsafeFuture<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    let task = handle.spawn(async move {
        // The waiter may have given up (timed out): then nobody wants it.
        let _ = sender.send(future.await);
    });
    ThreadsafeFuture {
        receiver,
        task,
        handle: handle.clone(),
    }
}

impl<T> ThreadsafeFuture<T> {
    /// Blocks this thread until the result arrives, at most `timeout`
    /// (`future.result(timeout=t)`). On timeout the task is cancelled and
    /// joined before returning, so nothing is left running.
    ///
    /// Call it from a plain thread, never from inside an async task: it
    /// blocks.
    pub fn result(self, timeout: Duration) -> Result<T, ResultError> {
        match self.receiver.recv_timeout(timeout) {
            Ok(value) => {
                // The task has sent its value and is finishing: join it.
                let _ = self.handle.block_on(self.task);
                Ok(value)
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                self.task.abort();
                // Joining an aborted task returns at once with a
                // "cancelled" error: it is what we asked for.
                let _ = self.handle.block_on(self.task);
                // It may have finished just as we gave up: then take it.
                self.receiver
                    .try_recv()
                    .map_err(|_| ResultError::TimedOut(timeout))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(ResultError::Lost),
        }
    }
}
