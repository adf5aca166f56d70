//! A ticker running beside the machine, to make a blocked loop visible.
//!
//! The ticker prints `tick N` every `period`. It runs concurrently with the
//! machine on the *same thread* (the two futures are `join!`ed into one
//! task, as two coroutines share asyncio's one loop). While the states
//! *await* their sleeps, the ticker gets its turns and ticks on time. When
//! the states *block* the thread with `std::thread::sleep` (`--blocking`,
//! the Python original's `time.sleep`), the executor cannot poll anything
//! else: the ticker stalls, and its one tick after the machine finishes is
//! seconds late.
//!
//! Why join the two in one task rather than spawn the ticker? On a
//! multi-threaded executor (async-std's and smol's `spawn` use background
//! threads) a spawned ticker could run on *another* thread and keep ticking,
//! which hides the bug until every worker thread is blocked. Joining them
//! on one thread shows what asyncio's single-threaded loop does, on every
//! runtime.

use std::pin::pin;
use std::time::Duration;

use futures::channel::oneshot;
use futures::future::{Either, select};
use runner::{Recorder, SpanKind};
use runtimes::Runtime;

/// Label of the ticker's lines.
pub const TICKER: &str = "ticker";

/// What the ticker saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticks {
    /// How many times it ticked.
    pub count: u64,
    /// The time between ticks it asked for.
    pub period: Duration,
    /// The worst lateness of a tick: how much longer than `period` the
    /// longest gap was. Near zero unless something blocked the thread.
    pub max_late: Duration,
}

/// Ticks every `period` until `stop` fires (or its sender is dropped).
///
/// `period` must not be zero: a zero sleep is ready at once, so the ticker
/// would never yield and would starve the machine. [`crate::run`] leaves
/// the ticker out when `--delay` is 0.
pub async fn ticker(
    runtime: Runtime,
    recorder: Recorder,
    period: Duration,
    mut stop: oneshot::Receiver<()>,
) -> Ticks {
    let mut ticks = Ticks {
        count: 0,
        period,
        max_late: Duration::ZERO,
    };
    let mut last = recorder.elapsed();
    loop {
        // Each wait for the next tick is a bar on the ticker's lane: one
        // per period while the loop runs freely, one long one when it is
        // blocked.
        let next = ticks.count + 1;
        let waiting = recorder.span(TICKER, format!("tick {next}"), SpanKind::Wait);
        // Sleep one period, unless told to stop first. `select` polls the
        // sleep first, so a tick that is due is printed before we stop:
        // that is the late tick `--blocking` shows.
        let sleep = pin!(runtime.sleep(period));
        match select(sleep, &mut stop).await {
            Either::Left(((), _)) => {}
            Either::Right(_) => return ticks,
        }
        drop(waiting);
        let (now, due) = (recorder.elapsed(), last + period);
        let late = now.saturating_sub(due);
        last = now;
        ticks.count = next;
        ticks.max_late = ticks.max_late.max(late);
        if late >= period / 2 {
            // When it was due, on the timeline: that far before it came.
            recorder.mark_at(TICKER, format!("tick {next} was due"), due);
            let late = late.as_secs_f64();
            recorder.say(
                TICKER,
                format!("tick {next}, {late:.3} s late: something blocked the thread"),
            );
        } else {
            recorder.say(TICKER, format!("tick {next}"));
        }
    }
}
