//! Output for the chapter's long phases: labelled lines, and a progress bar
//! when a person is watching.
//!
//! When stdout is a terminal, an indicatif bar on stderr counts completed
//! tasks and the labelled lines are printed *above* it (`println` through
//! the bar, so the two never mix). When stdout is a pipe or a file (tests,
//! `| less`), there is no bar, only the plain lines. The lines themselves
//! are the shared recorder's (`runner::Recorder`); this module only gives
//! it a printer that knows about the bar.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use runner::Recorder;

/// Where the chapter's lines go: above the bar while one is shown, else
/// straight to stdout. Clones share the same screen.
#[derive(Debug, Clone, Default)]
pub struct Screen {
    /// The bar being shown, if any. Set by [`Screen::bar`] and cleared when
    /// that [`Bar`] is dropped (main thread); read by the printer for every
    /// line (any thread). Held only to copy the handle out.
    bar: Arc<Mutex<Option<ProgressBar>>>,
}

impl Screen {
    /// The recorder every part prints through.
    pub fn recorder(&self) -> Recorder {
        let screen = self.clone();
        Recorder::with_printer(move |line| {
            // Copied out, so that the lock is not held while printing.
            let bar = screen.lock().clone();
            match bar {
                Some(bar) => bar.println(line),
                None => println!("{line}"),
            }
        })
    }

    /// Shows a bar for `total` tasks named `label` until the returned
    /// [`Bar`] is dropped, if stdout is a terminal.
    pub fn bar(&self, total: u64, label: &str) -> Bar {
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
        self.lock().clone_from(&bar);
        Bar {
            screen: self.clone(),
            bar,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<ProgressBar>> {
        // A bar handle is replaced whole or not at all: a poisoned lock
        // still holds a usable value.
        self.bar.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A progress bar on the screen (or nothing, off a terminal); removed when
/// dropped.
#[derive(Debug)]
pub struct Bar {
    screen: Screen,
    /// `None` when stdout is not a terminal.
    bar: Option<ProgressBar>,
}

impl Bar {
    /// One more task done.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        *self.screen.lock() = None;
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
