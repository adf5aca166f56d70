//! # event-loop: callbacks on an event loop, and what blocking does to them
//!
//! The Rust counterpart of the chapter's `asyncio_event_loop.py` (callbacks
//! `task_A`, `task_B`, `task_C` scheduled with `call_soon` / `call_later`,
//! each blocking the loop for `random.randint(0, 5)` seconds, until
//! `loop.stop()`), and of its notes on the loop's life cycle:
//!
//! - [`callbacks`]: the direct port, to read beside `python/asyncio_event_loop.py`.
//!
//! Beyond the Python program:
//! - [`event_loop`]: the loop object the port talks to, asyncio's calls on
//!   one `runtimes::Runtime` (tokio, async-std, smol, or the std-only mini
//!   executor, an event loop from the inside), with graceful shutdown;
//! - [`heartbeat`]: a callback due every second that shows how late the
//!   rest of the loop runs;
//! - [`report`]: what the run reports (lateness, why it stopped, the summary);
//! - [`lifecycle`]: a tokio runtime built by hand (what `#[tokio::main]`
//!   expands to), from creation to close.
//!
//! Run it:
//!
//! ```text
//! cargo run -p event-loop -- --speed 10                  # the chapter's 60 s program in 6.4 s
//! cargo run -p event-loop -- --part fixed --speed 10     # blocking work moved off the loop
//! cargo run -p event-loop -- --runtime mini --clock virtual --timeline run.svg   # at once, exact
//! cargo run -p event-loop -- --part lifecycle
//! ```
//!
//! What to look for: in `blocking`, each `heartbeat` line is late by about
//! as long as the callback before it blocked; in `fixed`, the A, B, C lines
//! are the same (same seed, same schedule) but the heartbeat is on time.
//! Press Ctrl-C at any time: the loop stops, pending callbacks are
//! cancelled, the running one finishes, a summary is printed, and the
//! program exits with status 130. A callback that blocks the loop past the
//! grace period is not waited for: the process ends and says so.
//!
//! Each runtime's own calls are in the runtime table in
//! `crates/runtimes/src/lib.rs`.

pub mod callbacks;
pub mod event_loop;
pub mod heartbeat;
pub mod lifecycle;
pub mod report;

use std::time::Duration;

pub use event_loop::{Called, Loop};
pub use report::{StopReason, Summary};
use runner::Interrupt;
use runner::output::OutputArgs;
use runtimes::clock::{Clock, RunLoop};
use runtimes::{Runtime, TokioFlavor};

/// How fast the demo runs (`--speed`): shared by every chapter.
pub use common::cli::Pace;

/// The sections of the program (`--part`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Part {
    /// The chapter's program: callbacks block the loop (the default).
    Blocking,
    /// The fix: the blocking work runs on another thread.
    Fixed,
    /// The loop's life cycle with tokio's builders (tokio only).
    Lifecycle,
}

/// The two versions of the callback program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// The chapter's program: each callback blocks the loop.
    Blocking,
    /// The fix: each callback awaits its blocking work on another thread.
    Fixed,
}

impl Variant {
    /// Its `--part` name.
    pub fn name(self) -> &'static str {
        match self {
            Variant::Blocking => "blocking",
            Variant::Fixed => "fixed",
        }
    }

    /// What each callback does with its random time, in a phrase.
    pub fn doing(self) -> &'static str {
        match self {
            Variant::Blocking => "blocks the loop",
            Variant::Fixed => "awaits spawn_blocking",
        }
    }

    /// What it does, in a phrase.
    pub fn describe(self) -> &'static str {
        match self {
            Variant::Blocking => "each callback blocks the loop (time.sleep)",
            Variant::Fixed => "each callback's blocking work runs on another thread",
        }
    }
}

/// What the callback program needs to know.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Seed of the random block times (ChaCha8: the same on every platform).
    pub seed: u64,
    /// How long the loop runs, in demo seconds (`end_time - start`).
    pub duration: f64,
    /// How fast (every time is divided by the speed).
    pub pace: Pace,
    /// Blocking or fixed.
    pub variant: Variant,
}

/// Everything a run needs: the command line's flags, which `main` flattens
/// into its parser beside the output flags.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Config {
    /// Which part to run.
    #[arg(long, value_enum, default_value_t = Part::Blocking)]
    pub part: Part,
    /// Which event loop runs the callbacks.
    #[arg(long, value_enum, default_value_t = Runtime::Tokio)]
    pub runtime: Runtime,
    /// tokio's runtime flavour, with --runtime tokio only (current-thread
    /// when not given).
    #[arg(long, value_enum)]
    pub flavor: Option<TokioFlavor>,
    /// Seed of the random block times (0 to 5 s each).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Seconds until the end time (Python: end_time = loop.time() + 60).
    #[arg(long, default_value = "60", value_parser = common::cli::parse_seconds)]
    pub duration: Duration,
    /// Run N times faster: every wait and every block is divided by N.
    #[arg(long, default_value = "1", value_parser = common::cli::parse_speed)]
    pub speed: f64,
    /// The clock: real, or mini's virtual clock (with --runtime mini), on
    /// which a run takes no real time and every time is exact.
    #[arg(long, value_enum, default_value_t = Clock::Real)]
    pub clock: Clock,
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The callback program's summary.
    Callbacks(Box<Summary>),
    /// The life-cycle walk-through.
    Lifecycle(lifecycle::LifecycleReport),
}

/// What can go wrong before or around the program.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A runtime could not be built (threads, drivers).
    #[error("could not start the runtime: {0}")]
    Io(#[from] std::io::Error),
    /// The trace or the timeline could not be written.
    #[error("{0}")]
    Output(std::io::Error),
    /// `--part lifecycle` with a runtime other than tokio.
    #[error("--part lifecycle shows tokio's runtime builders: use --runtime tokio")]
    LifecycleNeedsTokio,
    /// `--flavor` with a runtime other than tokio.
    #[error("--flavor chooses a tokio runtime flavour: use it with --runtime tokio")]
    FlavorNeedsTokio,
    /// `--clock virtual` with a runtime other than mini.
    #[error("{0}")]
    ClockNeedsMini(String),
}

impl Error {
    /// Whether it is a usage error (flags that do not go together): exit 2.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::LifecycleNeedsTokio | Error::FlavorNeedsTokio | Error::ClockNeedsMini(_)
        )
    }
}

/// Checks that the flags go together, before anything runs.
pub fn check(config: &Config) -> Result<(), Error> {
    if config.flavor.is_some() && config.runtime != Runtime::Tokio {
        return Err(Error::FlavorNeedsTokio);
    }
    if config.part == Part::Lifecycle && config.runtime != Runtime::Tokio {
        return Err(Error::LifecycleNeedsTokio);
    }
    config
        .clock
        .check(config.runtime)
        .map_err(Error::ClockNeedsMini)
}

/// Runs the chosen part on the chosen runtime, printing as it goes and
/// writing the `--timeline` / `--trace` files of `output`; Ctrl-C on
/// `interrupt` stops it gracefully.
pub fn run(config: &Config, interrupt: &Interrupt, output: &OutputArgs) -> Result<Outcome, Error> {
    check(config)?;
    let (run_loop, out) = config.clock.start(config.runtime, true);
    let variant = match config.part {
        Part::Blocking => Variant::Blocking,
        Part::Fixed => Variant::Fixed,
        Part::Lifecycle => {
            let title = "event-loop --part lifecycle: a tokio runtime from creation to close";
            let outputs = output
                .start(title, &out, interrupt)
                .map_err(Error::Output)?;
            let report = lifecycle::run(Pace::new(config.speed), interrupt, &out)?;
            outputs.finish().map_err(Error::Output)?;
            return Ok(Outcome::Lifecycle(report));
        }
    };
    let settings = Settings {
        seed: config.seed,
        duration: config.duration.as_secs_f64(),
        pace: Pace::new(config.speed),
        variant,
    };
    let clock = match config.clock {
        Clock::Real => "",
        Clock::Virtual => " (virtual clock)",
    };
    let (part, runtime, seed) = (variant.name(), config.runtime, config.seed);
    let title = format!(
        "event-loop --part {part}: callbacks A, B, C and a heartbeat on {runtime}{clock}, seed {seed}"
    );
    let outputs = output
        .start(&title, &out, interrupt)
        .map_err(Error::Output)?;
    let interrupt2 = interrupt.clone();
    let program = async move {
        // Inside the runtime: mini's loop is found here.
        let lp = Loop::here(runtime, out);
        callbacks::run(lp, settings, &interrupt2).await
    };
    let summary = match run_loop {
        // `--flavor`: tokio's runtime built by hand, what `#[tokio::main]`
        // does for you; `--runtime tokio` alone is the current-thread one.
        RunLoop::Runtime(Runtime::Tokio) => {
            let rt = runtimes::build_tokio(config.flavor.unwrap_or_default())?;
            let summary = rt.block_on(program);
            // Close the loop: every task has ended; this joins the threads.
            rt.shutdown_timeout(Duration::from_secs(1));
            summary
        }
        other => other.block_on(program),
    };
    // Written also after a graceful stop on Ctrl-C: what ran until then.
    outputs.finish().map_err(Error::Output)?;
    Ok(Outcome::Callbacks(Box::new(summary)))
}
