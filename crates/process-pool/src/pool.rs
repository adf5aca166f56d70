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
//! [`TaskError::WorkerDied`]: crate::TaskError::WorkerDied
//! [`TaskError::Broken`]: crate::TaskError::Broken

use std::collections::VecDeque;
use std::io::{self, BufReader, IoSlice, Write};
use std::net::Shutdown;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::handle::{Fault, MapResults, Outcome, Slot, TaskError, TaskHandle};
use crate::protocol::{
    self, DEFAULT_MAX_FRAME, ProtocolError, ReplyHead, RequestHead, WireOutcome, decode_body,
    encode_frame, split_head,
};
use crate::task::Task;
use crate::worker::{self, MAX_FRAME_ENV, WORKER_ARGS, WORKER_ENV};

/// The most workers a pool may have (the chapter's `--workers` limit).
pub const MAX_WORKERS: usize = common::cli::MAX_WORKERS as usize;

/// How many requests a worker may hold at once when the queue is long
/// (see [`State`]'s window rule).
const MAX_WINDOW: usize = 16;

/// Replacement workers that may die before being ready, in a row, before
/// the pool counts as broken.
const MAX_STARTUP_FAILURES: usize = 3;

/// The queue counts as long when it holds this many requests per worker.
const LONG_QUEUE_PER_WORKER: usize = 4;

/// A task that ran for less than this in its worker (as the worker reports
/// in its reply) counts as short for the window rule.
const SHORT_TASK: Duration = Duration::from_millis(1);

/// Errors from creating or using a pool (as opposed to a task's own
/// [`TaskError`]).
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
    /// accepts; [`DEFAULT_MAX_FRAME`] (64 MiB) unless set.
    pub fn max_frame_bytes(mut self, bytes: usize) -> Self {
        self.max_frame = bytes;
        self
    }

    /// Starts the workers and waits until each is ready (and has run the
    /// initializer).
    pub fn build(self) -> Result<ProcessPoolExecutor<T>, PoolError> {
        ProcessPoolExecutor::start(self)
    }
}

/// A pool of worker processes running tasks of type `T`.
///
/// Dropping the pool shuts it down and waits (Python: leaving the `with`
/// block). Every worker is reaped before `drop` returns.
pub struct ProcessPoolExecutor<T: Task> {
    shared: Arc<Shared<T>>,
    /// The supervisor thread, joined by the first `shutdown(wait = true)`.
    supervisor: Mutex<Option<JoinHandle<()>>>,
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
    /// Same as [`ProcessPoolExecutor::kill_workers`].
    pub fn stop(&self) {
        self.shared.stop();
    }
}

/// What every pool thread shares.
struct Shared<T: Task> {
    /// The queue and the workers' bookkeeping. Held only for short,
    /// non-blocking updates: never while reading, writing or waiting for a
    /// process. Lock order: this lock, then a handle's slot lock.
    state: Mutex<State<T>>,
    /// Signalled when a worker becomes ready or the pool breaks; `start`
    /// waits on it.
    changed: Condvar,
    /// To the supervisor: a worker's reader ended, or shutdown was asked.
    events: mpsc::Sender<Event>,
    /// Request ids, in submission order.
    next_id: AtomicU64,
    /// Fixed at creation.
    config: Config,
}

/// Settings that never change after creation.
struct Config {
    /// The program to start as a worker (our own executable).
    exe: PathBuf,
    /// The first frame every worker gets (with the initializer, if any).
    start_frame: Arc<Vec<u8>>,
    max_tasks_per_child: Option<usize>,
    max_frame: usize,
}

/// The mutable part, under `Shared::state`.
///
/// The window rule: a worker holds one request at a time, so that long
/// tasks spread evenly over the workers and queued tasks stay cancellable;
/// but a worker whose last task was *short* (under [`SHORT_TASK`]) may hold
/// up to [`MAX_WINDOW`] while the queue is long (at least
/// [`LONG_QUEUE_PER_WORKER`] requests per worker), so that it finds its next
/// request already waiting in its socket instead of idling for a round
/// trip after every tiny task.
struct State<T: Task> {
    /// Requests not yet handed to a worker, oldest first. Written by
    /// `submit`/`map` (push back), writers (pop front), the supervisor
    /// (re-queue at the front), `shutdown`/`stop` (drain).
    queue: VecDeque<Job<T>>,
    /// One entry per worker position (`0..max_workers`); a replacement
    /// worker reuses its predecessor's position.
    workers: Vec<WorkerState<T>>,
    /// False after shutdown: `submit` refuses, writers close their sockets
    /// once the queue is empty.
    accepting: bool,
    /// True after `kill_workers`: no replacements.
    stopping: bool,
    /// Why the pool is broken, if it is.
    broken: Option<String>,
    /// True once every first worker said Ready (`start` returned).
    started: bool,
    /// Workers that died before saying Ready, in a row. Reset by any Ready.
    startup_failures: usize,
}

/// The pool's bookkeeping for one worker process.
struct WorkerState<T: Task> {
    /// The process id (0 before the first spawn).
    pid: u32,
    phase: Phase,
    /// Requests written (or being written) to this worker and not yet
    /// answered, oldest first. The writer pushes, the reader pops the front
    /// when the matching reply arrives, the supervisor settles what is left
    /// when the worker dies.
    sent: VecDeque<Sent<T>>,
    /// How many requests this process was given (for `max_tasks_per_child`).
    assigned: usize,
    /// Whether its last task was short (window rule); set by the reader.
    short_tasks: bool,
    /// Why the initializer failed, if it did (set by the reader).
    init_failure: Option<String>,
    /// The writer waits on this; `wake_pending` says a wake-up is on its
    /// way, so `submit` wakes *another* idle writer for the next request.
    wake: Arc<Condvar>,
    wake_pending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Spawned; has not said `Ready` yet.
    Starting,
    /// Serving requests.
    Ready,
    /// Its socket reached end of input; the supervisor takes over.
    Exited,
}

/// A request handed to a worker.
struct Sent<T: Task> {
    job: Job<T>,
    /// True once its frame was completely written into the socket: only
    /// then can the worker have read (and run) it.
    delivered: bool,
}

/// One request: an encoded frame and where its outcome goes.
struct Job<T: Task> {
    id: u64,
    /// The complete frame (length prefix included), shared so a re-queued
    /// request is not encoded again.
    frame: Arc<Vec<u8>>,
    completion: Completion<T>,
}

/// Where a request's outcome goes: one handle, or one chunk of a `map`.
enum Completion<T: Task> {
    One(Arc<Slot<Outcome<T>>>),
    Chunk {
        slot: Arc<Slot<Vec<Outcome<T>>>>,
        len: usize,
    },
}

/// Messages to the supervisor.
enum Event {
    /// The reader of worker position `index` (process `pid`) ended: the
    /// process exited or must be killed. `problem` says what went wrong on
    /// the socket, if anything.
    Exited {
        index: usize,
        pid: u32,
        problem: Option<String>,
    },
    /// Shutdown or stop was asked: re-check whether to finish.
    Wake,
}

/// What the supervisor owns for a live worker.
struct Proc {
    child: Child,
    reader: JoinHandle<()>,
    writer: JoinHandle<()>,
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
                stopping: false,
                broken: None,
                started: false,
                startup_failures: 0,
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
        };
        // Wait until every worker said Ready, or the pool broke.
        let broken = {
            let mut state = pool.shared.lock();
            loop {
                if let Some(why) = &state.broken {
                    break Some(why.clone());
                }
                if state.workers.iter().all(|w| w.phase == Phase::Ready) {
                    state.started = true;
                    break None;
                }
                state = pool
                    .shared
                    .changed
                    .wait(state)
                    .unwrap_or_else(|p| p.into_inner());
            }
        };
        match broken {
            None => Ok(pool),
            Some(why) => {
                drop(pool); // stops and reaps whatever did start
                Err(PoolError::Broken(why))
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
        Ok(TaskHandle { id, slot })
    }

    /// Runs every task and yields the outcomes in input order (Python:
    /// `map(fn, items, chunksize=...)`).
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
        })
    }

    /// Stops accepting tasks (Python: `shutdown(wait, cancel_futures)`).
    ///
    /// - `cancel_futures`: requests no worker has started are cancelled
    ///   (their handles give [`TaskError::Cancelled`]); otherwise they
    ///   still run.
    /// - `wait`: blocks until every request is settled and every worker has
    ///   exited and been reaped. Without it, `shutdown` returns at once and
    ///   dropping the pool does the waiting.
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
            self.join_supervisor();
        }
    }

    /// Stops at once (Python 3.14: `kill_workers`): cancels every queued
    /// request, kills every worker with SIGKILL (their running tasks get
    /// [`TaskError::WorkerDied`]), and starts no replacements. The workers
    /// are still reaped, by the supervisor; drop the pool to wait for that.
    pub fn kill_workers(&self) {
        self.shared.stop();
    }

    /// A handle that can call [`ProcessPoolExecutor::kill_workers`] from
    /// another thread, e.g. a Ctrl-C handler.
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

impl<T: Task> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // No code path panics while holding the lock; if one ever did, the
        // state is still the best information there is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends requests to the queue and wakes writers to take them.
    fn enqueue(&self, jobs: Vec<Job<T>>) -> Result<(), PoolError> {
        let mut state = self.lock();
        if let Some(why) = &state.broken {
            return Err(PoolError::Broken(why.clone()));
        }
        if !state.accepting {
            return Err(PoolError::ShutDown);
        }
        let count = jobs.len();
        state.queue.extend(jobs);
        state.wake_writers(count);
        Ok(())
    }

    /// `kill_workers`: see there.
    fn stop(&self) {
        let cancelled: Vec<Job<T>> = {
            let mut state = self.lock();
            state.accepting = false;
            state.stopping = true;
            for w in &state.workers {
                if w.phase != Phase::Exited && w.pid != 0 {
                    // Under the lock: the supervisor marks a worker Exited
                    // (under the same lock) before reaping it, so this pid
                    // is still our un-reaped child and cannot have been
                    // reused by another process. ESRCH is impossible and
                    // any other error changes nothing, hence `let _`.
                    let _ = kill(Pid::from_raw(w.pid as i32), Signal::SIGKILL);
                }
            }
            state.wake_all_writers();
            state.queue.drain(..).collect()
        };
        for job in cancelled {
            job.completion.cancel();
        }
        let _ = self.events.send(Event::Wake);
    }
}

impl<T: Task> State<T> {
    /// Wakes up to `count` idle writers (plus every writer with room when
    /// the queue is long), skipping those already woken.
    fn wake_writers(&mut self, mut count: usize) {
        let long = self.queue_is_long();
        for w in &mut self.workers {
            if count == 0 && !long {
                break;
            }
            if w.phase == Phase::Ready
                && !w.wake_pending
                && (w.sent.is_empty() || (long && w.short_tasks && w.sent.len() < MAX_WINDOW))
            {
                w.wake_pending = true;
                w.wake.notify_one();
                count = count.saturating_sub(1);
            }
        }
    }

    fn wake_all_writers(&mut self) {
        for w in &mut self.workers {
            w.wake_pending = true;
            w.wake.notify_one();
        }
    }

    fn queue_is_long(&self) -> bool {
        self.queue.len() >= LONG_QUEUE_PER_WORKER * self.workers.len()
    }
}

impl<T: Task> WorkerState<T> {
    fn new(pid: u32) -> Self {
        Self {
            pid,
            phase: Phase::Starting,
            sent: VecDeque::new(),
            assigned: 0,
            short_tasks: false,
            init_failure: None,
            wake: Arc::new(Condvar::new()),
            wake_pending: false,
        }
    }
}

impl<T: Task> Completion<T> {
    /// Queued -> Running on worker `pid`; false if it was cancelled.
    fn start(&self, pid: u32) -> bool {
        match self {
            Completion::One(slot) => slot.start(pid),
            Completion::Chunk { slot, .. } => slot.start(pid),
        }
    }

    /// Back to Queued (it will be sent again).
    fn requeue(&self) {
        match self {
            Completion::One(slot) => slot.requeue(),
            Completion::Chunk { slot, .. } => slot.requeue(),
        }
    }

    /// Cancels it if no worker has it.
    fn cancel(&self) -> bool {
        match self {
            Completion::One(slot) => slot.cancel_with(|| Err(TaskError::Cancelled)),
            Completion::Chunk { slot, len } => {
                slot.cancel_with(|| (0..*len).map(|_| Err(TaskError::Cancelled)).collect())
            }
        }
    }

    /// Finishes it with a pool fault (every item of a chunk gets it).
    fn fail(&self, fault: Fault) {
        match self {
            Completion::One(slot) => slot.finish(Err(fault.into())),
            Completion::Chunk { slot, len } => {
                slot.finish((0..*len).map(|_| Err(fault.clone().into())).collect());
            }
        }
    }

    /// Finishes it with a worker's `Done` reply body.
    fn deliver(&self, body: &[u8]) {
        match self {
            Completion::One(slot) => match decode_body::<WireOutcome<T::Output, T::Error>>(body) {
                Ok(outcome) => slot.finish(from_wire::<T>(outcome)),
                Err(e) => slot.finish(Err(TaskError::Protocol(format!("bad reply: {e}")))),
            },
            Completion::Chunk { slot, len } => {
                match decode_body::<Vec<WireOutcome<T::Output, T::Error>>>(body) {
                    Ok(outcomes) if outcomes.len() == *len => {
                        slot.finish(outcomes.into_iter().map(from_wire::<T>).collect());
                    }
                    Ok(outcomes) => self.fail(Fault::Protocol(format!(
                        "a chunk of {len} tasks came back with {} results",
                        outcomes.len()
                    ))),
                    Err(e) => self.fail(Fault::Protocol(format!("bad reply: {e}"))),
                }
            }
        }
    }
}

/// A worker's outcome as the caller sees it.
fn from_wire<T: Task>(outcome: WireOutcome<T::Output, T::Error>) -> Outcome<T> {
    match outcome {
        WireOutcome::Ok(value) => Ok(value),
        WireOutcome::Failed(error) => Err(TaskError::Failed(error)),
        WireOutcome::Panicked(message) => Err(TaskError::Panicked(message)),
        WireOutcome::Protocol(message) => Err(TaskError::Protocol(message)),
    }
}

/// Starts one worker process at position `index`, with its reader and
/// writer threads.
fn spawn_worker<T: Task>(shared: &Arc<Shared<T>>, index: usize) -> io::Result<Proc> {
    // A connected pair of sockets, both close-on-exec (std sets
    // SOCK_CLOEXEC): only the child we start gets its end, as its fd 0,
    // because `Command` dup2()s it there in the child, which clears the
    // flag on that one copy. A process started at the same moment by
    // another thread inherits neither end.
    let (ours, theirs) = UnixStream::pair()?;
    let mut command = Command::new(&shared.config.exe);
    command
        .args(WORKER_ARGS)
        .env(WORKER_ENV, std::any::type_name::<T>())
        .env(MAX_FRAME_ENV, shared.config.max_frame.to_string())
        .stdin(Stdio::from(OwnedFd::from(theirs)));
    let mut child = command.spawn()?;
    // Dropping the command closes our copy of the worker's end, so that
    // the worker's death is seen as end of input on ours.
    drop(command);
    let pid = child.id();
    shared.lock().workers[index] = WorkerState::new(pid);

    let threads = (|| {
        let read_half = ours.try_clone()?;
        let reader = {
            let shared = Arc::clone(shared);
            std::thread::Builder::new()
                .name(format!("pool-reader-{index}"))
                .spawn(move || read_replies(&shared, index, pid, read_half))?
        };
        let writer = {
            let shared = Arc::clone(shared);
            std::thread::Builder::new()
                .name(format!("pool-writer-{index}"))
                .spawn(move || write_requests(&shared, index, pid, ours))?
        };
        Ok::<_, io::Error>((reader, writer))
    })();
    match threads {
        Ok((reader, writer)) => Ok(Proc {
            child,
            reader,
            writer,
        }),
        Err(e) => {
            // No threads means nobody would ever reap it: do it now. A
            // reader that did start ends when the child's socket closes.
            shared.lock().workers[index].phase = Phase::Exited;
            let _ = child.kill();
            let _ = child.wait();
            Err(e)
        }
    }
}

/// The writer thread of one worker: sends the start frame, then requests
/// from the queue, following the window rule; closes its half of the
/// socket when no more work can come (shutdown with an empty queue, or
/// `max_tasks_per_child` reached), which tells the worker to exit.
fn write_requests<T: Task>(shared: &Shared<T>, index: usize, pid: u32, mut socket: UnixStream) {
    if socket.write_all(&shared.config.start_frame).is_err() {
        return; // the worker is already gone; its reader reports it
    }
    loop {
        let frames = {
            let mut state = shared.lock();
            loop {
                let retire = {
                    let w = &state.workers[index];
                    if w.pid != pid || w.phase == Phase::Exited {
                        return;
                    }
                    shared
                        .config
                        .max_tasks_per_child
                        .is_some_and(|max| w.assigned >= max)
                };
                let frames = if state.workers[index].phase == Phase::Ready && !retire {
                    take_requests(&mut state, index, pid, shared.config.max_tasks_per_child)
                } else {
                    Vec::new()
                };
                if !frames.is_empty() {
                    break frames;
                }
                let no_more_work = !state.accepting && state.queue.is_empty();
                if retire || no_more_work {
                    drop(state);
                    // The worker answers what it holds, then reads end of
                    // input and exits; its reader sees that and reports.
                    let _ = socket.shutdown(Shutdown::Write);
                    return;
                }
                let wake = Arc::clone(&state.workers[index].wake);
                state.workers[index].wake_pending = false;
                state = wake.wait(state).unwrap_or_else(|p| p.into_inner());
                state.workers[index].wake_pending = false;
            }
        };
        let (complete, result) = write_frames(&mut socket, &frames);
        {
            let mut state = shared.lock();
            let w = &mut state.workers[index];
            if w.pid == pid {
                for sent in w.sent.iter_mut().filter(|s| !s.delivered).take(complete) {
                    sent.delivered = true;
                }
            }
        }
        if result.is_err() {
            // Broken pipe: the worker died. The requests not completely
            // written are provably unread; the supervisor re-queues them.
            return;
        }
    }
}

/// Moves requests from the queue to worker `index` as the window rule
/// allows; returns their frames. Cancelled requests are dropped here.
fn take_requests<T: Task>(
    state: &mut State<T>,
    index: usize,
    pid: u32,
    max_tasks_per_child: Option<usize>,
) -> Vec<Arc<Vec<u8>>> {
    let mut frames = Vec::new();
    loop {
        let w = &state.workers[index];
        let limit = if w.short_tasks && state.queue_is_long() {
            MAX_WINDOW
        } else {
            1
        };
        if w.sent.len() >= limit {
            break;
        }
        if max_tasks_per_child.is_some_and(|max| w.assigned >= max) {
            break;
        }
        let Some(job) = state.queue.pop_front() else {
            break;
        };
        if !job.completion.start(pid) {
            continue; // cancelled while queued
        }
        frames.push(Arc::clone(&job.frame));
        let w = &mut state.workers[index];
        w.assigned += 1;
        w.sent.push_back(Sent {
            job,
            delivered: false,
        });
    }
    frames
}

/// Writes `frames` with as few system calls as possible (one `writev` for
/// the lot, while the socket takes them); returns how many frames went
/// out *completely*, and the error that stopped it, if any.
fn write_frames(socket: &mut UnixStream, frames: &[Arc<Vec<u8>>]) -> (usize, io::Result<()>) {
    let mut slices: Vec<IoSlice<'_>> = frames.iter().map(|f| IoSlice::new(f)).collect();
    let mut remaining = &mut slices[..];
    let mut written = 0usize;
    let result = loop {
        if remaining.is_empty() {
            break Ok(());
        }
        match socket.write_vectored(remaining) {
            Ok(0) => break Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                written += n;
                IoSlice::advance_slices(&mut remaining, n);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    let mut end = 0usize;
    let complete = frames
        .iter()
        .take_while(|f| {
            end += f.len();
            end <= written
        })
        .count();
    (complete, result)
}

/// The reader thread of one worker: stores each reply's outcome in its
/// handle, in order; at end of input (or a protocol error) reports to the
/// supervisor and ends.
fn read_replies<T: Task>(shared: &Shared<T>, index: usize, pid: u32, socket: UnixStream) {
    let max_frame = shared.config.max_frame;
    let mut input = BufReader::with_capacity(64 * 1024, socket);
    let problem = loop {
        let payload = match protocol::read_frame(&mut input, max_frame) {
            Ok(Some(payload)) => payload,
            Ok(None) => break None,
            Err(ProtocolError::Io(e)) if e.kind() == io::ErrorKind::UnexpectedEof => {
                break None; // died mid-reply: the exit status will say why
            }
            Err(e) => break Some(e.to_string()),
        };
        let (head, body): (ReplyHead, &[u8]) = match split_head(&payload) {
            Ok(split) => split,
            Err(e) => break Some(format!("bad reply header: {e}")),
        };
        match head {
            ReplyHead::Ready { .. } => {
                let mut state = shared.lock();
                state.startup_failures = 0;
                let w = &mut state.workers[index];
                w.phase = Phase::Ready;
                w.wake_pending = true;
                w.wake.notify_one();
                drop(state);
                shared.changed.notify_all();
            }
            ReplyHead::InitializerFailed => {
                let why = decode_body::<String>(body)
                    .unwrap_or_else(|e| format!("initializer failed (undecodable message: {e})"));
                shared.lock().workers[index].init_failure = Some(why);
            }
            ReplyHead::Done { id, .. } | ReplyHead::Undeliverable { id } => {
                let job = {
                    let mut state = shared.lock();
                    let w = &mut state.workers[index];
                    match w.sent.front() {
                        Some(sent) if sent.job.id == id => {}
                        _ => {
                            drop(state);
                            break Some(format!("reply to request {id}, which it was not running"));
                        }
                    }
                    if let ReplyHead::Done { run_micros, .. } = head {
                        w.short_tasks = Duration::from_micros(run_micros) < SHORT_TASK;
                    }
                    let sent = w.sent.pop_front().map(|s| s.job);
                    // Room in the window: let the writer send more.
                    w.wake_pending = true;
                    w.wake.notify_one();
                    sent
                };
                // Decode and store outside the lock: a big result takes a
                // while, and the caller's callbacks run here.
                if let Some(job) = job {
                    match head {
                        ReplyHead::Done { .. } => job.completion.deliver(body),
                        _ => {
                            let why = decode_body::<String>(body)
                                .unwrap_or_else(|e| format!("undecodable message: {e}"));
                            job.completion.fail(Fault::Protocol(why));
                        }
                    }
                }
            }
        }
    };
    if problem.is_some() {
        // A worker that breaks the protocol cannot be trusted with more
        // work. It is not reaped yet (the supervisor does that after this
        // event), so the pid is still ours to kill.
        let _ = kill(Pid::from_raw(pid as i32), Signal::SIGKILL);
    }
    let _ = shared.events.send(Event::Exited {
        index,
        pid,
        problem,
    });
}

/// The supervisor thread: starts the workers, and for every worker that
/// ends, reaps it, settles its requests and starts a replacement. Returns
/// (and so lets `shutdown` return) once the pool no longer accepts work and
/// every worker has been reaped.
fn supervise<T: Task>(shared: &Arc<Shared<T>>, events: &mpsc::Receiver<Event>) {
    let positions = shared.lock().workers.len();
    let mut procs: Vec<Option<Proc>> = (0..positions).map(|_| None).collect();
    for (index, proc) in procs.iter_mut().enumerate() {
        match spawn_worker(shared, index) {
            Ok(p) => *proc = Some(p),
            Err(e) => {
                break_pool(shared, format!("cannot start a worker process: {e}"));
                break;
            }
        }
    }
    loop {
        let finished = {
            let state = shared.lock();
            !state.accepting && procs.iter().all(Option::is_none)
        };
        if finished {
            return;
        }
        let Ok(event) = events.recv() else {
            return; // cannot happen: `shared` holds a sender
        };
        let Event::Exited {
            index,
            pid,
            problem,
        } = event
        else {
            continue;
        };
        let Some(proc) = procs.get_mut(index).and_then(Option::take) else {
            continue;
        };
        settle_exit(shared, index, pid, proc, problem);
        // Replace it, unless the pool is stopping or broken, or shutting
        // down with nothing left to do.
        let respawn = {
            let state = shared.lock();
            !state.stopping
                && state.broken.is_none()
                && (state.accepting || !state.queue.is_empty())
        };
        if respawn {
            match spawn_worker(shared, index) {
                Ok(p) => procs[index] = Some(p),
                Err(e) => break_pool(shared, format!("cannot restart a worker process: {e}")),
            }
        }
    }
}

/// After worker `index` (process `pid`) ended: stop its threads, reap it,
/// and settle the requests it held.
fn settle_exit<T: Task>(
    shared: &Shared<T>,
    index: usize,
    pid: u32,
    mut proc: Proc,
    problem: Option<String>,
) {
    // 1. Mark it exited (its pid is off limits for `kill` from now on) and
    //    stop its writer: waiting, it sees `Exited`; writing, it gets a
    //    broken pipe, since the worker's end is closed.
    let was_ready = {
        let mut state = shared.lock();
        let w = &mut state.workers[index];
        let was_ready = w.phase == Phase::Ready;
        w.phase = Phase::Exited;
        w.wake.notify_one();
        was_ready
    };
    let _ = proc.writer.join();
    let _ = proc.reader.join();
    // 2. Reap it: no zombie. It has closed its socket, so it is exiting.
    let cause = match proc.child.wait() {
        Ok(status) => describe_exit(status),
        Err(e) => format!("could not be waited for: {e}"),
    };
    let cause = match problem {
        Some(problem) => format!("{cause}, after a protocol error: {problem}"),
        None => cause,
    };
    // 3. Settle its requests: the oldest delivered one was running, the
    //    rest never started and go back to the front of the queue.
    let (blamed, broken, cancelled) = {
        let mut state = shared.lock();
        let stopping = state.stopping;
        let w = &mut state.workers[index];
        let sent = std::mem::take(&mut w.sent);
        let init_failure = w.init_failure.take();
        let mut blamed = None;
        let mut requeue = Vec::new();
        for (position, s) in sent.into_iter().enumerate() {
            if position == 0 && s.delivered {
                blamed = Some(s.job);
            } else {
                s.job.completion.requeue();
                requeue.push(s.job);
            }
        }
        // A stopping pool starts no replacement: what never ran is
        // cancelled instead of re-queued.
        let cancelled = if stopping {
            requeue
        } else {
            for job in requeue.into_iter().rev() {
                state.queue.push_front(job);
            }
            Vec::new()
        };
        let broken = if stopping {
            None
        } else if let Some(why) = init_failure {
            Some(why)
        } else if !was_ready && {
            // A worker killed while starting is just replaced; but failing
            // at the first start, or several times in a row, means workers
            // cannot start at all (no hook, or the executable is gone).
            state.startup_failures += 1;
            !state.started || state.startup_failures >= MAX_STARTUP_FAILURES
        } {
            Some(format!(
                "a worker process {cause} before it was ready \
                 (does the program call process_pool::worker_entry first in main, \
                 or worker_test_hook! in this test file?)"
            ))
        } else {
            None
        };
        (blamed, broken, cancelled)
    };
    for job in cancelled {
        job.completion.cancel();
    }
    if let Some(job) = blamed {
        job.completion.fail(Fault::WorkerDied { pid, cause });
    }
    if let Some(why) = broken {
        break_pool(shared, why);
    }
    shared.changed.notify_all();
}

/// Marks the pool broken: no more submissions, every queued request fails.
fn break_pool<T: Task>(shared: &Shared<T>, why: String) {
    let failed: Vec<Job<T>> = {
        let mut state = shared.lock();
        if state.broken.is_none() {
            state.broken = Some(why.clone());
        }
        state.accepting = false;
        state.wake_all_writers();
        state.queue.drain(..).collect()
    };
    for job in failed {
        job.completion.fail(Fault::Broken(why.clone()));
    }
    shared.changed.notify_all();
}

/// "killed by signal SIGKILL", "exited with status 3", ...
fn describe_exit(status: ExitStatus) -> String {
    if let Some(signal) = status.signal() {
        let name = Signal::try_from(signal)
            .map(|s| s.as_str().to_owned())
            .unwrap_or_else(|_| format!("signal {signal}"));
        let core = if status.core_dumped() {
            " (core dumped)"
        } else {
            ""
        };
        format!("was killed by signal {name}{core}")
    } else if let Some(code) = status.code() {
        format!("exited with status {code}")
    } else {
        format!("ended ({status})")
    }
}
