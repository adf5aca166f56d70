//! The four pitfalls, each asserted: what goes wrong, and the fix.
//!
//! `cancel-safety` and `select-fairness` run on tokio's paused clock
//! (exact times, no waiting). `cancel-blocking` and `mutex` block threads
//! on purpose, which the paused clock cannot time, so they run on the real
//! clock at a high speed: a few hundred milliseconds each.
#![allow(clippy::unwrap_used)]

use runner::Recorder;
use task_manipulation::pitfalls::{cancel_blocking, cancel_safety, mutexes, select_fairness};
use task_manipulation::{Error, Pace};
use tokio_util::sync::CancellationToken;

/// abort() leaves a started spawn_blocking closure running to its end
/// (all 4 steps, and its result comes back); a token it checks before
/// each step stops it after the step in progress: 1 or 2 steps (it may
/// check before main has cancelled, never later than one step after).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_does_not_stop_spawn_blocking_but_a_token_does() {
    let log = Recorder::quiet();
    // Steps of 20 ms: a slow machine has a whole step to react.
    let pace = Pace::new(25.0);
    let r = cancel_blocking::run(&log, pace, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(r.steps_despite_abort, cancel_blocking::STEPS);
    assert_eq!(
        log.messages_of("blocking").len(),
        4,
        "four steps after abort()"
    );
    assert!((1..=2).contains(&r.steps_with_token), "{r:?}");
    let last = log.messages_of("cooperative").pop().unwrap();
    assert_eq!(
        last,
        format!(
            "token cancelled: stopping after {} steps",
            r.steps_with_token
        )
    );
    assert!(
        log.when("main", "abort() did not stop it; it ran 4 of 4 steps")
            .is_some()
    );
}

/// Ctrl-C's token reaches the blocking closures too: cancelled before the
/// part starts, the first closure stops before its first step, and the
/// part ends at once with `Interrupted`, nothing left running.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_the_blocking_closure_too() {
    let log = Recorder::quiet();
    let interrupted = CancellationToken::new();
    interrupted.cancel();
    let result = cancel_blocking::run(&log, Pace::new(25.0), &interrupted).await;
    assert!(matches!(result, Err(Error::Interrupted)), "{result:?}");
    assert_eq!(
        log.messages_of("blocking"),
        ["token cancelled: stopping after 0 steps"]
    );
}

/// The select! over read_message loses every half-read message when the
/// tick wins: exactly one (garbled) message arrives and 12 of 16 bytes
/// are lost; the loop over the cancel-safe recv() gets all four, in order,
/// through the same four ticks.
#[tokio::test(start_paused = true)]
async fn a_select_loop_over_a_half_finished_future_loses_data() {
    let log = Recorder::quiet();
    let r = cancel_safety::run(&log, Pace::default()).await.unwrap();
    assert_eq!(r.unsafe_messages, ["g2ms"]);
    assert_eq!(r.unsafe_lost, 12);
    assert_eq!(r.safe_messages, ["msg1", "msg2", "msg3", "msg4"]);
    assert_eq!(r.ticks, [4, 4]);
    // Each tick's line says how many bytes that tick cost: 3, 3, 0, 3 (the
    // last 3 went with the closed channel).
    let lost: Vec<String> = log
        .messages_of("select-loop")
        .into_iter()
        .filter(|m| m.starts_with("tick"))
        .collect();
    assert_eq!(
        lost,
        [3, 3, 0, 3].map(|n| format!("tick: read_message dropped, and {n} bytes it had read"))
    );
    assert!(
        log.when(
            "main",
            "1 of 4 messages arrived (\"g2ms\"), 12 of 16 bytes were lost"
        )
        .is_some()
    );
}

/// Unbiased, two always-ready branches share the rounds (each wins some:
/// the chance that one wins none of 1000 is 2^-999); biased, the first
/// wins them all. A stop signal behind a busy branch: taken at some round
/// unbiased, never with `biased;` and the busy branch first (starved),
/// in round 1 with the stop branch first.
#[tokio::test(start_paused = true)]
async fn select_picks_at_random_and_biased_starves() {
    let log = Recorder::quiet();
    let r = select_fairness::run(&log).await.unwrap();
    assert_eq!(r.random.iter().sum::<usize>(), select_fairness::ROUNDS);
    assert!(r.random.iter().all(|&wins| wins > 0), "{r:?}");
    assert_eq!(r.biased, [select_fairness::ROUNDS, 0]);
    assert!(r.stop_taken[0].is_some(), "{r:?}");
    assert_eq!(r.stop_taken[1], None);
    assert_eq!(r.stop_taken[2], Some(1));
    assert!(
        log.when(
            "main",
            "biased, busy branch first: the stop signal was never taken in 1000 rounds: starved"
        )
        .is_some()
    );
}

/// std::sync::Mutex for a counter: 9. Locked line by line, three tasks'
/// two-line messages interleave; under one tokio::sync::Mutex lock each,
/// they come whole. A std guard held across .await deadlocks join!'s
/// other future (which gives up, in this demo); tokio's Mutex does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn std_mutex_for_data_tokio_mutex_across_await() {
    let log = Recorder::quiet();
    let r = mutexes::run(&log, Pace::new(20.0)).await.unwrap();
    assert_eq!(r.counter, 9);
    assert_eq!(
        r.interleaved,
        [
            "a: begin", "b: begin", "c: begin", "a: end", "b: end", "c: end"
        ]
    );
    assert_eq!(
        r.whole,
        [
            "a: begin", "a: end", "b: begin", "b: end", "c: begin", "c: end"
        ]
    );
    assert!(r.std_deadlocked);
    assert!(r.tokio_locked);
    // The holder resumed only after the waiter had given up.
    let waiter_gave_up = log.when("waiter", "still locked after").unwrap();
    let holder_resumed = log.when("holder", "resumed").unwrap();
    assert!(waiter_gave_up <= holder_resumed);
}
