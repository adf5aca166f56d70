//! The `event-loop` binary: parses the command line and hands over to the
//! library (see `lib.rs` for what each part shows).

use std::process::ExitCode;

use clap::Parser;
use event_loop::{Config, Outcome, StopReason};
use runner::Interrupt;
use runner::flags::conflict;
use runner::output::OutputArgs;
use runtimes::Runtime;

/// Callbacks A, B, C on an event loop: what blocking the loop does, the
/// spawn_blocking fix, the loop's life cycle, graceful Ctrl-C shutdown, and
/// a std-only mini executor.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    // Like `Cli::parse()`, with a huge bad value cut in the error line.
    let cli: Cli = runner::flags::parse();
    if let Err(error) = event_loop::check(&cli.config) {
        conflict::<Cli>(error);
    }
    // `--features console`: tokio-console shows the loop's tasks live.
    cli.output
        .start_console::<Cli>(cli.config.runtime == Runtime::Tokio);
    let interrupt = Interrupt::install_or_exit();
    match event_loop::run(&cli.config, &interrupt, &cli.output) {
        Ok(Outcome::Callbacks(summary)) if summary.stopped_by == StopReason::Interrupted => {
            eprintln!("interrupted: {}", summary.interrupted_line());
        }
        Ok(_) => {}
        Err(error) if error.is_usage() => conflict::<Cli>(error),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    // 130 after Ctrl-C (however the run stopped), 0 otherwise.
    interrupt.exit_code()
}
