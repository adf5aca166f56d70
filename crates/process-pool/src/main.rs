//! # process-pool: the chapter's `ProcessPoolExecutor`, and what it is for in Rust
//!
//! Ports the *process-pool* section (`concurrent_futures_pooling.py`). First
//! the direct port, `src/port.rs` (`--part port`): items 1..=10 through
//! `evaluate` sequentially, on the `thread-pool` crate's thread pool and on
//! this crate's process pool, each phase timed. Beyond it, in
//! `src/chapter/`: the comparison labelled and repeated (`compare`), the
//! executor's API (`api`) and failing tasks (`faults`). The pool itself is
//! the crate's library.
//!
//! ```text
//! cargo run -p process-pool -- --part port     # the Python program, in Rust
//! cargo run -p process-pool                    # compare, api, faults
//! cargo run -p process-pool -- --part faults --workers 2
//! ```
//!
//! What to look for: in `compare`, the `pid` column (each item ran in
//! another process) and each pool's median speedup with the sentence
//! saying what it means; in `faults`, the pool carrying on after a panic,
//! an abort and a `kill -9`, with new worker pids. Ctrl-C kills and reaps
//! the workers, prints how far the run got, exit status 130.
//!
//! This executable is also the pool's worker: `worker_entry`, the first
//! line of `main`, serves tasks there instead of running the chapter.

mod chapter;
mod port;

use std::process::ExitCode;

use chapter::progress::Screen;
use chapter::tasks::ChapterTask;
use chapter::{Run, api_tour, compare, faults};
use clap::{CommandFactory, Parser, ValueEnum};
use runner::Interrupt;
use runner::flags::WorkloadArgs;
use runner::output::OutputArgs;

/// The parts of the chapter, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// The Python program's direct port (src/port.rs): the three phases, timed, as Python prints them.
    Port,
    /// Items 1..=ITEMS sequentially, on a thread pool and on a process pool, timed, --rounds times.
    Compare,
    /// The process-pool phase alone.
    Pool,
    /// The executor's API: submit, result, done, cancel, map, as_completed, wait, shutdown.
    Api,
    /// A failing task, a panic, an abort, a kill -9 and a task that never returns, while the pool carries on.
    Faults,
}

impl Part {
    /// The part's phases, as the Ctrl-C summary names them.
    fn phases(self) -> Vec<&'static str> {
        match self {
            Part::Port => vec!["port"],
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

    /// Rounds of the comparison's three phases, run in turn (the first
    /// prints every item); the speedups are their medians [default: 3].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100))]
    rounds: Option<u32>,

    /// --timeline FILE.svg, --trace FILE.json.
    #[command(flatten)]
    output: OutputArgs,
}

/// The comparison's rounds unless `--rounds` says otherwise.
const DEFAULT_ROUNDS: u32 = 3;

fn main() -> ExitCode {
    // First line of main: in a worker process this serves tasks and never
    // returns (see the library's worker.rs).
    process_pool::worker_entry::<ChapterTask>();

    let cli: Cli = runner::flags::parse();
    let workload = cli.workload.workload();
    if let Err(e) = workload.check() {
        Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, e)
            .exit();
    }
    if cli.rounds.is_some() && !matches!(cli.part, None | Some(Part::Compare)) {
        runner::flags::conflict::<Cli>(
            "--rounds only applies to the comparison (--part compare, or no --part)",
        );
    }
    let workers = cli.workload.workers();
    let run = Run::new(Screen::default(), Interrupt::install_or_exit());
    let tally = run.tally.clone();
    run.interrupt.set_summary(move || tally.summary());
    let parts = match cli.part {
        Some(part) => vec![part],
        None => vec![Part::Compare, Part::Api, Part::Faults],
    };
    let title = format!(
        "process-pool: {} ({workers} workers, items 1..={} of {} iterations)",
        parts
            .iter()
            .filter_map(|part| part.to_possible_value())
            .map(|value| value.get_name().to_owned())
            .collect::<Vec<_>>()
            .join(", "),
        workload.items,
        workload.iterations
    );
    let outputs = cli.output.start_or_exit(&title, &run.out, &run.interrupt);
    for phase in parts.iter().flat_map(|part| part.phases()) {
        run.tally.plan(phase);
    }
    let status = run_parts(&run, &parts, &cli);
    // Also after a Ctrl-C: an interrupted run still draws what it did.
    if let Err(error) = outputs.finish() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    status
}

/// Runs `parts` in order; stops at the first error or at Ctrl-C.
fn run_parts(run: &Run, parts: &[Part], cli: &Cli) -> ExitCode {
    for &part in parts {
        println!();
        let outcome = run_part(run, part, cli);
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

/// Runs one part under its heading.
fn run_part(run: &Run, part: Part, cli: &Cli) -> Result<(), Box<dyn std::error::Error>> {
    let (workload, workers) = (cli.workload.workload(), cli.workload.workers());
    match part {
        Part::Port => {
            println!("== port: concurrent_futures_pooling.py, line by line ==");
            run.tally.start("port", 0);
            port::main(workload.items, workload.iterations, workers, &run.interrupt)?;
        }
        Part::Compare => {
            let rounds = cli.rounds.unwrap_or(DEFAULT_ROUNDS);
            println!(
                "== compare: sequential vs. thread pool vs. process pool \
                 (concurrent_futures_pooling.py), {rounds} rounds =="
            );
            compare::run(run, workload, workers, rounds)?;
        }
        Part::Pool => {
            println!("== pool: ProcessPoolExecutor(max_workers={workers}) ==");
            let time = compare::run_process_phase(run, workload, workers, 1)?.time;
            let time = chapter::verdict::seconds(time);
            run.out.say("main", format!("process pool phase: {time}"));
        }
        Part::Api => {
            println!("== api: the executor's methods, Python's and ours ==");
            run.tally.start("api", 0);
            api_tour::run(run)?;
        }
        Part::Faults => {
            println!("== faults: errors, panics, aborts, kill -9 and a task that hangs ==");
            run.tally.start("faults", 0);
            let items = workload.items.min(cli.workload.workers);
            faults::run(run, workers, items, workload.iterations)?;
        }
    }
    Ok(())
}
