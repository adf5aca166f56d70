//! Golden traces: for fixed seeds, the exact lines both implementations
//! print, on every runtime. (Checked by hand against the transition table;
//! as in the chapter, the start state prints no `...evaluating...`.)
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use fsm::{Config, Implementation, MAIN, Wait, run, ticker::TICKER};
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

/// Seed 1: Start -1-> State 1 -0-> State 3 -1-> End.
const SEED_1: &[&str] = &[
    "start | Start State called",
    "state 1 | ...evaluating...",
    "state 3 | ...evaluating...",
    "end | ...stop computation...",
    "start | Resume of the Transition :",
    "start | Start State calling State 1 with transition value = 1",
    "start | State 1 calling State 3 with transition value = 0",
    "start | State 3 calling End State with transition value = 1",
];

/// Seed 7: six states before End, State 1 and State 3 twice.
const SEED_7: &[&str] = &[
    "start | Start State called",
    "state 2 | ...evaluating...",
    "state 1 | ...evaluating...",
    "state 3 | ...evaluating...",
    "state 1 | ...evaluating...",
    "state 3 | ...evaluating...",
    "end | ...stop computation...",
    "start | Resume of the Transition :",
    "start | Start State calling State 2 with transition value = 0",
    "start | State 2 calling State 1 with transition value = 0",
    "start | State 1 calling State 3 with transition value = 0",
    "start | State 3 calling State 1 with transition value = 0",
    "start | State 1 calling State 3 with transition value = 0",
    "start | State 3 calling End State with transition value = 1",
];

/// Seed 42: eight states before End.
const SEED_42: &[&str] = &[
    "start | Start State called",
    "state 2 | ...evaluating...",
    "state 3 | ...evaluating...",
    "state 1 | ...evaluating...",
    "state 2 | ...evaluating...",
    "state 3 | ...evaluating...",
    "state 1 | ...evaluating...",
    "state 3 | ...evaluating...",
    "end | ...stop computation...",
    "start | Resume of the Transition :",
    "start | Start State calling State 2 with transition value = 0",
    "start | State 2 calling State 3 with transition value = 1",
    "start | State 3 calling State 1 with transition value = 0",
    "start | State 1 calling State 2 with transition value = 1",
    "start | State 2 calling State 3 with transition value = 1",
    "start | State 3 calling State 1 with transition value = 0",
    "start | State 1 calling State 3 with transition value = 0",
    "start | State 3 calling End State with transition value = 1",
];

const GOLDEN: [(u64, &[&str]); 3] = [(1, SEED_1), (7, SEED_7), (42, SEED_42)];

/// The machine's own lines (not `main`'s or the ticker's), as `who | message`.
fn machine_lines(recorder: &Recorder) -> Vec<String> {
    recorder
        .lines()
        .into_iter()
        .filter(|line| line.who != MAIN && line.who != TICKER)
        .map(|line| format!("{} | {}", line.who, line.message))
        .collect()
}

fn config(seed: u64, implementation: Implementation, runtime: Runtime, delay: Duration) -> Config {
    Config {
        seed,
        delay,
        wait: Wait::Async,
        implementation,
        runtime,
    }
}

/// Both implementations print the golden trace on tokio's paused clock,
/// with the chapter's 1 s delay and the ticker running beside them.
#[tokio::test(start_paused = true)]
async fn golden_traces_on_tokio() {
    for (seed, golden) in GOLDEN {
        for implementation in [Implementation::Faithful, Implementation::Idiomatic] {
            let recorder = Recorder::quiet();
            let cfg = config(seed, implementation, Runtime::Tokio, Duration::from_secs(1));
            let outcome = run(cfg, recorder.clone(), Interrupt::new()).await.unwrap();
            assert_eq!(
                machine_lines(&recorder),
                golden,
                "seed {seed}, {implementation:?}"
            );
            let resume: Vec<&str> = golden
                .iter()
                .filter_map(|line| line.strip_prefix("start | "))
                .filter(|line| line.contains(" calling "))
                .collect();
            assert_eq!(outcome.resume, resume.join("\n"));
        }
    }
}

/// The same traces on async-std, smol and mini (delay 0: no clock involved).
#[test]
fn golden_traces_on_the_other_runtimes() {
    for runtime in [Runtime::AsyncStd, Runtime::Smol, Runtime::Mini] {
        for (seed, golden) in GOLDEN {
            for implementation in [Implementation::Faithful, Implementation::Idiomatic] {
                let recorder = Recorder::quiet();
                let cfg = config(seed, implementation, runtime, Duration::ZERO);
                let walked = runtime.block_on(run(cfg, recorder.clone(), Interrupt::new()));
                assert!(walked.is_ok(), "{runtime}: never interrupted");
                assert_eq!(
                    machine_lines(&recorder),
                    golden,
                    "{runtime}, seed {seed}, {implementation:?}"
                );
            }
        }
    }
}
