//! Beyond the Python program: the loop object the port talks to, the few
//! calls of asyncio's loop that the chapter's program uses (`time`,
//! `call_soon`, `call_later`, `call_at`, `stop`, `run_forever`, `close`,
//! `time.sleep` in a callback and `run_in_executor`), written on a
//! [`runtimes::Runtime`] (tokio, async-std, smol or the std-only mini
//! executor). The page's table pairs each with the Rust that does it; each
//! runtime's own calls are in the runtime table in
//! `crates/runtimes/src/lib.rs`.
//!
//! Stopping is graceful: after `stop()`, a callback still *pending*
//! (waiting for its time) ends without running, the callback *running*
//! finishes its work, and [`Loop::close`] waits for every task, so nothing
//! is aborted half-way and nothing is left running.
//!
//! For `--timeline` the loop marks each callback's due time on its lane
//! (so that the bar of its run, drawn by whatever the callback does, shows
//! how late it ran), blocking the loop as a `block` bar, and work run
//! elsewhere as a `wait` bar on the callback's lane beside a `block` bar on
//! the lane [`BLOCKING_LANE`].
//!
//! On mini's virtual clock (`--clock virtual`, and every test) blocking the
//! loop moves the clock forward while nothing else runs, which is exactly
//! what a blocked loop looks like from the inside, and every time is exact.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::future::{Either, select};
use runner::{Interrupt, Recorder, SpanKind};
use runtimes::{Runtime, mini};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::report::{Record, StopReason, secs};

/// The timeline lane of the thread that runs [`Loop::run_blocking`]'s work.
pub const BLOCKING_LANE: &str = "blocking thread";

/// The timeline lane of the loop itself (a Ctrl-C is marked there).
pub const LOOP_LANE: &str = "loop";

/// One event loop, passed to every callback as asyncio's loop object is:
/// cheap to clone, since every field is a handle to state the clones share.
#[derive(Debug, Clone)]
pub struct Loop {
    /// Spawns the tasks, sets the timers, runs the blocking work.
    runtime: Runtime,
    /// mini's loop, when the runtime is mini: blocking it must go through
    /// its clock (on the virtual clock, time jumps instead of sleeping).
    mini: Option<mini::Handle>,
    /// Prints and keeps the lines, spans and marks; its clock is
    /// `loop.time()`.
    out: Recorder,
    /// `loop.stop()`: cancelled once, by a callback or by Ctrl-C. Read by
    /// every pending callback and by `run_forever`.
    stop: CancellationToken,
    /// Every task the loop spawned, so that `close` can wait for all.
    tracker: TaskTracker,
    /// What happened; also read by the Ctrl-C handler's forced exit.
    record: Arc<Mutex<Record>>,
}

/// What a callback knows about its own call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Called {
    /// When it was due (loop time).
    pub due: Duration,
    /// When it ran.
    pub ran: Duration,
}

impl Called {
    /// How late it ran.
    pub fn lateness(&self) -> Duration {
        self.ran.saturating_sub(self.due)
    }
}

impl std::fmt::Display for Called {
    /// `due 1.250 s, ran 1.260 s, late 0.010 s`: to the millisecond, with
    /// the lateness the difference of the two times shown, so that the
    /// three numbers always agree.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let millis = |d: Duration| (d.as_nanos() + 500_000) / 1_000_000;
        let (due, ran) = (millis(self.due), millis(self.ran));
        let s = |ms: u128| format!("{}.{:03} s", ms / 1000, ms % 1000);
        let late = s(ran.saturating_sub(due));
        write!(f, "due {}, ran {}, late {late}", s(due), s(ran))
    }
}

impl Loop {
    /// The loop of `runtime`, running on this thread, whose clock is `out`'s:
    /// call it inside the runtime's `block_on` (mini's loop is found with
    /// `Handle::current`, Python's `asyncio.get_running_loop()`).
    ///
    /// # Panics
    /// With [`Runtime::Mini`] outside a mini loop.
    pub fn here(runtime: Runtime, out: Recorder) -> Self {
        let mini = (runtime == Runtime::Mini).then(|| {
            mini::Handle::current().expect("Loop::here(Runtime::Mini) runs inside a mini loop")
        });
        Self {
            runtime,
            mini,
            out,
            stop: CancellationToken::new(),
            tracker: TaskTracker::new(),
            record: Arc::new(Mutex::new(Record::default())),
        }
    }

    /// The runtime the loop runs on.
    pub fn runtime(&self) -> Runtime {
        self.runtime
    }

    /// The recorder: lines, spans and marks, on the loop's clock.
    pub fn out(&self) -> &Recorder {
        &self.out
    }

    /// Says one line as `who`.
    pub fn say(&self, who: &str, message: impl std::fmt::Display) {
        self.out.say(who, message);
    }

    /// Python: `loop.time()` (here: since the run started).
    pub fn time(&self) -> Duration {
        self.out.elapsed()
    }

    /// What happened so far, locked (a panic elsewhere leaves it usable:
    /// every update is a single push or assignment).
    pub(crate) fn record(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Python: `loop.call_soon(callback)`.
    pub fn call_soon<F, Fut>(&self, lane: &str, what: &str, callback: F)
    where
        F: FnOnce(Called) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.call_at(self.time(), lane, what, callback);
    }

    /// Python: `loop.call_later(delay, callback)`.
    pub fn call_later<F, Fut>(&self, delay: Duration, lane: &str, what: &str, callback: F)
    where
        F: FnOnce(Called) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.call_at(self.time() + delay, lane, what, callback);
    }

    /// Python: `loop.call_at(due, callback)`: `callback` (`what`, drawn on
    /// the timeline lane `lane`) runs once the loop's clock reaches `due`
    /// and the loop is free, unless the loop stops first.
    pub fn call_at<F, Fut>(&self, due: Duration, lane: &str, what: &str, callback: F)
    where
        F: FnOnce(Called) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (lp, lane, what) = (self.clone(), lane.to_owned(), what.to_owned());
        // A task on the loop (Python: `loop.create_task`), tracked for `close`.
        let task = self.tracker.track_future(async move {
            // A mark on a lane of the callback's own name need not repeat it.
            let prefix = if what == lane {
                String::new()
            } else {
                format!("{what} ")
            };
            if lp.wait_until(due).await {
                let ran = lp.time();
                // The tick on the timeline: when it was due. The bar of its
                // run starts when the loop got round to it.
                lp.out().mark_at(&lane, format!("{prefix}due"), due);
                callback(Called { due, ran }).await;
            } else {
                // Python: `handle.cancel()` on a callback not yet run.
                let line = format!("{what} (due {:.3} s)", due.as_secs_f64());
                lp.say(LOOP_LANE, format!("cancelled pending callback {line}"));
                lp.out().mark(&lane, format!("{prefix}cancelled"));
                lp.record().cancelled.push(line);
            }
        });
        // `detach`, not a dropped handle: dropping a smol task would cancel it.
        self.runtime.spawn(task).detach();
    }

    /// Sleeps until `due` (loop time), or returns false if the loop is
    /// stopped first: the difference between a pending and a running
    /// callback.
    async fn wait_until(&self, due: Duration) -> bool {
        let wait = due.saturating_sub(self.time());
        let timer = pin!(self.runtime.sleep(wait));
        let stopped = pin!(self.stop.cancelled());
        let fired = matches!(select(timer, stopped).await, Either::Left(_));
        // A timer that fired while the loop was stopping still counts as
        // pending: every runtime then agrees on what was cancelled.
        fired && !self.is_stopping()
    }

    /// Python: `loop.stop()`, remembering why (the first reason wins) and
    /// marking it on `lane`.
    pub fn stop(&self, lane: &str, reason: StopReason) {
        let now = self.time();
        self.record().stopped.get_or_insert((reason, now));
        self.out.mark(lane, "loop.stop()");
        self.stop.cancel();
    }

    /// Whether `stop()` was called: a running callback then schedules
    /// nothing more.
    pub fn is_stopping(&self) -> bool {
        self.stop.is_cancelled()
    }

    /// Python: `loop.run_forever()`: returns when `loop.stop()` is called,
    /// or calls it itself on Ctrl-C (`interrupt`).
    ///
    /// Should a callback still hold the loop when the grace period after
    /// Ctrl-C ends, `interrupt`'s forced exit prints how far the run got.
    pub async fn run_forever(&self, interrupt: &Interrupt) {
        let record = Arc::clone(&self.record);
        interrupt.set_summary(move || {
            let record = record.lock().unwrap_or_else(|e| e.into_inner());
            record.unfinished_line()
        });
        let ctrl_c = pin!(interrupt.cancelled());
        let stopped = pin!(self.stop.cancelled());
        if let Either::Left(_) = select(ctrl_c, stopped).await {
            self.say(LOOP_LANE, "Ctrl-C: loop.stop()");
            self.stop(LOOP_LANE, StopReason::Interrupted);
        }
        self.say(
            LOOP_LANE,
            "stopped: pending callbacks cancel, the running one finishes",
        );
    }

    /// Python: `loop.close()`, gracefully: no new task after this, and it
    /// returns when every task has ended (the pending callbacks have seen
    /// the stop, the running one has finished). Returns how many tasks are
    /// still counted then: 0.
    pub async fn close(&self) -> usize {
        self.tracker.close();
        self.tracker.wait().await;
        self.tracker.len()
    }

    /// Keeps the loop's thread busy for `duration`, as `time.sleep` in a
    /// callback does: the bug the chapter's program has on purpose. Called
    /// inside a task's `poll`, so nothing else on this thread runs
    /// meanwhile (on a current-thread runtime: nothing else at all). Drawn
    /// as a `block` bar on `lane`.
    pub fn block(&self, lane: &str, duration: Duration) {
        self.record().running = Some((lane.to_owned(), "blocks the loop"));
        let what = format!("time.sleep({})", secs(duration));
        let _bar = self.out.span(lane, what, SpanKind::Block);
        match &self.mini {
            // mini's own clock: on the virtual one, time jumps, and still
            // nothing else runs.
            Some(handle) => handle.block(duration),
            None => std::thread::sleep(duration),
        }
        self.record().running = None;
    }

    /// Does the same blocking work on another thread and completes when it
    /// is done: Python's `await loop.run_in_executor(None, time.sleep, d)`.
    /// Drawn as a `wait` bar on `lane` (the loop is free meanwhile) and a
    /// `block` bar on [`BLOCKING_LANE`] (that thread is held).
    pub async fn run_blocking(&self, lane: &str, duration: Duration) {
        self.record().running = Some((lane.to_owned(), "awaits spawn_blocking"));
        let what = format!("awaits spawn_blocking(time.sleep({}))", secs(duration));
        let _bar = self.out.span(lane, what, SpanKind::Wait);
        let what = format!("time.sleep({}) for {lane}", secs(duration));
        match &self.mini {
            // A thread's real sleep would not move the virtual clock: the
            // loop would race ahead to its next timer. So on the virtual
            // clock, "work elsewhere that takes `duration`" is a timer.
            Some(handle) if handle.is_virtual() => {
                let _held = self.out.span(BLOCKING_LANE, what, SpanKind::Block);
                self.runtime.sleep(duration).await;
            }
            // `spawn_blocking`, not `spawn`: the closure runs on a thread
            // meant for blocking, and the loop only awaits its handle. A
            // sleep cannot panic: an error could only say that no thread
            // could be started, and the callback then goes on without it.
            _ => {
                let out = self.out.clone();
                let work = move || {
                    let _held = out.span(BLOCKING_LANE, what, SpanKind::Block);
                    std::thread::sleep(duration);
                };
                let _ = self.runtime.spawn_blocking(work).await;
            }
        }
        self.record().running = None;
    }
}
