//! Property: any seed gives a valid walk (every move allowed by the table,
//! Start to End), the same from both implementations, with one wait per
//! state, timed exactly on tokio's paused clock.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fsm::{Config, Implementation, Wait, run, table::is_valid_walk};
use proptest::prelude::*;
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

fn walk(seed: u64, implementation: Implementation) -> fsm::Outcome {
    // A fresh paused current-thread runtime per case: virtual time, so a
    // long walk of 1 s waits still takes microseconds.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .unwrap();
    let config = Config {
        seed,
        delay: Duration::from_secs(1),
        wait: Wait::Async,
        implementation,
        runtime: Runtime::Tokio,
    };
    // The recorder is made inside the runtime, so its start time is read
    // from the paused clock too.
    runtime
        .block_on(async { run(config, Recorder::quiet(), Interrupt::new()).await })
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any seed: a valid walk, identical from both implementations.
    #[test]
    fn any_seed_gives_a_valid_walk(seed in any::<u64>()) {
        let faithful = walk(seed, Implementation::Faithful);
        let idiomatic = walk(seed, Implementation::Idiomatic);
        prop_assert!(is_valid_walk(&faithful.walk), "{:?}", faithful.walk);
        prop_assert_eq!(&faithful.walk, &idiomatic.walk);
        prop_assert_eq!(&faithful.resume, &idiomatic.resume);
        prop_assert_eq!(faithful.waits as usize, faithful.walk.len());
        prop_assert_eq!(faithful.elapsed, Duration::from_secs(faithful.walk.len() as u64));
        prop_assert_eq!(faithful.resume.lines().count(), faithful.walk.len());
    }
}
