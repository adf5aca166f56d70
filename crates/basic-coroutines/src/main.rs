//! `cargo run -p basic-coroutines -- NUM1 NUM2 [--runtime R] [--delay S] [--part P]`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/basic-coroutines.md`. A first Ctrl-C
//! cancels the run, says which results were left unset, exit status 130.

use std::process::ExitCode;
use std::time::Duration;

use basic_coroutines::futures_and_callbacks::{self, interrupted_summary};
use basic_coroutines::{CoroutineError, basics};
use clap::{CommandFactory, Parser, ValueEnum};
use common::limits;
use runner::{Interrupt, Interrupted, Recorder};
use runtimes::Runtime;

/// Two coroutines, two futures, two done-callbacks (the chapter's first
/// asyncio program), and the basics of async/await.
///
/// The first coroutine sums 1..=NUM1, the second computes NUM2!; each waits
/// --delay seconds, then sets its future's result, and a done-callback
/// prints it. The two waits overlap: the run takes one delay, not two.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// The first coroutine computes 1 + 2 + ... + NUM1.
    #[arg(value_parser = clap::value_parser!(u64))]
    num1: u64,

    /// The second coroutine computes NUM2! (exactly).
    #[arg(value_parser = clap::value_parser!(u64).range(0..=limits::FACTORIAL_MAX_N))]
    num2: u64,

    /// Async runtime to run on (each one's own calls: the runtime table in
    /// crates/runtimes/src/lib.rs).
    #[arg(long, value_enum, default_value_t = Runtime::Tokio)]
    runtime: Runtime,

    /// Seconds each coroutine waits before setting its result (fractions and 0 allowed).
    #[arg(long, default_value = "4", value_parser = common::cli::parse_seconds)]
    delay: Duration,

    /// Which part to run.
    #[arg(long, value_enum, default_value_t = Part::Futures)]
    part: Part,
}

/// The parts of this chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// The chapter's program: coroutines, futures, set_result, done-callbacks.
    Futures,
    /// async fn awaiting another; a future is lazy, a spawned task is not.
    Basics,
    /// Basics first, then the chapter's program.
    All,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let interrupt = Interrupt::install_or_exit();
    let recorder = Recorder::printing();
    // What a forced exit (a Ctrl-C during a long factorial) prints.
    let said = recorder.clone();
    interrupt.set_summary(move || interrupted_summary(&said));
    // asyncio.run(main()) / loop.run_until_complete(...)
    let result = cli
        .runtime
        .block_on(parts(cli, recorder.clone(), interrupt.clone()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CoroutineError::Interrupted(_)) => {
            // The same line, in the same place, as a forced exit's.
            eprintln!("interrupted: {}", interrupted_summary(&recorder));
            interrupt.exit_code()
        }
        Err(error @ CoroutineError::Workload(_)) => Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, error)
            .exit(),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the parts `--part` asks for, one after the other.
async fn parts(cli: Cli, recorder: Recorder, interrupt: Interrupt) -> Result<(), CoroutineError> {
    let runtime = cli.runtime;
    if matches!(cli.part, Part::Basics | Part::All) {
        // The basics leave no task running: dropping their future, which
        // `run_until_cancelled` does on Ctrl-C, cancels all of it.
        let basics = basics::run(runtime, recorder.clone(), cli.num1, cli.delay);
        let token = interrupt.token();
        token
            .run_until_cancelled(basics)
            .await
            .ok_or(Interrupted)??;
    }
    if matches!(cli.part, Part::Futures | Part::All) {
        let (num1, num2, delay) = (cli.num1, cli.num2, cli.delay);
        futures_and_callbacks::run(runtime, recorder, interrupt, num1, num2, delay).await?;
    }
    Ok(())
}
