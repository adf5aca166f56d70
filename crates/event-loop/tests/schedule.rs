//! The A, B, C program under a virtual clock: the exact schedule for a
//! seed, the stop condition, lateness when callbacks block and none when
//! the work moves off the loop, and graceful Ctrl-C shutdown.
//!
//! tokio runs under its paused clock, where "blocking" is
//! `tokio::time::advance` (time jumps, nothing else runs); the mini
//! executor runs on its own virtual clock. Both must produce the very same
//! schedule.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use event_loop::callbacks::{self, MAX_BLOCK_MS, NAMES, Run, StopReason, Summary, Variant};
use event_loop::mini::Executor;
use event_loop::runtime::{BoxFuture, MiniLoop, TokioLoop, VirtualBlock};
use event_loop::{Pace, Settings};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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

/// Blocking under tokio's paused clock: advance virtual time.
fn advance() -> VirtualBlock {
    Arc::new(|d| Box::pin(tokio::time::advance(d)) as BoxFuture)
}

/// A Ctrl-C that never comes.
fn never() -> BoxFuture {
    Box::pin(futures::future::pending())
}

/// The schedule the chapter's rules give, worked out independently of the
/// program: A runs at 0; each callback blocks for the next random draw;
/// the next is due 1 s after the block ends, while `time + 1 < end`.
fn expected(seed: u64, end_ms: u64) -> Vec<Run> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut runs = Vec::new();
    let mut due = 0;
    for i in 0.. {
        let block = rng.random_range(0..=MAX_BLOCK_MS);
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

/// Runs the program on tokio's paused clock.
async fn on_tokio(settings: Settings, interrupt: BoxFuture) -> Summary {
    callbacks::run(Arc::new(TokioLoop::paused(advance())), settings, interrupt).await
}

/// Runs the program on the mini executor's virtual clock.
fn on_mini(settings: Settings) -> Summary {
    let executor = Executor::new_virtual();
    let lp = Arc::new(MiniLoop::new(executor.handle()));
    executor.block_on(callbacks::run(lp, settings, never()))
}

/// Seed 7 over 30 s: the exact schedule, A, B, C in turn, each due 1 s
/// after the previous one's block ended, never late (the chain schedules
/// after blocking), stopped by the end-time rule at the last callback.
#[tokio::test(start_paused = true)]
async fn exact_schedule_and_stop_condition() {
    let summary = on_tokio(settings(7, 30.0, Variant::Blocking), never()).await;
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
#[tokio::test(start_paused = true)]
async fn blocking_makes_the_rest_of_the_loop_late() {
    let summary = on_tokio(settings(7, 30.0, Variant::Blocking), never()).await;
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
    let longest = summary.runs.iter().map(|r| r.block).max().unwrap();
    assert!(summary.max_tick_lateness() > longest - ms(1000));
}

/// The fix: the same seed gives the same A, B, C schedule, and no tick is
/// late at all, because the loop stays free while the work runs elsewhere.
#[tokio::test(start_paused = true)]
async fn spawn_blocking_removes_the_lateness() {
    let summary = on_tokio(settings(7, 30.0, Variant::Fixed), never()).await;
    assert_eq!(summary.runs, expected(7, 30_000));
    assert_eq!(summary.max_tick_lateness(), Duration::ZERO);
    // One tick per second until the stop.
    let stopped = summary.stopped_at.as_secs();
    assert_eq!(summary.ticks.len() as u64, stopped);
}

/// Ctrl-C while a callback's work runs elsewhere: the loop stops at once,
/// the pending callbacks are cancelled, the running one finishes its work
/// (the loop waits for it), nothing new starts, nothing is left running.
#[tokio::test(start_paused = true)]
async fn ctrl_c_stops_gracefully() {
    let want = expected(7, 30_000);
    // Interrupt in the middle of the first callback that blocks >= 1 s.
    let (index, running) = want
        .iter()
        .enumerate()
        .find(|(_, r)| r.block >= ms(1000))
        .unwrap();
    let at = running.ran + running.block / 2;
    let interrupt: BoxFuture = Box::pin(tokio::time::sleep(at));
    let summary = on_tokio(settings(7, 30.0, Variant::Fixed), interrupt).await;
    assert_eq!(summary.stopped_by, StopReason::Interrupted);
    assert_eq!(summary.stopped_at, at);
    assert_eq!(summary.runs, want[..=index].to_vec());
    assert_eq!(summary.finished_at, running.finished);
    assert!(summary.cancelled.iter().any(|c| c.starts_with("heartbeat")));
    assert_eq!(summary.left_running, 0);
    assert!(
        summary
            .lines
            .iter()
            .any(|l| l.message.contains("stopped by Ctrl-C"))
    );
}

/// The same Ctrl-C while a callback *blocks* the loop: the loop cannot
/// even notice it until the callback returns.
#[tokio::test(start_paused = true)]
async fn ctrl_c_waits_for_a_blocked_loop() {
    let want = expected(7, 30_000);
    let (index, running) = want
        .iter()
        .enumerate()
        .find(|(_, r)| r.block >= ms(1000))
        .unwrap();
    let at = running.ran + running.block / 2;
    let interrupt: BoxFuture = Box::pin(tokio::time::sleep(at));
    let summary = on_tokio(settings(7, 30.0, Variant::Blocking), interrupt).await;
    assert_eq!(summary.stopped_by, StopReason::Interrupted);
    assert_eq!(summary.stopped_at, running.finished);
    assert_eq!(summary.runs, want[..=index].to_vec());
}

/// The std-only executor runs the same program to the very same schedule,
/// with the same lateness pattern, on its own virtual clock.
#[tokio::test(start_paused = true)]
async fn mini_executor_runs_the_same_program() {
    let on_tokio_blocking = on_tokio(settings(3, 20.0, Variant::Blocking), never()).await;
    let mini_blocking = on_mini(settings(3, 20.0, Variant::Blocking));
    assert_eq!(mini_blocking.runs, expected(3, 20_000));
    assert_eq!(mini_blocking.runs, on_tokio_blocking.runs);
    // One difference at the very end: under tokio's paused clock,
    // `advance` yields, so a heartbeat that fell due during the *last*
    // block runs just before that callback calls `stop()`; on mini (and
    // with a real blocking sleep) it is still pending and gets cancelled.
    // Every heartbeat before the stop is identical.
    let before = |s: &Summary| -> Vec<_> {
        s.ticks
            .iter()
            .filter(|t| t.ran < s.stopped_at)
            .cloned()
            .collect()
    };
    assert_eq!(before(&mini_blocking), before(&on_tokio_blocking));
    assert!(!before(&mini_blocking).is_empty());
    assert_eq!(mini_blocking.stopped_at, on_tokio_blocking.stopped_at);

    let mini_fixed = on_mini(settings(3, 20.0, Variant::Fixed));
    assert_eq!(mini_fixed.runs, expected(3, 20_000));
    assert_eq!(mini_fixed.max_tick_lateness(), Duration::ZERO);
    assert_eq!(mini_fixed.left_running, 0);
}

/// --speed divides every time: at speed 4 the schedule is a quarter long.
#[tokio::test(start_paused = true)]
async fn speed_scales_the_schedule() {
    let mut fast = settings(7, 30.0, Variant::Blocking);
    fast.pace = Pace::new(4.0);
    let summary = on_tokio(fast, never()).await;
    let want = expected(7, 30_000);
    assert_eq!(summary.runs.len(), want.len());
    for (i, (got, want)) in summary.runs.iter().zip(&want).enumerate() {
        assert_eq!(got.block, want.block / 4);
        // tokio's timers have 1 ms resolution and a quarter of a block can
        // end on a fraction of a millisecond: allow 1 ms per step.
        let drift = (got.ran.as_secs_f64() - want.ran.as_secs_f64() / 4.0).abs();
        assert!(drift <= 0.001 * (i + 1) as f64, "{got:?} vs {want:?}");
    }
}
