//! What every state needs: the random draws, the wait, the output, and a
//! record of the walk for tests.
//!
//! Both implementations ([`crate::faithful`] and [`crate::idiomatic`]) go
//! through a [`Machine`], so with the same seed they make the same draws in
//! the same order and print the same lines.
//!
//! The machine also records one *span* per state (from entering it to
//! entering the next) on the recorder, when the recorder keeps spans: what
//! a timeline of the walk is drawn from, and what the Ctrl-C summary
//! ([`interrupted_summary`]) reads.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use runner::{Recorder, SpanId, SpanKind};

use crate::Config;
use crate::table::{State, Transition};
use crate::ticker::TICKER;

/// How a state waits before evaluating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wait {
    /// `await asyncio.sleep(delay)`: the task pauses, the executor runs
    /// other tasks meanwhile. The fix.
    #[default]
    Async,
    /// `time.sleep(delay)`, as the Python original did: the *thread* stops,
    /// and with it every task the executor would run on it.
    Blocking,
}

/// The machine's shared state, handed (as `&mut`) from state to state.
#[derive(Debug)]
pub struct Machine {
    /// The seeded random source of every draw (Python's `randint(0, 1)`).
    /// ChaCha8 gives the same sequence for a seed on every platform.
    rng: ChaCha8Rng,
    /// The runtime whose sleep to await, the delay (`--delay`; the
    /// chapter's 1 s), how to wait, and which implementation walks (the
    /// lane of the states' spans). Set once.
    config: Config,
    /// Where the states print and their spans go.
    recorder: Recorder,
    /// The span of the state being run, started by [`Machine::enter`] and
    /// ended by the next `enter`. Left open if the walk is stopped.
    span: Option<SpanId>,
    /// Every state entered so far, in order, appended by [`Machine::enter`].
    visited: Vec<State>,
    /// Every draw so far, in order, appended by [`Machine::draw`]. Draw `i`
    /// was made in `visited[i]` and led to `visited[i + 1]`.
    draws: Vec<u8>,
    /// How many waits the states have done; one per state but End.
    waits: u32,
}

impl Machine {
    /// A machine whose draws come from `config.seed`.
    pub fn new(config: Config, recorder: Recorder) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            config,
            span: None,
            recorder,
            visited: Vec::new(),
            draws: Vec::new(),
            waits: 0,
        }
    }

    /// Prints `message` labelled with `state`'s name.
    pub fn say(&self, state: State, message: impl std::fmt::Display) {
        self.recorder.say(state.label(), message);
    }

    /// Records that the walk has entered `state`. Both implementations call
    /// it first thing in every state, so tests see the path actually taken.
    pub fn enter(&mut self, state: State) {
        self.visited.push(state);
        if let Some(previous) = self.span.take() {
            self.recorder.end(previous);
        }
        let kind = match self.config.wait {
            Wait::Async => SpanKind::Wait,
            Wait::Blocking => SpanKind::Block,
        };
        let lane = self.config.implementation.name();
        let span = self.recorder.start(lane, state.name(), kind);
        if state == State::End {
            self.recorder.end(span); // End waits for nothing
        } else {
            self.span = Some(span);
        }
    }

    /// `randint(0, 1)`: a random 0 or 1 from the seeded source, recorded.
    pub fn draw(&mut self) -> u8 {
        let value = self.rng.random_range(0..=1);
        self.draws.push(value);
        value
    }

    /// The state's wait before it evaluates.
    pub async fn wait(&mut self) {
        self.waits += 1;
        let Config { runtime, delay, .. } = self.config;
        match self.config.wait {
            // The fix: other tasks (the ticker) run while we wait.
            Wait::Async => runtime.sleep(delay).await,
            // The original's bug, kept on purpose for `--blocking`: this
            // holds the executor's thread for the whole delay, so nothing
            // else on it (the ticker) can run. Never do this in async code;
            // if you must call blocking code, use `spawn_blocking`.
            Wait::Blocking => block_the_thread(delay),
        }
    }

    /// The walk so far as moves: state `i` drew `draws[i]` and went to
    /// state `i + 1`. (The table is *not* consulted here, so a test can
    /// check each move against it.)
    pub fn walk(&self) -> Vec<Transition> {
        self.visited
            .windows(2)
            .zip(&self.draws)
            .map(|(pair, &value)| Transition {
                from: pair[0],
                value,
                to: pair[1],
            })
            .collect()
    }

    /// The states entered, in order.
    pub fn visited(&self) -> &[State] {
        &self.visited
    }

    /// How many waits the states have done.
    pub fn waits(&self) -> u32 {
        self.waits
    }
}

/// `time.sleep(delay)`: holds the thread, and with it the loop, for
/// `delay`. On mini's virtual clock (`--clock virtual`) the clock moves
/// instead of the thread sleeping (mini's `Handle::block`): the same
/// freeze, nothing else runs meanwhile, in no real time.
fn block_the_thread(delay: std::time::Duration) {
    match runtimes::mini::Handle::current() {
        Some(mini) if mini.is_virtual() => mini.block(delay),
        _ => std::thread::sleep(delay),
    }
}

/// What the walks had done when Ctrl-C stopped them, in one line, read
/// from the states' spans: so it is as true when an awaiting walk stopped
/// at its `.await` as when the grace period ended a `--blocking` walk in
/// the middle of its `std::thread::sleep`.
pub fn interrupted_summary(recorder: &Recorder) -> String {
    // One walk per Start State span, with the states it entered in order.
    let mut walks: Vec<(String, Vec<String>)> = Vec::new();
    // The states' spans only: the ticker's lane has spans of its own.
    let states = recorder
        .spans()
        .into_iter()
        .filter(|span| span.lane != TICKER);
    for span in states {
        if span.what == State::Start.name() {
            walks.push((span.lane.clone(), Vec::new()));
        }
        if let Some((_, states)) = walks.last_mut() {
            states.push(span.what);
        }
    }
    if walks.is_empty() {
        return "stopped before the machine started".to_owned();
    }
    let walks: Vec<String> = walks
        .iter()
        .map(|(implementation, states)| {
            let path = states.join(" -> ");
            match states.last() {
                Some(last) if last != State::End.name() => format!(
                    "the {implementation} walk stopped in {last} ({path}); End State not reached"
                ),
                _ => format!("the {implementation} walk was done ({path})"),
            }
        })
        .collect();
    walks.join("; ")
}
