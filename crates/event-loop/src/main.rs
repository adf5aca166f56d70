//! The `event-loop` binary: parses the command line and hands over to the
//! library (see `lib.rs` for what each part shows).

use std::process::ExitCode;

use clap::Parser;
use event_loop::{Config, Outcome, Pace, Part, StopReason};
use runner::Interrupt;
use runner::flags::conflict;
use runner::output::OutputArgs;
use runtimes::clock::Clock;
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
    /// The clock: real, or mini's virtual clock (with --runtime mini), on
    /// which a run takes no real time and every time is exact.
    #[arg(long, value_enum, default_value_t = Clock::Real)]
    clock: Clock,
    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    // Like `Cli::parse()`, with a huge bad value cut in the error line.
    let cli: Cli = runner::flags::parse();
    let config = Config {
        part: cli.part,
        runtime: cli.runtime,
        flavor: cli.flavor,
        clock: cli.clock,
        seed: cli.seed,
        duration: cli.duration.as_secs_f64(),
        pace: Pace::new(cli.speed),
    };
    if let Err(error) = event_loop::check(&config) {
        conflict::<Cli>(error);
    }
    // `--features console`: tokio-console shows the loop's tasks live.
    cli.output
        .start_console::<Cli>(cli.runtime == Runtime::Tokio);
    let interrupt = Interrupt::install_or_exit();
    match event_loop::run(&config, &interrupt, &cli.output) {
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
