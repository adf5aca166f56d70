//! `cargo run -p asyncio-tasks -- [--runtime R] [--delay S] [--factorial N] ...`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/asyncio-tasks.md`. A first Ctrl-C
//! cancels the tasks and says how far each had got, exit status 130.

use std::process::ExitCode;

use asyncio_tasks::{Config, RunError, interrupted_summary, run};
use clap::Parser;
use runner::flags::conflict;
use runner::output::OutputArgs;
use runtimes::Runtime;
use runtimes::clock::Clock;

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

    #[command(flatten)]
    config: Config,

    /// The clock: real, or mini's virtual clock (with --runtime mini), on
    /// which waits take no time and every time is exact.
    #[arg(long, value_enum, default_value_t = Clock::Real)]
    clock: Clock,

    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `--features console`: tokio-console shows tokio's tasks live.
    let (run_loop, recorder, interrupt) = cli.clock.start_chapter::<Cli>(cli.runtime, &cli.output);
    let config = cli.config;
    let title = format!(
        "asyncio-tasks: factorial({}), fibonacci({}), binomial_coefficient({}, {}) on {}, {:.3} s per step",
        config.factorial_n,
        config.fibonacci_n,
        config.binomial_n,
        config.binomial_k,
        cli.runtime,
        config.delay.as_secs_f64()
    );
    let outputs = cli.output.start_or_exit(&title, &recorder, &interrupt);
    let (said, steps) = (recorder.clone(), config.clone());
    interrupt.set_summary(move || interrupted_summary(&steps, &said));
    // asyncio.run(main()): the runtime runs our async code to completion.
    let tasks = run(
        cli.runtime,
        config.clone(),
        recorder.clone(),
        interrupt.clone(),
    );
    let result = run_loop.block_on(tasks);
    // Written also after a Ctrl-C: the picture of what ran until then.
    if let Err(error) = outputs.finish() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    match result {
        Ok(_) => ExitCode::SUCCESS,
        Err(RunError::Interrupted(_)) => {
            // The same line, in the same place, as a forced exit's.
            eprintln!("interrupted: {}", interrupted_summary(&config, &recorder));
            interrupt.exit_code()
        }
        // Bad input, as clap reports it: one line and the usage, exit 2.
        Err(error @ RunError::Workload(_)) => conflict::<Cli>(error),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
