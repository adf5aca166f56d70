//! The chapter's program and the basics under tokio's paused clock: a 4 s
//! run takes no real time, and every line's time is exact.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use basic_coroutines::futures_and_callbacks::{self, CALLBACK, FIRST, SECOND, add_done_callback};
use basic_coroutines::{Runtime, Transcript, basics};
use futures::channel::oneshot;

const FOUR_SECONDS: Duration = Duration::from_secs(4);

/// `5 10`: the callback prints 15 (the real sum) and 3628800, both at
/// exactly 4 s, and the run takes one delay, not two.
#[tokio::test(start_paused = true)]
async fn both_results_arrive_after_one_delay() {
    let transcript = Transcript::quiet();
    let outcome = futures_and_callbacks::run(Runtime::Tokio, &transcript, 5, 10, FOUR_SECONDS)
        .await
        .unwrap();
    assert_eq!(outcome.first, "First coroutine (sum of N ints) result = 15");
    assert_eq!(
        outcome.second,
        "Second coroutine (factorial) result = 3628800"
    );
    assert_eq!(outcome.elapsed, FOUR_SECONDS);

    let callbacks: Vec<_> = transcript
        .lines()
        .into_iter()
        .filter(|line| line.who == CALLBACK)
        .collect();
    assert_eq!(callbacks.len(), 2);
    assert!(callbacks.iter().all(|line| line.elapsed == FOUR_SECONDS));
    // Each coroutine set its result at 4 s, after its own "computed" line at 0 s.
    for who in [FIRST, SECOND] {
        let lines: Vec<_> = transcript
            .lines()
            .into_iter()
            .filter(|line| line.who == who)
            .map(|line| line.elapsed)
            .collect();
        assert_eq!(lines, [Duration::ZERO, FOUR_SECONDS], "{who}");
    }
}

/// `100 100`: 5050 and all 158 digits of 100!.
#[tokio::test(start_paused = true)]
async fn big_results_are_exact() {
    let transcript = Transcript::quiet();
    let outcome = futures_and_callbacks::run(Runtime::Tokio, &transcript, 100, 100, FOUR_SECONDS)
        .await
        .unwrap();
    assert_eq!(
        outcome.first,
        "First coroutine (sum of N ints) result = 5050"
    );
    let digits = outcome
        .second
        .strip_prefix("Second coroutine (factorial) result = ")
        .unwrap();
    assert_eq!(digits.len(), 158);
    assert_eq!(digits, common::factorial(100).unwrap().to_string());
}

/// A factorial above common's limit: the second coroutine drops its future
/// unset (a cancelled future), its callback never runs, and `run` reports
/// the error instead of hanging.
#[tokio::test(start_paused = true)]
async fn too_large_factorial_is_an_error_not_a_hang() {
    let transcript = Transcript::quiet();
    let too_big = common::limits::FACTORIAL_MAX_N + 1;
    let error = futures_and_callbacks::run(Runtime::Tokio, &transcript, 5, too_big, FOUR_SECONDS)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("factorial"), "{error}");
    let callbacks = transcript.messages_of(CALLBACK);
    assert_eq!(callbacks, ["First coroutine (sum of N ints) result = 15"]);
}

/// add_done_callback calls the callback with the result once it is set,
/// not before; a future dropped unset means no call.
#[tokio::test(start_paused = true)]
async fn done_callback_runs_when_the_result_is_set() {
    let (set_result, future) = oneshot::channel::<u32>();
    let waiter = tokio::spawn(add_done_callback(future, |value| value + 1));
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!waiter.is_finished());
    set_result.send(41).unwrap();
    assert_eq!(waiter.await.unwrap(), Some(42));

    let (dropped, future) = oneshot::channel::<u32>();
    drop(dropped);
    assert_eq!(add_done_callback(future, |value| value + 1).await, None);
}

/// outer awaits inner: the result is doubled, and outer's last line comes
/// after inner's sleep of exactly one delay.
#[tokio::test(start_paused = true)]
async fn outer_awaits_inner() {
    let transcript = Transcript::quiet();
    let doubled = basics::outer(Runtime::Tokio, &transcript, 10, FOUR_SECONDS).await;
    assert_eq!(doubled, 110);
    let lines = transcript.lines();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0].message, "outer(10): awaiting inner(10)");
    assert_eq!(lines[1].message, "inner(10): started, sleeping");
    assert_eq!(lines[3].message, "outer(10): inner gave 55, returning 110");
    assert_eq!(lines[3].elapsed, FOUR_SECONDS);
}

/// A future's body does not run until awaited, even across a pause; a
/// spawned task's body runs without its handle being awaited.
#[tokio::test(start_paused = true)]
async fn a_future_is_lazy_a_spawned_task_is_not() {
    let transcript = Transcript::quiet();
    let seen = basics::laziness(Runtime::Tokio, &transcript, FOUR_SECONDS).await;
    assert!(!seen.future_ran_before_await);
    assert!(seen.future_ran_after_await);
    assert!(seen.task_ran_before_join);
    // The plain future's body spoke only after the 4 s pause.
    let body = transcript
        .lines()
        .into_iter()
        .find(|line| line.message.starts_with("plain future"))
        .unwrap();
    assert_eq!(body.elapsed, FOUR_SECONDS);
}
