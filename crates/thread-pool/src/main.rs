//! # thread-pool: threads, a ThreadPoolExecutor, and why pools pay off in Rust
//!
//! Ports the chapter's thread-pool section: `threading.Thread`,
//! `concurrent.futures.ThreadPoolExecutor` (`thread_pool.py`) and the
//! pooling comparison (`concurrent_futures_pooling.py`). The executor is
//! the crate's library (`src/lib.rs`); the parts of the chapter are the
//! modules in `src/chapter/`.
//!
//! Run it all with `cargo run -p thread-pool` (a few seconds), or one part:
//!
//! ```text
//! cargo run -p thread-pool -- --part threads
//! cargo run -p thread-pool -- --part executor
//! cargo run -p thread-pool --release -- --part compare --workers 5
//! ```
//!
//! What to look for in the output: every line starts with the time since
//! the start and the thread that printed it. In `threads`, `is_finished`
//! before and after `join` and a detached thread ticking on its own; in
//! `executor`, results read back in input order while the work ran on
//! `worker-0` and `worker-1`, and one failing and one panicking task that
//! leave the others alone; in `compare`, items finishing out of order on
//! several workers and a speedup near the number of cores, which Python's
//! threads cannot give this loop because of the GIL.
//!
//! Ctrl-C stops the run between items (the pool cancels what has not
//! started) and prints one line saying how far it got, exit status 130.

mod chapter;

use chapter::compare::{self, Run};
use chapter::{executor_demo, threads};
use clap::{Parser, ValueEnum};
use runner::flags::WorkloadArgs;
use runner::{Interrupt, Recorder, Tally};
use std::process::ExitCode;

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

impl Part {
    /// The part's phases, as the Ctrl-C summary names them.
    fn phases(self) -> Vec<&'static str> {
        match self {
            Part::Threads => vec!["threads"],
            Part::Executor => vec!["executor"],
            Part::Compare => compare::PHASES.to_vec(),
        }
    }
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
    let run = Run {
        out: Recorder::printing(),
        interrupt: Interrupt::install_or_exit(),
        tally: Tally::new(),
    };
    let tally = run.tally.clone();
    run.interrupt.set_summary(move || tally.summary());
    // Part 2 panics a task on purpose. The default panic message (with a
    // backtrace when RUST_BACKTRACE is set) would bury the output; one
    // labelled line says the same. The pool still catches the panic and
    // hands it to the task's handle.
    let out = run.out.clone();
    runner::panic_hook::install(move |panic| {
        let message = format!("panicked: {:?} (the pool catches it)", panic.message);
        out.say(&panic.thread, message);
    });
    let parts = match cli.part {
        Some(part) => vec![part],
        None => vec![Part::Threads, Part::Executor, Part::Compare],
    };
    for phase in parts.iter().flat_map(|part| part.phases()) {
        run.tally.plan(phase);
    }
    for part in parts {
        println!();
        let outcome = match part {
            Part::Threads => {
                println!("== Part 1: threads (threading.Thread -> std::thread) ==");
                run.tally.start("threads", 0);
                threads::run(&run.out).map(drop).map_err(|e| e.to_string())
            }
            Part::Executor => {
                println!("== Part 2: ThreadPoolExecutor -> ThreadPoolExecutor on rayon ==");
                run.tally.start("executor", 0);
                executor_demo::run(&run.out)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Part::Compare => {
                println!(
                    "== Part 3: sequential vs. thread pool (concurrent_futures_pooling.py) =="
                );
                compare::run(&run, cli.workload.workload(), cli.workload.workers())
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        };
        if run.interrupt.raised() {
            // Whatever the part returned, it stopped because of Ctrl-C, and
            // every pool it started has been shut down on the way here.
            eprintln!("interrupted: {}", run.tally.summary());
            return run.interrupt.exit_code();
        }
        if let Err(message) = outcome {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
        run.tally.finish();
    }
    ExitCode::SUCCESS
}
