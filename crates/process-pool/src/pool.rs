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
//! `submit` only encodes and enqueues; a writer thread per worker does the
//! writing (the one step that may block), a reader per worker only reads,
//! so a large task and a large result can cross without deadlock; the
//! supervisor reaps every worker that ends. Its parts, one file each:
//! `state.rs` (what the threads share, the window rule), `writer.rs`,
//! `reader.rs`, `supervisor.rs`.
//!
//! # Fault policy: not Python's `BrokenProcessPool`
//!
//! Python marks the whole pool broken when any worker dies abruptly. Here
//! a death costs only what it must: the request the dead worker was
//! running gets [`TaskError::WorkerDied`]; the requests behind it in its
//! socket (a worker runs them strictly in order, so they provably never
//! started) and those whose write failed go back to the front of the
//! queue; the worker is reaped and replaced. Only when workers cannot be
//! started at all (the initializer fails, no worker hook) is the pool
//! broken: [`TaskError::Broken`], and `submit` refuses.
//!
//! # Nothing hangs unless asked to
//!
//! As in Python, `build()` waits for every worker to be ready and
//! `shutdown(wait)` (so `drop`) for every running task, for ever by
//! default; [`PoolBuilder::start_timeout`] and [`PoolBuilder::shutdown_grace`]
//! bound them (past them the workers are killed and reaped, and what they
//! ran fails saying why). [`PoolStopper::stop`] stops at once.
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

use serde::Serialize;

use crate::handle::TaskHandle;
use crate::map::MapResults;
use crate::protocol::{DEFAULT_MAX_FRAME, MIN_FRAME, ProtocolError, RequestHead, encode_frame};
use crate::slot::{Slot, deadline_after, wait_while};
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
    /// its initializer); past it the workers are killed and reaped:
    /// [`PoolError::StartTimeout`]. Default, or too large for the clock: no
    /// limit, as in Python, where a stuck initializer hangs the pool.
    pub fn start_timeout(mut self, timeout: Duration) -> Self {
        self.start_timeout = Some(timeout);
        self
    }

    /// How long `shutdown(wait = true)`, and so `drop`, waits for running
    /// tasks; past it the busy workers are killed (their tasks get
    /// [`TaskError::WorkerDied`](crate::TaskError::WorkerDied) naming the
    /// grace), the queue is cancelled, every worker reaped. Default, or too
    /// large for the clock: no limit, as Python's `shutdown(wait=True)`.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = Some(grace);
        self
    }

    /// Starts the workers and waits until each is ready (and has run the
    /// initializer), at most [`PoolBuilder::start_timeout`].
    pub fn build(self) -> Result<ProcessPoolExecutor<T>, PoolError> {
        if worker::is_worker() {
            return Err(PoolError::InsideWorker);
        }
        if !(1..=MAX_WORKERS).contains(&self.max_workers) {
            return Err(PoolError::WorkerCount {
                got: self.max_workers,
                max: MAX_WORKERS,
            });
        }
        if self.max_tasks_per_child == Some(0) {
            return Err(PoolError::ZeroMaxTasksPerChild);
        }
        if self.max_frame < MIN_FRAME {
            return Err(PoolError::FrameTooSmall {
                got: self.max_frame,
                min: MIN_FRAME,
            });
        }
        // Our own executable, by path (so `ps` shows workers under the
        // program's name). If the file was rebuilt meanwhile, the workers
        // run the new build: keep the task enum's shape while a pool runs.
        let exe = std::env::current_exe().map_err(PoolError::Executable)?;
        let has_initializer = self.initializer.is_some();
        let start = RequestHead::Start { has_initializer };
        let start_frame = encode_frame(&start, self.initializer.as_ref(), self.max_frame)?;
        let (events, receiver) = mpsc::channel();
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                workers: (0..self.max_workers).map(|_| WorkerState::new(0)).collect(),
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
                max_tasks_per_child: self.max_tasks_per_child,
                max_frame: self.max_frame,
            },
        });
        let supervisor = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("pool-supervisor".into())
                .spawn(move || supervise(&shared, &receiver))
                .map_err(|e| PoolError::Broken(format!("cannot start the supervisor: {e}")))?
        };
        let pool = ProcessPoolExecutor {
            shared,
            supervisor: Mutex::new(Some(supervisor)),
            shutdown_grace: self.shutdown_grace,
        };
        // Wait until every worker said Ready, or the pool broke, or the
        // start-up timeout ran out.
        let starting = |state: &State<T>| {
            state
                .workers
                .iter()
                .filter(|w| w.phase != Phase::Ready)
                .count()
        };
        let deadline = self.start_timeout.and_then(deadline_after);
        let mut state = wait_while(&pool.shared.changed, pool.shared.lock(), deadline, |s| {
            s.broken.is_none() && starting(s) > 0
        });
        let failure = match &state.broken {
            Some(why) => PoolError::Broken(why.clone()),
            None if starting(&state) == 0 => {
                state.started = true;
                drop(state);
                return Ok(pool);
            }
            None => PoolError::StartTimeout {
                starting: starting(&state),
                workers: state.workers.len(),
                waited: self.start_timeout.unwrap_or_default(),
            },
        };
        drop(state);
        // Kill whatever did start (an initializer may never return), then
        // drop: reaps them all.
        pool.shared.stop("the pool did not start");
        drop(pool);
        Err(failure)
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
    /// get [`TaskError::WorkerDied`](crate::TaskError::WorkerDied)), starts
    /// no replacements. The supervisor still reaps them: drop the pool to
    /// wait for that.
    pub fn stop(&self) {
        self.shared.stop("the pool was stopped");
    }
}

impl<T: Task> ProcessPoolExecutor<T> {
    /// A pool of `max_workers` processes (Python:
    /// `ProcessPoolExecutor(max_workers)`), all started and ready.
    pub fn new(max_workers: usize) -> Result<Self, PoolError> {
        Self::builder(max_workers).build()
    }

    /// A builder for the other options (Python's keyword arguments).
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

    /// Encodes a request (so a task too large for a frame is refused now,
    /// with [`PoolError::Protocol`]) under a fresh id.
    fn job<B: Serialize + ?Sized>(
        &self,
        head: fn(u64) -> RequestHead,
        body: &B,
        completion: Completion<T>,
    ) -> Result<Job<T>, PoolError> {
        let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
        let frame = encode_frame(&head(id), Some(body), self.shared.config.max_frame)?;
        Ok(Job {
            id,
            frame: Arc::new(frame),
            completion,
        })
    }

    /// Schedules `task` and returns its handle at once (Python: `submit`):
    /// encoded here, queued, and sent by a writer thread when a worker is
    /// free.
    pub fn submit(&self, task: T) -> Result<TaskHandle<T>, PoolError> {
        let slot = Slot::new();
        let one = Completion::One(Arc::clone(&slot));
        let job = self.job(|id| RequestHead::Run { id }, &task, one)?;
        self.shared.enqueue(vec![job])?;
        Ok(TaskHandle { slot })
    }

    /// Runs every task and yields the outcomes in input order (Python:
    /// `map(fn, items, chunksize=...)`; for `timeout=`, see
    /// [`MapResults::timeout`]).
    ///
    /// One request, one reply, one wake-up per chunk of `chunksize` tasks
    /// instead of per task: what makes many tiny tasks cheap. A worker that
    /// dies takes its whole chunk with it, as in Python.
    pub fn map<I>(&self, tasks: I, chunksize: usize) -> Result<MapResults<T>, PoolError>
    where
        I: IntoIterator<Item = T>,
    {
        if chunksize == 0 {
            return Err(PoolError::ZeroChunksize);
        }
        let called = std::time::Instant::now();
        let mut tasks = tasks.into_iter();
        let mut chunks = VecDeque::new();
        let mut jobs = Vec::new();
        // One chunk of tasks at a time: only the encoded frames are kept.
        loop {
            let chunk: Vec<T> = tasks.by_ref().take(chunksize).collect();
            if chunk.is_empty() {
                break;
            }
            let slot = Slot::new();
            chunks.push_back(Arc::clone(&slot));
            let completion = Completion::Chunk {
                slot,
                len: chunk.len(),
            };
            jobs.push(self.job(|id| RequestHead::RunChunk { id }, &chunk, completion)?);
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
    ///   ([`TaskError::Cancelled`](crate::TaskError::Cancelled)); otherwise
    ///   they still run.
    /// - `wait`: blocks until every request is settled and every worker
    ///   reaped, at most [`PoolBuilder::shutdown_grace`] (then the busy
    ///   workers are killed, and reaped). Without it, `drop` waits.
    ///
    /// Calling it again is harmless.
    pub fn shutdown(&self, wait: bool, cancel_futures: bool) {
        let cancelled: Vec<Job<T>> = {
            let mut state = self.shared.lock();
            state.accepting = false;
            // Writers with nothing left to send close their sockets now.
            state.wake_all_writers();
            if cancel_futures {
                state.queue.drain(..).collect()
            } else {
                Vec::new()
            }
        };
        for job in cancelled {
            job.completion.cancel();
        }
        let _ = self.shared.events.send(Event::Wake);
        if !wait {
            return;
        }
        if let Some(grace) = self.shutdown_grace {
            let state = self.shared.lock();
            let state = wait_while(&self.shared.changed, state, deadline_after(grace), |s| {
                !s.finished
            });
            if !state.finished {
                drop(state);
                let secs = grace.as_secs_f64();
                // Kills the busy workers: the reaping below is then quick.
                self.shared
                    .stop(&format!("the shutdown's grace of {secs:.3} s ran out"));
            }
        }
        let supervisor = self
            .supervisor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(supervisor) = supervisor {
            // The supervisor never panics on its own; if it did, there is
            // nothing more to clean up here.
            let _ = supervisor.join();
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
        let live = state.workers.iter().filter(|w| w.phase != Phase::Exited);
        live.filter(|w| w.pid != 0).map(|w| w.pid).collect()
    }
}

impl<T: Task> Drop for ProcessPoolExecutor<T> {
    /// Shuts down and waits, like leaving Python's `with` block.
    fn drop(&mut self) {
        self.shutdown(true, false);
    }
}
