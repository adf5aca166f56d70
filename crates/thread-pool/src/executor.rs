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

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

/// Why a task gave no result: it returned an error, or it panicked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaskError<E> {
    /// The task returned `Err(e)` (Python: the task raised an exception).
    #[error("task failed: {0}")]
    Failed(E),
    /// The task panicked; the pool caught the panic and kept its worker.
    #[error("task panicked: {0}")]
    Panicked(String),
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
    /// Tasks that ran to the end (succeeded, failed or panicked).
    pub tasks_completed: usize,
    /// Worker threads joined: equal to `max_workers` after a clean shutdown.
    pub workers_joined: usize,
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
        let guard = lock(&self.slot.outcome);
        let mut finished = self
            .slot
            .ready
            .wait_while(guard, |outcome| outcome.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        finished
            .take()
            .expect("wait_while returned, so the outcome is present")
    }
}

/// Counts the tasks submitted but not finished, so that `shutdown` can wait
/// for them. Incremented by `submit` (caller's thread), decremented by the
/// worker that finishes the task; guarded by its mutex.
#[derive(Default)]
struct InFlight {
    count: Mutex<usize>,
    all_done: Condvar,
}

/// Python's `ThreadPoolExecutor`, on a rayon thread pool.
pub struct ThreadPoolExecutor {
    /// The rayon pool; `None` once shut down.
    pool: Option<rayon::ThreadPool>,
    /// Join handles of the worker threads, pushed by rayon's spawn handler
    /// while the pool is built, drained by `shutdown`.
    workers: Arc<Mutex<Vec<JoinHandle<()>>>>,
    in_flight: Arc<InFlight>,
    /// Tasks finished so far; written by workers, read by `shutdown`.
    completed: Arc<AtomicUsize>,
    max_workers: usize,
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
            in_flight: Arc::new(InFlight::default()),
            completed: Arc::new(AtomicUsize::new(0)),
            max_workers,
        })
    }

    /// The number of worker threads.
    pub fn max_workers(&self) -> usize {
        self.max_workers
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
        *lock(&self.in_flight.count) += 1;
        let in_flight = Arc::clone(&self.in_flight);
        let completed = Arc::clone(&self.completed);
        pool.spawn(move || {
            // A panic must not escape into rayon (it would abort the
            // process): catch it and store it as this task's error.
            let outcome = match catch_unwind(AssertUnwindSafe(task)) {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(error)) => Err(TaskError::Failed(error)),
                Err(panic) => Err(TaskError::Panicked(panic_message(panic.as_ref()))),
            };
            *lock(&slot.outcome) = Some(outcome);
            slot.ready.notify_all();
            completed.fetch_add(1, Ordering::SeqCst);
            let mut count = lock(&in_flight.count);
            *count -= 1;
            if *count == 0 {
                in_flight.all_done.notify_all();
            }
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
        MapResults {
            handles: handles.into_iter(),
        }
    }

    /// Waits for every submitted task, then stops and joins the workers:
    /// Python's `executor.shutdown(wait=True)`.
    pub fn shutdown(mut self) -> ShutdownReport {
        self.shutdown_and_join()
    }

    fn shutdown_and_join(&mut self) -> ShutdownReport {
        let Some(pool) = self.pool.take() else {
            return ShutdownReport {
                tasks_completed: self.completed.load(Ordering::SeqCst),
                workers_joined: 0,
            };
        };
        // 1. Wait until no task is queued or running.
        let count = lock(&self.in_flight.count);
        drop(
            self.in_flight
                .all_done
                .wait_while(count, |count| *count > 0)
                .unwrap_or_else(PoisonError::into_inner),
        );
        // 2. Dropping the rayon pool tells its threads to exit...
        drop(pool);
        // 3. ...and joining them waits until they have.
        let handles = std::mem::take(&mut *lock(&self.workers));
        let mut workers_joined = 0;
        for handle in handles {
            // A worker thread itself never panics: task panics are caught.
            if handle.join().is_ok() {
                workers_joined += 1;
            }
        }
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

/// The results of [`ThreadPoolExecutor::map`], in input order.
pub struct MapResults<T, E> {
    handles: std::vec::IntoIter<TaskHandle<T, E>>,
}

impl<T, E> Iterator for MapResults<T, E> {
    type Item = Result<T, TaskError<E>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.handles.next().map(TaskHandle::result)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.handles.size_hint()
    }
}

/// The text of a panic payload (`panic!("...")` carries a `&str` or a
/// `String`; anything else is reported as such).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use common::{WorkloadError, cube};
    use std::sync::mpsc;
    use std::time::Duration;

    /// submit(cube, 3).result() is 27, as in the chapter.
    #[test]
    fn submit_then_result() {
        let pool = ThreadPoolExecutor::new(2).unwrap();
        assert_eq!(pool.submit(|| cube(3)).result(), Ok(27));
    }

    /// map gives results in input order even when later items finish first.
    #[test]
    fn map_keeps_input_order() {
        let pool = ThreadPoolExecutor::new(2).unwrap();
        let results: Vec<_> = pool.map(cube, [2, 4, 6, 8]).collect();
        assert_eq!(results, vec![Ok(8), Ok(64), Ok(216), Ok(512)]);

        // Item 0 is held back until items 1, 2 and 3 have finished: the
        // results still come in the order of the items.
        let (release, gate) = mpsc::channel::<()>();
        let gate = Mutex::new(gate);
        let finish_order = Arc::new(Mutex::new(Vec::new()));
        let (finished, finished_rx) = mpsc::channel();
        let order = Arc::clone(&finish_order);
        let results = pool.map(
            move |i: u64| {
                if i == 0 {
                    lock(&gate).recv().unwrap();
                }
                lock(&order).push(i);
                let _ = finished.send(());
                Ok::<_, WorkloadError>(i * 10)
            },
            0..4,
        );
        let releaser = std::thread::spawn(move || {
            for _ in 0..3 {
                finished_rx.recv().unwrap();
            }
            release.send(()).unwrap();
        });
        let results: Vec<_> = results.collect();
        releaser.join().unwrap();
        assert_eq!(results, vec![Ok(0), Ok(10), Ok(20), Ok(30)]);
        assert_eq!(lock(&finish_order).last(), Some(&0), "item 0 finished last");
    }

    /// done() is false while the task is held back and true once it ran.
    #[test]
    fn done_tells_whether_finished() {
        let pool = ThreadPoolExecutor::new(2).unwrap();
        let (release, gate) = mpsc::channel::<()>();
        let handle = pool.submit(move || {
            gate.recv().unwrap();
            cube(3)
        });
        assert!(!handle.done());
        release.send(()).unwrap();
        handle.wait();
        assert!(handle.done());
        assert_eq!(handle.result(), Ok(27));
    }

    /// A failing task and a panicking task each report their own error;
    /// the tasks around them complete, and the pool keeps its workers.
    #[test]
    fn failures_are_isolated() {
        let pool = ThreadPoolExecutor::new(2).unwrap();
        let before = pool.submit(|| cube(2));
        let failing = pool.submit(|| cube(3_000_000));
        let panicking = pool.submit(|| -> Result<i64, WorkloadError> { panic!("boom") });
        let after = pool.submit(|| cube(4));
        assert_eq!(before.result(), Ok(8));
        assert!(matches!(
            failing.result(),
            Err(TaskError::Failed(WorkloadError::Overflow { .. }))
        ));
        assert_eq!(panicking.result(), Err(TaskError::Panicked("boom".into())));
        assert_eq!(after.result(), Ok(64));
        let report = pool.shutdown();
        assert_eq!(report.workers_joined, 2);
        assert_eq!(report.tasks_completed, 4);
    }

    /// shutdown waits for tasks still queued behind busy workers, then
    /// joins every worker thread.
    #[test]
    fn shutdown_waits_for_queued_tasks_and_joins_workers() {
        let pool = ThreadPoolExecutor::new(2).unwrap();
        let ran = Arc::new(AtomicUsize::new(0));
        let (release, gate) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        // Two tasks block both workers; six more wait in the queue.
        for _ in 0..8 {
            let ran = Arc::clone(&ran);
            let gate = Arc::clone(&gate);
            drop(pool.submit(move || {
                let _ = lock(&gate).recv_timeout(Duration::from_secs(5));
                ran.fetch_add(1, Ordering::SeqCst);
                Ok::<_, WorkloadError>(())
            }));
        }
        let releaser = std::thread::spawn(move || {
            for _ in 0..8 {
                release.send(()).unwrap();
            }
        });
        let report = pool.shutdown();
        releaser.join().unwrap();
        assert_eq!(ran.load(Ordering::SeqCst), 8, "shutdown returned early");
        assert_eq!(report.tasks_completed, 8);
        assert_eq!(report.workers_joined, 2);
    }

    /// Dropping the pool (leaving a `with` block) also waits for its tasks.
    #[test]
    fn drop_waits_for_tasks() {
        let ran = Arc::new(AtomicUsize::new(0));
        {
            let pool = ThreadPoolExecutor::new(3).unwrap();
            for _ in 0..10 {
                let ran = Arc::clone(&ran);
                drop(pool.submit(move || {
                    std::thread::yield_now();
                    ran.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, WorkloadError>(())
                }));
            }
        }
        assert_eq!(ran.load(Ordering::SeqCst), 10);
    }

    /// Zero workers is refused, as Python's ValueError.
    #[test]
    fn zero_workers_refused() {
        assert!(matches!(
            ThreadPoolExecutor::new(0),
            Err(ExecutorError::ZeroWorkers)
        ));
    }

    /// Workers are named worker-0, worker-1, ...
    #[test]
    fn workers_are_named() {
        let pool = ThreadPoolExecutor::new(1).unwrap();
        let name = pool
            .submit(|| Ok::<_, WorkloadError>(common::clock::thread_label()))
            .result()
            .unwrap();
        assert_eq!(name, "worker-0");
    }
}
