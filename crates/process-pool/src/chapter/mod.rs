//! The chapter's parts, run by `cargo run -p process-pool`, one idea each:
//! - [`tasks`]: what the chapter's workers know how to do;
//! - [`compare`]: `concurrent_futures_pooling.py` sequentially, on the
//!   thread pool and on this process pool;
//! - [`api_tour`]: the executor's API, one call at a time;
//! - [`faults`]: what happens when tasks fail, crash or are killed;
//! - [`progress`]: the progress bar the long phases show on a terminal.
//!
//! Every part gets a [`Run`]: where its lines go, the Ctrl-C flag (which
//! stops each pool through [`stop_on_ctrl_c`]) and the tally of what got
//! done, which the Ctrl-C summary is made of.

pub mod api_tour;
pub mod compare;
pub mod faults;
pub mod progress;
pub mod tasks;

use process_pool::ProcessPoolExecutor;
use runner::interrupt::Registration;
use runner::{Interrupt, Recorder, Tally};

use progress::Screen;
use tasks::ChapterTask;

/// What every part of a run shares (clones share the same four).
#[derive(Debug, Clone)]
pub struct Run {
    /// Prints (above the progress bar, if one is shown) and keeps the
    /// labelled lines.
    pub out: Recorder,
    /// Where the progress bar goes.
    pub screen: Screen,
    /// Raised by Ctrl-C.
    pub interrupt: Interrupt,
    /// Counts finished items for the Ctrl-C summary.
    pub tally: Tally,
}

impl Run {
    /// A run with a fresh recorder on `screen`, stopped by `interrupt`.
    pub fn new(screen: Screen, interrupt: Interrupt) -> Self {
        Self {
            out: screen.recorder(),
            screen,
            interrupt,
            tally: Tally::new(),
        }
    }
}

/// Ctrl-C stops `pool` while the returned registration lives: queued tasks
/// are cancelled, the workers killed (and reaped when the pool is dropped),
/// so every pending result resolves at once.
#[must_use = "the pool is only stopped by Ctrl-C while the registration lives"]
pub fn stop_on_ctrl_c(
    interrupt: &Interrupt,
    pool: &ProcessPoolExecutor<ChapterTask>,
) -> Registration {
    let stopper = pool.stopper();
    interrupt.on_interrupt(move || stopper.stop())
}
