//! The chapter's program and the basics under tokio's paused clock: a 4 s
//! run takes no real time, and every line's time is exact.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use basic_coroutines::futures_and_callbacks::{
    self, CALLBACK, FIRST, SECOND, add_done_callback, interrupted_summary,
};
use basic_coroutines::{CoroutineError, basics};
use futures::channel::oneshot;
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

const FOUR_SECONDS: Duration = Duration::from_secs(4);

/// The chapter's program on tokio with 4 s waits, never interrupted.
async fn run(
    recorder: &Recorder,
    num1: u64,
    num2: u64,
) -> Result<futures_and_callbacks::Outcome, CoroutineError> {
    let interrupt = Interrupt::new();
    futures_and_callbacks::run(
        Runtime::Tokio,
        recorder.clone(),
        interrupt,
        num1,
        num2,
        FOUR_SECONDS,
    )
    .await
}

/// `5 10`: the callback prints 15 (the real sum) and 3628800, both at
/// exactly 4 s, and the run takes one delay, not two.
#[tokio::test(start_paused = true)]
async fn both_results_arrive_after_one_delay() {
    let recorder = Recorder::quiet();
    let outcome = run(&recorder, 5, 10).await.unwrap();
    assert_eq!(outcome.first, "First coroutine (sum of N ints) result = 15");
    assert_eq!(
        outcome.second,
        "Second coroutine (factorial) result = 3628800"
    );
    assert_eq!(outcome.elapsed, FOUR_SECONDS);

    let callbacks: Vec<_> = recorder
        .lines()
        .into_iter()
        .filter(|line| line.who == CALLBACK)
        .collect();
    assert_eq!(callbacks.len(), 2);
    assert!(callbacks.iter().all(|line| line.at == FOUR_SECONDS));
    // Each coroutine set its result at 4 s, after its own "computed" line at 0 s.
    for who in [FIRST, SECOND] {
        let lines: Vec<_> = recorder
            .lines()
            .into_iter()
            .filter(|line| line.who == who)
            .map(|line| line.at)
            .collect();
        assert_eq!(lines, [Duration::ZERO, FOUR_SECONDS], "{who}");
    }
}

/// `100 100`: 5050 and all 158 digits of 100!.
#[tokio::test(start_paused = true)]
async fn big_results_are_exact() {
    let recorder = Recorder::quiet();
    let outcome = run(&recorder, 100, 100).await.unwrap();
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
    let recorder = Recorder::quiet();
    let too_big = common::limits::FACTORIAL_MAX_N + 1;
    let error = run(&recorder, 5, too_big).await.unwrap_err();
    assert!(error.to_string().contains("factorial"), "{error}");
    let callbacks = recorder.messages_of(CALLBACK);
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
    let recorder = Recorder::quiet();
    let doubled = basics::outer(Runtime::Tokio, &recorder, 10, FOUR_SECONDS).await;
    assert_eq!(doubled, 110);
    let lines = recorder.lines();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0].message, "outer(10): awaiting inner(10)");
    assert_eq!(lines[1].message, "inner(10): started, sleeping");
    assert_eq!(lines[3].message, "outer(10): inner gave 55, returning 110");
    assert_eq!(lines[3].at, FOUR_SECONDS);
}

/// A future's body does not run until awaited, even across a pause; a
/// spawned task's body runs without its handle being awaited.
#[tokio::test(start_paused = true)]
async fn a_future_is_lazy_a_spawned_task_is_not() {
    let recorder = Recorder::quiet();
    let seen = basics::laziness(Runtime::Tokio, &recorder, FOUR_SECONDS)
        .await
        .unwrap();
    assert!(!seen.future_ran_before_await);
    assert!(seen.future_ran_after_await);
    assert!(seen.task_ran_before_join);
    // The plain future's body spoke only after the 4 s pause.
    let body = recorder
        .lines()
        .into_iter()
        .find(|line| line.message.starts_with("plain future"))
        .unwrap();
    assert_eq!(body.at, FOUR_SECONDS);
}

/// Ctrl-C one second in: both coroutines are cancelled while they wait,
/// at once (still 1 s), no callback runs, and the summary says so.
#[tokio::test(start_paused = true)]
async fn ctrl_c_cancels_both_coroutines_before_their_results() {
    let recorder = Recorder::quiet();
    let interrupt = Interrupt::new();
    let program = futures_and_callbacks::run(
        Runtime::Tokio,
        recorder.clone(),
        interrupt.clone(),
        5,
        10,
        FOUR_SECONDS,
    );
    let ctrl_c = async {
        tokio::time::sleep(Duration::from_secs(1)).await;
        interrupt.raise();
    };
    let (result, ()) = tokio::join!(program, ctrl_c);
    assert!(
        matches!(result, Err(CoroutineError::Interrupted(_))),
        "{result:?}"
    );
    assert_eq!(recorder.elapsed(), Duration::from_secs(1));
    assert!(recorder.messages_of(CALLBACK).is_empty());
    assert_eq!(
        interrupted_summary(&recorder),
        "first_coroutine had not set its result, second_coroutine had not set its result; \
         0 of 2 done-callbacks ran"
    );
}
