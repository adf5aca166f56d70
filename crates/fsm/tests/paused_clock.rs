//! Timing under tokio's paused clock: one wait per state visited (End
//! excepted), each exactly one delay, and the ticker exactly on time.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use basic_coroutines::{Runtime, Transcript};
use fsm::{Config, Implementation, State, Wait, run, ticker_period};

fn config(seed: u64, implementation: Implementation) -> Config {
    Config {
        seed,
        delay: Duration::from_secs(1),
        wait: Wait::Async,
        implementation,
        runtime: Runtime::Tokio,
    }
}

/// The number of waits equals the number of states visited before End,
/// which equals the number of `...evaluating...` lines; the walk takes
/// exactly that many seconds; each state evaluates one second after the
/// previous one.
#[tokio::test(start_paused = true)]
async fn one_wait_per_state_visited() {
    for seed in 0..20 {
        for implementation in [Implementation::Faithful, Implementation::Idiomatic] {
            let transcript = Transcript::quiet();
            let outcome = run(config(seed, implementation), &transcript).await;
            let states_before_end = outcome.walk.len() as u32;
            assert_eq!(outcome.waits, states_before_end);
            assert_eq!(
                outcome.elapsed,
                Duration::from_secs(states_before_end.into())
            );
            let evaluating: Vec<Duration> = transcript
                .lines()
                .into_iter()
                .filter(|line| line.message == "...evaluating...")
                .map(|line| line.elapsed)
                .collect();
            let expected: Vec<Duration> = (1..=states_before_end)
                .map(|k| Duration::from_secs(k.into()))
                .collect();
            assert_eq!(evaluating, expected, "seed {seed}");
            assert_eq!(outcome.walk.last().unwrap().to, State::End);
        }
    }
}

/// With the states awaiting their sleeps, the ticker gets its four turns per
/// state, every one exactly on time.
#[tokio::test(start_paused = true)]
async fn ticker_ticks_on_time_while_states_await() {
    let transcript = Transcript::quiet();
    let outcome = run(config(7, Implementation::Faithful), &transcript).await;
    let ticks = outcome.ticks.unwrap();
    assert_eq!(ticks.period, ticker_period(Duration::from_secs(1)));
    assert_eq!(ticks.count, 4 * u64::from(outcome.waits));
    assert_eq!(ticks.max_late, Duration::ZERO);
}
