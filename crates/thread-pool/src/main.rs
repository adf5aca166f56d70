//! `cargo run -p thread-pool`: the thread-pool chapter. See the library's
//! documentation (`src/lib.rs`) for what each part shows.

use clap::{Parser, ValueEnum};
use common::clock::Clock;
use std::process::ExitCode;
use thread_pool::compare::{self, WorkloadArgs};
use thread_pool::{executor_demo, threads};

/// The parts of the chapter, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// Part 1: threading.Thread -> std::thread (start, join, is_alive, daemon, pid).
    Threads,
    /// Part 2: ThreadPoolExecutor -> a pool on rayon (submit, result, done, map, shutdown).
    Executor,
    /// Part 3: the pooling workload, sequential vs. a pool of --workers threads.
    Compare,
}

/// Threads and thread pools: the Rust counterparts of Python's `threading`
/// and `concurrent.futures.ThreadPoolExecutor`.
#[derive(Debug, Parser)]
#[command(name = "thread-pool", version, allow_negative_numbers = true)]
struct Cli {
    /// Run one part only (default: all three, in order).
    #[arg(long, value_enum)]
    part: Option<Part>,

    /// --workers, --items, --iterations (shared with the other pool chapter).
    #[command(flatten)]
    workload: WorkloadArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let clock = Clock::start();
    // Part 2 panics a task on purpose. The default panic message (with a
    // backtrace when RUST_BACKTRACE is set) would bury the output; one
    // labelled line says the same. The pool still catches the panic and
    // hands it to the task's handle.
    std::panic::set_hook(Box::new(move |info| {
        let message = info.payload_as_str().unwrap_or("a non-text payload");
        clock.say_here(format!("panicked: {message:?} (the pool catches it)"));
    }));
    let parts = match cli.part {
        Some(part) => vec![part],
        None => vec![Part::Threads, Part::Executor, Part::Compare],
    };
    for part in parts {
        println!();
        let outcome = match part {
            Part::Threads => {
                println!("== Part 1: threads (threading.Thread -> std::thread) ==");
                threads::run(clock).map(drop).map_err(|e| e.to_string())
            }
            Part::Executor => {
                println!("== Part 2: ThreadPoolExecutor -> ThreadPoolExecutor on rayon ==");
                executor_demo::run(clock)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Part::Compare => {
                println!("== Part 3: sequential vs. thread pool (seeds 003/004) ==");
                compare::run(clock, cli.workload.workload(), cli.workload.workers())
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        };
        if let Err(message) = outcome {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
