//! `--blocking`: states that block the thread stall the ticker, on every
//! runtime; awaiting states do not. Real clock (a blocked thread does not
//! advance a paused clock), millisecond delays.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fsm::{Config, Implementation, Wait, run};
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

const DELAY: Duration = Duration::from_millis(40);

fn walk(runtime: Runtime, wait: Wait) -> fsm::Outcome {
    let config = Config {
        // Seed 1: three states before End, so 120 ms in all.
        seed: 1,
        delay: DELAY,
        wait,
        implementation: Implementation::Faithful,
        runtime,
    };
    runtime
        .block_on(run(config, Recorder::quiet(), Interrupt::new()))
        .unwrap()
}

/// Blocking waits: the ticker, due every 10 ms, ticks once, after the
/// machine has finished, late by nearly the whole walk.
#[test]
fn blocking_waits_stall_the_ticker() {
    for runtime in Runtime::ALL {
        let outcome = walk(runtime, Wait::Blocking);
        assert_eq!(outcome.waits, 3, "{runtime}");
        let ticks = outcome.ticks.unwrap();
        assert_eq!(ticks.count, 1, "{runtime}: {ticks:?}");
        assert!(ticks.max_late >= 2 * DELAY, "{runtime}: {ticks:?}");
    }
}

/// Async waits: the ticker keeps ticking while the states wait (at least
/// half its 12 expected ticks, allowing for a slow machine).
#[test]
fn async_waits_let_the_ticker_run() {
    for runtime in Runtime::ALL {
        let outcome = walk(runtime, Wait::Async);
        let ticks = outcome.ticks.unwrap();
        assert!(ticks.count >= 6, "{runtime}: {ticks:?}");
    }
}
