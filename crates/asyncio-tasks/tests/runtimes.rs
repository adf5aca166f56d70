//! The same program on async-std, smol and mini (and tokio on a real
//! clock): real millisecond delays, so the whole file takes well under a
//! second.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use asyncio_tasks::port::{BINOMIAL, FACTORIAL, FIBONACCI};
use asyncio_tasks::{Config, run};
use common::BigUint;
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

const DELAY: Duration = Duration::from_millis(15);

/// Exact results on every runtime; each task's steps in order; the run
/// takes at least the longest task (10 delays), and the tasks overlapped.
fn check(runtime: Runtime) {
    let recorder = Recorder::quiet();
    let config = Config {
        delay: DELAY,
        ..Config::default()
    };
    let results = runtime
        .block_on(run(runtime, config, recorder.clone(), Interrupt::new()))
        .unwrap();
    assert_eq!(results.factorial, BigUint::from(3_628_800u32));
    assert_eq!(results.fibonacci, BigUint::from(55u32));
    assert_eq!(results.binomial, BigUint::from(184_756u32));
    assert!(
        results.elapsed >= 10 * DELAY,
        "{runtime}: {:?}",
        results.elapsed
    );
    // The tasks overlapped: every task printed its first step before any
    // task printed its second (run one after another, factorial would
    // have printed all nine first). Checked by order, not by a timing
    // bound, so a busy machine cannot make it flaky.
    let first_three: Vec<String> = recorder
        .lines()
        .into_iter()
        .filter(|line| line.who != "main")
        .take(3)
        .map(|line| line.who)
        .collect();
    let mut distinct = first_three.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "{runtime}: {first_three:?}");

    let expected_factorial: Vec<String> = (2..=10)
        .map(|i| format!("Compute factorial({i})"))
        .chain(["factorial(10) = 3628800".to_owned()])
        .collect();
    assert_eq!(recorder.messages_of(FACTORIAL), expected_factorial);
    assert_eq!(recorder.messages_of(FIBONACCI).len(), 11);
    assert_eq!(recorder.messages_of(BINOMIAL).len(), 11);
}

/// async-std (see the runtime table in `crates/runtimes/src/lib.rs`).
#[test]
fn async_std_runs_the_tasks_concurrently() {
    check(Runtime::AsyncStd);
}

/// smol, async-std's successor.
#[test]
fn smol_runs_the_tasks_concurrently() {
    check(Runtime::Smol);
}

/// tokio with a real clock too, through the same `block_on` main uses.
#[test]
fn tokio_block_on_runs_the_tasks_concurrently() {
    check(Runtime::Tokio);
}

/// mini, the std-only teaching executor.
#[test]
fn mini_runs_the_tasks_concurrently() {
    check(Runtime::Mini);
}
