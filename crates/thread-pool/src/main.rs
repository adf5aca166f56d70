//! # thread-pool: threads, a ThreadPoolExecutor, and why pools pay off in Rust
//!
//! Ports the chapter's thread-pool section, `python/thread_pool.py`:
//! `threading.Thread`, `concurrent.futures.ThreadPoolExecutor` and the
//! pooling comparison (`concurrent_futures_pooling.py`). The direct port
//! of its executor and pooling parts is `src/port.rs`; the threads part
//! and what the Rust run adds are the modules in `src/chapter/`; the
//! executor itself is the crate's library (`src/lib.rs`).
//!
//! Run it all with `cargo run -p thread-pool` (a few seconds), or one part:
//!
//! ```text
//! cargo run -p thread-pool -- --part threads
//! cargo run -p thread-pool -- --part executor
//! cargo run -p thread-pool --release -- --part compare
//! cargo run -p thread-pool -- --part pitfall
//! ```
//!
//! What to look for in the output: every line starts with the time since
//! the start and the thread that printed it. In `threads`, `is_finished`
//! before and after `join` and a detached thread ticking on its own; in
//! `executor`, results read back in input order, one failing and one
//! panicking task that leave the others alone, and which worker ran what;
//! in `compare`, the pooled items finishing out of order on several
//! workers, then the speedup measured over alternated rounds (median and
//! spread) with the reason for the number measured; in `pitfall`, two
//! stalls of a pool whose workers wait on the pool, each detected and
//! released, then fixed.
//!
//! Ctrl-C stops the run between items (the pool cancels what has not
//! started) and prints one line saying how far it got, exit status 130.

mod chapter;
mod port;

use chapter::{ChapterError, Run, measure, pitfall, threads, workers};
use clap::{Parser, ValueEnum};
use runner::flags::WorkloadArgs;
use runner::output::OutputArgs;
use runner::{Interrupt, Recorder, Tally};
use std::io::Write as _;
use std::process::ExitCode;

/// The parts of the chapter, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// Part 1: threading.Thread -> std::thread (start, join, is_alive, daemon, pid).
    Threads,
    /// Part 2: ThreadPoolExecutor -> a pool on rayon (submit, result, done, map, shutdown).
    Executor,
    /// Part 3: the pooling workload, sequential vs. a pool of --workers threads, measured.
    Compare,
    /// Part 4: a pitfall, workers blocked waiting on their own pool (stalled, then fixed).
    Pitfall,
}

impl Part {
    /// The part's phases, as the Ctrl-C summary names them.
    fn phases(self) -> Vec<&'static str> {
        match self {
            Part::Threads => vec!["threads"],
            Part::Executor => vec!["executor"],
            Part::Compare => [&chapter::PHASES[..], &[measure::PHASE]].concat(),
            Part::Pitfall => vec!["pitfall"],
        }
    }

    /// The part's name on the command line.
    fn name(self) -> String {
        self.to_possible_value()
            .map_or_else(String::new, |value| value.get_name().to_owned())
    }

    /// The part's heading.
    fn heading(self) -> &'static str {
        match self {
            Part::Threads => "== Part 1: threads (threading.Thread -> std::thread) ==",
            Part::Executor => "== Part 2: ThreadPoolExecutor -> ThreadPoolExecutor on rayon ==",
            Part::Compare => {
                "== Part 3: sequential vs. thread pool (concurrent_futures_pooling.py) =="
            }
            Part::Pitfall => "== Part 4: a pitfall: waiting on the pool from inside it ==",
        }
    }
}

/// Threads and thread pools: the Rust counterparts of Python's `threading`
/// and `concurrent.futures.ThreadPoolExecutor`.
#[derive(Debug, Parser)]
#[command(name = "thread-pool", version, allow_negative_numbers = true)]
struct Cli {
    /// Run one part only (default: all four, in order).
    #[arg(long, value_enum)]
    part: Option<Part>,

    /// --workers, --items, --iterations (shared with the other pool chapter).
    #[command(flatten)]
    workload: WorkloadArgs,

    /// Part 3's measured rounds: each the sequential and the pooled phase, alternated.
    #[arg(long, default_value_t = 21, value_parser = clap::value_parser!(u16).range(1..=1000))]
    rounds: u16,

    /// --timeline FILE.svg, --trace FILE.json.
    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    let cli: Cli = runner::flags::parse();
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
        let message = format!("panicked: \"{}\" (the pool catches it)", panic.message);
        out.say(&panic.thread, message);
    });
    let parts = match cli.part {
        Some(part) => vec![part],
        None => vec![Part::Threads, Part::Executor, Part::Compare, Part::Pitfall],
    };
    let title = title(&parts, &cli.workload);
    let outputs = cli.output.start_or_exit(&title, &run.out, &run.interrupt);
    for phase in parts.iter().flat_map(|part| part.phases()) {
        run.tally.plan(phase);
    }
    let mut outcome = Ok(());
    for part in parts {
        // Not `println!`, which panics once stdout is closed (`| head`).
        let _ = writeln!(std::io::stdout().lock(), "\n{}", part.heading());
        outcome = run_part(&run, part, &cli);
        if outcome.is_err() {
            break;
        }
    }
    if let Err(error) = outputs.finish() {
        eprintln!("error: {error}");
    }
    if run.interrupt.raised() {
        // Whatever the part returned, it stopped because of Ctrl-C, and
        // every pool it started has been shut down on the way here.
        eprintln!("interrupted: {}", run.tally.summary());
        return run.interrupt.exit_code();
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The timeline's title: what ran, and part 3's sizes if it ran.
fn title(parts: &[Part], workload: &WorkloadArgs) -> String {
    let (items, iterations, workers) = (workload.items, workload.iterations, workload.workers);
    let pass = format!(
        "{items} items of count({iterations}), one after another on main, then on a pool of \
         {workers} workers"
    );
    match parts {
        [Part::Compare] => format!("thread-pool --part compare: {pass}"),
        [part] => format!("thread-pool --part {}", part.name()),
        _ => format!("thread-pool, all four parts; part 3: {pass}"),
    }
}

/// Runs one part of the chapter: its port, then what the Rust run adds.
fn run_part(run: &Run, part: Part, cli: &Cli) -> Result<(), ChapterError> {
    let (work, workers) = (cli.workload.workload(), cli.workload.workers());
    if part != Part::Compare {
        // One phase, named as the part (part 3 names its own phases).
        run.tally.start(&part.name(), 0);
    }
    match part {
        Part::Threads => _ = threads::run(run)?,
        Part::Executor => {
            port::part_executor(run)?;
            workers::run(run)?;
        }
        Part::Compare => {
            work.check()?;
            run.say(format!(
                "sequential: items 1..={} with count({} iterations)",
                work.items, work.iterations
            ));
            port::part_compare(run, work, workers)?;
            measure::run(run, work, workers, usize::from(cli.rounds))?;
        }
        Part::Pitfall => _ = pitfall::run(run)?,
    }
    run.tally.finish();
    Ok(())
}
