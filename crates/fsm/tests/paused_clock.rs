//! Timing under tokio's paused clock: one wait per state visited (End
//! excepted), each exactly one delay, and the ticker exactly on time.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fsm::{Config, Implementation, State, Wait, run, ticker_period};
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

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
/// which is one more than the number of `...evaluating...` lines (Start
/// prints none); the walk takes exactly that many seconds; each state
/// after Start evaluates one second after the previous one.
#[tokio::test(start_paused = true)]
async fn one_wait_per_state_visited() {
    for seed in 0..20 {
        for implementation in [Implementation::Faithful, Implementation::Idiomatic] {
            let recorder = Recorder::quiet();
            let outcome = run(
                config(seed, implementation),
                recorder.clone(),
                Interrupt::new(),
            )
            .await
            .unwrap();
            let states_before_end = outcome.walk.len() as u32;
            assert_eq!(outcome.waits, states_before_end);
            assert_eq!(
                outcome.elapsed,
                Duration::from_secs(states_before_end.into())
            );
            let evaluating: Vec<Duration> = recorder
                .lines()
                .into_iter()
                .filter(|line| line.message == "...evaluating...")
                .map(|line| line.at)
                .collect();
            // The start state evaluates silently (as in the chapter):
            // one line per state after it, at 2 s, 3 s, ...
            let expected: Vec<Duration> = (2..=states_before_end)
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
    let outcome = run(
        config(7, Implementation::Faithful),
        Recorder::quiet(),
        Interrupt::new(),
    )
    .await
    .unwrap();
    let ticks = outcome.ticks.unwrap();
    assert_eq!(ticks.period, ticker_period(Duration::from_secs(1)));
    assert_eq!(ticks.count, 4 * u64::from(outcome.waits));
    assert_eq!(ticks.max_late, Duration::ZERO);
}

/// Ctrl-C 1.5 s into seed 7's walk (Start -> State 2 -> ...): the walk and
/// the ticker stop at once, and the summary, read from the states' spans,
/// says where: in State 2, entered at exactly 1 s, End not reached.
#[tokio::test(start_paused = true)]
async fn ctrl_c_stops_the_walk_in_the_state_it_was_in() {
    let recorder = Recorder::quiet();
    recorder.keep_spans();
    let interrupt = Interrupt::new();
    let walk = run(
        config(7, Implementation::Idiomatic),
        recorder.clone(),
        interrupt.clone(),
    );
    let ctrl_c = async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        interrupt.raise();
    };
    let (walked, ()) = tokio::join!(walk, ctrl_c);
    assert!(walked.is_err(), "{walked:?}");
    assert_eq!(recorder.elapsed(), Duration::from_millis(1500));
    assert_eq!(
        fsm::interrupted_summary(&recorder),
        "the idiomatic walk stopped in State 2 (Start State -> State 2); End State not reached"
    );
    // The states' spans (the ticker's lane has its own).
    let spans: Vec<_> = recorder
        .spans()
        .into_iter()
        .filter(|span| span.lane == "idiomatic")
        .collect();
    assert_eq!(spans[0].end, Some(Duration::from_secs(1)));
    assert_eq!(
        (spans[1].start, spans[1].end),
        (Duration::from_secs(1), None)
    );
}

/// A walk that reached End is summed up as done, with its whole path.
#[tokio::test(start_paused = true)]
async fn a_finished_walk_is_summed_up_as_done() {
    let recorder = Recorder::quiet();
    recorder.keep_spans();
    run(
        config(1, Implementation::Faithful),
        recorder.clone(),
        Interrupt::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        fsm::interrupted_summary(&recorder),
        "the faithful walk was done (Start State -> State 1 -> State 3 -> End State)"
    );
}
