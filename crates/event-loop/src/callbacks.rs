//! The chapter's program: callbacks A, B, C, A, ... on one event loop, with
//! their lateness made visible, and the fix.
//!
//! What the Python program does (and this module does on any [`Loop`]):
//! `loop.call_soon(task_A)`; `end_time = loop.time() + 60`;
//! `loop.run_forever()`. Each callback prints that it was called, blocks
//! the loop with `time.sleep(random 0..5 s)`, then, if
//! `loop.time() + 1 < end_time`, schedules the next one with
//! `loop.call_later(1, next)`; otherwise it calls `loop.stop()`.
//!
//! What the Python program only implies, this one prints:
//! - **when each callback was due and when it ran**: its lateness;
//! - **a heartbeat**: a callback due every second on the same loop
//!   (`loop.call_at(start + n, tick)`), standing for everything else a loop
//!   serves (sockets, other tasks). The A, B, C chain schedules each next
//!   callback *after* its own block, so the chain itself is never late; the
//!   heartbeat is, by as much as the loop was blocked. That is the damage
//!   `time.sleep` in a callback does.
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

use std::fmt::Display;
use std::pin::pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use common::clock::format_line;
use futures::future::{Either, select};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::Pace;
use crate::runtime::{BoxFuture, Loop};

/// The callbacks' names, in the order they call each other.
pub const NAMES: [&str; 3] = ["task A", "task B", "task C"];

/// The longest a callback blocks, in demo milliseconds (Python:
/// `random.randint(0, 5)` seconds; here to the millisecond).
pub const MAX_BLOCK_MS: u64 = 5000;

/// The two versions of the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// Why the loop stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// A callback found `loop.time() + 1 >= end_time` and called `stop()`.
    EndTime,
    /// Ctrl-C (SIGINT).
    Interrupted,
}

/// One callback of the chain that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// `task A`, `task B` or `task C`.
    pub name: &'static str,
    /// When it was scheduled to run (loop time).
    pub due: Duration,
    /// When it ran.
    pub ran: Duration,
    /// How long it blocked (or had its work done elsewhere).
    pub block: Duration,
    /// When it returned.
    pub finished: Duration,
}

impl Run {
    /// How late it ran.
    pub fn lateness(&self) -> Duration {
        self.ran.saturating_sub(self.due)
    }
}

/// One heartbeat that ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    /// Its number: due at `n` demo seconds.
    pub n: u32,
    /// When it was due.
    pub due: Duration,
    /// When it ran.
    pub ran: Duration,
}

impl Tick {
    /// How late it ran.
    pub fn lateness(&self) -> Duration {
        self.ran.saturating_sub(self.due)
    }
}

/// One printed line, with its loop time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Loop time when printed.
    pub at: Duration,
    /// Who printed it.
    pub who: String,
    /// What.
    pub message: String,
}

/// Everything that happened, returned when the loop has shut down.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The runtime's name.
    pub runtime: &'static str,
    /// Which variant ran.
    pub variant: Variant,
    /// The chain's callbacks, in the order they ran.
    pub runs: Vec<Run>,
    /// The heartbeats, in the order they ran.
    pub ticks: Vec<Tick>,
    /// Pending callbacks cancelled at shutdown.
    pub cancelled: Vec<String>,
    /// Why the loop stopped.
    pub stopped_by: StopReason,
    /// When `stop()` happened.
    pub stopped_at: Duration,
    /// When the last task had ended.
    pub finished_at: Duration,
    /// Tasks the tracker still counted after shutdown (always 0).
    pub left_running: usize,
    /// Every line printed.
    pub lines: Vec<Line>,
}

impl Summary {
    /// The worst lateness of the chain's callbacks.
    pub fn max_callback_lateness(&self) -> Duration {
        self.runs
            .iter()
            .map(Run::lateness)
            .max()
            .unwrap_or_default()
    }

    /// The worst lateness of the heartbeat.
    pub fn max_tick_lateness(&self) -> Duration {
        self.ticks
            .iter()
            .map(Tick::lateness)
            .max()
            .unwrap_or_default()
    }

    /// The summary as printable lines.
    pub fn report(&self) -> Vec<String> {
        let stopped = match self.stopped_by {
            StopReason::EndTime => "the end time (a callback called loop.stop())",
            StopReason::Interrupted => "Ctrl-C (SIGINT)",
        };
        let mean_tick = if self.ticks.is_empty() {
            0.0
        } else {
            self.ticks
                .iter()
                .map(|t| t.lateness().as_secs_f64())
                .sum::<f64>()
                / self.ticks.len() as f64
        };
        vec![
            format!(
                "runtime {}, variant {:?}: stopped by {stopped} at {:.3} s",
                self.runtime,
                self.variant,
                self.stopped_at.as_secs_f64()
            ),
            format!(
                "callbacks run: {} (A, B, C...), worst lateness {:.3} s",
                self.runs.len(),
                self.max_callback_lateness().as_secs_f64()
            ),
            format!(
                "heartbeats run: {}, worst lateness {:.3} s, mean {:.3} s",
                self.ticks.len(),
                self.max_tick_lateness().as_secs_f64(),
                mean_tick
            ),
            format!(
                "pending callbacks cancelled: {}",
                if self.cancelled.is_empty() {
                    "none".to_owned()
                } else {
                    self.cancelled.join(", ")
                }
            ),
            format!(
                "loop closed at {:.3} s; tasks left running: {}",
                self.finished_at.as_secs_f64(),
                self.left_running
            ),
        ]
    }
}

/// What happened so far; guarded by `State::record`.
#[derive(Debug, Default)]
struct Record {
    runs: Vec<Run>,
    ticks: Vec<Tick>,
    cancelled: Vec<String>,
    stopped: Option<(StopReason, Duration)>,
    lines: Vec<Line>,
}

/// The program's state, shared by every task through an `Arc`.
struct State {
    /// The loop it runs on.
    lp: Arc<dyn Loop>,
    /// The settings.
    settings: Settings,
    /// `end_time` on the loop's clock.
    end: Duration,
    /// The random block times. Locked by one callback at a time, briefly.
    rng: Mutex<ChaCha8Rng>,
    /// `loop.stop()`: cancelled once, by the last callback or Ctrl-C.
    /// Read by every pending callback and by `run`.
    stop: CancellationToken,
    /// Every task the program spawns, so shutdown can wait for all.
    tracker: TaskTracker,
    /// What happened. A std mutex: held only to push, never across an await.
    record: Mutex<Record>,
}

impl State {
    fn record(&self) -> MutexGuard<'_, Record> {
        self.record.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Prints a labelled line with the loop's time, and records it.
    fn say(&self, who: &str, message: impl Display) {
        let at = self.lp.time();
        let message = message.to_string();
        let mut record = self.record();
        println!("{}", format_line(at, who, &message));
        record.lines.push(Line {
            at,
            who: who.to_owned(),
            message,
        });
    }

    /// `loop.stop()`, remembering why (the first reason wins).
    fn stop_with(&self, reason: StopReason) {
        let now = self.lp.time();
        self.record().stopped.get_or_insert((reason, now));
        self.stop.cancel();
    }

    /// Spawns a task on the loop, tracked.
    fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.lp.spawn(Box::pin(self.tracker.track_future(task)));
    }

    /// Sleeps until `due` (loop time), or returns false if the loop is
    /// stopped first: the difference between a pending and a running
    /// callback.
    async fn wait_until(&self, due: Duration) -> bool {
        let timer = self.lp.sleep(due.saturating_sub(self.lp.time()));
        let stopped = pin!(self.stop.cancelled());
        let fired = matches!(select(timer, stopped).await, Either::Left(_));
        // A timer that fired while the loop was stopping still counts as
        // pending: every runtime then agrees on what was cancelled.
        fired && !self.stop.is_cancelled()
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
            let name = format!("{} (due {:.3} s)", NAMES[index], due.as_secs_f64());
            st.say("loop", format!("cancelled pending callback {name}"));
            st.record().cancelled.push(name);
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
    st.say(
        name,
        format!(
            "called: due {:.3} s, ran {:.3} s, late {:.3} s; {what} for {:.3} s",
            due.as_secs_f64(),
            ran.as_secs_f64(),
            ran.saturating_sub(due).as_secs_f64(),
            block.as_secs_f64()
        ),
    );
    match st.settings.variant {
        // Python: `time.sleep(d)`. Nothing else on the loop runs meanwhile.
        Variant::Blocking => st.lp.block(block).await,
        // Python: `await loop.run_in_executor(None, time.sleep, d)`.
        Variant::Fixed => st.lp.run_blocking(block).await,
    }
    let now = st.lp.time();
    st.record().runs.push(Run {
        name,
        due,
        ran,
        block,
        finished: now,
    });
    if st.stop.is_cancelled() {
        st.say(name, "the loop is stopping: nothing more scheduled");
        return;
    }
    let one = pace.secs(1.0);
    let next = (index + 1) % NAMES.len();
    if now + one < st.end {
        st.say(name, format!("loop.call_later(1, {})", NAMES[next]));
        call_later(&st, one, next);
    } else {
        st.say(
            name,
            format!(
                "loop.time() + 1 >= end_time ({:.3} s): loop.stop()",
                st.end.as_secs_f64()
            ),
        );
        st.stop_with(StopReason::EndTime);
    }
}

/// `loop.call_at(start + n, tick)`: the heartbeat, due every second.
fn schedule_tick(state: &Arc<State>, n: u32) {
    let due = state.settings.pace.secs(f64::from(n));
    let st = Arc::clone(state);
    state.spawn(async move {
        if !st.wait_until(due).await {
            let name = format!("heartbeat {n} (due {:.3} s)", due.as_secs_f64());
            st.say("loop", format!("cancelled pending callback {name}"));
            st.record().cancelled.push(name);
            return;
        }
        let ran = st.lp.time();
        st.record().ticks.push(Tick { n, due, ran });
        st.say(
            "heartbeat",
            format!(
                "tick {n}: due {:.3} s, late {:.3} s",
                due.as_secs_f64(),
                ran.saturating_sub(due).as_secs_f64()
            ),
        );
        if !st.stop.is_cancelled() {
            schedule_tick(&st, n + 1);
        }
    });
}

/// Waits for Ctrl-C (`interrupt`) or the loop's own stop, whichever first.
async fn watch_interrupt(st: Arc<State>, interrupt: BoxFuture) {
    let stopped = pin!(st.stop.cancelled());
    if let Either::Left(_) = select(interrupt, stopped).await {
        st.say("loop", "Ctrl-C: loop.stop()");
        st.stop_with(StopReason::Interrupted);
    }
}

/// Runs the program on `lp` until it stops (end time, or `interrupt`
/// completing: Ctrl-C), shuts the loop down gracefully, prints the summary
/// and returns it.
///
/// `interrupt` is a future that completes on Ctrl-C; tests pass a timer.
pub async fn run(lp: Arc<dyn Loop>, settings: Settings, interrupt: BoxFuture) -> Summary {
    let start = lp.time();
    let st = Arc::new(State {
        end: start + settings.pace.secs(settings.duration),
        rng: Mutex::new(ChaCha8Rng::seed_from_u64(settings.seed)),
        stop: CancellationToken::new(),
        tracker: TaskTracker::new(),
        record: Mutex::new(Record::default()),
        settings,
        lp,
    });
    st.say(
        "loop",
        format!(
            "{} loop, {:?} variant, seed {}, speed {}; end_time = loop.time() + {} s",
            st.lp.name(),
            settings.variant,
            settings.seed,
            settings.pace.speed(),
            settings.duration
        ),
    );
    st.spawn(watch_interrupt(Arc::clone(&st), interrupt));
    st.say(
        "loop",
        "loop.call_soon(task A); heartbeat every 1 s; run_forever()",
    );
    call_later(&st, Duration::ZERO, 0);
    schedule_tick(&st, 1);

    // `loop.run_forever()` returns when `loop.stop()` is called.
    st.stop.cancelled().await;
    st.say(
        "loop",
        "stopped: pending callbacks cancel, the running one finishes",
    );
    // Graceful shutdown: no new task after this, wait for every one.
    st.tracker.close();
    st.tracker.wait().await;
    let finished_at = st.lp.time();

    let record = std::mem::take(&mut *st.record());
    let (stopped_by, stopped_at) = record.stopped.unwrap_or((StopReason::EndTime, finished_at));
    let mut summary = Summary {
        runtime: st.lp.name(),
        variant: settings.variant,
        runs: record.runs,
        ticks: record.ticks,
        cancelled: record.cancelled,
        stopped_by,
        stopped_at,
        finished_at,
        left_running: st.tracker.len(),
        lines: record.lines,
    };
    for line in summary.report() {
        st.say("summary", line);
    }
    // Lines printed by the summary itself are recorded after the take.
    summary.lines.extend(std::mem::take(&mut st.record().lines));
    summary
}
