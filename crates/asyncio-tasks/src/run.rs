//! Around the port: the inputs checked before anything starts, the lines
//! before and after the tasks, and what Ctrl-C reports.
//!
//! A spawned task starts running at once, on its own, like a Python Task
//! (`asyncio.create_task`); the handles only let us wait for it and take
//! its result. `join!` polls the three handles together and finishes when
//! the last one does, which is what `asyncio.wait(tasks)` (with its
//! default `ALL_COMPLETED`) waits for.

use std::time::Duration;

use common::{BigUint, BinomialSteps, FactorialSteps, FibonacciSteps, WorkloadError, limits};
use runner::{Interrupt, Interrupted, Recorder};
use runtimes::{Runtime, TaskError};

use crate::pause::Ctx;
use crate::port::{self, BINOMIAL, FACTORIAL, FIBONACCI};

/// Why the run gave no results.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An input is above the limit `common` sets to keep a run short.
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// The task of label `.0` gave no value: it panicked, or was cancelled.
    #[error("the {0} task failed: {1}")]
    Task(&'static str, #[source] TaskError),
    /// Ctrl-C stopped the run; the tasks were cancelled.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

/// The numbers to compute and the wait per step (Python's `args`): the
/// command line's flags, and their defaults the chapter's program.
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct Config {
    /// Seconds each step waits (fractions allowed; 0 only yields to the other tasks).
    #[arg(long, default_value = "1", value_parser = common::cli::parse_seconds)]
    pub delay: Duration,

    /// n for factorial(n).
    #[arg(long = "factorial", value_name = "FACTORIAL", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=limits::FACTORIAL_MAX_N))]
    pub factorial_n: u64,

    /// n for fibonacci(n).
    #[arg(long = "fibonacci", value_name = "FIBONACCI", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=limits::FIBONACCI_STEPS_MAX_N))]
    pub fibonacci_n: u64,

    /// n for binomial_coefficient(n, k).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64))]
    pub binomial_n: u64,

    /// k for binomial_coefficient(n, k) (the number of steps it takes).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=limits::BINOMIAL_MAX_K))]
    pub binomial_k: u64,
}

impl Default for Config {
    /// The chapter's program.
    fn default() -> Self {
        Self {
            factorial_n: 10,
            fibonacci_n: 10,
            binomial_n: 20,
            binomial_k: 10,
            delay: Duration::from_secs(1),
        }
    }
}

impl Config {
    /// How many steps (and so waits) each task takes: factorial multiplies
    /// by 2..=n, Fibonacci adds n times, binomial takes k steps.
    pub fn steps(&self) -> [u64; 3] {
        [
            self.factorial_n.saturating_sub(1),
            self.fibonacci_n,
            self.binomial_k,
        ]
    }
}

/// The three computations, checked against `common`'s limits, not started.
#[derive(Debug)]
pub struct Steps {
    /// factorial's steps.
    pub factorial: FactorialSteps,
    /// Fibonacci's steps.
    pub fibonacci: FibonacciSteps,
    /// binomial's steps.
    pub binomial: BinomialSteps,
}

impl Steps {
    /// The steps of `config`, or the error of the first input above its limit.
    pub fn new(config: &Config) -> Result<Self, WorkloadError> {
        Ok(Self {
            factorial: FactorialSteps::new(config.factorial_n)?,
            fibonacci: FibonacciSteps::new(config.fibonacci_n)?,
            binomial: BinomialSteps::new(config.binomial_n, config.binomial_k)?,
        })
    }
}

/// The three exact results and how long the whole run took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    /// `factorial(n)`.
    pub factorial: BigUint,
    /// `fibonacci(n)`.
    pub fibonacci: BigUint,
    /// `binomial_coefficient(n, k)`.
    pub binomial: BigUint,
    /// From spawning the tasks to the last one finishing.
    pub elapsed: Duration,
}

/// Label (and timeline lane) of the lines `run` itself prints.
pub const MAIN: &str = "main";

/// Runs the three tasks concurrently on `runtime` (awaited inside it) and
/// returns their results; a first Ctrl-C (`interrupt`) cancels all three.
pub async fn run(
    runtime: Runtime,
    config: Config,
    recorder: Recorder,
    interrupt: Interrupt,
) -> Result<Results, RunError> {
    // Validate every input first: a bad one stops the run before any task
    // has printed a line.
    let steps = Steps::new(&config)?;
    let ctx = Ctx {
        runtime,
        recorder: recorder.clone(),
        delay: config.delay,
    };
    let started = recorder.elapsed();
    let pace = if config.delay.is_zero() {
        // The true cost of a step then: no timer at all (see `pause`).
        "no wait per step: each step only yields to the loop, \
         as asyncio.sleep(0) does, with no timer"
            .to_owned()
    } else {
        format!("{:.3} s per step", config.delay.as_secs_f64())
    };
    recorder.say(MAIN, format!("creating 3 tasks on {runtime}, {pace}"));

    let [factorial, fibonacci, binomial] = port::main(ctx, &config, steps, &interrupt).await;
    interrupt.check()?;
    let failed = |task| move |source| RunError::Task(task, source);
    let factorial = factorial.map_err(failed(FACTORIAL))?;
    let fibonacci = fibonacci.map_err(failed(FIBONACCI))?;
    let binomial = binomial.map_err(failed(BINOMIAL))?;

    let elapsed = recorder.elapsed() - started;
    recorder.say(MAIN, done_line(&config, elapsed));
    Ok(Results {
        factorial,
        fibonacci,
        binomial,
        elapsed,
    })
}

/// The last line: how long the run took, beside what the steps add up to
/// when they overlap (the longest task) and when they do not (the sum).
fn done_line(config: &Config, elapsed: Duration) -> String {
    let steps = config.steps();
    let longest = steps.iter().max().copied().unwrap_or(0);
    let total: u64 = steps.iter().sum();
    let took = elapsed.as_secs_f64();
    if config.delay.is_zero() {
        return format!(
            "all 3 tasks done in {took:.3} s: no step waited, so that is computing and \
             printing; the tasks still took turns at each of the {total} steps"
        );
    }
    let delay = config.delay.as_secs_f64();
    format!(
        "all 3 tasks done in {took:.3} s: the longest task's {longest} steps of {delay:.3} s \
         take {:.3} s; one after another, all {total} steps would take {:.3} s",
        longest as f64 * delay,
        total as f64 * delay
    )
}

/// What the run had done when Ctrl-C stopped it, in one line. Read from
/// the recorded lines, so that it is as true when the tasks stopped at
/// their `.await` as when the grace period ended the process.
pub fn interrupted_summary(config: &Config, recorder: &Recorder) -> String {
    let tasks = [FACTORIAL, FIBONACCI, BINOMIAL]
        .into_iter()
        .zip(config.steps());
    let said: Vec<String> = tasks
        .map(|(task, steps)| {
            let lines = recorder.messages_of(task);
            let computed = lines
                .iter()
                .filter(|line| line.starts_with("Compute"))
                .count();
            // After its steps, a task's last line is its result.
            if lines.len() > computed {
                format!("{task} finished")
            } else {
                format!("{task} stopped after {computed} of {steps} steps")
            }
        })
        .collect();
    said.join(", ")
}
