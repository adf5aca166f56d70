//! How far the run got: what the one line after Ctrl-C says.
//!
//! The run is a list of steps (each `--mode`, then the futures part). On
//! Ctrl-C the program says which steps finished, which one it stopped and
//! how, and which never ran. "How" matters for the CPU jobs: a job inside
//! its loop cannot be stopped (Rust has no way to interrupt a thread, and
//! the loop never reaches an `.await`), so the program does not wait for
//! it; it is abandoned, and ends when the process exits. A job in a worker
//! process *can* be stopped: the pool kills its workers.

use std::sync::{Arc, Mutex, MutexGuard};

use crate::jobs::{Mode, RunningJobs};
use crate::{Config, Part};

/// The name of the futures part among the steps.
const FUTURES: &str = "the futures part";

/// How far the run got. Clones share one state: the program writes it as
/// it goes, the Ctrl-C summary reads it (on the handler's thread, if the
/// program cannot stop in time by itself).
#[derive(Debug, Clone)]
pub struct Progress {
    /// Guarded by a std mutex, held only to update or to read: never
    /// across a wait.
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    /// The steps of the run, in order (fixed at the start).
    steps: Vec<&'static str>,
    /// How many of them have finished.
    finished: usize,
    /// Whether `steps[finished]` has started.
    started: bool,
    /// The running mode and its jobs (how many are inside their loop),
    /// while a mode runs.
    jobs: Option<(Mode, RunningJobs)>,
}

impl Progress {
    /// The steps `config` asks for, none started.
    pub fn new(config: &Config) -> Self {
        let mut steps: Vec<&'static str> = Vec::new();
        if config.part != Part::Futures {
            steps.extend(config.modes.iter().map(|mode| mode.name()));
        }
        if config.part != Part::Table {
            steps.push(FUTURES);
        }
        let state = State {
            steps,
            finished: 0,
            started: false,
            jobs: None,
        };
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// The next step starts: a mode, whose jobs `running` counts, or the
    /// futures part (`None`).
    pub fn start(&self, mode: Option<(Mode, &RunningJobs)>) {
        let mut state = self.lock();
        state.started = true;
        state.jobs = mode.map(|(mode, running)| (mode, running.clone()));
    }

    /// The step that was running has finished.
    pub fn finish(&self) {
        let mut state = self.lock();
        state.finished += 1;
        state.started = false;
        state.jobs = None;
    }

    /// One line: the steps finished, the one stopped (and what became of
    /// its jobs), the ones not run.
    pub fn summary(&self) -> String {
        let state = self.lock();
        let finished = state.finished.min(state.steps.len());
        let mut line = match finished {
            0 => "finished nothing".to_owned(),
            _ => format!("finished {}", state.steps[..finished].join(", ")),
        };
        let mut next = finished;
        if state.started
            && let Some(step) = state.steps.get(finished)
        {
            line += &format!("; stopped {step}");
            line += &match &state.jobs {
                Some((Mode::ProcessPool, _)) => " (its worker processes killed)".to_owned(),
                Some((_, running)) if running.now() > 0 => format!(
                    " ({} job(s) abandoned mid-loop: a CPU loop cannot be stopped, \
                     it ends with the process)",
                    running.now()
                ),
                _ => String::new(),
            };
            next += 1;
        }
        if let Some(rest) = state.steps.get(next..).filter(|rest| !rest.is_empty()) {
            line += &format!("; not run: {}", rest.join(", "));
        }
        line
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Counts and names only: a panic elsewhere leaves them consistent.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
