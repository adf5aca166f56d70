//! # event-loop: callbacks on an event loop, and what blocking does to them
//!
//! The Rust counterpart of the chapter's event-loop program (callbacks
//! `task_A`, `task_B`, `task_C` scheduled with `call_soon` / `call_later`,
//! each blocking the loop for a random 0 to 5 s, until `loop.stop()`), and
//! of its notes on the loop's life cycle:
//!
//! - [`callbacks`]: the program, with each callback's lateness printed, a
//!   heartbeat that shows how late the rest of the loop runs, the fixed
//!   variant (`spawn_blocking`), and graceful shutdown on the end time or
//!   Ctrl-C;
//! - [`runtime`]: the same program on tokio, async-std, smol or ...
//! - [`mini`]: ... a small event loop written with `std` alone (ready
//!   queue, timer heap, wakers, sleeping until the next deadline): what an
//!   executor is from the inside;
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
//! program exits with status 0.
//!
//! async-std is discontinued upstream (advisory RUSTSEC-2025-0052); smol is
//! its successor and is shown beside it.

pub mod callbacks;
pub mod lifecycle;
pub use runtimes::mini;
pub mod runtime;

use std::sync::{Arc, OnceLock};
use std::task::Poll;
use std::time::Duration;

pub use callbacks::{Settings, StopReason, Summary, Variant};
use runtime::{AsyncStdLoop, BoxFuture, MiniLoop, SmolLoop, TokioLoop};
use tokio_util::sync::CancellationToken;

/// How fast the demo runs (`--speed`): shared by every chapter.
pub use common::cli::Pace;

/// Which event loop runs the program (`--runtime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RuntimeChoice {
    /// tokio (the default).
    Tokio,
    /// async-std: discontinued upstream (RUSTSEC-2025-0052), see smol.
    AsyncStd,
    /// smol: async-std's successor.
    Smol,
    /// The std-only teaching executor of the `mini` module.
    Mini,
}

/// Which tokio runtime flavour (`--flavor`; tokio only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Flavor {
    /// One thread, like asyncio's loop (the default).
    CurrentThread,
    /// A worker thread per core, as `#[tokio::main]` builds it.
    MultiThread,
}

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
    pub runtime: RuntimeChoice,
    /// Which tokio flavour.
    pub flavor: Flavor,
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
    /// The Ctrl-C handler could not be installed.
    #[error("could not install the Ctrl-C handler: {0}")]
    Signal(#[from] ctrlc::Error),
    /// `--part lifecycle` with a runtime other than tokio.
    #[error("--part lifecycle shows tokio's runtime builders: use --runtime tokio")]
    LifecycleNeedsTokio,
}

/// Builds the tokio runtime by hand: what `#[tokio::main]` does for you.
pub fn build_tokio(flavor: Flavor) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match flavor {
        Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        Flavor::MultiThread => tokio::runtime::Builder::new_multi_thread(),
    };
    // enable_all: the time driver (sleep) and the I/O driver (signals).
    builder.enable_all().build()
}

/// The Ctrl-C token for the runtimes without a signal API: installed once
/// per process (a `ctrlc` handler cancels it), shared by every run.
fn ctrlc_token() -> Result<CancellationToken, Error> {
    static TOKEN: OnceLock<CancellationToken> = OnceLock::new();
    if let Some(token) = TOKEN.get() {
        return Ok(token.clone());
    }
    let token = CancellationToken::new();
    let theirs = token.clone();
    // The handler runs on ctrlc's own thread; cancelling the token calls
    // the waker of whatever task waits on it, on any executor.
    ctrlc::set_handler(move || theirs.cancel())?;
    Ok(TOKEN.get_or_init(|| token).clone())
}

/// Runs the chosen part on the chosen runtime.
pub fn run(config: &Config) -> Result<Outcome, Error> {
    let variant = match config.part {
        Part::Blocking => Variant::Blocking,
        Part::Fixed => Variant::Fixed,
        Part::Lifecycle => {
            if config.runtime != RuntimeChoice::Tokio {
                return Err(Error::LifecycleNeedsTokio);
            }
            return Ok(Outcome::Lifecycle(lifecycle::run(config.pace)?));
        }
    };
    let settings = Settings {
        seed: config.seed,
        duration: config.duration,
        pace: config.pace,
        variant,
    };
    let summary = match config.runtime {
        RuntimeChoice::Tokio => {
            let rt = build_tokio(config.flavor)?;
            let summary = rt.block_on(async move {
                // `ctrl_c()` installs its signal handler when first polled;
                // poll it once now, so a Ctrl-C from the very start is
                // caught rather than killing the process the default way.
                let mut ctrl_c = Box::pin(tokio::signal::ctrl_c());
                let interrupt: BoxFuture = match futures::poll!(&mut ctrl_c) {
                    Poll::Pending => Box::pin(async move {
                        let _ = ctrl_c.await;
                    }),
                    Poll::Ready(Ok(())) => Box::pin(async {}),
                    Poll::Ready(Err(error)) => {
                        eprintln!("warning: Ctrl-C will not be handled: {error}");
                        Box::pin(futures::future::pending())
                    }
                };
                callbacks::run(Arc::new(TokioLoop::new()), settings, interrupt).await
            });
            // Close the loop: every task has ended; this joins the threads.
            rt.shutdown_timeout(Duration::from_secs(1));
            summary
        }
        RuntimeChoice::AsyncStd => {
            let interrupt = ctrlc_interrupt()?;
            async_std::task::block_on(callbacks::run(
                Arc::new(AsyncStdLoop::new()),
                settings,
                interrupt,
            ))
        }
        RuntimeChoice::Smol => {
            let interrupt = ctrlc_interrupt()?;
            smol::block_on(callbacks::run(
                Arc::new(SmolLoop::new()),
                settings,
                interrupt,
            ))
        }
        RuntimeChoice::Mini => {
            let interrupt = ctrlc_interrupt()?;
            let executor = mini::Executor::new();
            let lp = Arc::new(MiniLoop::new(executor.handle()));
            executor.block_on(callbacks::run(lp, settings, interrupt))
        }
    };
    Ok(Outcome::Callbacks(Box::new(summary)))
}

/// A future completing on Ctrl-C, through the `ctrlc` crate.
fn ctrlc_interrupt() -> Result<BoxFuture, Error> {
    let token = ctrlc_token()?;
    Ok(Box::pin(token.cancelled_owned()))
}
