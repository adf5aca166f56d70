//! What the A, B, C program reports: each callback's and each heartbeat's
//! due and run times (so lateness is a number), why the loop stopped, and
//! the summary printed at the end, or, on Ctrl-C, in one line.

use std::time::Duration;

use runtimes::Runtime;

use crate::event_loop::{Called, Loop};
use crate::{Settings, Variant};

/// A number of seconds as the chapter writes one: `1`, `0.1`, `2.5` (at
/// most three decimals, no trailing zeros; six for less than a
/// millisecond, so that a high `--speed` does not print a wait as `0`).
pub fn secs(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    let decimals = if seconds > 0.0 && seconds < 0.001 {
        6
    } else {
        3
    };
    let text = format!("{seconds:.decimals$}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Settings {
    /// The lines a run starts with: what runs, and the times it goes by,
    /// as scaled by `--speed` (with the program's own beside them).
    pub fn describe(&self, runtime: Runtime) -> Vec<String> {
        let speed = self.pace.speed();
        let end = secs(self.pace.secs(self.duration));
        let one = secs(self.pace.secs(1.0));
        let half = secs(self.pace.secs(0.5));
        let mut end_line = format!("end_time = loop.time() + {end} s");
        if speed != 1.0 {
            let most = secs(self.pace.secs(crate::callbacks::MAX_BLOCK_SECS as f64));
            end_line += &format!(
                " ({} s at --speed {speed}: each 1 s below is {one} s, each block 0 to {most} s)",
                secs(Duration::from_secs_f64(self.duration))
            );
        }
        let (part, what, seed) = (self.variant.name(), self.variant.describe(), self.seed);
        let next = secs(self.pace.secs(1.5));
        vec![
            format!("{runtime} loop, --part {part}: {what}; seed {seed}"),
            end_line,
            format!(
                "loop.call_soon(task A); a heartbeat every {one} s, due at {half} s, {next} s, ...; loop.run_forever()"
            ),
        ]
    }
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
    /// `name`, called as `called` says, which blocked for `block` and
    /// returned at `finished`.
    pub fn new(name: &'static str, called: Called, block: Duration, finished: Duration) -> Self {
        let Called { due, ran } = called;
        Self {
            name,
            due,
            ran,
            block,
            finished,
        }
    }

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

/// What happened so far, written by the callbacks as they run. Shared by
/// the program's tasks and the Ctrl-C handler's forced exit, behind a std
/// mutex that is held only to push or read, never across an `.await`.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// The chain's callbacks that returned, in order.
    pub(crate) runs: Vec<Run>,
    /// The heartbeats that ran, in order.
    pub(crate) ticks: Vec<Tick>,
    /// Pending callbacks cancelled at shutdown.
    pub(crate) cancelled: Vec<String>,
    /// Why and when `stop()` happened (the first reason wins).
    pub(crate) stopped: Option<(StopReason, Duration)>,
    /// The callback whose work is under way, and what it does (blocks the
    /// loop, or awaits spawn_blocking).
    pub(crate) running: Option<(String, &'static str)>,
}

impl Record {
    /// The line the Ctrl-C handler prints when the program has not stopped
    /// within the grace period: a callback's work is still under way.
    pub(crate) fn unfinished_line(&self) -> String {
        let holder = match &self.running {
            Some((name, what)) => format!("{name} still {what}"),
            None => "the loop has not closed".to_owned(),
        };
        format!(
            "{holder}, abandoned with every pending callback; callbacks run: {}, heartbeats run: {}",
            self.runs.len(),
            self.ticks.len()
        )
    }
}

/// Everything that happened, returned when the loop has shut down.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The runtime it ran on.
    pub runtime: Runtime,
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
}

impl Summary {
    /// The summary of `lp`, closed now with `left_running` tasks still
    /// counted, from what the callbacks recorded; said line by line on the
    /// loop, and returned.
    pub fn say(lp: &Loop, variant: Variant, left_running: usize) -> Self {
        let (record, finished_at) = (lp.record(), lp.time());
        let (stopped_by, stopped_at) = record.stopped.unwrap_or((StopReason::EndTime, finished_at));
        let summary = Self {
            runtime: lp.runtime(),
            variant,
            runs: record.runs.clone(),
            ticks: record.ticks.clone(),
            cancelled: record.cancelled.clone(),
            stopped_by,
            stopped_at,
            finished_at,
            left_running,
        };
        drop(record);
        for line in summary.report() {
            lp.say("summary", line);
        }
        summary
    }

    /// The worst lateness of the chain's callbacks.
    pub fn max_callback_lateness(&self) -> Duration {
        worst(self.runs.iter().map(Run::lateness))
    }

    /// The worst lateness of the heartbeat.
    pub fn max_tick_lateness(&self) -> Duration {
        worst(self.ticks.iter().map(Tick::lateness))
    }

    /// The pending callbacks cancelled at shutdown, as one phrase.
    fn cancelled_list(&self) -> String {
        if self.cancelled.is_empty() {
            "none".to_owned()
        } else {
            self.cancelled.join(", ")
        }
    }

    /// The summary as printable lines.
    pub fn report(&self) -> Vec<String> {
        let stopped = match self.stopped_by {
            StopReason::EndTime => "the end time (a callback called loop.stop())",
            StopReason::Interrupted => "Ctrl-C (SIGINT)",
        };
        let late: f64 = self.ticks.iter().map(|t| t.lateness().as_secs_f64()).sum();
        let (runs, ticks) = (self.runs.len(), self.ticks.len());
        // No tick ran: a mean of 0, not 0 / 0.
        let mean = late / ticks.max(1) as f64;
        let (runtime, part) = (self.runtime, self.variant.name());
        let (at, left) = (self.stopped_at.as_secs_f64(), self.left_running);
        let closed = self.finished_at.as_secs_f64();
        let worst_run = self.max_callback_lateness().as_secs_f64();
        let worst_tick = self.max_tick_lateness().as_secs_f64();
        vec![
            format!("runtime {runtime}, --part {part}: stopped by {stopped} at {at:.3} s"),
            format!("callbacks run: {runs} (A, B, C...), worst lateness {worst_run:.3} s"),
            format!("heartbeats run: {ticks}, worst lateness {worst_tick:.3} s, mean {mean:.3} s"),
            format!("pending callbacks cancelled: {}", self.cancelled_list()),
            format!("loop closed at {closed:.3} s; tasks left running: {left}"),
        ]
    }

    /// One line for a run stopped by Ctrl-C: what ran, what never did.
    pub fn interrupted_line(&self) -> String {
        let (at, cancelled) = (self.stopped_at.as_secs_f64(), self.cancelled_list());
        let (runs, ticks) = (self.runs.len(), self.ticks.len());
        format!(
            "stopped at {at:.3} s; callbacks run: {runs}, heartbeats run: {ticks}; \
             cancelled before they ran: {cancelled}"
        )
    }
}

/// The largest of `latenesses`; none at all is none late.
fn worst(latenesses: impl Iterator<Item = Duration>) -> Duration {
    latenesses.max().unwrap_or_default()
}
