//! The checks of the exercises on docs/basic-coroutines.md, run on the
//! learner's files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p basic-coroutines --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). On tokio's paused clock: every
//! time exact, no real waiting.
#![allow(clippy::unwrap_used)]

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/own_delays.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/own_delays.rs")]
mod own_delays;

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/two_callbacks.rs"
)]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/two_callbacks.rs")]
mod two_callbacks;

use std::time::Duration;

use basic_coroutines::futures_and_callbacks::CALLBACK;
use futures::channel::oneshot;
use runner::Recorder;
use runtimes::Runtime;

const SECOND: Duration = Duration::from_secs(1);

/// First 2 s, second 4 s: both results, the first callback at exactly 2 s,
/// the second at 4 s, the whole run 4 s (the waits overlapped).
#[tokio::test(start_paused = true)]
async fn own_delays() {
    let recorder = Recorder::quiet();
    let started = tokio::time::Instant::now();
    let (first, second) =
        own_delays::own_delays(Runtime::Tokio, recorder.clone(), 2 * SECOND, 4 * SECOND).await;
    assert_eq!(
        first.as_deref(),
        Some("First coroutine (sum of N ints) result = 15")
    );
    assert_eq!(
        second.as_deref(),
        Some("Second coroutine (factorial) result = 3628800")
    );
    let callbacks: Vec<Duration> = recorder
        .lines()
        .into_iter()
        .filter(|line| line.who == CALLBACK)
        .map(|line| line.at)
        .collect();
    assert_eq!(callbacks, [2 * SECOND, 4 * SECOND]);
    assert_eq!(started.elapsed(), 4 * SECOND);
}

/// Both callbacks get the result as soon as it is set (at 1 s), each once;
/// on a cancelled future neither is called.
#[tokio::test(start_paused = true)]
async fn two_callbacks() {
    let (set_result, future) = oneshot::channel::<String>();
    let waiter = tokio::spawn(async move {
        let both = two_callbacks::two_done_callbacks(
            future,
            |value: String| (value.len(), tokio::time::Instant::now()),
            |value: String| (value.to_uppercase(), tokio::time::Instant::now()),
        );
        both.await
    });
    let started = tokio::time::Instant::now();
    tokio::time::sleep(SECOND).await;
    set_result.send("done".to_owned()).unwrap();
    let (first, second) = waiter.await.unwrap();
    let (length, first_at) = first.unwrap();
    let (upper, second_at) = second.unwrap();
    assert_eq!((length, upper.as_str()), (4, "DONE"));
    assert_eq!((first_at - started, second_at - started), (SECOND, SECOND));

    let (cancelled, future) = oneshot::channel::<String>();
    drop(cancelled);
    let none = two_callbacks::two_done_callbacks(future, |v: String| v, |v: String| v).await;
    assert_eq!(none, (None, None));
}
