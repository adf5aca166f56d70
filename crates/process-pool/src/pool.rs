//! The pool: [`ProcessPoolExecutor`], Python's `concurrent.futures.ProcessPoolExecutor`
//! in Rust.
//!
//! ```text
//!            caller threads                         worker processes
//!   submit ──► queue (Mutex<State>) ──► writer-0 ══ socket pair 0 ══► worker 0 (pid 4242)
//!   map    ──►                     └──► writer-1 ══ socket pair 1 ══► worker 1 (pid 4243)
//!                                                      ║
//!   handle ◄── slot.finish(outcome) ◄── reader-0 ◄═════╝  (replies, in order)
//!                                         │
//!                                         └─ EOF ──► supervisor: reap (wait), settle the
//!                                                    worker's requests, spawn a replacement
//! ```
//!
//! Four kinds of threads, each with one job:
//! - **the caller** encodes the task (postcard) and pushes it on the queue:
//!   `submit` only enqueues and never blocks on a worker;
//! - **a writer per worker** takes requests from the queue and writes them
//!   to its worker's socket. Writing is the only thing that may block (a
//!   16 MiB task fills the socket buffer until the worker has read it), so
//!   it has a thread of its own;
//! - **a reader per worker** reads replies and stores each outcome in its
//!   handle. It never does anything that can block on the worker, so the
//!   worker can always send its reply: a large argument and a large result
//!   can cross at the same time without deadlock;
//! - **the supervisor** owns the child processes: it waits for every worker
//!   that ends (no zombies), decides what happens to the requests a dead
//!   worker held, and starts replacements.
//!
//! # Fault policy, and how it differs from Python's `BrokenProcessPool`
//!
//! Python marks the *whole pool* broken when any worker dies abruptly:
//! every pending future fails with `BrokenProcessPool` and the executor
//! refuses new work. Here a death costs only what it must:
//! - a task that **returns `Err`** or **panics** gets that error (the panic
//!   is caught in the worker, which carries on);
//! - a worker that **dies** (aborts, is killed by a signal, exits) is
//!   reaped and replaced; the request it was running gets
//!   [`TaskError::WorkerDied`] naming the signal or exit status;
//! - requests the dead worker had been sent but had **not started** (a
//!   worker runs its requests strictly one after another, in order, so
//!   every request behind the one it was running is provably untouched),
//!   and requests whose **write failed** (broken pipe) are put back at the
//!   front of the queue and run elsewhere;
//! - an **idle** worker that dies is noticed at once (its socket reaches end
//!   of input) and replaced;
//! - only when workers cannot be started at all (the initializer fails, or
//!   the executable has no worker hook) is the pool *broken*, as in Python:
//!   pending tasks get [`TaskError::Broken`] and `submit` refuses.
//!
//! # Nothing hangs unless asked to
//!
//! Like Python's, `build()` waits for every worker to be ready and
//! `shutdown(wait)` (and so `drop`) for every running task: an initializer
//! or a task that never returns would make them wait for ever. Both waits
//! can be bounded: [`PoolBuilder::start_timeout`] and
//! [`PoolBuilder::shutdown_grace`] (neither is set by default, as in
//! Python); past them the workers are killed and reaped, and what they were
//! running fails with an error that says why. [`PoolStopper::stop`] stops
//! at once, from any thread.
//!
//! The pool's parts, one file each: `state.rs` (what the threads share and
//! the window rule), `writer.rs`, `reader.rs` and `supervisor.rs` (the
//! three kinds of pool threads).
//!
//! [`TaskError::WorkerDied`]: crate::TaskError::WorkerDied
//! [`TaskError::Broken`]: crate::TaskError::Broken

mod reader;
mod state;
mod supervisor;
mod writer;

use std::collections::VecDeque;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::handle::TaskHandle;
use crate::map::MapResults;
use crate::protocol::{DEFAULT_MAX_FRAME, MIN_FRAME, ProtocolError, RequestHead, encode_frame};
use crate::slot::{Slot, deadline_after};
use crate::task::Task;
use crate::worker;
use state::{Completion, Config, Event, Job, Phase, Shared, State, WorkerState};
use supervisor::supervise;

/// The most workers a pool may have (the chapter's `--workers` limit).
pub const MAX_WORKERS: usize = common::cli::MAX_WORKERS as usize;

/// Errors from creating or using a pool (as opposed to a task's own
/// [`TaskError`](crate::TaskError)).
#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// `max_workers` out of range.
    #[error("max_workers must be between 1 and {max}, got {got}")]
    WorkerCount {
        /// What was asked for.
        got: usize,
        /// [`MAX_WORKERS`].
        max: usize,
    },
    /// `map` with a chunksize of 0.
    #[error("chunksize must be at least 1")]
    ZeroChunksize,
    /// `max_tasks_per_child(0)`.
    #[error("max_tasks_per_child must be at least 1")]
    ZeroMaxTasksPerChild,
    /// `max_frame_bytes` below [`MIN_FRAME`]: too small for the pool's own
    /// notices.
    #[error("max_frame_bytes must be at least {min}, got {got}")]
    FrameTooSmall {
        /// What was asked for.
        got: usize,
        /// [`MIN_FRAME`].
        min: usize,
    },
    /// Not every worker was ready within [`PoolBuilder::start_timeout`]
    /// (an initializer that does not return?); the workers were killed and
    /// reaped.
    #[error(
        "{starting} of {workers} worker processes were not ready after {:.3} s \
         (is the initializer stuck?); they were killed",
        waited.as_secs_f64()
    )]
    StartTimeout {
        /// Workers that were not ready.
        starting: usize,
        /// Workers in the pool.
        workers: usize,
        /// The start-up timeout.
        waited: Duration,
    },
    /// A pool was created inside a worker process: refused, so a missing
    /// worker hook cannot start processes without end.
    #[error(
        "cannot create a process pool inside a pool worker \
         (does main call process_pool::worker_entry first?)"
    )]
    InsideWorker,
    /// The program's own executable could not be found.
    #[error("cannot find this program's executable to start workers: {0}")]
    Executable(io::Error),
    /// Workers cannot be started, or their initializer failed.
    #[error("the process pool is broken: {0}")]
    Broken(String),
    /// `submit` or `map` after `shutdown`.
    #[error("cannot submit tasks after shutdown")]
    ShutDown,
    /// The task could not be encoded, or is larger than the maximum frame.
    #[error("cannot send the task: {0}")]
    Protocol(#[from] ProtocolError),
}

/// Options for a pool: Python's `ProcessPoolExecutor(max_workers,
/// initializer=..., max_tasks_per_child=...)` keyword arguments.
pub struct PoolBuilder<T: Task> {
    max_workers: usize,
    initializer: Option<T>,
    max_tasks_per_child: Option<usize>,
    max_frame: usize,
    start_timeout: Option<Duration>,
    shutdown_grace: Option<Duration>,
}

impl<T: Task> PoolBuilder<T> {
    /// A task every worker runs once, when it starts, before any other
    /// (Python: `initializer`/`initargs`). If it fails or panics, the pool
    /// is broken (as in Python).
    pub fn initializer(mut self, task: T) -> Self {
        self.initializer = Some(task);
        self
    }

    /// Each worker exits after this many tasks and is replaced by a fresh
    /// one (Python: `max_tasks_per_child`), e.g. to return leaked memory.
    pub fn max_tasks_per_child(mut self, tasks: usize) -> Self {
        self.max_tasks_per_child = Some(tasks);
        self
    }

    /// The largest frame (an encoded task, chunk or result) either side
    /// accepts; [`DEFAULT_MAX_FRAME`] (64 MiB) unless set, at least
    /// [`MIN_FRAME`] (64 bytes).
    pub fn max_frame_bytes(mut self, bytes: usize) -> Self {
        self.max_frame = bytes;
        self
    }

    /// How long `build()` waits for every worker to be ready (to have run
    /// its initializer). Past it, the workers are killed and reaped and
    /// `build()` returns [`PoolError::StartTimeout`]. Default: no limit, as
    /// in Python, where an initializer that never returns hangs the pool.
    /// A timeout too large for the clock (`Duration::MAX`) means no limit.
    pub fn start_timeout(mut self, timeout: Duration) -> Self {
        self.start_timeout = Some(timeout);
        self
    }

    /// How long `shutdown(wait = true)`, and so dropping the pool, waits
    /// for the tasks still running. Past it, the workers still busy are
    /// killed (their tasks get [`TaskError::WorkerDied`](crate::TaskError::WorkerDied)
    /// naming the grace period), what is still queued is cancelled, and
    /// every worker is reaped. Default: no limit, as in Python's
    /// `shutdown(wait=True)`, which waits for a task that never returns
    /// for ever. A grace too large for the clock means no limit.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = Some(grace);
        self
    }

    /// Starts the workers and waits until each is ready (and has run the
    /// initializer), at most [`PoolBuilder::start_timeout`].
    pub fn build(self) -> Result<ProcessPoolExecutor<T>, PoolError> {
        ProcessPoolExecutor::start(self)
    }
}

/// A pool of worker processes running tasks of type `T`.
///
/// Dropping the pool shuts it down and waits (Python: leaving the `with`
/// block), at most [`PoolBuilder::shutdown_grace`]. Every worker is reaped
/// before `drop` returns.
pub struct ProcessPoolExecutor<T: Task> {
    shared: Arc<Shared<T>>,
    /// The supervisor thread, joined by the first `shutdown(wait = true)`.
    supervisor: Mutex<Option<JoinHandle<()>>>,
    /// How long `shutdown(wait)` waits before killing busy workers.
    shutdown_grace: Option<Duration>,
}

/// A cheap, cloneable remote control that stops a pool from another thread
/// (for example a Ctrl-C handler). See [`ProcessPoolExecutor::stopper`].
pub struct PoolStopper<T: Task> {
    shared: Arc<Shared<T>>,
}

impl<T: Task> Clone for PoolStopper<T> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T: Task> PoolStopper<T> {
    /// Stops the pool at once (Python 3.14: `kill_workers`): cancels every
    /// queued request, kills every worker with SIGKILL (their running tasks
    /// get [`TaskError::WorkerDied`](crate::TaskError::WorkerDied)), and
    /// starts no replacements. The workers are still reaped, by the
    /// supervisor; drop the pool to wait for that.
    pub fn stop(&self) {
        self.shared.stop("the pool was stopped");
    }
}

impl<T: Task> ProcessPoolExecutor<T> {
    /// A pool of `max_workers` processes (Python:
    /// `ProcessPoolExecutor(max_workers)`). Starts them all and waits until
    /// each is ready.
    pub fn new(max_workers: usize) -> Result<Self, PoolError> {
        Self::builder(max_workers).build()
    }

    /// A builder for the other options (initializer, max_tasks_per_child,
    /// max frame size).
    pub fn builder(max_workers: usize) -> PoolBuilder<T> {
        PoolBuilder {
            max_workers,
            initializer: None,
            max_tasks_per_child: None,
            max_frame: DEFAULT_MAX_FRAME,
            start_timeout: None,
            shutdown_grace: None,
        }
    }

    fn start(options: PoolBuilder<T>) -> Result<Self, PoolError> {
        if worker::is_worker() {
            return Err(PoolError::InsideWorker);
        }
        if !(1..=MAX_WORKERS).contains(&options.max_workers) {
            return Err(PoolError::WorkerCount {
                got: options.max_workers,
                max: MAX_WORKERS,
            });
        }
        if options.max_tasks_per_child == Some(0) {
            return Err(PoolError::ZeroMaxTasksPerChild);
        }
        if options.max_frame < MIN_FRAME {
            return Err(PoolError::FrameTooSmall {
                got: options.max_frame,
                min: MIN_FRAME,
            });
        }
        // Our own executable, by path (so `ps` shows workers under the
        // program's name). If the file was rebuilt meanwhile, the workers
        // run the new build: keep the task enum's shape while a pool runs.
        let exe = std::env::current_exe().map_err(PoolError::Executable)?;
        let start_frame = encode_frame(
            &RequestHead::Start {
                has_initializer: options.initializer.is_some(),
            },
            options.initializer.as_ref(),
            options.max_frame,
        )?;
        let (events, receiver) = mpsc::channel();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                workers: (0..options.max_workers)
                    .map(|_| WorkerState::new(0))
                    .collect(),
                accepting: true,
                stopping: None,
                broken: None,
                started: false,
                startup_failures: 0,
                finished: false,
            }),
            changed: Condvar::new(),
            events,
            next_id: AtomicU64::new(0),
            config: Config {
                exe,
                start_frame: Arc::new(start_frame),
                max_tasks_per_child: options.max_tasks_per_child,
                max_frame: options.max_frame,
            },
        });
        let supervisor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("pool-supervisor".into())
                .spawn(move || supervise(&shared, &receiver))
                .map_err(|e| PoolError::Broken(format!("cannot start the supervisor: {e}")))?
        };
        let pool = Self {
            shared,
            supervisor: Mutex::new(Some(supervisor)),
            shutdown_grace: options.shutdown_grace,
        };
        // Wait until every worker said Ready, or the pool broke, or the
        // start-up timeout ran out.
        let deadline = options.start_timeout.and_then(deadline_after);
        let failure = {
            let mut state = pool.shared.lock();
            loop {
                if let Some(why) = &state.broken {
                    break Some(PoolError::Broken(why.clone()));
                }
                let starting = state
                    .workers
                    .iter()
                    .filter(|w| w.phase != Phase::Ready)
                    .count();
                if starting == 0 {
                    state.started = true;
                    break None;
                }
                let (next, timed_out) = pool.shared.wait_changed(state, deadline);
                state = next;
                if timed_out {
                    break Some(PoolError::StartTimeout {
                        starting,
                        workers: state.workers.len(),
                        waited: options.start_timeout.unwrap_or_default(),
                    });
                }
            }
        };
        match failure {
            None => Ok(pool),
            Some(error) => {
                // Kill whatever did start (an initializer may never
                // return), then drop: reaps them all.
                pool.shared.stop("the pool did not start");
                drop(pool);
                Err(error)
            }
        }
    }

    /// Schedules `task` and returns its handle at once (Python: `submit`).
    /// The task is encoded here (so a task too large for a frame is refused
    /// now, with [`PoolError::Protocol`]) and queued; a writer thread sends
    /// it when a worker is free.
    pub fn submit(&self, task: T) -> Result<TaskHandle<T>, PoolError> {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let frame = encode_frame(
            &RequestHead::Run { id },
            Some(&task),
            self.shared.config.max_frame,
        )?;
        let slot = Slot::new();
        self.shared.enqueue(vec![Job {
            id,
            frame: Arc::new(frame),
            completion: Completion::One(Arc::clone(&slot)),
        }])?;
        Ok(TaskHandle { slot })
    }

    /// Runs every task and yields the outcomes in input order (Python:
    /// `map(fn, items, chunksize=...)`; for `timeout=`, see
    /// [`MapResults::timeout`]).
    ///
    /// The tasks are sent in chunks of `chunksize`: one request, one reply
    /// and one wake-up per chunk instead of per task, which is what makes
    /// many tiny tasks cheap. A worker that dies takes its whole chunk with
    /// it (every item of the chunk gets the error), as in Python.
    pub fn map<I>(&self, tasks: I, chunksize: usize) -> Result<MapResults<T>, PoolError>
    where
        I: IntoIterator<Item = T>,
    {
        if chunksize == 0 {
            return Err(PoolError::ZeroChunksize);
        }
        let called = std::time::Instant::now();
        let mut jobs = Vec::new();
        let mut chunks = VecDeque::new();
        let mut chunk = Vec::with_capacity(chunksize);
        let mut tasks = tasks.into_iter().peekable();
        while let Some(task) = tasks.next() {
            chunk.push(task);
            if chunk.len() == chunksize || tasks.peek().is_none() {
                let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
                let frame = encode_frame(
                    &RequestHead::RunChunk { id },
                    Some(&chunk),
                    self.shared.config.max_frame,
                )?;
                let slot = Slot::new();
                chunks.push_back(Arc::clone(&slot));
                jobs.push(Job {
                    id,
                    frame: Arc::new(frame),
                    completion: Completion::Chunk {
                        slot,
                        len: chunk.len(),
                    },
                });
                chunk.clear();
            }
        }
        self.shared.enqueue(jobs)?;
        Ok(MapResults {
            chunks,
            current: Vec::new().into_iter(),
            called,
            timeout: None,
        })
    }

    /// Stops accepting tasks (Python: `shutdown(wait, cancel_futures)`).
    ///
    /// - `cancel_futures`: requests no worker has started are cancelled
    ///   (their handles give [`TaskError::Cancelled`](crate::TaskError::Cancelled)); otherwise they
    ///   still run.
    /// - `wait`: blocks until every request is settled and every worker has
    ///   exited and been reaped, at most [`PoolBuilder::shutdown_grace`]
    ///   (then the busy workers are killed, and reaped). Without it,
    ///   `shutdown` returns at once and dropping the pool does the waiting.
    ///
    /// Calling it again is harmless.
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        let cancelled = {
            let mut state = self.shared.lock();
            state.accepting = false;
            let cancelled: Vec<Job<T>> = if cancel_futures {
                state.queue.drain(..).collect()
            } else {
                Vec::new()
            };
            // Writers with nothing left to send close their sockets now.
            state.wake_all_writers();
            cancelled
        };
        for job in cancelled {
            job.completion.cancel();
        }
        let _ = self.shared.events.send(Event::Wake);
        if wait {
            self.wait_for_supervisor();
        }
    }

    /// A handle that stops the pool from any thread, e.g. a Ctrl-C
    /// handler (Python 3.14: `kill_workers`): see [`PoolStopper::stop`].
    pub fn stopper(&self) -> PoolStopper<T> {
        PoolStopper {
            shared: Arc::clone(&self.shared),
        }
    }

    /// The process ids of the live workers, by position.
    pub fn worker_pids(&self) -> Vec<u32> {
        let state = self.shared.lock();
        state
            .workers
            .iter()
            .filter(|w| w.phase != Phase::Exited && w.pid != 0)
            .map(|w| w.pid)
            .collect()
    }

    /// How many worker positions the pool has (Python: `_max_workers`).
    pub fn max_workers(&self) -> usize {
        self.shared.lock().workers.len()
    }

    /// Waits until the supervisor has reaped every worker, at most the
    /// shutdown grace; past it, stops the pool (kills the busy workers),
    /// and then waits for the reaping, which a kill makes quick.
    fn wait_for_supervisor(&self) {
        if let Some(grace) = self.shutdown_grace {
            let deadline = deadline_after(grace);
            let mut state = self.shared.lock();
            while !state.finished {
                let (next, timed_out) = self.shared.wait_changed(state, deadline);
                state = next;
                if timed_out && !state.finished {
                    drop(state);
                    let why = format!(
                        "the shutdown's grace of {:.3} s ran out",
                        grace.as_secs_f64()
                    );
                    self.shared.stop(&why);
                    break;
                }
            }
        }
        self.join_supervisor();
    }

    fn join_supervisor(&self) {
        let handle = self
            .supervisor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(handle) = handle {
            // The supervisor never panics on its own; if it did, there is
            // nothing more to clean up here.
            let _ = handle.join();
        }
    }
}

impl<T: Task> Drop for ProcessPoolExecutor<T> {
    /// Shuts down and waits, like leaving Python's `with` block.
    fn drop(&mut self) {
        self.shutdown(true, false);
    }
}
