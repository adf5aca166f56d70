//! `cargo run -p fsm -- [--seed N] [--delay S] [--part P] [--blocking] [--runtime R]`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/fsm.md`. A first Ctrl-C stops the walk
//! and says which states it had visited, exit status 130.

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use fsm::{Config, Implementation, MAIN, Wait, interrupted_summary, run};
use runner::{Interrupt, Interrupted, Recorder};
use runtimes::Runtime;

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
    let interrupt = Interrupt::install_or_exit();
    let recorder = Recorder::printing();
    // The states' spans are what the Ctrl-C summary reads. A --blocking
    // walk cannot stop at an `.await`: the grace period's forced exit
    // prints the same summary then.
    recorder.keep_spans();
    let said = recorder.clone();
    interrupt.set_summary(move || interrupted_summary(&said));
    let faithful = Config {
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
    let idiomatic = Config {
        implementation: Implementation::Idiomatic,
        ..faithful
    };
    let (part, walks, stop) = (cli.part, recorder.clone(), interrupt.clone());
    let result = cli.runtime.block_on(async move {
        let first = if part == Part::Idiomatic {
            idiomatic
        } else {
            faithful
        };
        let outcome = run(first, walks.clone(), stop.clone()).await?;
        if part == Part::Both {
            let second = run(idiomatic, walks.clone(), stop).await?;
            let same = outcome.walk == second.walk && outcome.resume == second.resume;
            let seed = faithful.seed;
            walks.say(
                MAIN,
                format!("both implementations took the same walk with seed {seed}: {same}"),
            );
        }
        Ok::<(), Interrupted>(())
    });
    // Also when the walk ended by itself just after the Ctrl-C. The same
    // line, in the same place, as a forced exit's.
    if result.is_err() || interrupt.raised() {
        eprintln!("interrupted: {}", interrupted_summary(&recorder));
    }
    interrupt.exit_code()
}
