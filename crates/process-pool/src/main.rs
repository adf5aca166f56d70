//! # process-pool: the chapter's `ProcessPoolExecutor`, and what it is for in Rust
//!
//! Ports the *process-pool* section of the chapter (`process_pool.py` and
//! `concurrent_futures_pooling.py`): the pooling workload (items 1..=10,
//! `evaluate_item`) run sequentially, on the thread pool of the
//! `thread-pool` crate and on this crate's process pool, each phase timed;
//! then the executor's API and what happens when tasks fail. The pool is
//! the crate's library (`src/lib.rs`); the parts are in `src/chapter/`.
//!
//! ```text
//! cargo run -p process-pool                    # every part
//! cargo run -p process-pool -- --part compare  # sequential / threads / processes
//! cargo run -p process-pool -- --part faults --workers 2
//! ```
//!
//! What to look for: in `compare`, the `pid` column (each item ran in
//! another process) and the speedup of the process phase (about the number
//! of cores); in `faults`, the pool carrying on after a panic, an abort and
//! a `kill -9`, with new worker pids. Ctrl-C kills and reaps the workers
//! and prints one line saying how far the run got, exit status 130.
//!
//! This executable is also the pool's worker: each worker process is this
//! program started again, and `worker_entry` (the first line of `main`)
//! serves tasks there instead of running the chapter.

mod chapter;

use std::process::ExitCode;

use chapter::progress::Screen;
use chapter::tasks::ChapterTask;
use chapter::{Run, api_tour, compare, faults};
use clap::{CommandFactory, Parser, ValueEnum};
use runner::Interrupt;
use runner::flags::WorkloadArgs;

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

impl Part {
    /// The part's phases, as the Ctrl-C summary names them.
    fn phases(self) -> Vec<&'static str> {
        match self {
            Part::Compare => compare::PHASES.to_vec(),
            Part::Pool => vec![compare::PROCESSES],
            Part::Api => vec!["api"],
            Part::Faults => vec!["faults"],
        }
    }
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
    // returns (see the library's worker.rs).
    process_pool::worker_entry::<ChapterTask>();

    let cli = Cli::parse();
    let workload = cli.workload.workload();
    if let Err(e) = workload.check() {
        Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, e)
            .exit();
    }
    let workers = cli.workload.workers();
    let run = Run::new(Screen::default(), Interrupt::install_or_exit());
    let tally = run.tally.clone();
    run.interrupt.set_summary(move || tally.summary());
    let parts = match cli.part {
        Some(part) => vec![part],
        None => vec![Part::Compare, Part::Api, Part::Faults],
    };
    for phase in parts.iter().flat_map(|part| part.phases()) {
        run.tally.plan(phase);
    }
    for part in parts {
        println!();
        let outcome = match part {
            Part::Compare => {
                println!(
                    "== compare: sequential vs. thread pool vs. process pool \
                     (concurrent_futures_pooling.py) =="
                );
                compare::run(&run, workload, workers)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
            Part::Pool => {
                println!("== pool: ProcessPoolExecutor(max_workers={workers}) ==");
                compare::run_process_phase(&run, workload, workers)
                    .map(|phase| {
                        let time = phase.time.as_secs_f64();
                        run.out
                            .say("main", format!("process pool phase: {time:.3} s"));
                    })
                    .map_err(|e| e.to_string())
            }
            Part::Api => {
                println!("== api: the executor's methods, Python's and ours ==");
                run.tally.start("api", 0);
                api_tour::run(&run).map(drop).map_err(|e| e.to_string())
            }
            Part::Faults => {
                println!("== faults: errors, panics, aborts and kill -9 ==");
                run.tally.start("faults", 0);
                let items = workload.items.min(cli.workload.workers);
                faults::run(&run, workers, items, workload.iterations)
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        };
        if run.interrupt.raised() {
            // Every pool was stopped by the Ctrl-C action and dropped on
            // the way here, so every worker has been reaped.
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
