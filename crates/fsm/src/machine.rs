//! What every state needs: the random draws, the wait, the output, and a
//! record of the walk for tests.
//!
//! Both implementations ([`crate::faithful`] and [`crate::idiomatic`]) go
//! through a [`Machine`], so with the same seed they make the same draws in
//! the same order and print the same lines.

use std::time::Duration;

use basic_coroutines::{Runtime, Transcript};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::table::{State, Transition};

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
    /// Which runtime's sleep to await.
    runtime: Runtime,
    /// Where the states print.
    transcript: Transcript,
    /// How long each state waits (`--delay`; the chapter's 1 s).
    delay: Duration,
    /// Await an async sleep, or block the thread like the original.
    wait: Wait,
    /// Every state entered so far, in order, appended by [`Machine::enter`].
    visited: Vec<State>,
    /// Every draw so far, in order, appended by [`Machine::draw`]. Draw `i`
    /// was made in `visited[i]` and led to `visited[i + 1]`.
    draws: Vec<u8>,
    /// How many waits the states have done; one per state but End.
    waits: u32,
}

impl Machine {
    /// A machine whose draws come from `seed`.
    pub fn new(
        seed: u64,
        runtime: Runtime,
        transcript: Transcript,
        delay: Duration,
        wait: Wait,
    ) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
            runtime,
            transcript,
            delay,
            wait,
            visited: Vec::new(),
            draws: Vec::new(),
            waits: 0,
        }
    }

    /// Prints `message` labelled with `state`'s name.
    pub fn say(&self, state: State, message: impl std::fmt::Display) {
        self.transcript.say(state.label(), message);
    }

    /// Records that the walk has entered `state`. Both implementations call
    /// it first thing in every state, so tests see the path actually taken.
    pub fn enter(&mut self, state: State) {
        self.visited.push(state);
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
        match self.wait {
            // The fix: other tasks (the ticker) run while we wait.
            Wait::Async => self.runtime.sleep(self.delay).await,
            // The original's bug, kept on purpose for `--blocking`: this
            // holds the executor's thread for the whole delay, so nothing
            // else on it (the ticker) can run. Never do this in async code;
            // if you must call blocking code, use `spawn_blocking`.
            Wait::Blocking => std::thread::sleep(self.delay),
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
