//! The A, B, C program on the mini executor's virtual clock: the exact
//! schedule for a seed, the stop condition, lateness when callbacks block
//! and none when the work moves off the loop, and graceful Ctrl-C shutdown.
//!
//! On the virtual clock (`mini::Executor::new_virtual`) blocking the loop
//! moves time forward while nothing else runs, and timers fire at their
//! exact deadlines, so every time below is exact. tokio, on the real clock
//! and sped up, runs the same program to the same schedule.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use event_loop::callbacks::{self, MAX_BLOCK_SECS, NAMES};
use event_loop::report::{Run, StopReason, Summary};
use event_loop::{Loop, Pace, Settings, Variant};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use runner::{Interrupt, Line, Recorder, SpanKind};
use runtimes::Runtime;
use runtimes::clock::Clock;

/// Milliseconds as a Duration.
fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The settings every test uses, at real pace (virtual seconds == demo
/// seconds).
fn settings(seed: u64, duration: f64, variant: Variant) -> Settings {
    Settings {
        seed,
        duration,
        pace: Pace::default(),
        variant,
    }
}

/// The schedule the chapter's rules give, worked out independently of the
/// program: A runs at 0; each callback blocks for the next random draw of
/// whole seconds (`randint(0, 5)`); the next is due 1 s after the block
/// ends, while `time + 1 < end`.
fn expected(seed: u64, end_ms: u64) -> Vec<Run> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut runs = Vec::new();
    let mut due = 0;
    for i in 0.. {
        let block = 1000 * rng.random_range(0..=MAX_BLOCK_SECS);
        let finished = due + block;
        runs.push(Run {
            name: NAMES[i % 3],
            due: ms(due),
            ran: ms(due),
            block: ms(block),
            finished: ms(finished),
        });
        if finished + 1000 >= end_ms {
            break;
        }
        due = finished + 1000;
    }
    runs
}

/// Runs the program on the mini executor's virtual clock, with a Ctrl-C
/// at `ctrl_c_at` if given; returns the summary and every line said.
fn on_mini(settings: Settings, ctrl_c_at: Option<Duration>) -> (Summary, Vec<Line>) {
    let (summary, out) = on_mini_recorded(settings, ctrl_c_at);
    (summary, out.lines())
}

/// [`on_mini`], keeping spans and marks too; returns the recorder.
fn on_mini_recorded(settings: Settings, ctrl_c_at: Option<Duration>) -> (Summary, Recorder) {
    let (run_loop, out) = Clock::Virtual.start(Runtime::Mini, false);
    out.keep_spans();
    let kept = out.clone();
    let summary = run_loop.block_on(async move {
        let lp = Loop::here(Runtime::Mini, out);
        let interrupt = Interrupt::new();
        if let Some(at) = ctrl_c_at {
            // What the Ctrl-C handler does, on a timer of the same clock.
            let ctrl_c = interrupt.clone();
            let handler = Runtime::Mini.spawn(async move {
                Runtime::Mini.sleep(at).await;
                ctrl_c.raise();
            });
            handler.detach();
        }
        callbacks::run(lp, settings, &interrupt).await
    });
    (summary, kept)
}

/// Seed 7 over 30 s: the exact schedule, A, B, C in turn, each due 1 s
/// after the previous one's block ended, never late (the chain schedules
/// after blocking), stopped by the end-time rule at the last callback.
#[test]
fn exact_schedule_and_stop_condition() {
    let (summary, _) = on_mini(settings(7, 30.0, Variant::Blocking), None);
    let want = expected(7, 30_000);
    assert_eq!(summary.runs, want);
    assert!(want.len() >= 5, "a 30 s run has several callbacks");
    assert_eq!(summary.stopped_by, StopReason::EndTime);
    let last = want.last().unwrap();
    assert_eq!(summary.stopped_at, last.finished);
    // The stop condition: the last one found time + 1 >= end, the one
    // before did not.
    assert!(last.finished + ms(1000) >= ms(30_000));
    assert!(want[want.len() - 2].finished + ms(1000) < ms(30_000));
    assert_eq!(summary.max_callback_lateness(), Duration::ZERO);
    assert_eq!(summary.left_running, 0);
    // The heartbeat pending at the stop was cancelled, not run.
    assert_eq!(summary.cancelled.len(), 1, "{:?}", summary.cancelled);
    assert!(summary.cancelled[0].starts_with("heartbeat"));
}

/// Blocking the loop makes the heartbeat late: every tick due while a
/// callback blocked runs exactly when the block ends.
#[test]
fn blocking_makes_the_rest_of_the_loop_late() {
    let (summary, _) = on_mini(settings(7, 30.0, Variant::Blocking), None);
    let mut late = 0;
    for tick in &summary.ticks {
        let blocker = summary
            .runs
            .iter()
            .find(|r| r.ran <= tick.due && tick.due < r.finished);
        match blocker {
            Some(run) => {
                assert_eq!(tick.ran, run.finished, "{tick:?} blocked by {run:?}");
                late += 1;
            }
            None => assert_eq!(tick.lateness(), Duration::ZERO, "{tick:?}"),
        }
    }
    assert!(late > 0);
    // A tick falls due within the first second of every block of 1 s or
    // more, and runs when the block ends; but not in the last block, where
    // `stop()` comes first and cancels it.
    let (_, before_last) = summary.runs.split_last().unwrap();
    let longest = before_last.iter().map(|r| r.block).max().unwrap();
    assert!(summary.max_tick_lateness() > longest - ms(1000));
}

/// The fix: the same seed gives the same A, B, C schedule, and no tick is
/// late at all, because the loop stays free while the work runs elsewhere.
#[test]
fn spawn_blocking_removes_the_lateness() {
    let (summary, _) = on_mini(settings(7, 30.0, Variant::Fixed), None);
    assert_eq!(summary.runs, expected(7, 30_000));
    assert_eq!(summary.max_tick_lateness(), Duration::ZERO);
    // One tick per second until the stop.
    let stopped = summary.stopped_at.as_secs();
    assert_eq!(summary.ticks.len() as u64, stopped);
}

/// A Ctrl-C in the middle of the first callback of seed 7 that works for
/// at least 1 s: that callback's index and run, the moment, and the result.
fn interrupted_mid_callback(variant: Variant) -> (usize, Run, Duration, Summary, Vec<Line>) {
    let want = expected(7, 30_000);
    let (index, running) = want
        .iter()
        .enumerate()
        .find(|(_, r)| r.block >= ms(1000))
        .unwrap();
    let at = running.ran + running.block / 2;
    let (summary, lines) = on_mini(settings(7, 30.0, variant), Some(at));
    assert_eq!(summary.stopped_by, StopReason::Interrupted);
    assert_eq!(summary.runs, want[..=index].to_vec());
    (index, running.clone(), at, summary, lines)
}

/// Ctrl-C while a callback's work runs elsewhere: the loop stops at once,
/// the pending callbacks are cancelled, the running one finishes its work
/// (the loop waits for it), nothing new starts, nothing is left running.
#[test]
fn ctrl_c_stops_gracefully() {
    let (_, running, at, summary, lines) = interrupted_mid_callback(Variant::Fixed);
    assert_eq!(summary.stopped_at, at);
    assert_eq!(summary.finished_at, running.finished);
    assert!(summary.cancelled.iter().any(|c| c.starts_with("heartbeat")));
    assert_eq!(summary.left_running, 0);
    assert!(
        lines
            .iter()
            .any(|l| l.message.contains("stopped by Ctrl-C"))
    );
    let line = summary.interrupted_line();
    assert!(
        line.contains("cancelled before they ran: heartbeat"),
        "{line}"
    );
}

/// The same Ctrl-C while a callback *blocks* the loop: the loop cannot
/// even notice it until the callback returns.
#[test]
fn ctrl_c_waits_for_a_blocked_loop() {
    let (_, running, _, summary, _) = interrupted_mid_callback(Variant::Blocking);
    assert_eq!(summary.stopped_at, running.finished);
}

/// tokio runs the same program, on the real clock sped up 200 times (a
/// 10 s run in about 50 ms): the callbacks it runs are those of the
/// schedule worked out for mini's virtual clock, with the same blocks, in
/// the same order (how many fit before the end time depends on how late a
/// busy machine's real timers fire, so only the order is compared), and
/// blocking makes the heartbeat late by nearly a whole block, as on mini.
#[test]
fn tokio_runs_the_same_program() {
    let want = expected(3, 10_000);
    let (mini, _) = on_mini(settings(3, 10.0, Variant::Blocking), None);
    assert_eq!(mini.runs, want);
    for variant in [Variant::Blocking, Variant::Fixed] {
        let mut fast = settings(3, 10.0, variant);
        fast.pace = Pace::new(200.0);
        let summary = Runtime::Tokio.block_on(async move {
            let lp = Loop::here(Runtime::Tokio, Recorder::quiet());
            callbacks::run(lp, fast, &Interrupt::new()).await
        });
        assert!(!summary.runs.is_empty() && summary.runs.len() <= want.len());
        for (got, want) in summary.runs.iter().zip(&want) {
            assert_eq!((got.name, got.block), (want.name, want.block / 200));
        }
        assert_eq!(summary.stopped_by, StopReason::EndTime);
        assert_eq!(summary.left_running, 0);
        if variant == Variant::Blocking {
            // A tick is due every 5 ms; as on mini, not the last block's.
            let (_, before_last) = summary.runs.split_last().unwrap();
            let longest = before_last.iter().map(|r| r.block).max();
            let bound = longest.unwrap_or_default().saturating_sub(ms(5));
            assert!(summary.max_tick_lateness() >= bound, "{summary:?}");
        }
    }
}

/// --speed divides every time: at speed 4 the schedule is a quarter long.
#[test]
fn speed_scales_the_schedule() {
    let mut fast = settings(7, 30.0, Variant::Blocking);
    fast.pace = Pace::new(4.0);
    let (summary, _) = on_mini(fast, None);
    let want = expected(7, 30_000);
    assert_eq!(summary.runs.len(), want.len());
    for (i, (got, want)) in summary.runs.iter().zip(&want).enumerate() {
        assert_eq!(got.block, want.block / 4);
        // A quarter of a demo time is rounded to the nanosecond, and the
        // rounding adds up step by step: allow 1 ms per step.
        let drift = (got.ran.as_secs_f64() - want.ran.as_secs_f64() / 4.0).abs();
        assert!(drift <= 0.001 * (i + 1) as f64, "{got:?} vs {want:?}");
    }
}

/// On the virtual clock the timeline is the schedule itself: per callback,
/// a mark where it was due and a bar from when it ran to when it returned
/// (a `block` bar when it blocks the loop; with the fix a `wait` bar, and
/// the same stretch as a `block` bar on the blocking thread's lane); per
/// tick, a mark where it was due and a bar where it ran, late after a
/// block; the stop marked on the lane of the callback that called it.
#[test]
fn timeline_shows_when_each_callback_was_due_and_ran() {
    for variant in [Variant::Blocking, Variant::Fixed] {
        let (summary, out) = on_mini_recorded(settings(7, 30.0, variant), None);
        let (spans, marks) = (out.spans(), out.marks());
        let marked = |lane: &str, what: &str, at: Duration| {
            marks
                .iter()
                .any(|m| m.lane == lane && m.what == what && m.at == at)
        };
        let (kind, blocking_jobs) = match variant {
            Variant::Blocking => (SpanKind::Block, 0),
            Variant::Fixed => (SpanKind::Wait, summary.runs.len()),
        };
        for run in &summary.runs {
            let bar = spans
                .iter()
                .find(|s| s.lane == run.name && s.start == run.ran)
                .unwrap();
            assert_eq!((bar.kind, bar.end), (kind, Some(run.finished)), "{run:?}");
            assert!(marked(run.name, "due", run.due), "{run:?}");
            if variant == Variant::Fixed {
                assert!(spans.iter().any(|s| s.lane == "blocking thread"
                    && s.kind == SpanKind::Block
                    && (s.start, s.end) == (run.ran, Some(run.finished))));
            }
        }
        let jobs = spans.iter().filter(|s| s.lane == "blocking thread");
        assert_eq!(jobs.count(), blocking_jobs);
        let beats: Vec<_> = spans.iter().filter(|s| s.lane == "heartbeat").collect();
        assert_eq!(beats.len(), summary.ticks.len());
        for (tick, bar) in summary.ticks.iter().zip(beats) {
            assert_eq!((bar.kind, bar.start), (SpanKind::Work, tick.ran));
            assert!(marked(
                "heartbeat",
                &format!("heartbeat {} due", tick.n),
                tick.due
            ));
        }
        let last = summary.runs.last().unwrap();
        assert!(marked(last.name, "loop.stop()", summary.stopped_at));
    }
}
