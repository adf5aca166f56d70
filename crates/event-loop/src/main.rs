//! The `event-loop` binary: parses the command line and hands over to the
//! library (see `lib.rs` for what each part shows).

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use event_loop::{Config, Error, Outcome, Pace, Part, StopReason};
use runner::Interrupt;
use runtimes::{Runtime, TokioFlavor};

/// Callbacks A, B, C on an event loop: what blocking the loop does, the
/// spawn_blocking fix, the loop's life cycle, graceful Ctrl-C shutdown, and
/// a std-only mini executor.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// Which part to run.
    #[arg(long, value_enum, default_value_t = Part::Blocking)]
    part: Part,
    /// Which event loop runs the callbacks.
    #[arg(long, value_enum, default_value_t = Runtime::Tokio)]
    runtime: Runtime,
    /// tokio's runtime flavour, with --runtime tokio only (current-thread
    /// when not given).
    #[arg(long, value_enum)]
    flavor: Option<TokioFlavor>,
    /// Seed of the random block times (0 to 5 s each).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Seconds until the end time (Python: end_time = loop.time() + 60).
    #[arg(long, default_value = "60", value_parser = common::cli::parse_seconds)]
    duration: std::time::Duration,
    /// Run N times faster: every wait and every block is divided by N.
    #[arg(long, default_value = "1", value_parser = common::cli::parse_speed)]
    speed: f64,
}

fn main() -> ExitCode {
    // Like `Cli::parse()`, with a huge bad value cut in the error line.
    let cli: Cli = runner::flags::parse();
    let interrupt = Interrupt::install_or_exit();
    let config = Config {
        part: cli.part,
        runtime: cli.runtime,
        flavor: cli.flavor,
        seed: cli.seed,
        duration: cli.duration.as_secs_f64(),
        pace: Pace::new(cli.speed),
    };
    match event_loop::run(&config, &interrupt) {
        Ok(Outcome::Callbacks(summary)) if summary.stopped_by == StopReason::Interrupted => {
            eprintln!("interrupted: {}", summary.interrupted_line());
        }
        Ok(_) => {}
        Err(error @ (Error::LifecycleNeedsTokio | Error::FlavorNeedsTokio)) => Cli::command()
            .error(ErrorKind::ArgumentConflict, error)
            .exit(),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    }
    // 130 after Ctrl-C (however the run stopped), 0 otherwise.
    interrupt.exit_code()
}
