//! Files a run writes at its end (`--timeline run.svg`, `--trace run.json`),
//! checked before it starts.
//!
//! A run of minutes that fails at its last step because the picture cannot
//! be written is a run wasted. So the value parsers here refuse, as clap
//! refuses any bad flag (one line, exit status 2), a name without the
//! right extension, a directory, a folder that does not exist and a place
//! that cannot be written, before anything runs.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::cli::echo;

use crate::{Interrupt, Recorder, timeline, trace};

/// `--timeline FILE.svg` and `--trace FILE.json`, the same on every chapter
/// binary (`#[command(flatten)] output: runner::output::OutputArgs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct OutputArgs {
    /// Draw the run as a timeline (SVG): a lane per worker, a bar per unit of work.
    #[arg(long, value_name = "FILE.svg", value_parser = svg_file)]
    pub timeline: Option<PathBuf>,

    /// Write the run as a Chrome trace-event file, for ui.perfetto.dev or chrome://tracing.
    #[arg(long, value_name = "FILE.json", value_parser = json_file)]
    pub trace: Option<PathBuf>,
}

/// A run's output files, open while it runs. Clones share the open trace.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// Where the timeline goes, if asked for.
    timeline: Option<PathBuf>,
    /// The timeline's title.
    title: String,
    /// What the run records.
    recorder: Recorder,
    /// The open trace, if asked for: taken (and so finished) by `finish`
    /// or by a forced exit, whichever comes first.
    trace: Arc<Mutex<Option<(PathBuf, trace::Trace)>>>,
}

impl OutputArgs {
    /// Whether either file was asked for.
    pub fn any(&self) -> bool {
        self.timeline.is_some() || self.trace.is_some()
    }

    /// Why a build with `--features console` (tokio-console's subscriber)
    /// cannot serve this run, or `None` when it can. The console's
    /// subscriber is the process's one `tracing` subscriber, which `--trace`
    /// needs too, and it sees tokio's tasks only: `on_tokio` says whether
    /// the run is on tokio.
    pub fn console_conflict(&self, on_tokio: bool) -> Option<&'static str> {
        match (on_tokio, self.trace.is_some()) {
            (true, false) => None,
            (true, true) => Some("built with --features console: run without --trace"),
            (false, false) => Some("built with --features console: run with --runtime tokio"),
            (false, true) => {
                Some("built with --features console: run with --runtime tokio and without --trace")
            }
        }
    }

    /// A chapter built with `--features console` (which turns on this
    /// crate's `console` feature) starts tokio-console's subscriber here,
    /// before any task exists, or refuses the run as a usage error of the
    /// command line `C` (exit status 2) when [`console_conflict`] says it
    /// cannot serve it. Built without the feature, it does nothing.
    ///
    /// [`console_conflict`]: OutputArgs::console_conflict
    pub fn start_console<C: clap::CommandFactory>(&self, on_tokio: bool) {
        #[cfg(feature = "console")]
        {
            if let Some(why) = self.console_conflict(on_tokio) {
                crate::flags::conflict::<C>(why);
            }
            console_subscriber::init();
        }
        #[cfg(not(feature = "console"))]
        let _ = on_tokio;
    }

    /// Starts recording for the files asked for: spans kept, the trace file
    /// opened; on a forced exit after Ctrl-C both are still written.
    pub fn start(
        &self,
        title: &str,
        recorder: &Recorder,
        interrupt: &Interrupt,
    ) -> std::io::Result<Outputs> {
        if self.any() {
            recorder.keep_spans();
        }
        let trace = match &self.trace {
            Some(path) => Some((path.clone(), trace::to_file(path)?)),
            None => None,
        };
        let outputs = Outputs {
            timeline: self.timeline.clone(),
            title: title.to_owned(),
            recorder: recorder.clone(),
            trace: Arc::new(Mutex::new(trace)),
        };
        if self.any() {
            let saved = outputs.clone();
            interrupt.at_forced_exit(move || {
                if let Err(error) = saved.clone().finish() {
                    eprintln!("error: {error}");
                }
            });
        }
        Ok(outputs)
    }

    /// [`start`](OutputArgs::start) for a chapter's `main`: when the trace
    /// file cannot be opened, says so on stderr and exits with status 1
    /// (before anything has run, so nothing is left to stop).
    pub fn start_or_exit(
        &self,
        title: &str,
        recorder: &Recorder,
        interrupt: &Interrupt,
    ) -> Outputs {
        self.start(title, recorder, interrupt)
            .unwrap_or_else(|error| {
                eprintln!("error: cannot start the trace: {error}");
                std::process::exit(1)
            })
    }
}

impl Outputs {
    /// Writes the timeline and finishes the trace: call it when the run has
    /// ended (also after a graceful stop on Ctrl-C).
    pub fn finish(self) -> std::io::Result<()> {
        if let Some(path) = &self.timeline {
            timeline::write_svg(path, &self.title, &self.recorder).map_err(|error| {
                std::io::Error::other(format!("cannot write {}: {error}", path.display()))
            })?;
            eprintln!("timeline written to {}", path.display());
        }
        let trace = self.trace.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some((path, trace)) = trace {
            self.recorder.close_lanes();
            drop(trace); // joins the writer, which closes the file's array
            eprintln!("trace written to {}", path.display());
        }
        Ok(())
    }
}

/// `--timeline FILE.svg`: `#[arg(long, value_parser = runner::output::svg_file)]`.
pub fn svg_file(text: &str) -> Result<PathBuf, String> {
    output_file(text, "svg")
}

/// `--trace FILE.json`: `#[arg(long, value_parser = runner::output::json_file)]`.
pub fn json_file(text: &str) -> Result<PathBuf, String> {
    output_file(text, "json")
}

/// A file that can be written, named `*.extension`.
pub fn output_file(text: &str, extension: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    let shown = echo(text);
    if path.extension().is_none_or(|ext| ext != extension) {
        return Err(format!(
            "`{shown}` must be a file name ending in .{extension}"
        ));
    }
    if path.is_dir() {
        return Err(format!("`{shown}` is a directory, not a .{extension} file"));
    }
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(format!(
            "`{shown}`: the folder `{}` does not exist",
            echo(&folder.to_string_lossy())
        ));
    }
    // The only sure test of "can be written" is writing: permission bits
    // say nothing to root, and /proc or a read-only mount refuse anyway.
    // Opened without truncating, and removed again if it is new.
    let existed = path.exists();
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|error| format!("cannot write `{shown}`: {error}"))?;
    if !existed {
        let _ = std::fs::remove_file(&path);
    }
    Ok(path)
}
