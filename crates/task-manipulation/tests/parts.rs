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

/// When `who` said each message starting with `start`, and what.
fn said(log: &Recorder, who: &str, start: &str) -> Vec<(Duration, String)> {
    log.lines()
        .into_iter()
        .filter(|l| l.who == who && l.message.starts_with(start))
        .map(|l| (l.at, l.message))
        .collect()
}

/// create: the task runs while main works; awaiting it yields its result
/// at the task's own finishing time.
#[tokio::test(start_paused = true)]
async fn create_task_runs_while_main_works() {
    let (log, pace) = setup();
    let value = port::create(&log, pace).await.unwrap();
    assert_eq!(value, 27);
    assert_eq!(
        said(&log, "main", "created;"),
        [(
            s(0.0),
            "created; task.done() -> is_finished() = false".into()
        )],
        "not finished at spawn"
    );
    assert_eq!(log.when("main", "own work done"), Some(s(0.5)));
    assert_eq!(log.when("main", "awaited the task"), Some(s(2.0)));
    assert_eq!(log.when("coffee", "done"), Some(s(2.0)));
}

/// gather: every way returns argument order; the JoinSet sees completion
/// order; each way takes the longest job's time, not the sum.
#[tokio::test(start_paused = true)]
async fn gather_keeps_argument_order() {
    let (log, pace) = setup();
    let gathered = port::gather(&log, pace).await.unwrap();
    let r = gather::beyond(&log, pace).await.unwrap();
    assert_eq!(gathered, vec![1, 8, 27]);
    assert_eq!(r.join_macro, vec![1, 8, 27]);
    assert_eq!(r.join_all, vec![1, 8, 27]);
    let completion: Vec<_> = said(&log, "main", "as_completed -> ")
        .into_iter()
        .map(|(at, m)| (at, m.split(' ').nth(2).unwrap().to_owned()))
        .collect();
    assert_eq!(
        completion,
        [(s(4.0), "fast"), (s(5.0), "medium"), (s(6.0), "slow")].map(|(t, n)| (t, n.to_owned()))
    );
    assert_eq!(
        said(&log, "main", "as_completed re-ordered"),
        [(s(6.0), "as_completed re-ordered -> [1, 8, 27]".into())]
    );
    // gather, as_completed, join!, join_all: 3 s each, the longest job.
    assert_eq!(log.when("main", "gather -> "), Some(s(3.0)));
    assert_eq!(r.times, [s(3.0); 2]);
}

/// first-completed: join_next leaves the others running until shutdown;
/// select! returns the fastest and drops (cancels) the others at once.
#[tokio::test(start_paused = true)]
async fn first_completed_and_the_others() {
    let (log, pace) = setup();
    port::first_completed(&log, pace).await.unwrap();
    let r = first_completed::race(&log, pace).await.unwrap();
    let firsts: Vec<_> = said(&log, "main", "first completed -> ");
    assert_eq!(
        firsts,
        [
            (s(1.0), "first completed -> fast = 8".into()),
            // `medium` kept running after the first result: it finished.
            (s(2.0), "first completed -> medium = 27".into()),
        ]
    );
    assert_eq!(said(&log, "main", "1 still pending").len(), 1);
    // The select! race starts at 2 s, after shutdown: fast wins at 3 s.
    assert_eq!(r, ("fast", s(1.0)));
    let cancelled: Vec<_> = log
        .lines()
        .iter()
        .filter(|l| l.message.starts_with(CANCELLED))
        .map(|l| (l.who.clone(), l.at))
        .collect();
    // The JoinSet's `slow` aborted by shutdown at 2 s; then the select!
    // losers dropped when it returned at 3 s, in the order written.
    assert_eq!(
        cancelled,
        [("slow", s(2.0)), ("slow", s(3.0)), ("medium", s(3.0))].map(|(w, t)| (w.to_owned(), t))
    );
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
    // Printed as sentences, not as Rust's debug output.
    assert_eq!(log.when("main", "healthy: returned 8"), Some(s(1.0)));
    assert_eq!(
        log.when("main", "failing: returned an error: cube("),
        Some(s(1.0))
    );
    assert_eq!(
        log.when("main", "buggy: panicked: task `buggy`"),
        Some(s(1.0))
    );
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
    cancel::run(&log, pace).await.unwrap();
    assert_eq!(said(&log, "worker", "step ").len(), 2, "steps before abort");
    assert_eq!(log.when("main", "task.cancel()"), Some(s(2.5)));
    assert_eq!(
        log.when("main", "await task -> JoinError::is_cancelled() is true"),
        Some(s(2.5))
    );
    assert_eq!(log.when("worker", CANCELLED), Some(s(2.5)));
    assert_eq!(log.when("worker", "step 3"), None);
    // The plain future: one step in 1.5 s of polling, none while idle.
    let r = cancel::drop_a_future(&log, pace).await;
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
    timeout::run(&log, pace).await.unwrap();
    assert_eq!(log.when("main", "in time: 64"), Some(s(1.0)));
    assert_eq!(log.when("main", "TimeoutError"), Some(s(3.0)));
    assert_eq!(log.when("late", CANCELLED), Some(s(3.0)));
    assert_eq!(log.when("late", "done"), None);
    assert_eq!(
        log.when("main", "timed out, but the task is still running: true"),
        Some(s(5.0))
    );
    assert_eq!(
        log.when("main", "the task was cancelled: true"),
        Some(s(5.0))
    );
    assert_eq!(log.when("spawned", CANCELLED), Some(s(5.0)));
}

/// sequential takes the sum (1 + 2 + 3 s), concurrent the maximum (3 s),
/// and the lines say so with the same numbers.
#[tokio::test(start_paused = true)]
async fn sequential_is_the_sum_concurrent_the_max() {
    let (log, pace) = setup();
    port::sequential(&log, pace).await.unwrap();
    let values: Vec<_> = log
        .lines()
        .iter()
        .filter_map(|l| l.message.strip_prefix("done: ").map(str::to_owned))
        .collect();
    assert_eq!(
        values,
        ["cube(1) = 1", "cube(2) = 8", "cube(3) = 27"].repeat(2)
    );
    assert_eq!(
        said(&log, "main", "sequential took"),
        [(
            s(6.0),
            "sequential took 6.000 s (the sum of the waits, 6.000 s)".into()
        )]
    );
    assert_eq!(
        said(&log, "main", "concurrent took"),
        [(
            s(9.0),
            "concurrent took 3.000 s (the longest wait, 3.000 s)".into()
        )]
    );
}

/// --speed divides every time, and every time printed is the divided one:
/// at speed 10 the sequential part takes 0.6 s and says 0.600 s; the
/// worker is cancelled at 0.25 s and the line says "after 0.250 s".
#[tokio::test(start_paused = true)]
async fn speed_scales_every_wait_and_every_time_printed() {
    let log = Recorder::quiet();
    let pace = Pace::new(10.0);
    port::sequential(&log, pace).await.unwrap();
    assert_eq!(
        log.when(
            "main",
            "sequential took 0.600 s (the sum of the waits, 0.600 s)"
        ),
        Some(s(0.6))
    );
    let log = Recorder::quiet();
    port::create(&log, pace).await.unwrap();
    assert_eq!(log.when("coffee", "started, waits 0.200 s"), Some(s(0.0)));
    assert_eq!(log.when("coffee", "done"), Some(s(0.2)));
    let log = Recorder::quiet();
    cancel::run(&log, pace).await.unwrap();
    assert_eq!(
        log.when(
            "main",
            "a 10-step worker, 0.100 s a step, cancel after 0.250 s"
        ),
        Some(s(0.0))
    );
    assert_eq!(log.when("worker", CANCELLED), Some(s(0.25)));
}

/// The whole program at speed 10: no time printed is an undivided one.
/// The longest wait then lasts 0.5 s and the longest run of waits, the
/// scheduler's one at a time, 0.8 s; any `N.NNN s` above that would be a
/// demo time printed as if it were real.
#[tokio::test(start_paused = true)]
async fn no_time_printed_at_speed_10_is_an_undivided_one() {
    let log = Recorder::quiet();
    let config = Config::new(Part::All, Pace::new(10.0));
    run(&config, &log, &Progress::new(Part::All)).await.unwrap();
    let mut times = Vec::new();
    for line in log.lines() {
        let words: Vec<&str> = line.message.split([' ', ',', '(', ')', '=']).collect();
        for pair in words.windows(2) {
            if let (Ok(t), "s") = (pair[0].parse::<f64>(), pair[1]) {
                times.push((t, line.message.clone()));
            }
        }
    }
    assert!(times.len() > 20, "{times:?}");
    for (t, message) in &times {
        assert!(*t <= 0.8 + 1e-9, "{message}");
    }
}

/// The Ctrl-C summary: a run of every part stopped at 3 s (tokio's
/// `timeout` standing for Ctrl-C) has finished `create` (2 s), was stopped
/// in `gather`, and never started the rest; a finished run says so.
#[tokio::test(start_paused = true)]
async fn progress_names_finished_stopped_and_not_started_parts() {
    let config = Config::new(Part::All, Pace::default());
    let log = Recorder::quiet();
    let progress = Progress::new(Part::All);
    let stopped = tokio::time::timeout(s(3.0), run(&config, &log, &progress)).await;
    assert!(stopped.is_err(), "the whole run takes far longer than 3 s");
    assert_eq!(
        progress.summary(),
        "finished create; stopped gather (its tasks cancelled); not started: \
         first-completed, exceptions, cancel, timeout, sequential, scheduler"
    );
    // Dropping the run cancelled gather's jobs: the guards printed at 3 s.
    assert_eq!(log.when("slow", CANCELLED), Some(s(3.0)));

    let one = Progress::new(Part::Sequential);
    let config = Config {
        part: Part::Sequential,
        ..config
    };
    run(&config, &log, &one).await.unwrap();
    assert_eq!(one.summary(), "finished sequential");
    assert_eq!(
        Progress::new(Part::Pitfalls).summary(),
        "finished no part; stopped cancel-blocking (its tasks cancelled); not started: \
         cancel-safety, select-fairness, mutex"
    );
}

/// The virtual clock refuses the parts that block a thread (the paused
/// clock would stand still through them), and only those.
#[test]
fn the_virtual_clock_refuses_the_parts_that_block_a_thread() {
    for part in [Part::CancelBlocking, Part::Mutex, Part::Pitfalls] {
        let refusal = Clock::Virtual.check(part).unwrap_err();
        assert!(refusal.contains("--clock real"), "{refusal}");
        assert!(Clock::Real.check(part).is_ok());
    }
    for part in Part::EACH
        .into_iter()
        .chain([Part::All, Part::CancelSafety, Part::SelectFairness])
    {
        assert!(Clock::Virtual.check(part).is_ok(), "{part:?}");
    }
}
