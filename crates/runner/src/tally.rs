//! How far a run got, for the one-line summary an interrupted run prints
//! (the Ctrl-C policy, [`crate::interrupt`], asks every program to say what
//! it did and did not finish). Clones share one tally; hand
//! [`Tally::summary`] to [`Interrupt::set_summary`](crate::Interrupt::set_summary)
//! for the forced exit, or print it after stopping gracefully:
//!
//! ```text
//! interrupted: sequential done (10 items); thread pool cut after 3 of 10 items; not started: process pool
//! ```

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The phases of a run and how far each got. Clones share one tally.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Every phase planned or started, in order. Written by the program's
    /// threads as items finish, read by the summary (on the Ctrl-C
    /// handler's thread too); held only to update or copy.
    phases: Arc<Mutex<Vec<Phase>>>,
}

#[derive(Debug, Default)]
struct Phase {
    name: String,
    /// How many items it has (0: a phase that is not counted in items).
    items: u64,
    /// How many of them have finished.
    done: u64,
    stage: Stage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Stage {
    #[default]
    Planned,
    Running,
    Finished,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Announces a phase that will run later, so that the summary can name
    /// it as not started.
    pub fn plan(&self, name: &str) {
        Self::find(&mut self.lock(), name);
    }

    /// Phase `name` starts, with `items` items to do (0 if it is not
    /// counted in items).
    pub fn start(&self, name: &str, items: u64) {
        let mut phases = self.lock();
        let phase = Self::find(&mut phases, name);
        phase.items = items;
        phase.done = 0;
        phase.stage = Stage::Running;
    }

    /// One more item of the running phase has finished.
    pub fn item_done(&self) {
        if let Some(phase) = self.lock().iter_mut().find(|p| p.stage == Stage::Running) {
            phase.done += 1;
        }
    }

    /// The running phase has finished.
    pub fn finish(&self) {
        if let Some(phase) = self.lock().iter_mut().find(|p| p.stage == Stage::Running) {
            phase.stage = Stage::Finished;
        }
    }

    /// Runs `work` as phase `name` of `items` items (0: not counted):
    /// started before it, finished after it if it succeeds. Gives its value
    /// and how long it took.
    pub fn phase<T, E>(
        &self,
        name: &str,
        items: u64,
        work: impl FnOnce() -> Result<T, E>,
    ) -> Result<(T, Duration), E> {
        self.start(name, items);
        let started = Instant::now();
        let value = work()?;
        let took = started.elapsed();
        self.finish();
        Ok((value, took))
    }

    /// What was finished, what was cut short, what never started.
    pub fn summary(&self) -> String {
        let phases = self.lock();
        let mut parts = Vec::new();
        let mut not_started = Vec::new();
        for phase in phases.iter() {
            let counted = phase.items > 0;
            match phase.stage {
                Stage::Finished if counted => {
                    parts.push(format!("{} done ({} items)", phase.name, phase.done));
                }
                Stage::Finished => parts.push(format!("{} done", phase.name)),
                Stage::Running if counted => parts.push(format!(
                    "{} cut after {} of {} items",
                    phase.name, phase.done, phase.items
                )),
                Stage::Running => parts.push(format!("{} cut short", phase.name)),
                Stage::Planned => not_started.push(phase.name.as_str()),
            }
        }
        if !not_started.is_empty() {
            parts.push(format!("not started: {}", not_started.join(", ")));
        }
        if parts.is_empty() {
            return "nothing had started".to_owned();
        }
        parts.join("; ")
    }

    /// The phase called `name`, planned now if it is new.
    fn find<'a>(phases: &'a mut Vec<Phase>, name: &str) -> &'a mut Phase {
        let index = phases.iter().position(|p| p.name == name);
        let index = index.unwrap_or_else(|| {
            let name = name.to_owned();
            phases.push(Phase {
                name,
                ..Phase::default()
            });
            phases.len() - 1
        });
        &mut phases[index]
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Phase>> {
        // Every update leaves the list consistent, so a panic elsewhere
        // while it was held does not make it unusable.
        self.phases.lock().unwrap_or_else(|p| p.into_inner())
    }
}
