//! A `ThreadPoolExecutor` in Rust: Python's API, built on rayon's pool.
//!
//! | Python (`concurrent.futures`)              | Rust (this module)                          |
//! |--------------------------------------------|---------------------------------------------|
//! | `ThreadPoolExecutor(max_workers=2)`        | [`ThreadPoolExecutor::new(2)`](ThreadPoolExecutor::new) |
//! | `future = executor.submit(cube, 3)`        | `let handle = pool.submit(move \|\| cube(3));` |
//! | `future.result()`                          | [`handle.result()`](TaskHandle::result)     |
//! | `future.done()`                            | [`handle.done()`](TaskHandle::done)         |
//! | `concurrent.futures.wait([future])`        | [`handle.wait()`](TaskHandle::wait)         |
//! | `executor.map(cube, [2, 4, 6, 8])`         | [`pool.map(cube, [2, 4, 6, 8])`](ThreadPoolExecutor::map) |
//! | `executor.shutdown(wait=True)`             | [`pool.shutdown()`](ThreadPoolExecutor::shutdown), or drop |
//! | `shutdown(wait=False, cancel_futures=True)` from another thread | [`pool.stopper().stop()`](PoolStopper::stop) |
//! | `with ThreadPoolExecutor(...) as ex:`      | the pool going out of scope (`Drop`)        |
//! | the task's exception, re-raised by `result()` | [`TaskError::Failed`] / [`TaskError::Panicked`] |
//!
//! rayon does the hard part (worker threads, a work queue, waking idle
//! workers); this module adds what Python's executor has and rayon's
//! `ThreadPool::spawn` does not: a handle per task that stores the task's
//! result until someone asks for it, errors and panics kept per task, and a
//! `shutdown` that waits for queued work and *joins* the worker threads.
//!
//! Two Rust twists worth noticing:
//! - `shutdown(self)` takes the pool by value, so submitting after shutdown
//!   (a `RuntimeError` in Python) does not compile.
//! - `result(self)` takes the handle by value: a result is moved out once,
//!   not copied for every caller as Python's `result()` can be.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use runner::panic_hook::payload_text;

/// Why a task gave no result: it returned an error, it panicked, or the
/// pool was stopped before it ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError<E> {
    /// The task returned `Err(e)` (Python: the task raised an exception).
    #[error("task failed: {0}")]
    Failed(E),
    /// The task panicked; the pool caught the panic and kept its worker.
    #[error("task panicked: {0}")]
    Panicked(String),
    /// The pool was stopped ([`PoolStopper::stop`]) before a worker started
    /// the task (Python: `shutdown(cancel_futures=True)`).
    #[error("task was cancelled before it ran")]
    Cancelled,
}

/// Why a pool could not be created.
#[derive(Debug, thiserror::Error)]
pub enum ExecutorError {
    /// `max_workers` must be at least 1 (Python raises `ValueError` too).
    #[error("max_workers must be greater than 0")]
    ZeroWorkers,
    /// The operating system refused to start a worker thread.
    #[error("could not start the worker threads: {0}")]
    Build(#[from] rayon::ThreadPoolBuildError),
}

/// What [`ThreadPoolExecutor::shutdown`] did, so a caller (and a test) can
/// see that every worker was joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownReport {
    /// Tasks that ran to the end (succeeded, failed or panicked; not the
    /// cancelled ones).
    pub tasks_completed: usize,
    /// Worker threads joined: equal to `max_workers` after a clean shutdown.
    pub workers_joined: usize,
}

/// The report as a sentence: `4 tasks completed, 2 workers joined`.
impl std::fmt::Display for ShutdownReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (done, joined) = (self.tasks_completed, self.workers_joined);
        write!(f, "{done} tasks completed, {joined} workers joined")
    }
}

/// Where a task's outcome waits for its owner: a `Mutex` guarding the
/// outcome and a `Condvar` to wake whoever waits for it.
///
/// Written once, by the worker that ran the task; read by the
/// [`TaskHandle`]. A `std` mutex is right here: it is held only for the
/// moment it takes to store or take the value.
struct Slot<T, E> {
    outcome: Mutex<Option<Result<T, TaskError<E>>>>,
    ready: Condvar,
}

/// Locks a mutex, ignoring poisoning: our critical sections cannot leave
/// the data half-written (they only store or take an `Option`), so a panic
/// elsewhere while holding the lock does not make the value invalid.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The handle [`ThreadPoolExecutor::submit`] returns: Python's `Future`.
///
/// The result is stored in the handle's slot when the task finishes; the
/// worker never waits for anyone to collect it.
pub struct TaskHandle<T, E> {
    slot: Arc<Slot<T, E>>,
}

impl<T, E> TaskHandle<T, E> {
    /// Has the task finished (with a result, an error or a panic)?
    /// Never blocks: Python's `future.done()`.
    pub fn done(&self) -> bool {
        lock(&self.slot.outcome).is_some()
    }

    /// Blocks until the task has finished, without taking its result.
    pub fn wait(&self) {
        let guard = lock(&self.slot.outcome);
        let _finished = self
            .slot
            .ready
            .wait_while(guard, |outcome| outcome.is_none())
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Blocks until the task has finished and returns its outcome:
    /// Python's `future.result()`, with the exception as an `Err`.
    pub fn result(self) -> Result<T, TaskError<E>> {
        self.wait();
        lock(&self.slot.outcome)
            .take()
            .expect("the task has finished, and only this handle takes its outcome")
    }
}

/// Python's `ThreadPoolExecutor`, on a rayon thread pool.
pub struct ThreadPoolExecutor {
    /// The rayon pool; `None` once shut down.
    pool: Option<rayon::ThreadPool>,
    /// Join handles of the worker threads, pushed by rayon's spawn handler
    /// while the pool is built, drained by `shutdown`.
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
    /// Tasks finished so far; written by workers, read by `shutdown`.
    completed: Arc<AtomicUsize>,
    /// Set by [`PoolStopper::stop`] (from any thread, e.g. a Ctrl-C
    /// handler); read by each task as a worker picks it up.
    stopped: Arc<AtomicBool>,
}

/// Stops a pool from another thread, e.g. a Ctrl-C handler; get one with
/// [`ThreadPoolExecutor::stopper`]. Clones stop the same pool.
#[derive(Debug, Clone)]
pub struct PoolStopper {
    stopped: Arc<AtomicBool>,
}

impl PoolStopper {
    /// Python's `shutdown(wait=False, cancel_futures=True)`: every task no
    /// worker has started yet (and every task submitted from now on) ends
    /// as [`TaskError::Cancelled`] without running. Tasks already running
    /// finish: a thread cannot be stopped from outside, only asked.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }
}

impl ThreadPoolExecutor {
    /// Starts `max_workers` worker threads, named `worker-0`, `worker-1`, ...
    pub fn new(max_workers: usize) -> Result<Self, ExecutorError> {
        if max_workers == 0 {
            return Err(ExecutorError::ZeroWorkers);
        }
        let workers = Arc::new(Mutex::new(Vec::with_capacity(max_workers)));
        let handles = Arc::clone(&workers);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(max_workers)
            .thread_name(|index| format!("worker-{index}"))
            // By default rayon starts its threads detached. Starting them
            // ourselves lets us keep each JoinHandle, so `shutdown` can
            // really join them, like Python's `shutdown(wait=True)`.
            .spawn_handler(move |thread| {
                let mut builder = std::thread::Builder::new();
                if let Some(name) = thread.name() {
                    builder = builder.name(name.to_owned());
                }
                let handle = builder.spawn(|| thread.run())?;
                lock(&handles).push(handle);
                Ok(())
            })
            .build()?;
        Ok(Self {
            pool: Some(pool),
            workers,
            completed: Arc::new(AtomicUsize::new(0)),
            stopped: Arc::new(AtomicBool::new(false)),
        })
    }

    /// A handle that stops this pool from another thread (see [`PoolStopper`]).
    pub fn stopper(&self) -> PoolStopper {
        PoolStopper {
            stopped: Arc::clone(&self.stopped),
        }
    }

    /// Schedules `task` on a worker and returns its handle at once:
    /// Python's `executor.submit(fn, *args)`. The arguments travel inside
    /// the closure (`move || cube(x)`).
    pub fn submit<T, E, F>(&self, task: F) -> TaskHandle<T, E>
    where
        F: FnOnce() -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let slot = Arc::new(Slot {
            outcome: Mutex::new(None),
            ready: Condvar::new(),
        });
        let handle = TaskHandle {
            slot: Arc::clone(&slot),
        };
        let pool = self
            .pool
            .as_ref()
            .expect("the pool is only None after shutdown, which consumes self");
        let completed = Arc::clone(&self.completed);
        let stopped = Arc::clone(&self.stopped);
        pool.spawn(move || {
            // Checked as the worker picks the task up: after a stop, what
            // is still queued is settled at once instead of run.
            let outcome = if stopped.load(Ordering::SeqCst) {
                Err(TaskError::Cancelled)
            } else {
                // A panic must not escape into rayon (it would abort the
                // process): catch it and store it as this task's error.
                let outcome = match catch_unwind(AssertUnwindSafe(task)) {
                    Ok(Ok(value)) => Ok(value),
                    Ok(Err(error)) => Err(TaskError::Failed(error)),
                    Err(panic) => Err(TaskError::Panicked(payload_text(panic.as_ref()))),
                };
                completed.fetch_add(1, Ordering::SeqCst);
                outcome
            };
            *lock(&slot.outcome) = Some(outcome);
            slot.ready.notify_all();
        });
        handle
    }

    /// Runs `f` on every item and yields the results in input order:
    /// Python's `executor.map(fn, items)`.
    ///
    /// All items are submitted at once; the returned iterator waits for
    /// each result in turn, so a slow first item delays reading (not
    /// computing) the ones after it.
    pub fn map<I, T, E, F>(&self, f: F, items: impl IntoIterator<Item = I>) -> MapResults<T, E>
    where
        F: Fn(I) -> Result<T, E> + Send + Sync + 'static,
        I: Send + 'static,
        T: Send + 'static,
        E: Send + 'static,
    {
        let f = Arc::new(f);
        let handles = items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.submit(move || f(item))
            })
            .collect::<Vec<_>>();
        handles.into_iter().map(TaskHandle::result)
    }

    /// Waits for every submitted task, then stops and joins the workers:
    /// Python's `executor.shutdown(wait=True)`.
    pub fn shutdown(mut self) -> ShutdownReport {
        self.shutdown_and_join()
    }

    fn shutdown_and_join(&mut self) -> ShutdownReport {
        // Dropping the rayon pool tells its threads to exit once they have
        // run every task spawned on it (rayon's promise)...
        drop(self.pool.take());
        // ...and joining them waits until they have (none to join after a
        // first shutdown).
        let handles = std::mem::take(&mut *lock(&self.workers));
        // A worker thread itself never panics: task panics are caught.
        let workers_joined = handles
            .into_iter()
            .map(JoinHandle::join)
            .filter(Result::is_ok)
            .count();
        ShutdownReport {
            tasks_completed: self.completed.load(Ordering::SeqCst),
            workers_joined,
        }
    }
}

impl Drop for ThreadPoolExecutor {
    /// Leaving a `with ThreadPoolExecutor(...)` block: wait and join.
    fn drop(&mut self) {
        self.shutdown_and_join();
    }
}

/// The results of [`ThreadPoolExecutor::map`], in input order: each
/// handle's [`result`](TaskHandle::result) in turn.
pub type MapResults<T, E> = std::iter::Map<
    std::vec::IntoIter<TaskHandle<T, E>>,
    fn(TaskHandle<T, E>) -> Result<T, TaskError<E>>,
>;
