//! `--delay 0`: a step yields to the loop without setting a timer (what
//! Python's `asyncio.sleep(0)` does), so the tasks still take turns at
//! every step, and a zero-length step costs microseconds, not the
//! millisecond of a timer tick.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use asyncio_tasks::{Config, run};
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

/// No wait at all, the chapter's numbers otherwise.
fn zero_delay() -> Config {
    Config {
        delay: Duration::ZERO,
        ..Config::default()
    }
}

/// On the one-thread loops (mini and tokio's current-thread runtime) the
/// three tasks print their steps in strict turns with a zero delay, as
/// with any other: each round of three step lines comes from the three
/// tasks. (A timer that is already due does not yield on mini, smol or
/// async-std: each task would print all its steps at once.)
#[test]
fn zero_delay_steps_still_take_turns() {
    for runtime in [Runtime::Mini, Runtime::Tokio] {
        let recorder = Recorder::quiet();
        let said = recorder.clone();
        runtime
            .block_on(run(runtime, zero_delay(), said, Interrupt::new()))
            .unwrap();
        let steps: Vec<String> = recorder
            .lines()
            .into_iter()
            .filter(|line| line.message.starts_with("Compute"))
            .map(|line| line.who)
            .collect();
        // factorial has 9 steps, the others 10: 9 full rounds of three.
        for round in steps.chunks(3).take(9) {
            let mut who = round.to_vec();
            who.sort();
            assert_eq!(
                who,
                ["binomial", "factorial", "fibonacci"],
                "{runtime}: {steps:?}"
            );
        }
    }
}

/// 20,000 zero-delay steps on tokio take well under two seconds of real
/// time (a zero-length timer per step took about 1.1 ms each: 22 s).
#[test]
fn twenty_thousand_zero_delay_steps_take_well_under_two_seconds() {
    let config = Config {
        factorial_n: 0,
        fibonacci_n: 20_000,
        binomial_k: 0,
        ..zero_delay()
    };
    let started = Instant::now();
    let results = Runtime::Tokio
        .block_on(run(
            Runtime::Tokio,
            config,
            Recorder::quiet(),
            Interrupt::new(),
        ))
        .unwrap();
    let took = started.elapsed();
    assert_eq!(results.fibonacci, common::fibonacci(20_000).unwrap());
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

/// The first line says what a zero delay does instead of "0.000 s per step".
#[test]
fn the_run_says_a_zero_delay_only_yields() {
    let recorder = Recorder::quiet();
    let said = recorder.clone();
    Runtime::Mini
        .block_on(run(Runtime::Mini, zero_delay(), said, Interrupt::new()))
        .unwrap();
    let main = recorder.messages_of("main");
    assert!(
        main[0].contains("each step only yields to the loop"),
        "{main:?}"
    );
    assert!(main[1].contains("no step waited"), "{main:?}");
}
