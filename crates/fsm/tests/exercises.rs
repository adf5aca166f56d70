//! The checks of the exercises on docs/fsm.md, run on the learner's files
//! in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p fsm --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs).
#![allow(clippy::unwrap_used)]

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/max_states.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/max_states.rs")]
mod max_states;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/off_the_loop.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/off_the_loop.rs")]
mod off_the_loop;

use std::time::Duration;

use fsm::table::is_valid_walk;
use fsm::{Config, Implementation, Machine, State, Wait, ticker};
use futures::channel::oneshot;
use runner::Recorder;
use runtimes::Runtime;

/// A machine on tokio with 1 s waits, seed `seed`.
fn machine(seed: u64) -> Machine {
    let config = Config {
        seed,
        delay: Duration::from_secs(1),
        wait: Wait::Async,
        implementation: Implementation::Idiomatic,
        runtime: Runtime::Tokio,
    };
    Machine::new(config, Recorder::quiet())
}

/// Seed 42 walks Start, 2, 3, 1, 2, 3, 1, 3, End. Cut after 3 states it
/// stops in State 3 after three waits (3 s); with room for all, it is the
/// whole valid walk.
#[tokio::test(start_paused = true)]
async fn max_states() {
    use State::*;
    let mut m = machine(42);
    let started = tokio::time::Instant::now();
    assert_eq!(
        max_states::walk_at_most(&mut m, 3).await,
        [Start, Two, Three]
    );
    assert_eq!(m.waits(), 3);
    assert_eq!(started.elapsed(), Duration::from_secs(3));

    let mut m = machine(42);
    let all = max_states::walk_at_most(&mut m, 100).await;
    assert_eq!(all, [Start, Two, Three, One, Two, Three, One, Three, End]);
    assert!(is_valid_walk(&m.walk()));
}

/// While `wait_off_the_loop` waits 100 ms, a ticker due every 10 ms on the
/// same loop keeps ticking (blocking the loop's thread, it would tick
/// once, late), on tokio's current-thread runtime and on mini.
#[test]
fn off_the_loop() {
    for runtime in [Runtime::Tokio, Runtime::Mini] {
        let ticks = runtime.block_on(async move {
            let (stop, stopped) = oneshot::channel();
            let period = Duration::from_millis(10);
            let ticker = ticker::ticker(runtime, Recorder::quiet(), period, stopped);
            let waiting = async {
                off_the_loop::wait_off_the_loop(runtime, Duration::from_millis(100)).await;
                let _ = stop.send(());
            };
            futures::join!(ticker, waiting).0
        });
        assert!(ticks.count >= 3, "{runtime}: {ticks:?}");
        assert!(
            ticks.max_late < Duration::from_millis(50),
            "{runtime}: {ticks:?}"
        );
    }
}
