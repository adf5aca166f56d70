//! The same programs on every runtime (async-std, smol, mini, and tokio
//! with a real clock), with millisecond delays: no fake clock there, so
//! real but tiny waits.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use basic_coroutines::{basics, futures_and_callbacks};
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

const DELAY: Duration = Duration::from_millis(40);

/// Both results on every runtime, after at least one delay, with the two
/// waits overlapping.
#[test]
fn futures_and_callbacks_on_every_runtime() {
    for runtime in Runtime::ALL {
        let recorder = Recorder::quiet();
        let outcome = runtime
            .block_on(futures_and_callbacks::run(
                runtime,
                recorder.clone(),
                Interrupt::new(),
                5,
                10,
                DELAY,
            ))
            .unwrap();
        assert_eq!(outcome.first, "First coroutine (sum of N ints) result = 15");
        assert_eq!(
            outcome.second,
            "Second coroutine (factorial) result = 3628800"
        );
        assert!(outcome.elapsed >= DELAY, "{runtime}: {:?}", outcome.elapsed);
        // The waits overlapped: both coroutines had started waiting before
        // either set its result (checked by order, not by a timing bound,
        // so a busy machine cannot make it flaky).
        let messages: Vec<String> = recorder.lines().into_iter().map(|l| l.message).collect();
        let last_start = messages
            .iter()
            .rposition(|m| m.contains("waiting"))
            .unwrap();
        let first_set = messages
            .iter()
            .position(|m| m.contains("set_result"))
            .unwrap();
        assert!(last_start < first_set, "{runtime}: {messages:?}");
    }
}

/// The basics behave the same on every runtime.
#[test]
fn basics_on_every_runtime() {
    for runtime in Runtime::ALL {
        let recorder = Recorder::quiet();
        let (doubled, seen) = runtime
            .block_on(basics::run(runtime, recorder, 3, Duration::from_millis(5)))
            .unwrap();
        assert_eq!(doubled, 12, "{runtime}");
        assert!(!seen.future_ran_before_await, "{runtime}");
        assert!(seen.future_ran_after_await, "{runtime}");
        assert!(seen.task_ran_before_join, "{runtime}");
    }
}
