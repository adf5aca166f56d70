//! The `task-manipulation` binary: parses the command line and hands over
//! to the library (see `lib.rs` for what each part shows).

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use runner::flags::conflict;
use runner::output::OutputArgs;
use runner::{Interrupt, Recorder};
use task_manipulation::{Clock, Config, Graph, Pace, Part, Progress, TaskSpec, scheduler};

/// Task manipulation with tokio: create, gather, first-completed,
/// exceptions, cancel, timeouts, sequential vs concurrent, a dependency
/// scheduler; and four pitfalls. Each part is the Rust counterpart of an
/// asyncio technique.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// Which part to run (default: the Python program's parts, in order).
    #[arg(long, value_enum, default_value_t = Part::All)]
    part: Part,
    /// Run N times faster than real time (waits are divided by N).
    #[arg(long, default_value = "1", value_parser = common::cli::parse_speed)]
    speed: f64,
    /// The clock: real, or tokio's paused clock, on which waits take no
    /// real time and every time is exact (for the page's picture).
    #[arg(long, value_enum, default_value_t = Clock::Real)]
    clock: Clock,
    /// A task for the scheduler part, NAME=SECONDS[:PREREQ,PREREQ...]
    /// (repeat the flag; default: a small publishing pipeline).
    #[arg(long = "task", value_name = "NAME=SECS[:NEEDS]")]
    tasks: Vec<TaskSpec>,
    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // `--features console`: tokio-console shows the tasks live (tokio only).
    cli.output.start_console::<Cli>(true);
    // Bad input is a usage error (exit code 2), before anything runs: a
    // graph that cannot run (a cycle, an unknown name), a part the clock
    // cannot time.
    let specs = if cli.tasks.is_empty() {
        scheduler::example()
    } else {
        cli.tasks
    };
    let graph = match Graph::new(specs) {
        Ok(graph) => graph,
        Err(error) => Cli::command()
            .error(ErrorKind::ValueValidation, error)
            .exit(),
    };
    if let Err(why) = cli.clock.check(cli.part) {
        conflict::<Cli>(why);
    }
    // The exceptions part panics a task on purpose: one line on stderr
    // instead of Rust's report. tokio still catches the panic at the task
    // boundary; only what is printed changes.
    runner::panic_hook::one_line("tokio catches it; the part reports it");
    let interrupt = Interrupt::install_or_exit();
    let runtime = match cli.clock.runtime() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    // Inside the runtime, so that on the paused clock the recorder's times
    // are the virtual ones.
    let _entered = runtime.enter();
    let log = Recorder::printing();
    let config = Config {
        part: cli.part,
        pace: Pace::new(cli.speed),
        graph,
        interrupted: interrupt.token(),
    };
    let title = format!(
        "task-manipulation --part {} at speed {} ({} clock)",
        cli.part.name(),
        cli.speed,
        if cli.clock == Clock::Virtual {
            "tokio's paused"
        } else {
            "the real"
        }
    );
    let outputs = cli.output.start_or_exit(&title, &log, &interrupt);
    let progress = Progress::new(config.part);
    interrupt.set_summary({
        let progress = progress.clone();
        move || progress.summary()
    });
    // The run races the first Ctrl-C. If Ctrl-C wins, `select!` drops the
    // run's future, which cancels the running part (its drop guards print
    // now); dropping the runtime then cancels every task the part had
    // spawned, and waits for blocking work, which checks the same token.
    let code = runtime.block_on(async {
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
    });
    // Written also after a Ctrl-C: the picture of what ran until then.
    if let Err(error) = outputs.finish() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    code
}
