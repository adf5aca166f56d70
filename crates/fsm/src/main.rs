//! `cargo run -p fsm -- [--seed N] [--delay S] [--part P] [--blocking] [--runtime R]`
//!
//! Parses the command line and hands over to the library; see the crate
//! docs (`src/lib.rs`) and `docs/fsm.md`.

use std::time::Duration;

use basic_coroutines::{Runtime, Transcript};
use clap::{Parser, ValueEnum};
use fsm::{Config, Implementation, MAIN, Wait, run};

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

    /// Async runtime to run on (async-std is discontinued upstream, see
    /// RUSTSEC-2025-0052; smol is its successor).
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

fn main() {
    let cli = Cli::parse();
    let seed = cli.seed.unwrap_or_else(rand::random);
    let runtime = cli.runtime;
    let config = |implementation| Config {
        seed,
        delay: cli.delay,
        wait: if cli.blocking {
            Wait::Blocking
        } else {
            Wait::Async
        },
        implementation,
        runtime,
    };
    let transcript = Transcript::printing();
    runtime.block_on(async {
        match cli.part {
            Part::Faithful => {
                run(config(Implementation::Faithful), &transcript).await;
            }
            Part::Idiomatic => {
                run(config(Implementation::Idiomatic), &transcript).await;
            }
            Part::Both => {
                let faithful = run(config(Implementation::Faithful), &transcript).await;
                let idiomatic = run(config(Implementation::Idiomatic), &transcript).await;
                let same = faithful.walk == idiomatic.walk && faithful.resume == idiomatic.resume;
                transcript.say(
                    MAIN,
                    format!("both implementations took the same walk with seed {seed}: {same}"),
                );
            }
        }
    });
}
