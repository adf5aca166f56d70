//! The checks of the exercises on docs/event-loop.md, run on the learner's
//! files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p event-loop --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). Both on mini's virtual clock:
//! blocking moves the clock without real waiting, every time is exact.
#![allow(clippy::unwrap_used)]

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/schedule_first.rs"
)]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/schedule_first.rs")]
mod schedule_first;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/slow_polls.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/slow_polls.rs")]
mod slow_polls;

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use event_loop::callbacks::NAMES;
use event_loop::{Loop, StopReason};
use runner::{Interrupt, Recorder, SpanKind};
use runtimes::Runtime;
use runtimes::clock::Clock;

/// Whole seconds.
fn s(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// Runs `program` on a loop of mini's virtual clock until it calls
/// `loop.stop()`, then closes the loop; returns the recorder (lines, spans
/// and marks kept).
fn on_virtual_loop<F, Fut>(program: F) -> Recorder
where
    F: FnOnce(Loop) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (run_loop, out) = Clock::Virtual.start(Runtime::Mini, false);
    out.keep_spans();
    let kept = out.clone();
    run_loop.block_on(async move {
        let lp = Loop::here(Runtime::Mini, out);
        program(lp.clone()).await;
        lp.run_forever(&Interrupt::new()).await;
        assert_eq!(lp.close().await, 0, "nothing is left running");
    });
    kept
}

/// Blocks of 3, 0, 2, 4 and 1 s, scheduled first: each callback asks for
/// the next one 1 s after it *started*, so the next one falls due while
/// the loop is held and runs when the block ends, late by the block less
/// 1 s. Worked out from that rule: due at ran + 1, run at the later of
/// that and ran + block.
#[test]
fn schedule_first() {
    let blocks = [3, 0, 2, 4, 1];
    let queue: schedule_first::Blocks = Arc::new(Mutex::new(VecDeque::from(blocks.to_vec())));
    let out = on_virtual_loop(move |lp| async move {
        let first = lp.clone();
        lp.call_soon(NAMES[0], NAMES[0], move |called| {
            schedule_first::task(first, queue, 0, called)
        });
    });
    // (lane, due, ran) of each callback that blocked, in order.
    let mut expected = Vec::new();
    let (mut due, mut ran) = (s(0), s(0));
    for (i, block) in blocks.into_iter().enumerate() {
        expected.push((NAMES[i % 3].to_owned(), due, ran));
        due = ran + s(1);
        ran = due.max(ran + s(block));
    }
    let marks = out.marks();
    let got: Vec<(String, Duration, Duration)> = out
        .spans()
        .into_iter()
        .filter(|span| span.kind == SpanKind::Block)
        .map(|span| {
            let due = marks
                .iter()
                .filter(|m| m.lane == span.lane && m.what == "due" && m.at <= span.start)
                .map(|m| m.at)
                .max()
                .unwrap();
            (span.lane, due, span.start)
        })
        .collect();
    assert_eq!(
        got, expected,
        "each callback due 1 s after the one before started, run when its block ended"
    );
    let late: Vec<Duration> = got.iter().map(|(_, due, ran)| *ran - *due).collect();
    assert_eq!(late, [s(0), s(2), s(0), s(1), s(3)]);
}

/// A callback that blocks the loop for 3 s is warned about, with the exact
/// time (on the virtual clock); one that blocks for 50 ms is not; one that
/// awaits the same 3 s of work elsewhere (`run_blocking`) is not either:
/// each of its polls returns at once.
#[test]
fn slow_polls() {
    let names = ["blocker", "quick", "offloaded"];
    let out = on_virtual_loop(move |lp| async move {
        for (delay, name, work) in [(0, names[0], 3000), (4, names[1], 50), (5, names[2], 3000)] {
            let (worker, timer) = (lp.clone(), lp.clone());
            let work = Duration::from_millis(work);
            lp.call_later(s(delay), name, name, move |_| slow_polls::SlowPolls {
                future: Box::pin(async move {
                    if name == "offloaded" {
                        worker.run_blocking(name, work).await;
                        worker.stop(name, StopReason::EndTime);
                    } else {
                        worker.block(name, work);
                    }
                }),
                lp: timer,
                name: name.to_owned(),
                limit: slow_polls::SLOW,
            });
        }
    });
    let warnings: Vec<(String, String)> = out
        .lines()
        .into_iter()
        .filter(|line| names.contains(&line.who.as_str()))
        .map(|line| (line.who, line.message))
        .collect();
    assert_eq!(
        warnings,
        [(
            "blocker".to_owned(),
            "Executing blocker took 3.000 seconds".to_owned()
        )]
    );
    // The offloaded callback did take its 3 s: it ended at 5 + 3 s.
    let offloaded = out.spans().into_iter().find(|s| s.lane == "offloaded");
    assert_eq!(offloaded.unwrap().end, Some(s(8)));
}
