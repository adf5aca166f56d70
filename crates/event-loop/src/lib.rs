//! # event-loop: callbacks on an event loop, and what blocking does to them
//!
//! The Rust counterpart of the chapter's `asyncio_event_loop.py` (callbacks
//! `task_A`, `task_B`, `task_C` scheduled with `call_soon` / `call_later`,
//! each blocking the loop for a random 0 to 5 s, until `loop.stop()`), and
//! of its notes on the loop's life cycle:
//!
//! - [`callbacks`]: the program, with each callback's lateness printed, the
//!   fixed variant (`spawn_blocking`), and graceful shutdown on the end time
//!   or Ctrl-C;
//! - [`heartbeat`]: beyond the Python program, a callback due every second
//!   that shows how late the rest of the loop runs;
//! - [`report`]: what the run reports (lateness, why it stopped, the summary);
//! - [`event_loop`]: the loop the program runs on, one `runtimes::Runtime`
//!   (tokio, async-std, smol, or the std-only mini executor of
//!   `runtimes::mini`, an event loop from the inside) plus the loop's clock
//!   and blocking the loop on purpose;
//! - [`lifecycle`]: creating a tokio runtime by hand (current-thread and
//!   multi-thread builders, what `#[tokio::main]` expands to), running,
//!   timers, stopping and closing.
//!
//! Run it:
//!
//! ```text
//! cargo run -p event-loop -- --speed 10                  # the chapter's 60 s program in 6 s
//! cargo run -p event-loop -- --part fixed --speed 10     # blocking work moved off the loop
//! cargo run -p event-loop -- --runtime mini --speed 10   # on the std-only executor
//! cargo run -p event-loop -- --part lifecycle
//! ```
//!
//! What to look for: in `blocking`, each `heartbeat` line is late by about
//! as long as the callback before it blocked; in `fixed`, the A, B, C lines
//! are identical (same seed, same schedule) but the heartbeat is on time.
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

pub use callbacks::{Settings, Variant};
pub use event_loop::Loop;
pub use report::{StopReason, Summary};
use runner::Interrupt;
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

/// Everything a run needs.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Which part.
    pub part: Part,
    /// Which runtime.
    pub runtime: Runtime,
    /// Which tokio flavour, if one was asked for (tokio only).
    pub flavor: Option<TokioFlavor>,
    /// Seed of the random block times.
    pub seed: u64,
    /// How long the loop runs, in demo seconds.
    pub duration: f64,
    /// How fast.
    pub pace: Pace,
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
    /// `--part lifecycle` with a runtime other than tokio.
    #[error("--part lifecycle shows tokio's runtime builders: use --runtime tokio")]
    LifecycleNeedsTokio,
    /// `--flavor` with a runtime other than tokio.
    #[error("--flavor chooses a tokio runtime flavour: use it with --runtime tokio")]
    FlavorNeedsTokio,
}

/// Runs the chosen part on the chosen runtime; Ctrl-C on `interrupt` stops
/// it gracefully.
pub fn run(config: &Config, interrupt: &Interrupt) -> Result<Outcome, Error> {
    if config.flavor.is_some() && config.runtime != Runtime::Tokio {
        return Err(Error::FlavorNeedsTokio);
    }
    let variant = match config.part {
        Part::Blocking => Variant::Blocking,
        Part::Fixed => Variant::Fixed,
        Part::Lifecycle if config.runtime == Runtime::Tokio => {
            return Ok(Outcome::Lifecycle(lifecycle::run(config.pace, interrupt)?));
        }
        Part::Lifecycle => return Err(Error::LifecycleNeedsTokio),
    };
    let settings = Settings {
        seed: config.seed,
        duration: config.duration,
        pace: config.pace,
        variant,
    };
    let runtime = config.runtime;
    let interrupt = interrupt.clone();
    let program = async move {
        // Inside the runtime: the loop's clock starts, mini's loop is found.
        let lp = Loop::here(runtime);
        let out = lp.recorder(true);
        callbacks::run(lp, settings, &interrupt, &out).await
    };
    let summary = match runtime {
        // `--flavor`: tokio's runtime built by hand, what `#[tokio::main]`
        // does for you; `--runtime tokio` alone is the current-thread one.
        Runtime::Tokio => {
            let rt = runtimes::build_tokio(config.flavor.unwrap_or_default())?;
            let summary = rt.block_on(program);
            // Close the loop: every task has ended; this joins the threads.
            rt.shutdown_timeout(Duration::from_secs(1));
            summary
        }
        other => other.block_on(program),
    };
    Ok(Outcome::Callbacks(Box::new(summary)))
}
