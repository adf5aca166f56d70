//! The `event-loop` binary: parses the command line and hands over to the
//! library (see `lib.rs` for what each part shows).

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use event_loop::{Config, Error, Flavor, Pace, Part, RuntimeChoice};

/// Callbacks A, B, C on an event loop: what blocking the loop does, the
/// spawn_blocking fix, the loop's life cycle, graceful Ctrl-C shutdown, and
/// a std-only mini executor.
#[derive(Debug, Parser)]
#[command(version, allow_negative_numbers = true)]
struct Cli {
    /// Which part to run.
    #[arg(long, value_enum, default_value_t = Part::Blocking)]
    part: Part,
    /// Which event loop runs the callbacks (async-std is discontinued
    /// upstream, RUSTSEC-2025-0052: smol is its successor).
    #[arg(long, value_enum, default_value_t = RuntimeChoice::Tokio)]
    runtime: RuntimeChoice,
    /// tokio's runtime flavour (tokio only).
    #[arg(long, value_enum, default_value_t = Flavor::CurrentThread)]
    flavor: Flavor,
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
    let cli = Cli::parse();
    let config = Config {
        part: cli.part,
        runtime: cli.runtime,
        flavor: cli.flavor,
        seed: cli.seed,
        duration: cli.duration.as_secs_f64(),
        pace: Pace::new(cli.speed),
    };
    match event_loop::run(&config) {
        // Stopped by the end time or by Ctrl-C: both are a clean finish.
        Ok(_) => ExitCode::SUCCESS,
        Err(error @ Error::LifecycleNeedsTokio) => Cli::command()
            .error(clap::error::ErrorKind::ArgumentConflict, error)
            .exit(),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
