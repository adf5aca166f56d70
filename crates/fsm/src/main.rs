//! `cargo run -p fsm -- [--seed N] [--delay S] [--part P] [--blocking] [--runtime R]`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/fsm.md`. A first Ctrl-C stops the walk
//! and says which states it had visited, exit status 130.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use fsm::{Config, Implementation, MAIN, Wait, interrupted_summary, run};
use runner::Interrupted;
use runner::output::OutputArgs;
use runtimes::Runtime;
use runtimes::clock::Clock;

/// A finite state machine made of coroutines (the chapter's FSM program).
///
/// States Start, 1, 2, 3 and End; each state draws a random 0 or 1, waits
/// --delay seconds and moves on by the chapter's table, until End. A ticker
/// runs beside the machine; --blocking makes the states block the thread
/// (as the Python original did) and the ticker stall.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// Seed of the random draws (default: a random seed, printed so the run
    /// can be replayed).
    #[arg(long)]
    seed: Option<u64>,

    /// Seconds each state waits (fractions and 0 allowed; 0 turns the ticker off).
    #[arg(long, default_value = "1", value_parser = common::cli::parse_seconds)]
    delay: Duration,

    /// Which implementation to run.
    #[arg(long, value_enum, default_value_t = Part::Faithful)]
    part: Part,

    /// Wait with std::thread::sleep, like the original's time.sleep: blocks
    /// the executor thread, and the ticker stalls.
    #[arg(long)]
    blocking: bool,

    /// Async runtime to run on (each one's own calls: the runtime table in
    /// crates/runtimes/src/lib.rs).
    #[arg(long, value_enum, default_value_t = Runtime::Tokio)]
    runtime: Runtime,

    /// The clock: real, or mini's virtual clock (with --runtime mini), on
    /// which waits (and --blocking's blocks) take no time and every time
    /// is exact.
    #[arg(long, value_enum, default_value_t = Clock::Real)]
    clock: Clock,

    #[command(flatten)]
    output: OutputArgs,
}

/// The parts of this chapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// States as async fns awaiting each other (boxed recursion), as in Python.
    Faithful,
    /// An enum state and a loop.
    Idiomatic,
    /// Both, with the same seed, and check they took the same walk.
    Both,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `--features console`: tokio-console shows tokio's tasks live.
    let (run_loop, recorder, interrupt) = cli.clock.start_chapter::<Cli>(cli.runtime, &cli.output);
    // The states' spans are what the Ctrl-C summary reads. A --blocking
    // walk cannot stop at an `.await`: the grace period's forced exit
    // prints the same summary then.
    recorder.keep_spans();
    let said = recorder.clone();
    interrupt.set_summary(move || interrupted_summary(&said));
    let config = Config {
        seed: cli.seed.unwrap_or_else(rand::random),
        delay: cli.delay,
        wait: if cli.blocking {
            Wait::Blocking
        } else {
            Wait::Async
        },
        implementation: Implementation::Faithful,
        runtime: cli.runtime,
    };
    let implementations = match cli.part {
        Part::Faithful => vec![Implementation::Faithful],
        Part::Idiomatic => vec![Implementation::Idiomatic],
        Part::Both => vec![Implementation::Faithful, Implementation::Idiomatic],
    };
    let names: Vec<_> = implementations.iter().map(|i| i.name()).collect();
    let title = format!(
        "fsm: seed {}, {} walk, {} waits of {:.3} s, on {}",
        config.seed,
        names.join(" and "),
        if cli.blocking { "blocking" } else { "async" },
        cli.delay.as_secs_f64(),
        cli.runtime
    );
    let outputs = cli.output.start_or_exit(&title, &recorder, &interrupt);
    let (walks, stop) = (recorder.clone(), interrupt.clone());
    let walks_body = async move {
        let mut outcomes = Vec::new();
        for implementation in implementations {
            let config = Config {
                implementation,
                ..config
            };
            outcomes.push(run(config, walks.clone(), stop.clone()).await?);
        }
        if let [faithful, idiomatic] = &outcomes[..] {
            let same = faithful.walk == idiomatic.walk && faithful.resume == idiomatic.resume;
            let seed = config.seed;
            walks.say(
                MAIN,
                format!("both implementations took the same walk with seed {seed}: {same}"),
            );
        }
        Ok::<(), Interrupted>(())
    };
    // tokio-console shows spawned tasks only, and `block_on`'s own future
    // is none: with the console, the walks run as a task of their own.
    #[cfg(feature = "console")]
    let walks_body = async move {
        Runtime::Tokio
            .spawn(walks_body)
            .await
            .unwrap_or_else(|error| {
                eprintln!("error: the walk failed: {error}");
                std::process::exit(1)
            })
    };
    let result = run_loop.block_on(walks_body);
    // Written also after a Ctrl-C: the picture of what ran until then.
    if let Err(error) = outputs.finish() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    // Also when the walk ended by itself just after the Ctrl-C. The same
    // line, in the same place, as a forced exit's.
    if result.is_err() || interrupt.raised() {
        eprintln!("interrupted: {}", interrupted_summary(&recorder));
    }
    interrupt.exit_code()
}
