//! The checks of the exercises on docs/asyncio-tasks.md, run on the
//! learner's files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p asyncio-tasks --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). Both on tokio's paused clock:
//! every time exact, no real waiting.
#![allow(clippy::unwrap_used)]

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/sum_task.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/sum_task.rs")]
mod sum_task;

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/one_after_another.rs"
)]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/one_after_another.rs")]
mod one_after_another;

use std::time::Duration;

use asyncio_tasks::Config;
use asyncio_tasks::pause::Ctx;
use asyncio_tasks::port::{self, BINOMIAL, FACTORIAL, FIBONACCI};
use common::{BigUint, FactorialSteps};
use runner::Recorder;
use runtimes::Runtime;

const SECOND: Duration = Duration::from_secs(1);

/// A context on tokio with one-second steps, and its recorder.
fn ctx() -> (Ctx, Recorder) {
    let recorder = Recorder::quiet();
    let ctx = Ctx {
        runtime: Runtime::Tokio,
        recorder: recorder.clone(),
        delay: SECOND,
    };
    (ctx, recorder)
}

/// `sum_to(4500)`: 10,127,250, in five steps (1000, 2000, 3000, 4000,
/// 4500) one second apart, done after five seconds; and spawned beside
/// `factorial(10)` (9 steps) it takes turns with it: both are done after
/// 9 s, the longer of the two, not 14 s.
#[tokio::test(start_paused = true)]
async fn sum_task() {
    let (ctx, recorder) = ctx();
    let started = tokio::time::Instant::now();
    let total = sum_task::sum_to(ctx.clone(), 4500).await;
    assert_eq!(total, 4500 * 4501 / 2);
    assert_eq!(started.elapsed(), 5 * SECOND);
    let steps: Vec<(Duration, String)> = recorder
        .lines()
        .into_iter()
        .filter(|line| line.who == sum_task::SUM)
        .map(|line| (line.at, line.message))
        .collect();
    let expected: Vec<(Duration, String)> = [1000, 2000, 3000, 4000, 4500]
        .into_iter()
        .zip(0..)
        .map(|(i, t)| (t * SECOND, format!("Compute sum_to({i})")))
        .chain([(5 * SECOND, "sum_to(4500) = 10127250".to_owned())])
        .collect();
    assert_eq!(steps, expected);

    let started = tokio::time::Instant::now();
    let sum = Runtime::Tokio.spawn(sum_task::sum_to(ctx.clone(), 4000));
    let fact = Runtime::Tokio.spawn(port::factorial(ctx, 10, FactorialSteps::new(10).unwrap()));
    let (sum, fact) = futures::join!(sum, fact);
    assert_eq!(sum.unwrap(), 8_002_000);
    assert_eq!(fact.unwrap(), BigUint::from(3_628_800u32));
    assert_eq!(started.elapsed(), 9 * SECOND, "the two tasks overlapped");
}

/// The chapter's three coroutines awaited one after the other: the same
/// exact results, but 29 s (9 + 10 + 10 steps) instead of 10, and no
/// interleaving: every factorial line, then every Fibonacci line, then
/// every binomial line.
#[tokio::test(start_paused = true)]
async fn one_after_another() {
    let (ctx, recorder) = ctx();
    let started = tokio::time::Instant::now();
    let results = one_after_another::one_after_another(ctx, &Config::default())
        .await
        .unwrap();
    assert_eq!(
        results,
        [3_628_800u32, 55, 184_756].map(BigUint::from),
        "exact results, in order"
    );
    assert_eq!(started.elapsed(), 29 * SECOND);
    let who: Vec<String> = recorder.lines().into_iter().map(|line| line.who).collect();
    let mut runs = who.clone();
    runs.dedup();
    assert_eq!(runs, [FACTORIAL, FIBONACCI, BINOMIAL], "{who:?}");
}
