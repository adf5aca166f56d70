//! `cargo run -p basic-coroutines -- NUM1 NUM2 [--runtime R] [--delay S] [--part P]`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/basic-coroutines.md`.

use std::time::Duration;

use basic_coroutines::{Runtime, Transcript, basics, futures_and_callbacks};
use clap::{CommandFactory, Parser, ValueEnum};
use common::limits;

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

    /// Async runtime to run on (async-std is discontinued upstream, see
    /// RUSTSEC-2025-0052; smol is its successor).
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

fn main() {
    let cli = Cli::parse();
    let runtime = cli.runtime;
    let transcript = Transcript::printing();
    // asyncio.run(main()) / loop.run_until_complete(...)
    let result = runtime.block_on(async {
        if matches!(cli.part, Part::Basics | Part::All) {
            basics::run(runtime, &transcript, cli.num1, cli.delay).await;
        }
        if matches!(cli.part, Part::Futures | Part::All) {
            futures_and_callbacks::run(runtime, &transcript, cli.num1, cli.num2, cli.delay).await?;
        }
        Ok::<(), futures_and_callbacks::CoroutineError>(())
    });
    if let Err(error) = result {
        Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, error)
            .exit();
    }
}
