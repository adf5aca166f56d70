//! `cargo run -p asyncio-tasks -- [--runtime R] [--delay S] [--factorial N] ...`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/asyncio-tasks.md`. A first Ctrl-C
//! cancels the tasks and says how far each had got, exit status 130.

use std::process::ExitCode;
use std::time::Duration;

use asyncio_tasks::{Config, RunError, interrupted_summary, run};
use clap::{CommandFactory, Parser};
use common::limits;
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

/// factorial, fibonacci and binomial_coefficient as three concurrent tasks
/// (the chapter's asyncio.Task program).
///
/// Each step prints `Compute ...(i)` and awaits --delay seconds; the three
/// tasks interleave, so the run takes about the longest task, not the sum.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// Async runtime to run on (each one's own calls: the runtime table in
    /// crates/runtimes/src/lib.rs).
    #[arg(long, value_enum, default_value_t = Runtime::Tokio)]
    runtime: Runtime,

    /// Seconds each step waits (fractions and 0 allowed).
    #[arg(long, default_value = "1", value_parser = common::cli::parse_seconds)]
    delay: Duration,

    /// n for factorial(n).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=limits::FACTORIAL_MAX_N))]
    factorial: u64,

    /// n for fibonacci(n).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=limits::FIBONACCI_STEPS_MAX_N))]
    fibonacci: u64,

    /// n for binomial_coefficient(n, k).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64))]
    binomial_n: u64,

    /// k for binomial_coefficient(n, k) (the number of steps it takes).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(0..=limits::BINOMIAL_MAX_K))]
    binomial_k: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let interrupt = Interrupt::install_or_exit();
    let config = Config {
        factorial_n: cli.factorial,
        fibonacci_n: cli.fibonacci,
        binomial_n: cli.binomial_n,
        binomial_k: cli.binomial_k,
        delay: cli.delay,
    };
    let recorder = Recorder::printing();
    let (said, steps) = (recorder.clone(), config.clone());
    interrupt.set_summary(move || interrupted_summary(&steps, &said));
    // asyncio.run(main()): the runtime runs our async code to completion.
    let tasks = run(
        cli.runtime,
        config.clone(),
        recorder.clone(),
        interrupt.clone(),
    );
    match cli.runtime.block_on(tasks) {
        Ok(_) => ExitCode::SUCCESS,
        Err(RunError::Interrupted(_)) => {
            // The same line, in the same place, as a forced exit's.
            eprintln!("interrupted: {}", interrupted_summary(&config, &recorder));
            interrupt.exit_code()
        }
        Err(error @ RunError::Workload(_)) => Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, error)
            .exit(),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
