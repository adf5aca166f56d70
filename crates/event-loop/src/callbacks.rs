//! The chapter's program, `asyncio_event_loop.py` (in `python/`, to read
//! beside this file): callbacks A, B, C, A, ... on one event loop, with
//! their lateness made visible, and the fix.
//!
//! What the Python program does (and this module does on any [`Loop`]):
//! `loop.call_soon(task_A)`; `end_time = loop.time() + 60`;
//! `loop.run_forever()`. Each callback prints that it was called, blocks
//! the loop with `time.sleep(random 0..5 s)`, then, if
//! `loop.time() + 1 < end_time`, schedules the next one with
//! `loop.call_later(1, next)`; otherwise it calls `loop.stop()`.
//!
//! What the Python program only implies, this one prints: when each
//! callback was due and when it ran (its lateness), and a heartbeat on the
//! same loop ([`crate::heartbeat`]) that shows how late everything else
//! runs while a callback blocks.
//!
//! [`Variant::Fixed`] moves the blocking work off the loop (`spawn_blocking`;
//! Python: `await loop.run_in_executor(None, time.sleep, d)`): the chain
//! keeps exactly the same schedule, and the heartbeat's lateness drops to
//! about zero.
//!
//! Stopping and graceful shutdown: `loop.stop()` (the end time reached) or
//! Ctrl-C cancels a [`CancellationToken`]. Callbacks still *pending* (waiting
//! for their time) see it and end without running; the callback *running*
//! finishes its work and schedules nothing more; a [`TaskTracker`] waits
//! until every task has ended; then the summary is printed. Nothing is
//! aborted half-way and nothing is left running.

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::future::{Either, select};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use runner::{Interrupt, Recorder};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::Pace;
use crate::event_loop::Loop;
use crate::heartbeat;
use crate::report::{Record, Run, StopReason, Summary};

/// The callbacks' names, in the order they call each other.
pub const NAMES: [&str; 3] = ["task A", "task B", "task C"];

/// The longest a callback blocks, in demo milliseconds (Python:
/// `random.randint(0, 5)` seconds; here to the millisecond).
pub const MAX_BLOCK_MS: u64 = 5000;

/// The two versions of the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The chapter's program: each callback blocks the loop.
    Blocking,
    /// The fix: each callback awaits its blocking work on another thread.
    Fixed,
}

/// What the program needs to know.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Seed of the random block times (ChaCha8: the same on every platform).
    pub seed: u64,
    /// How long the loop runs, in demo seconds (`end_time - start`).
    pub duration: f64,
    /// How fast (every time is divided by the speed).
    pub pace: Pace,
    /// Blocking or fixed.
    pub variant: Variant,
}

/// The program's state, shared by every task through an `Arc`.
pub(crate) struct State {
    /// The loop it runs on.
    pub(crate) lp: Loop,
    /// The settings.
    pub(crate) settings: Settings,
    /// `end_time` on the loop's clock.
    end: Duration,
    /// The random block times. Locked by one callback at a time, briefly.
    rng: Mutex<ChaCha8Rng>,
    /// `loop.stop()`: cancelled once, by the last callback or Ctrl-C.
    /// Read by every pending callback and by `run`.
    pub(crate) stop: CancellationToken,
    /// Every task the program spawns, so shutdown can wait for all.
    tracker: TaskTracker,
    /// Prints and keeps the labelled lines, on the loop's clock.
    pub(crate) out: Recorder,
    /// What happened; also read by the Ctrl-C handler's forced exit, hence
    /// an `Arc` of its own.
    record: Arc<Mutex<Record>>,
}

impl State {
    /// What happened so far, locked (a panic elsewhere leaves it usable:
    /// every update is a single push or assignment).
    pub(crate) fn record(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `loop.stop()`, remembering why (the first reason wins).
    fn stop_with(&self, reason: StopReason) {
        let now = self.lp.time();
        self.record().stopped.get_or_insert((reason, now));
        self.stop.cancel();
    }

    /// Spawns a task on the loop, tracked.
    pub(crate) fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.lp.spawn(self.tracker.track_future(task));
    }

    /// Sleeps until `due` (loop time), or returns false if the loop is
    /// stopped first: the difference between a pending and a running
    /// callback.
    pub(crate) async fn wait_until(&self, due: Duration) -> bool {
        let timer = pin!(self.lp.runtime.sleep(due.saturating_sub(self.lp.time())));
        let stopped = pin!(self.stop.cancelled());
        let fired = matches!(select(timer, stopped).await, Either::Left(_));
        // A timer that fired while the loop was stopping still counts as
        // pending: every runtime then agrees on what was cancelled.
        fired && !self.stop.is_cancelled()
    }

    /// A pending callback that will never run (Python: `handle.cancel()`).
    pub(crate) fn cancelled(&self, name: String) {
        self.out
            .say("loop", format!("cancelled pending callback {name}"));
        self.record().cancelled.push(name);
    }
}

/// `loop.call_later(delay, NAMES[index])` (`call_soon` when `delay` is 0).
fn call_later(state: &Arc<State>, delay: Duration, index: usize) {
    let due = state.lp.time() + delay;
    let st = Arc::clone(state);
    state.spawn(async move {
        if st.wait_until(due).await {
            callback(st, index, due).await;
        } else {
            st.cancelled(format!("{} (due {:.3} s)", NAMES[index], due.as_secs_f64()));
        }
    });
}

/// One callback of the chain.
async fn callback(st: Arc<State>, index: usize, due: Duration) {
    let name = NAMES[index];
    let ran = st.lp.time();
    let pace = st.settings.pace;
    let block_ms = {
        let mut rng = st.rng.lock().unwrap_or_else(|e| e.into_inner());
        rng.random_range(0..=MAX_BLOCK_MS)
    };
    let block = pace.scale(Duration::from_millis(block_ms));
    let what = match st.settings.variant {
        Variant::Blocking => "blocks the loop",
        Variant::Fixed => "awaits spawn_blocking",
    };
    st.out.say(
        name,
        format!(
            "called: due {:.3} s, ran {:.3} s, late {:.3} s; {what} for {:.3} s",
            due.as_secs_f64(),
            ran.as_secs_f64(),
            ran.saturating_sub(due).as_secs_f64(),
            block.as_secs_f64()
        ),
    );
    st.record().running = Some((name, what));
    match st.settings.variant {
        // Python: `time.sleep(d)`. Nothing else on the loop runs meanwhile.
        Variant::Blocking => st.lp.block(block),
        // Python: `await loop.run_in_executor(None, time.sleep, d)`.
        Variant::Fixed => st.lp.run_blocking(block).await,
    }
    let now = st.lp.time();
    {
        let mut record = st.record();
        record.running = None;
        record.runs.push(Run {
            name,
            due,
            ran,
            block,
            finished: now,
        });
    }
    if st.stop.is_cancelled() {
        st.out
            .say(name, "the loop is stopping: nothing more scheduled");
        return;
    }
    let one = pace.secs(1.0);
    let next = (index + 1) % NAMES.len();
    if now + one < st.end {
        st.out
            .say(name, format!("loop.call_later(1, {})", NAMES[next]));
        call_later(&st, one, next);
    } else {
        st.out.say(
            name,
            format!(
                "loop.time() + 1 >= end_time ({:.3} s): loop.stop()",
                st.end.as_secs_f64()
            ),
        );
        st.stop_with(StopReason::EndTime);
    }
}

/// Waits for Ctrl-C or the loop's own stop, whichever first.
async fn watch_interrupt(st: Arc<State>, interrupt: Interrupt) {
    let ctrl_c = pin!(interrupt.cancelled());
    let stopped = pin!(st.stop.cancelled());
    if let Either::Left(_) = select(ctrl_c, stopped).await {
        st.out.say("loop", "Ctrl-C: loop.stop()");
        st.stop_with(StopReason::Interrupted);
    }
}

/// Runs the program on `lp` until it stops (the end time, or Ctrl-C
/// raised on `interrupt`), shuts the loop down gracefully, says the
/// summary through `out` and returns it.
///
/// Should the loop still be held by a callback when the grace period after
/// Ctrl-C ends, `interrupt`'s forced exit prints how far the run got.
pub async fn run(lp: Loop, settings: Settings, interrupt: &Interrupt, out: &Recorder) -> Summary {
    let record = Arc::new(Mutex::new(Record::default()));
    interrupt.set_summary({
        let record = Arc::clone(&record);
        move || {
            record
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .unfinished_line()
        }
    });
    let st = Arc::new(State {
        end: lp.time() + settings.pace.secs(settings.duration),
        rng: Mutex::new(ChaCha8Rng::seed_from_u64(settings.seed)),
        stop: CancellationToken::new(),
        tracker: TaskTracker::new(),
        out: out.clone(),
        record,
        settings,
        lp,
    });
    st.out.say(
        "loop",
        format!(
            "{} loop, {:?} variant, seed {}, speed {}; end_time = loop.time() + {} s",
            st.lp.runtime,
            settings.variant,
            settings.seed,
            settings.pace.speed(),
            settings.duration
        ),
    );
    st.spawn(watch_interrupt(Arc::clone(&st), interrupt.clone()));
    st.out.say(
        "loop",
        "loop.call_soon(task A); heartbeat every 1 s; run_forever()",
    );
    call_later(&st, Duration::ZERO, 0);
    heartbeat::schedule(&st, 1);

    // `loop.run_forever()` returns when `loop.stop()` is called.
    st.stop.cancelled().await;
    st.out.say(
        "loop",
        "stopped: pending callbacks cancel, the running one finishes",
    );
    // Graceful shutdown: no new task after this, wait for every one.
    st.tracker.close();
    st.tracker.wait().await;
    let summary = Summary::new(
        st.lp.runtime,
        settings.variant,
        &st.record(),
        st.lp.time(),
        st.tracker.len(),
    );
    for line in summary.report() {
        st.out.say("summary", line);
    }
    summary
}
