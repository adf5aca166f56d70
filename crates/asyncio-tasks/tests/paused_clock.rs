//! The tasks under tokio's paused clock: virtual time makes every timing
//! exact (a 10-second run finishes in milliseconds), so these tests assert
//! *when* each line appeared, not just that it did.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use asyncio_tasks::tasks::{BINOMIAL, FACTORIAL, FIBONACCI};
use asyncio_tasks::{Config, run};
use basic_coroutines::{Runtime, Transcript};
use common::BigUint;

const SECOND: Duration = Duration::from_secs(1);

/// How many `Compute` lines `who` has printed so far.
fn steps_done(transcript: &Transcript, who: &str) -> usize {
    transcript
        .messages_of(who)
        .iter()
        .filter(|m| m.starts_with("Compute"))
        .count()
}

/// The chapter's run gives the exact results, and takes exactly 10 s of
/// virtual time: the longest task (10 steps), not the sum (9 + 10 + 10).
#[tokio::test(start_paused = true)]
async fn chapter_results_are_exact_and_take_the_longest_task() {
    let transcript = Transcript::quiet();
    let results = run(Runtime::Tokio, &Config::default(), &transcript)
        .await
        .unwrap();
    assert_eq!(results.factorial, BigUint::from(3_628_800u32));
    assert_eq!(results.fibonacci, BigUint::from(55u32));
    assert_eq!(results.binomial, BigUint::from(184_756u32));
    assert_eq!(results.elapsed, 10 * SECOND);
    assert_eq!(Config::default().steps(), [9, 10, 10]);
    assert_eq!(
        transcript.messages_of(BINOMIAL).last().unwrap(),
        "binomial_coefficient(20, 10) = 184756"
    );
}

/// After t seconds each task has done exactly its share of the steps: the
/// steps start at 0 s, 1 s, 2 s, ..., so at 4.5 s every task has started
/// 5 steps; at 9.5 s factorial (9 steps) is finished and the others have
/// started their 10th.
#[tokio::test(start_paused = true)]
async fn after_t_seconds_each_task_has_done_its_share() {
    let transcript = Transcript::quiet();
    let config = Config::default();
    let observer = async {
        tokio::time::sleep(Duration::from_millis(4500)).await;
        let at_4_5 = [FACTORIAL, FIBONACCI, BINOMIAL].map(|who| steps_done(&transcript, who));
        tokio::time::sleep(5 * SECOND).await;
        let at_9_5 = [FACTORIAL, FIBONACCI, BINOMIAL].map(|who| steps_done(&transcript, who));
        let factorial_done = transcript.messages_of(FACTORIAL).last().cloned();
        (at_4_5, at_9_5, factorial_done)
    };
    let (results, (at_4_5, at_9_5, factorial_done)) =
        tokio::join!(run(Runtime::Tokio, &config, &transcript), observer);
    results.unwrap();
    assert_eq!(at_4_5, [5, 5, 5]);
    assert_eq!(at_9_5, [9, 10, 10]);
    assert_eq!(factorial_done.unwrap(), "factorial(10) = 3628800");
}

/// Every step's line appears at exactly (step number) x delay, whatever the
/// delay, and the three tasks' lines interleave: the first three lines,
/// all at 0 s, come from three different tasks.
#[tokio::test(start_paused = true)]
async fn steps_are_evenly_spaced_and_interleaved() {
    let transcript = Transcript::quiet();
    let config = Config {
        delay: Duration::from_millis(250),
        ..Config::default()
    };
    run(Runtime::Tokio, &config, &transcript).await.unwrap();
    for who in [FACTORIAL, FIBONACCI, BINOMIAL] {
        let times: Vec<Duration> = transcript
            .lines()
            .into_iter()
            .filter(|line| line.who == who && line.message.starts_with("Compute"))
            .map(|line| line.elapsed)
            .collect();
        let expected: Vec<Duration> = (0..times.len() as u32)
            .map(|step| step * config.delay)
            .collect();
        assert_eq!(times, expected, "{who}");
    }
    let mut first_three: Vec<String> = transcript
        .lines()
        .into_iter()
        .filter(|line| line.who != "main")
        .take(3)
        .map(|line| line.message)
        .collect();
    first_three.sort();
    assert_eq!(
        first_three,
        [
            "Compute binomial_coefficient(1)",
            "Compute factorial(2)",
            "Compute fibonacci(0)"
        ]
    );
}

/// With uneven tasks the run takes the maximum of their step counts:
/// 3, 7 and 2 steps take 7 s, not 12 s.
#[tokio::test(start_paused = true)]
async fn total_time_is_the_maximum_not_the_sum() {
    let transcript = Transcript::quiet();
    let config = Config {
        factorial_n: 4,
        fibonacci_n: 7,
        binomial_n: 5,
        binomial_k: 2,
        delay: SECOND,
    };
    let results = run(Runtime::Tokio, &config, &transcript).await.unwrap();
    assert_eq!(results.elapsed, 7 * SECOND);
    assert_eq!(results.factorial, BigUint::from(24u32));
    assert_eq!(results.fibonacci, BigUint::from(13u32));
    assert_eq!(results.binomial, BigUint::from(10u32));
}

/// Large inputs stay exact: the results equal common's direct functions.
#[tokio::test(start_paused = true)]
async fn large_values_are_exact() {
    let transcript = Transcript::quiet();
    let config = Config {
        factorial_n: 200,
        fibonacci_n: 300,
        binomial_n: 1000,
        binomial_k: 400,
        delay: Duration::ZERO,
    };
    let results = run(Runtime::Tokio, &config, &transcript).await.unwrap();
    assert_eq!(results.factorial, common::factorial(200).unwrap());
    assert_eq!(results.fibonacci, common::fibonacci(300).unwrap());
    assert_eq!(results.binomial, common::binomial(1000, 400).unwrap());
}

/// Inputs above common's limits are refused before any task prints.
#[tokio::test(start_paused = true)]
async fn too_large_input_is_refused_before_starting() {
    let transcript = Transcript::quiet();
    let config = Config {
        factorial_n: common::limits::FACTORIAL_MAX_N + 1,
        ..Config::default()
    };
    let error = run(Runtime::Tokio, &config, &transcript).await.unwrap_err();
    assert!(error.to_string().contains("factorial"), "{error}");
    assert!(transcript.lines().is_empty());
}
