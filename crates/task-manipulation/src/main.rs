//! The `task-manipulation` binary: parses the command line and hands over
//! to the library (see `lib.rs` for what each part shows).

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use task_manipulation::{Config, Graph, Pace, Part, TaskSpec, scheduler};

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
    quiet_panics();
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
    match task_manipulation::run(&config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Replaces the default panic message (several lines, and a backtrace when
/// `RUST_BACKTRACE` is set) with one line, because the `exceptions` part
/// panics on purpose. tokio still catches the panic at the task boundary;
/// only what is printed changes.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "panic in thread {}: {message}{place}",
            common::clock::thread_label()
        );
    }));
}
