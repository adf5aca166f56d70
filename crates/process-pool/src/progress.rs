//! Output for the chapter's long phases: labelled lines, a progress bar
//! when a person is watching, and Ctrl-C.
//!
//! When stdout is a terminal, an indicatif bar on stderr counts completed
//! tasks and the labelled lines are printed *above* it (`println` through
//! the bar, so the two never mix). When stdout is a pipe or a file (tests,
//! `| less`), there is no bar, only the plain lines.
//!
//! [`Interrupt`] is the Ctrl-C side: the handler (on ctrlc's own thread)
//! raises a flag and stops every registered pool with
//! [`ProcessPoolExecutor::kill_workers`], so the main thread's pending
//! results resolve at once, the pools are dropped (and their workers
//! reaped) on the way out, and the program exits with status 130; if the
//! main thread is inside a phase that cannot stop early, the handler exits
//! the process itself after a short grace period.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::clock::{Clock, format_line};
use indicatif::{ProgressBar, ProgressStyle};

use crate::pool::{PoolStopper, ProcessPoolExecutor};
use crate::tasks::ChapterTask;

/// How long the main thread gets to wind down after Ctrl-C.
pub const GRACE: Duration = Duration::from_secs(2);

/// Prints labelled lines, with a progress bar below them on a terminal.
pub struct Progress {
    clock: Clock,
    /// `None` when stdout is not a terminal.
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar for `total` tasks named `label`, if stdout is a terminal.
    pub fn new(clock: Clock, total: u64, label: &str) -> Self {
        let bar = std::io::stdout().is_terminal().then(|| {
            let bar = ProgressBar::new(total);
            let style = ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} done")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> ");
            bar.set_style(style);
            bar.set_prefix(label.to_owned());
            bar.enable_steady_tick(Duration::from_millis(100));
            bar
        });
        Self { clock, bar }
    }

    /// Lines only, never a bar (for short parts).
    pub fn plain(clock: Clock) -> Self {
        Self { clock, bar: None }
    }

    /// Prints `[elapsed] who | message`.
    pub fn say(&self, who: &str, message: impl std::fmt::Display) {
        let line = format_line(self.clock.elapsed(), who, message);
        match &self.bar {
            Some(bar) => bar.println(line),
            None => println!("{line}"),
        }
    }

    /// One more task done.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The Ctrl-C flag and the pools to stop when it is raised.
#[derive(Clone, Default)]
pub struct Interrupt {
    /// Raised by the Ctrl-C handler; read by the parts between steps.
    flag: Arc<AtomicBool>,
    /// Pools in use; the handler stops each. Guarded by the mutex, which
    /// the handler holds while it decides, so a pool registered at the same
    /// moment is either stopped by it or sees the raised flag.
    pools: Arc<Mutex<Vec<PoolStopper<ChapterTask>>>>,
}

impl Interrupt {
    /// A flag that only [`Interrupt::raise`] raises (tests, or a program
    /// that handles signals itself).
    pub fn new() -> Self {
        Self::default()
    }

    /// Installs the process-wide Ctrl-C handler.
    ///
    /// The handler raises the flag and stops the pools; the main thread
    /// then unwinds, drops (and so reaps) the pools and exits with 130. A
    /// phase that cannot be interrupted (the sequential loop, the thread
    /// pool's tasks) gets [`GRACE`] to finish; after that the handler
    /// exits the process itself, with the same status. The workers were
    /// already killed, so nothing is left running either way.
    pub fn install() -> Result<Self, ctrlc::Error> {
        let interrupt = Self::new();
        let handler = interrupt.clone();
        ctrlc::set_handler(move || {
            handler.raise();
            std::thread::sleep(GRACE);
            eprintln!("interrupted");
            std::process::exit(130);
        })?;
        Ok(interrupt)
    }

    /// What the handler does: raise the flag, stop the registered pools.
    pub fn raise(&self) {
        let pools = self.pools.lock().unwrap_or_else(|p| p.into_inner());
        self.flag.store(true, Ordering::SeqCst);
        for pool in pools.iter() {
            pool.stop();
        }
    }

    /// True once Ctrl-C was pressed.
    pub fn raised(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    /// Registers a pool to stop on Ctrl-C (at once if it already came).
    pub fn watch(&self, pool: &ProcessPoolExecutor<ChapterTask>) {
        let mut pools = self.pools.lock().unwrap_or_else(|p| p.into_inner());
        if self.flag.load(Ordering::SeqCst) {
            pool.kill_workers();
        }
        pools.push(pool.stopper());
    }
}
