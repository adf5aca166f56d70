//! # fsm: a finite state machine made of coroutines
//!
//! Ports the chapter's finite-state-machine program
//! (`python/finite_state_machine.py`): states Start, 1, 2, 3 and End;
//! every state but End draws a random 0 or 1, waits `--delay` (the
//! chapter's 1 s) and moves on by the chapter's transition table
//! ([`table`]); states 1, 2 and 3 print `...evaluating...` after their
//! wait, End prints `...stop computation...`, and Start prints the
//! "Resume of the Transition" chain.
//!
//! Run it:
//!
//! ```text
//! cargo run -p fsm -- --seed 7
//! cargo run -p fsm -- --seed 7 --part idiomatic          # the same trace
//! cargo run -p fsm -- --seed 7 --part both --delay 0.2   # both, compared
//! cargo run -p fsm -- --seed 7 --blocking                # the original's bug
//! cargo run -p fsm -- --runtime smol --delay 0.4
//! cargo run -p fsm -- --seed 7 --runtime mini --clock virtual --timeline walk.svg
//! ```
//!
//! What to look for: the seed on the first line (pass it back with
//! `--seed` to replay a walk); one delay between two states; the resume
//! chain at the end. The `ticker` ticks four times per state while the
//! states await their sleeps; with `--blocking` it falls silent and its
//! single tick comes seconds late. Ctrl-C stops the walk and says which
//! states it had visited; with `--blocking` the loop cannot notice it, and
//! the Ctrl-C policy's grace period ends the process.
//!
//! The modules, one idea each:
//! - [`faithful`]: the direct port, states as async fns awaiting each
//!   other (recursion in an async fn, and why it needs a box);
//! - [`table`]: the states and the transition table;
//! - [`machine`]: the draws, the wait (async or blocking), the record and
//!   the Ctrl-C summary;
//! - [`idiomatic`]: an enum state and a loop;
//! - [`ticker`]: a concurrent ticker that shows when the loop is blocked.

pub mod faithful;
pub mod idiomatic;
pub mod machine;
pub mod table;
pub mod ticker;

use std::time::Duration;

use futures::channel::oneshot;
use runner::{Interrupt, Interrupted, Recorder};
use runtimes::Runtime;

pub use machine::{Machine, Wait, interrupted_summary};
pub use table::{State, Transition};
pub use ticker::Ticks;

/// Which implementation walks the machine (`--part`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Implementation {
    /// States as async fns awaiting each other (boxed recursion), as in Python.
    #[default]
    Faithful,
    /// An enum state and a loop.
    Idiomatic,
}

impl Implementation {
    /// The name used on the command line and in the output.
    pub fn name(self) -> &'static str {
        match self {
            Implementation::Faithful => "faithful",
            Implementation::Idiomatic => "idiomatic",
        }
    }
}

/// Everything one walk needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The seed of the random draws (printed, so a run can be replayed).
    pub seed: u64,
    /// Each state's wait (the chapter's 1 s).
    pub delay: Duration,
    /// Await the waits (the fix) or block the thread (the original).
    pub wait: Wait,
    /// Which implementation walks.
    pub implementation: Implementation,
    /// Which runtime's sleep the states and the ticker await.
    pub runtime: Runtime,
}

/// What one walk did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The moves taken, Start to End.
    pub walk: Vec<Transition>,
    /// The "Resume of the Transition" text, one line per move.
    pub resume: String,
    /// How many waits the states did.
    pub waits: u32,
    /// From Start entered to End done.
    pub elapsed: Duration,
    /// What the ticker saw (`None` when `delay` is 0: no ticker).
    pub ticks: Option<Ticks>,
}

/// Label of the lines `run` itself prints.
pub const MAIN: &str = "main";

/// The ticker's period: four ticks per state, so a stall is plain to see.
pub fn ticker_period(delay: Duration) -> Duration {
    delay / 4
}

/// Walks the machine once, with the ticker beside it; a first Ctrl-C
/// (`interrupt`) stops both at their next `.await`.
///
/// Must be awaited inside `config.runtime`.
pub async fn run(
    config: Config,
    recorder: Recorder,
    interrupt: Interrupt,
) -> Result<Outcome, Interrupted> {
    let Config { delay, wait, .. } = config;
    recorder.say(
        MAIN,
        format!(
            "seed {}, {} implementation, {} waits of {:.3} s, on {}",
            config.seed,
            config.implementation.name(),
            match wait {
                Wait::Async => "async",
                Wait::Blocking => "blocking",
            },
            delay.as_secs_f64(),
            config.runtime
        ),
    );
    let mut machine = Machine::new(config, recorder.clone());
    let (stop_ticker, stop) = oneshot::channel();

    let walk = async {
        let started = recorder.elapsed();
        let resume = match config.implementation {
            Implementation::Faithful => faithful::start_state(&mut machine).await,
            Implementation::Idiomatic => idiomatic::run(&mut machine).await,
        };
        // Fails only when there is no ticker to stop (delay 0).
        let _ = stop_ticker.send(());
        (resume, recorder.elapsed() - started)
    };
    let period = ticker_period(delay);
    let ticks = async {
        if period.is_zero() {
            None
        } else {
            Some(ticker::ticker(config.runtime, recorder.clone(), period, stop).await)
        }
    };
    // The ticker goes first, so its first sleep is already registered when
    // a blocking machine takes the thread. On Ctrl-C both futures are
    // dropped, which cancels them (a blocking walk never yields, so it
    // never sees it: the grace period ends the process instead).
    let both = async { futures::join!(ticks, walk) };
    let token = interrupt.token();
    let (ticks, (resume, elapsed)) = token.run_until_cancelled(both).await.ok_or(Interrupted)?;

    if let Some(ticks) = ticks {
        let expected = elapsed.as_nanos() / period.as_nanos().max(1);
        recorder.say(
            MAIN,
            format!(
                "ticker: {} tick(s) in {:.3} s (about {expected} expected); \
                 longest hold-up {:.3} s",
                ticks.count,
                elapsed.as_secs_f64(),
                ticks.max_late.as_secs_f64()
            ),
        );
        if wait == Wait::Blocking {
            let on_virtual = runtimes::mini::Handle::current().is_some_and(|h| h.is_virtual());
            let how = if on_virtual {
                // `Machine::wait` holds the loop with mini's `Handle::block`.
                "with mini's Handle::block, the virtual clock's std::thread::sleep"
            } else {
                "with std::thread::sleep"
            };
            recorder.say(
                MAIN,
                format!(
                    "the states blocked the thread {how} (Python's time.sleep); \
                     run without --blocking to see them await instead"
                ),
            );
        }
    }
    Ok(Outcome {
        walk: machine.walk(),
        resume,
        waits: machine.waits(),
        elapsed,
        ticks,
    })
}
