//! Each part under tokio's paused clock: exact virtual times, exact orders.
//!
//! With `start_paused = true` the runtime's clock stands still and jumps
//! straight to the next timer whenever every task is waiting, so a part
//! that "takes" 6 seconds runs in microseconds and its times are exact.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use runner::Recorder;
use task_manipulation::exceptions::{Outcome, PANIC_MESSAGE};
use task_manipulation::work::CANCELLED;
use task_manipulation::*;

/// Seconds as a Duration, for short asserts.
fn s(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds)
}

/// A fresh (quiet) recorder and real-time pace (virtual seconds == demo
/// seconds). Created inside the paused runtime, so its clock is virtual.
fn setup() -> (Recorder, Pace) {
    (Recorder::quiet(), Pace::default())
}

/// create: the task runs while main works; awaiting it yields its result
/// at the task's own finishing time.
#[tokio::test(start_paused = true)]
async fn create_task_runs_while_main_works() {
    let (log, pace) = setup();
    let r = create::run(&log, pace).await.unwrap();
    assert_eq!(r.value, 27);
    assert!(!r.finished_at_spawn);
    assert_eq!(r.main_work_done, s(0.5));
    assert_eq!(r.awaited, s(2.0));
    assert_eq!(log.when("coffee", "done"), Some(s(2.0)));
}

/// gather: every way returns argument order; the JoinSet sees completion
/// order; each way takes the longest job's time, not the sum.
#[tokio::test(start_paused = true)]
async fn gather_keeps_argument_order() {
    let (log, pace) = setup();
    let r = gather::run(&log, pace).await.unwrap();
    assert_eq!(r.join_macro, vec![1, 8, 27]);
    assert_eq!(r.join_all, vec![1, 8, 27]);
    assert_eq!(r.join_set_reordered, vec![1, 8, 27]);
    assert_eq!(r.join_set_completion, vec!["fast", "medium", "slow"]);
    assert_eq!(r.times, [s(3.0); 3]);
}

/// first-completed: select! returns the fastest and drops (cancels) the
/// others at once; join_next leaves the others running until shutdown.
#[tokio::test(start_paused = true)]
async fn first_completed_and_the_others() {
    let (log, pace) = setup();
    let r = first_completed::run(&log, pace).await.unwrap();
    assert_eq!(r.select_winner, ("fast", s(1.0)));
    // The select! losers' guards ran when it returned, at 1 s.
    let lines = log.lines();
    let cancelled: Vec<_> = lines
        .iter()
        .filter(|l| l.message.starts_with(CANCELLED))
        .map(|l| (l.who.as_str(), l.at))
        .collect();
    assert_eq!(r.first, ("fast", s(1.0)));
    // `medium` kept running after the first result: it finished.
    assert_eq!(r.second, ("medium", s(2.0)));
    assert_eq!(r.cancelled_by_shutdown, 1);
    // Two drops at 1 s (order of the two is select!'s business), then the
    // JoinSet's `slow` aborted by shutdown at 1 + 2 = 3 s.
    assert_eq!(cancelled.len(), 3, "{cancelled:?}");
    let mut at_one: Vec<_> = cancelled[..2].iter().map(|c| c.0).collect();
    at_one.sort();
    assert_eq!(at_one, vec!["medium", "slow"]);
    assert!(cancelled[..2].iter().all(|c| c.1 == s(1.0)));
    assert_eq!(cancelled[2], ("slow", s(3.0)));
}

/// exceptions: an error and a panic are reported per task, in argument
/// order, and the healthy task still finishes; try_join_all stops at the
/// first error and cancels the rest.
#[tokio::test(start_paused = true)]
async fn one_failure_does_not_stop_the_others() {
    let (log, pace) = setup();
    let r = exceptions::run(&log, pace).await.unwrap();
    let names: Vec<_> = r.outcomes.iter().map(|o| o.0).collect();
    assert_eq!(names, vec!["healthy", "failing", "buggy"]);
    assert_eq!(r.outcomes[0].1, Outcome::Value(8));
    assert!(matches!(&r.outcomes[1].1, Outcome::Error(e) if e.contains("overflows")));
    assert_eq!(r.outcomes[2].1, Outcome::Panic(PANIC_MESSAGE.to_owned()));
    // The failure (0.5 s) and the panic (0.75 s) came first; healthy at 1 s.
    assert_eq!(log.when("failing", "failed"), Some(s(0.5)));
    assert_eq!(log.when("healthy", "done"), Some(s(1.0)));
    assert_eq!(r.all_done, s(1.0));
    // try_join_all: error at 0.5 s, healthy-2 cancelled then (1 + 0.5 s).
    assert!(r.first_error.0.contains("overflows"));
    assert_eq!(r.first_error.1, s(0.5));
    assert_eq!(log.when("healthy-2", CANCELLED), Some(s(1.5)));
    assert_eq!(log.when("healthy-2", "done"), None);
}

/// cancel: abort() stops the worker at its await point, its drop guard
/// runs at that moment, and awaiting it reports cancellation; a future
/// that is no longer polled does nothing, and dropping it runs its guard.
#[tokio::test(start_paused = true)]
async fn cancellation_runs_the_drop_guard() {
    let (log, pace) = setup();
    let r = cancel::run(&log, pace).await.unwrap();
    assert_eq!(r.steps_before_abort, 2);
    assert_eq!(r.aborted_at, s(2.5));
    assert!(r.await_saw_cancelled);
    assert_eq!(log.when("worker", CANCELLED), Some(s(2.5)));
    assert_eq!(log.when("worker", "step 3"), None);
    // The plain future: one step in 1.5 s of polling, none while idle.
    assert_eq!(r.steps_before_drop, 1);
    assert_eq!(r.dropped_at, s(2.5));
    assert_eq!(log.when("future", CANCELLED), Some(s(5.0)));
    assert_eq!(log.when("future", "step 2"), None);
}

/// timeout: in time gives the value; late gives Elapsed exactly at the
/// deadline and cancels the job; a spawned task outlives its handle's
/// timeout until aborted.
#[tokio::test(start_paused = true)]
async fn timeout_fires_at_its_deadline_and_cancels() {
    let (log, pace) = setup();
    let r = timeouts::run(&log, pace).await.unwrap();
    assert_eq!(r.in_time, (64, s(1.0)));
    assert_eq!(r.timed_out_at, s(3.0));
    assert_eq!(log.when("late", CANCELLED), Some(s(3.0)));
    assert_eq!(log.when("late", "done"), None);
    assert!(r.task_still_running);
    assert_eq!(r.task_timed_out_at, s(5.0));
    assert!(r.task_cancelled);
    assert_eq!(log.when("spawned", CANCELLED), Some(s(5.0)));
}

/// sequential takes the sum (1 + 2 + 3 s), concurrent the maximum (3 s).
#[tokio::test(start_paused = true)]
async fn sequential_is_the_sum_concurrent_the_max() {
    let (log, pace) = setup();
    let r = sequential::run(&log, pace).await.unwrap();
    assert_eq!(r.sequential, (vec![1, 8, 27], s(6.0)));
    assert_eq!(r.concurrent, (vec![1, 8, 27], s(3.0)));
}

/// --speed divides every time: the sequential part at speed 4 takes 1.5 s.
#[tokio::test(start_paused = true)]
async fn speed_scales_every_wait() {
    let log = Recorder::quiet();
    let r = sequential::run(&log, Pace::new(4.0)).await.unwrap();
    assert_eq!(r.sequential.1, s(1.5));
    assert_eq!(r.concurrent.1, s(0.75));
}

/// The Ctrl-C summary: a run of every part stopped at 3 s (tokio's
/// `timeout` standing for Ctrl-C) has finished `create` (2 s), was stopped
/// in `gather`, and never started the rest; a finished run says so.
#[tokio::test(start_paused = true)]
async fn progress_names_finished_stopped_and_not_started_parts() {
    let config = Config {
        part: Part::All,
        pace: Pace::default(),
        graph: Graph::new(scheduler::example()).unwrap(),
    };
    let log = Recorder::quiet();
    let progress = Progress::new(Part::All);
    let stopped = tokio::time::timeout(s(3.0), run(&config, &log, &progress)).await;
    assert!(stopped.is_err(), "the whole run takes far longer than 3 s");
    assert_eq!(
        progress.summary(),
        "finished create; stopped gather (its tasks cancelled); not started: \
         first-completed, exceptions, cancel, timeout, sequential, scheduler"
    );
    // Dropping the run cancelled gather's `join!`: the guards printed at 3 s.
    assert_eq!(log.when("slow", CANCELLED), Some(s(3.0)));

    let one = Progress::new(Part::Sequential);
    let config = Config {
        part: Part::Sequential,
        ..config
    };
    run(&config, &log, &one).await.unwrap();
    assert_eq!(one.summary(), "finished sequential");
}
