//! `cargo run -p process-pool`: the process-pool chapter. See the library's
//! documentation (`src/lib.rs`) for what each part shows.

use std::process::ExitCode;

use clap::{CommandFactory, Parser, ValueEnum};
use common::clock::Clock;
use process_pool::progress::Interrupt;
use process_pool::tasks::ChapterTask;
use process_pool::{api_tour, compare, faults};
use thread_pool::compare::WorkloadArgs;

/// The parts of the chapter, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// Items 1..=ITEMS sequentially, on a thread pool and on a process pool, timed.
    Compare,
    /// The process-pool phase alone.
    Pool,
    /// The executor's API: submit, result, done, cancel, map(chunksize), shutdown.
    Api,
    /// A failing task, a panicking task, an abort and a kill -9, while the pool carries on.
    Faults,
}

/// A ProcessPoolExecutor for Rust: worker processes, typed tasks, and what
/// they are good for.
#[derive(Debug, Parser)]
#[command(name = "process-pool", version, allow_negative_numbers = true)]
struct Cli {
    /// Run one part only (default: compare, api, faults).
    #[arg(long, value_enum)]
    part: Option<Part>,

    /// --workers, --items, --iterations (shared with the other pool chapter).
    #[command(flatten)]
    workload: WorkloadArgs,
}

fn main() -> ExitCode {
    // First line of main: in a worker process this serves tasks and never
    // returns (see process_pool::worker).
    process_pool::worker_entry::<ChapterTask>();

    let cli = Cli::parse();
    let workload = cli.workload.workload();
    if let Err(e) = workload.check() {
        Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, e)
            .exit();
    }
    let workers = cli.workload.workers();
    let interrupt = match Interrupt::install() {
        Ok(interrupt) => interrupt,
        Err(e) => {
            eprintln!("error: cannot install the Ctrl-C handler: {e}");
            return ExitCode::FAILURE;
        }
    };
    let clock = Clock::start();
    let parts = match cli.part {
        Some(part) => vec![part],
        None => vec![Part::Compare, Part::Api, Part::Faults],
    };
    for part in parts {
        println!();
        let outcome = match part {
            Part::Compare => {
                println!(
                    "== compare: sequential vs. thread pool vs. process pool (seeds 003/004) =="
                );
                compare::run(clock, workload, workers, &interrupt)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Part::Pool => {
                println!("== pool: ProcessPoolExecutor(max_workers={workers}) ==");
                compare::run_process_phase(clock, workload, workers, &interrupt)
                    .map(|phase| {
                        clock.say(
                            "main",
                            format!("process pool phase: {:.3} s", phase.time.as_secs_f64()),
                        );
                    })
                    .map_err(|e| e.to_string())
            }
            Part::Api => {
                println!("== api: the executor's methods, Python's and ours ==");
                api_tour::run(clock).map(drop).map_err(|e| e.to_string())
            }
            Part::Faults => {
                println!("== faults: errors, panics, aborts and kill -9 ==");
                faults::run(
                    clock,
                    workers,
                    workload.items.min(cli.workload.workers),
                    workload.iterations,
                    &interrupt,
                )
                .map(drop)
                .map_err(|e| e.to_string())
            }
        };
        if interrupt.raised() {
            // Every pool was stopped by the handler and dropped on the way
            // here, so every worker has been reaped.
            eprintln!("interrupted");
            return ExitCode::from(130);
        }
        if let Err(message) = outcome {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
