//! What the pool's threads share: the queue, each worker's bookkeeping,
//! and the window rule that decides how many requests a worker may hold.
//!
//! Everything mutable sits in one [`State`] behind one mutex.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use runner::panic_hook::payload_text;

use crate::error::{Fault, Outcome, TaskError};
use crate::pool::PoolError;
use crate::protocol::{WireOutcome, decode_body};
use crate::slot::{RunningCallback, Slot};
use crate::task::Task;

/// How many requests a worker may hold at once (the window rule, [`State`]).
pub(super) const MAX_WINDOW: usize = 16;

/// Replacement workers that may die before being ready, in a row, before
/// the pool counts as broken.
pub(super) const MAX_STARTUP_FAILURES: usize = 3;

/// The queue counts as long when it holds this many requests per worker.
pub(super) const LONG_QUEUE_PER_WORKER: usize = 4;

/// A task that ran for less than this (as its worker's reply says) is short.
pub(super) const SHORT_TASK: Duration = Duration::from_millis(1);

/// What every pool thread shares.
pub(super) struct Shared<T: Task> {
    /// The queue and the workers' bookkeeping. Held only for short,
    /// non-blocking updates: never while reading, writing or waiting for a
    /// process. Lock order: this lock, then a handle's slot lock.
    pub(super) state: Mutex<State<T>>,
    /// Signalled when a worker becomes ready, the pool breaks, or the
    /// supervisor has finished; `build` and `shutdown` wait on it.
    pub(super) changed: Condvar,
    /// To the supervisor: a worker's reader ended, or shutdown was asked.
    pub(super) events: mpsc::Sender<Event>,
    /// Request ids, in submission order.
    pub(super) next_id: AtomicU64,
    /// Fixed at creation.
    pub(super) config: Config,
}

/// Settings that never change after creation.
pub(super) struct Config {
    /// The program to start as a worker (our own executable).
    pub(super) exe: PathBuf,
    /// The first frame every worker gets (with the initializer, if any).
    pub(super) start_frame: Arc<Vec<u8>>,
    pub(super) max_tasks_per_child: Option<usize>,
    pub(super) max_frame: usize,
}

/// The mutable part, under `Shared::state`.
///
/// The window rule: a worker holds one request at a time, so that long
/// tasks spread evenly over the workers and queued tasks stay cancellable;
/// but one whose last task was *short* (under [`SHORT_TASK`]) may hold up
/// to [`MAX_WINDOW`] while the queue is long ([`LONG_QUEUE_PER_WORKER`]
/// requests per worker), so it finds its next request waiting in its
/// socket instead of idling a round trip after every tiny task (a fifth of
/// the cost, measured: "The send window" in `docs/process-pool.md`).
pub(super) struct State<T: Task> {
    /// Requests not yet handed to a worker, oldest first. Written by
    /// `submit`/`map` (push back), writers (pop front), the supervisor
    /// (re-queue at the front), `shutdown`/`stop` (drain).
    pub(super) queue: VecDeque<Job<T>>,
    /// One entry per worker position (`0..max_workers`); a replacement
    /// worker reuses its predecessor's position.
    pub(super) workers: Vec<WorkerState<T>>,
    /// False after shutdown: `submit` refuses, writers close their sockets
    /// once the queue is empty.
    pub(super) accepting: bool,
    /// Why the pool was stopped, after [`PoolStopper::stop`](crate::PoolStopper::stop),
    /// a shutdown's grace running out or a start-up timeout: no
    /// replacements, and the reason is added to the error of every task
    /// the stop killed.
    pub(super) stopping: Option<String>,
    /// Why the pool is broken, if it is.
    pub(super) broken: Option<String>,
    /// True once every first worker said Ready (`build` returned).
    pub(super) started: bool,
    /// Workers that died before saying Ready, in a row. Reset by any Ready.
    pub(super) startup_failures: usize,
    /// True once the supervisor has reaped every worker and returned; set
    /// by the supervisor, waited for by `shutdown(wait)`.
    pub(super) finished: bool,
}

/// The pool's bookkeeping for one worker process.
pub(super) struct WorkerState<T: Task> {
    /// The process id (0 before the first spawn).
    pub(super) pid: u32,
    pub(super) phase: Phase,
    /// Requests written (or being written) to this worker and not yet
    /// answered, oldest first. The writer pushes, the reader pops the front
    /// when the matching reply arrives, the supervisor settles what is left
    /// when the worker dies.
    pub(super) sent: VecDeque<Sent<T>>,
    /// How many requests this process was given (for `max_tasks_per_child`).
    pub(super) assigned: usize,
    /// Whether its last task was short (window rule); set by the reader.
    pub(super) short_tasks: bool,
    /// Why the initializer failed, if it did (set by the reader).
    pub(super) init_failure: Option<String>,
    /// The writer waits on this; `wake_pending` says a wake-up is on its
    /// way, so `submit` wakes *another* idle writer for the next request.
    pub(super) wake: Arc<Condvar>,
    pub(super) wake_pending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Spawned; has said nothing yet.
    Starting,
    /// Said it is running the initializer (so its hook works).
    Initializing,
    /// Serving requests.
    Ready,
    /// Its socket reached end of input; the supervisor takes over.
    Exited,
}

/// A request handed to a worker.
pub(super) struct Sent<T: Task> {
    pub(super) job: Job<T>,
    /// True once its frame was completely written into the socket: only
    /// then can the worker have read (and run) it.
    pub(super) delivered: bool,
}

/// One request: an encoded frame and where its outcome goes.
pub(super) struct Job<T: Task> {
    pub(super) id: u64,
    /// The complete frame (length prefix included), shared so a re-queued
    /// request is not encoded again.
    pub(super) frame: Arc<Vec<u8>>,
    pub(super) completion: Completion<T>,
}

/// Where a request's outcome goes: one handle, or one chunk of a `map`.
pub(super) enum Completion<T: Task> {
    One(Arc<Slot<Outcome<T>>>),
    Chunk {
        slot: Arc<Slot<Vec<Outcome<T>>>>,
        len: usize,
    },
}

/// Messages to the supervisor.
pub(super) enum Event {
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

impl<T: Task> Shared<T> {
    pub(super) fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Nothing panics under this lock; if it did, the state is still the
        // best information there is.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends requests to the queue and wakes writers to take them.
    pub(super) fn enqueue(&self, jobs: Vec<Job<T>>) -> Result<(), PoolError> {
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

    /// [`PoolStopper::stop`](crate::PoolStopper::stop): see there. `why`
    /// is added to the error of each task the stop kills.
    pub(super) fn stop(&self, why: &str) {
        let cancelled: Vec<Job<T>> = {
            let mut state = self.lock();
            state.accepting = false;
            state.stopping.get_or_insert_with(|| why.to_owned());
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
    pub(super) fn wake_writers(&mut self, mut count: usize) {
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

    pub(super) fn wake_all_writers(&mut self) {
        for w in &mut self.workers {
            w.wake_pending = true;
            w.wake.notify_one();
        }
    }

    pub(super) fn queue_is_long(&self) -> bool {
        self.queue.len() >= LONG_QUEUE_PER_WORKER * self.workers.len()
    }
}

impl<T: Task> WorkerState<T> {
    pub(super) fn new(pid: u32) -> Self {
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
    /// Queued -> Running on worker `pid`: the running callbacks to call
    /// (outside the pool's lock), or `None` if it was cancelled.
    pub(super) fn start(&self, pid: u32) -> Option<Vec<RunningCallback>> {
        match self {
            Completion::One(slot) => slot.start(pid),
            Completion::Chunk { slot, .. } => slot.start(pid),
        }
    }

    /// Back to Queued (it will be sent again).
    pub(super) fn requeue(&self) {
        match self {
            Completion::One(slot) => slot.requeue(),
            Completion::Chunk { slot, .. } => slot.requeue(),
        }
    }

    /// Cancels it if no worker has it.
    pub(super) fn cancel(&self) -> bool {
        match self {
            Completion::One(slot) => slot.cancel_with(|| Err(TaskError::Cancelled)),
            Completion::Chunk { slot, len } => {
                slot.cancel_with(|| (0..*len).map(|_| Err(TaskError::Cancelled)).collect())
            }
        }
    }

    /// Finishes it with a pool fault (every item of a chunk gets it).
    pub(super) fn fail(&self, fault: Fault) {
        match self {
            Completion::One(slot) => slot.finish(Err(fault.into())),
            Completion::Chunk { slot, len } => {
                slot.finish((0..*len).map(|_| Err(fault.clone().into())).collect());
            }
        }
    }

    /// Finishes it with a worker's `Done` reply body.
    pub(super) fn deliver(&self, body: &[u8]) {
        match self {
            Completion::One(slot) => match decode::<WireOutcome<T::Output, T::Error>>(body) {
                Ok(outcome) => slot.finish(from_wire::<T>(outcome)),
                Err(why) => slot.finish(Err(TaskError::Protocol(why))),
            },
            Completion::Chunk { slot, len } => {
                match decode::<Vec<WireOutcome<T::Output, T::Error>>>(body) {
                    Ok(outcomes) if outcomes.len() == *len => {
                        slot.finish(outcomes.into_iter().map(from_wire::<T>).collect());
                    }
                    Ok(outcomes) => self.fail(Fault::Protocol(format!(
                        "a chunk of {len} tasks came back with {} results",
                        outcomes.len()
                    ))),
                    Err(why) => self.fail(Fault::Protocol(why)),
                }
            }
        }
    }

    /// How many tasks it stands for.
    pub(super) fn tasks(&self) -> usize {
        match self {
            Completion::One(_) => 1,
            Completion::Chunk { len, .. } => *len,
        }
    }
}

/// Decodes a reply body in the parent. The output and error types are the
/// caller's, and so is their `Deserialize`: a panic in it is caught and
/// becomes the task's protocol error, exactly like a decoding error, so
/// that the reader thread lives on to deliver the worker's next results.
fn decode<B: serde::de::DeserializeOwned>(body: &[u8]) -> Result<B, String> {
    match std::panic::catch_unwind(|| decode_body::<B>(body)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(format!("the reply could not be decoded: {e}")),
        Err(payload) => Err(format!(
            "decoding the reply panicked: {}",
            payload_text(payload.as_ref())
        )),
    }
}

/// A worker's outcome as the caller sees it.
pub(super) fn from_wire<T: Task>(outcome: WireOutcome<T::Output, T::Error>) -> Outcome<T> {
    match outcome {
        WireOutcome::Ok(value) => Ok(value),
        WireOutcome::Failed(error) => Err(TaskError::Failed(error)),
        WireOutcome::Panicked(message) => Err(TaskError::Panicked(message)),
        WireOutcome::Protocol(message) => Err(TaskError::Protocol(message)),
    }
}
