//! The `task-manipulation` binary: parses the command line and hands over
//! to the library (see `lib.rs` for what each part shows).

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use runner::{Interrupt, Recorder};
use task_manipulation::{Config, Graph, Pace, Part, Progress, TaskSpec, scheduler};

/// Task manipulation with tokio: create, gather, first-completed,
/// exceptions, cancel, timeouts, sequential vs concurrent, a dependency
/// scheduler. Each part is the Rust counterpart of an asyncio technique.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// Which part to run (default: all of them, in order).
    #[arg(long, value_enum, default_value_t = Part::All)]
    part: Part,
    /// Run N times faster than real time (waits are divided by N).
    #[arg(long, default_value = "1", value_parser = common::cli::parse_speed)]
    speed: f64,
    /// A task for the scheduler part, NAME=SECONDS[:PREREQ,PREREQ...]
    /// (repeat the flag; default: a small publishing pipeline).
    #[arg(long = "task", value_name = "NAME=SECS[:NEEDS]")]
    tasks: Vec<TaskSpec>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // The exceptions part panics a task on purpose: one line on stderr
    // instead of Rust's report. tokio still catches the panic at the task
    // boundary; only what is printed changes.
    runner::panic_hook::one_line("tokio catches it; the part reports it");
    let specs = if cli.tasks.is_empty() {
        scheduler::example()
    } else {
        cli.tasks
    };
    // A bad graph (cycle, unknown name) is a usage error: exit code 2.
    let graph = match Graph::new(specs) {
        Ok(graph) => graph,
        Err(error) => Cli::command()
            .error(clap::error::ErrorKind::ValueValidation, error)
            .exit(),
    };
    let config = Config {
        part: cli.part,
        pace: Pace::new(cli.speed),
        graph,
    };
    let interrupt = match Interrupt::install() {
        Ok(interrupt) => interrupt,
        Err(error) => {
            eprintln!("error: cannot install the Ctrl-C handler: {error}");
            return ExitCode::FAILURE;
        }
    };
    let progress = Progress::new(config.part);
    interrupt.set_summary({
        let progress = progress.clone();
        move || progress.summary()
    });
    let log = Recorder::printing();
    // The run races the first Ctrl-C. If Ctrl-C wins, `select!` drops the
    // run's future, which cancels the running part (its drop guards print
    // now); returning from `main` then shuts the runtime down, which
    // cancels every task the part had spawned.
    tokio::select! {
        result = task_manipulation::run(&config, &log, &progress) => match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        },
        () = interrupt.cancelled() => {
            eprintln!("interrupted: {}", progress.summary());
            interrupt.exit_code()
        }
    }
}
