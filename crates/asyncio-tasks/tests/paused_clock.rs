//! The tasks under tokio's paused clock: virtual time makes every timing
//! exact (a 10-second run finishes in milliseconds), so these tests assert
//! *when* each line appeared, not just that it did.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use asyncio_tasks::port::{BINOMIAL, FACTORIAL, FIBONACCI};
use asyncio_tasks::{Config, Results, RunError, interrupted_summary, run};
use common::BigUint;
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

const SECOND: Duration = Duration::from_secs(1);

/// The program on tokio, never interrupted.
async fn run_on_tokio(config: &Config, recorder: &Recorder) -> Result<Results, RunError> {
    run(
        Runtime::Tokio,
        config.clone(),
        recorder.clone(),
        Interrupt::new(),
    )
    .await
}

/// How many `Compute` lines `who` has printed so far.
fn steps_done(recorder: &Recorder, who: &str) -> usize {
    recorder
        .messages_of(who)
        .iter()
        .filter(|m| m.starts_with("Compute"))
        .count()
}

/// The chapter's run gives the exact results, and takes exactly 10 s of
/// virtual time: the longest task (10 steps), not the sum (9 + 10 + 10).
#[tokio::test(start_paused = true)]
async fn chapter_results_are_exact_and_take_the_longest_task() {
    let recorder = Recorder::quiet();
    let results = run_on_tokio(&Config::default(), &recorder).await.unwrap();
    assert_eq!(results.factorial, BigUint::from(3_628_800u32));
    assert_eq!(results.fibonacci, BigUint::from(55u32));
    assert_eq!(results.binomial, BigUint::from(184_756u32));
    assert_eq!(results.elapsed, 10 * SECOND);
    assert_eq!(Config::default().steps(), [9, 10, 10]);
    assert_eq!(
        recorder.messages_of(BINOMIAL).last().unwrap(),
        "binomial_coefficient(20, 10) = 184756"
    );
}

/// After t seconds each task has done exactly its share of the steps: the
/// steps start at 0 s, 1 s, 2 s, ..., so at 4.5 s every task has started
/// 5 steps; at 9.5 s factorial (9 steps) is finished and the others have
/// started their 10th.
#[tokio::test(start_paused = true)]
async fn after_t_seconds_each_task_has_done_its_share() {
    let recorder = Recorder::quiet();
    let config = Config::default();
    let observer = async {
        tokio::time::sleep(Duration::from_millis(4500)).await;
        let at_4_5 = [FACTORIAL, FIBONACCI, BINOMIAL].map(|who| steps_done(&recorder, who));
        tokio::time::sleep(5 * SECOND).await;
        let at_9_5 = [FACTORIAL, FIBONACCI, BINOMIAL].map(|who| steps_done(&recorder, who));
        let factorial_done = recorder.messages_of(FACTORIAL).last().cloned();
        (at_4_5, at_9_5, factorial_done)
    };
    let (results, (at_4_5, at_9_5, factorial_done)) =
        tokio::join!(run_on_tokio(&config, &recorder), observer);
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
    let recorder = Recorder::quiet();
    let config = Config {
        delay: Duration::from_millis(250),
        ..Config::default()
    };
    run_on_tokio(&config, &recorder).await.unwrap();
    for who in [FACTORIAL, FIBONACCI, BINOMIAL] {
        let times: Vec<Duration> = recorder
            .lines()
            .into_iter()
            .filter(|line| line.who == who && line.message.starts_with("Compute"))
            .map(|line| line.at)
            .collect();
        let expected: Vec<Duration> = (0..times.len() as u32)
            .map(|step| step * config.delay)
            .collect();
        assert_eq!(times, expected, "{who}");
    }
    let mut first_three: Vec<String> = recorder
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
    let recorder = Recorder::quiet();
    let config = Config {
        factorial_n: 4,
        fibonacci_n: 7,
        binomial_n: 5,
        binomial_k: 2,
        delay: SECOND,
    };
    let results = run_on_tokio(&config, &recorder).await.unwrap();
    assert_eq!(results.elapsed, 7 * SECOND);
    assert_eq!(results.factorial, BigUint::from(24u32));
    assert_eq!(results.fibonacci, BigUint::from(13u32));
    assert_eq!(results.binomial, BigUint::from(10u32));
}

/// Large inputs stay exact: the results equal common's direct functions.
#[tokio::test(start_paused = true)]
async fn large_values_are_exact() {
    let recorder = Recorder::quiet();
    let config = Config {
        factorial_n: 200,
        fibonacci_n: 300,
        binomial_n: 1000,
        binomial_k: 400,
        delay: Duration::ZERO,
    };
    let results = run_on_tokio(&config, &recorder).await.unwrap();
    assert_eq!(results.factorial, common::factorial(200).unwrap());
    assert_eq!(results.fibonacci, common::fibonacci(300).unwrap());
    assert_eq!(results.binomial, common::binomial(1000, 400).unwrap());
}

/// Inputs above common's limits are refused before any task prints.
#[tokio::test(start_paused = true)]
async fn too_large_input_is_refused_before_starting() {
    let recorder = Recorder::quiet();
    let config = Config {
        factorial_n: common::limits::FACTORIAL_MAX_N + 1,
        ..Config::default()
    };
    let error = run_on_tokio(&config, &recorder).await.unwrap_err();
    assert!(error.to_string().contains("factorial"), "{error}");
    assert!(recorder.lines().is_empty());
}

/// Ctrl-C at `at` into a run of `config`: what the run returned, and the
/// recorder.
async fn interrupted_at(at: Duration, config: &Config) -> (Result<Results, RunError>, Recorder) {
    let recorder = Recorder::quiet();
    let interrupt = Interrupt::new();
    let tasks = run(
        Runtime::Tokio,
        config.clone(),
        recorder.clone(),
        interrupt.clone(),
    );
    let ctrl_c = async {
        tokio::time::sleep(at).await;
        interrupt.raise();
    };
    let (result, ()) = tokio::join!(tasks, ctrl_c);
    (result, recorder)
}

/// Ctrl-C at 3.5 s: the three tasks are cancelled in their sleeps at once,
/// none gives a result, and the summary says each had computed 4 steps.
#[tokio::test(start_paused = true)]
async fn ctrl_c_cancels_the_three_tasks_and_says_how_far_they_got() {
    let config = Config::default();
    let (result, recorder) = interrupted_at(Duration::from_millis(3500), &config).await;
    assert!(
        matches!(result, Err(RunError::Interrupted(_))),
        "{result:?}"
    );
    assert_eq!(recorder.elapsed(), Duration::from_millis(3500));
    assert_eq!(
        interrupted_summary(&config, &recorder),
        "factorial stopped after 4 of 9 steps, fibonacci stopped after 4 of 10 steps, \
         binomial stopped after 4 of 10 steps"
    );
}

/// A task that finished before Ctrl-C (factorial(3): 2 steps, done at
/// 2 s) is reported as finished, the others by their steps.
#[tokio::test(start_paused = true)]
async fn ctrl_c_reports_a_finished_task_as_finished() {
    let config = Config {
        factorial_n: 3,
        ..Config::default()
    };
    let (result, recorder) = interrupted_at(Duration::from_millis(2500), &config).await;
    assert!(result.is_err());
    assert_eq!(
        interrupted_summary(&config, &recorder),
        "factorial finished, fibonacci stopped after 3 of 10 steps, \
         binomial stopped after 3 of 10 steps"
    );
}
