//! `cargo run -p basic-coroutines -- [NUM1 NUM2] [--part P] [--runtime R] [--delay S]`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/basic-coroutines.md`. A first Ctrl-C
//! cancels the run, says what was left undone, exit status 130.

use std::future::Future;
use std::process::ExitCode;
use std::time::Duration;

use basic_coroutines::futures_and_callbacks::{self, interrupted_summary};
use basic_coroutines::pitfalls::{PITFALL, dropped_handle, main_returns, nested_block_on};
use basic_coroutines::{CoroutineError, basics};
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, ValueEnum};
use common::limits;
use runner::output::OutputArgs;
use runner::{Interrupt, Interrupted, Recorder};
use runtimes::Runtime;
use runtimes::clock::Clock;

/// Two coroutines, two futures, two done-callbacks (the chapter's first
/// asyncio program), the basics of async/await, and four pitfalls.
///
/// The first coroutine sums 1..=NUM1, the second computes NUM2!; each waits
/// --delay seconds, then sets its future's result, and a done-callback
/// prints it. The two waits overlap: the run takes one delay, not two.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// The first coroutine computes 1 + 2 + ... + NUM1 (parts futures and
    /// all; --part basics: outer(NUM1), 10 if not given).
    num1: Option<u64>,

    /// The second coroutine computes NUM2! exactly (parts futures and all).
    #[arg(value_parser = clap::value_parser!(u64).range(0..=limits::FACTORIAL_MAX_N))]
    num2: Option<u64>,

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

    /// The clock: real, or mini's virtual clock (with --runtime mini, parts
    /// futures, basics and all), on which waits take no time and every
    /// time is exact.
    #[arg(long, value_enum, default_value_t = Clock::Real)]
    clock: Clock,

    #[command(flatten)]
    output: OutputArgs,
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
    /// Pitfall: block_on inside a runtime, and what to do instead.
    NestedBlockOn,
    /// Pitfall: spawned tasks die when main returns (or, on smol and
    /// async-std, are cut off at exit).
    MainReturns,
    /// Pitfall: dropping a task's handle detaches it, or on smol cancels it.
    DroppedHandle,
}

impl Part {
    /// Whether the part runs the chapter's program, which needs NUM1 NUM2.
    fn needs_numbers(self) -> bool {
        matches!(self, Part::Futures | Part::All)
    }

    /// Whether the part is one of the pitfalls, which run on the real clock.
    fn is_pitfall(self) -> bool {
        matches!(
            self,
            Part::NestedBlockOn | Part::MainReturns | Part::DroppedHandle
        )
    }
}

/// `outer(n)` of `--part basics` when no NUM1 is given.
const BASICS_N: u64 = 10;

/// What the command line asked for, checked (`numbers`: when both given).
#[derive(Debug, Clone, Copy)]
struct Run {
    part: Part,
    numbers: Option<(u64, u64)>,
    runtime: Runtime,
    delay: Duration,
}

/// Refuses what the parser alone cannot see (one line, exit status 2).
fn check(cli: &Cli) -> Run {
    let usage = |kind, message: String| Cli::command().error(kind, message).exit();
    let numbers = match (cli.num1, cli.num2) {
        (Some(num1), Some(num2)) => Some((num1, num2)),
        (num1, _) if cli.part.needs_numbers() => {
            let missing = num1.map_or("<NUM1> <NUM2>", |_| "<NUM2>");
            let message = format!("the following required arguments were not provided: {missing}");
            usage(ErrorKind::MissingRequiredArgument, message)
        }
        _ => None,
    };
    if cli.clock == Clock::Virtual && cli.part.is_pitfall() {
        usage(
            ErrorKind::ArgumentConflict,
            "the pitfall parts block real threads: they run on the real clock, without --clock virtual"
                .to_owned(),
        );
    }
    Run {
        part: cli.part,
        numbers,
        runtime: cli.runtime,
        delay: cli.delay,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let run = check(&cli);
    // The clock refused on another runtime than mini, tokio-console under
    // `--features console`, the Ctrl-C policy, then the clock.
    let (run_loop, recorder, interrupt) = cli.clock.start_chapter::<Cli>(run.runtime, &cli.output);
    let outputs = cli.output.start_or_exit(&title(run), &recorder, &interrupt);
    // What a forced exit (a Ctrl-C during a long factorial, or while a
    // pitfall blocks a thread) prints.
    let said = recorder.clone();
    interrupt.set_summary(move || summary(run.part, &said));
    let result = match run.part {
        // This part is about block_on itself: it calls it, twice.
        Part::MainReturns => {
            main_returns::run(run.runtime, recorder.clone(), run.delay, &interrupt).map(|_| ())
        }
        // asyncio.run(main()) / loop.run_until_complete(...)
        _ => run_loop.block_on(parts(run, recorder.clone(), interrupt.clone())),
    };
    // Written also after a Ctrl-C: the picture of what ran until then.
    if let Err(error) = outputs.finish() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CoroutineError::Interrupted(_)) => {
            // The same line, in the same place, as a forced exit's.
            eprintln!("interrupted: {}", summary(run.part, &recorder));
            interrupt.exit_code()
        }
        Err(error @ CoroutineError::Workload(_)) => Cli::command()
            .error(ErrorKind::ValueValidation, error)
            .exit(),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The timeline's title.
fn title(run: Run) -> String {
    match (run.part, run.numbers) {
        (Part::Futures | Part::All, Some((num1, num2))) => format!(
            "basic-coroutines: first_coroutine({num1}) and second_coroutine({num2}) on {}, {:.3} s waits",
            run.runtime,
            run.delay.as_secs_f64()
        ),
        (part, _) => format!(
            "basic-coroutines --part {} on {}",
            part.to_possible_value()
                .map_or_else(String::new, |v| v.get_name().to_owned()),
            run.runtime
        ),
    }
}

/// What the run had done when Ctrl-C stopped it, in one line.
fn summary(part: Part, recorder: &Recorder) -> String {
    if part.is_pitfall() {
        let said = recorder.messages_of(PITFALL).len();
        format!("stopped in the pitfall demonstration, after {said} of its lines")
    } else {
        interrupted_summary(recorder)
    }
}

/// Runs the part `--part` asks for (all but `main-returns`, which calls
/// `block_on` itself).
async fn parts(run: Run, recorder: Recorder, interrupt: Interrupt) -> Result<(), CoroutineError> {
    let (runtime, delay) = (run.runtime, run.delay);
    if matches!(run.part, Part::Basics | Part::All) {
        let n = run.numbers.map_or(BASICS_N, |(num1, _)| num1);
        until_ctrl_c(&interrupt, basics::run(runtime, recorder.clone(), n, delay)).await?;
    }
    match (run.part, run.numbers) {
        (Part::NestedBlockOn, _) => {
            until_ctrl_c(&interrupt, nested_block_on::run(runtime, recorder, delay)).await?;
        }
        (Part::DroppedHandle, _) => {
            until_ctrl_c(&interrupt, dropped_handle::run(runtime, recorder, delay)).await?;
        }
        (Part::Futures | Part::All, Some((num1, num2))) => {
            // This one cancels and awaits its own tasks on Ctrl-C.
            futures_and_callbacks::run(runtime, recorder, interrupt, num1, num2, delay).await?;
        }
        _ => {}
    }
    Ok(())
}

/// `work`, or `Interrupted` on a first Ctrl-C: `work` is then dropped,
/// which cancels it (each part awaits every task it spawns).
async fn until_ctrl_c<T>(
    interrupt: &Interrupt,
    work: impl Future<Output = Result<T, CoroutineError>>,
) -> Result<T, CoroutineError> {
    interrupt
        .token()
        .run_until_cancelled(work)
        .await
        .ok_or(Interrupted)?
}
