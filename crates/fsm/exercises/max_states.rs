//! Exercise 1, a walk with a limit: walk the machine as `idiomatic::run`
//! does (enter a state; in End, say `...stop computation...` and stop;
//! otherwise draw, wait, and move on by `State::next`), but stop after
//! `max_states` states even if End was not reached. Return the states
//! entered, in order (`m.visited()`).
//!
//! Check: `cargo test -p fsm --features exercises --test exercises max_states`

use fsm::{Machine, State};

/// The walk, cut short after `max_states` states.
pub async fn walk_at_most(m: &mut Machine, max_states: usize) -> Vec<State> {
    // Your code here: the idiomatic loop, with a check of how many states
    // it has entered.
    let _ = (State::Start, max_states);
    m.visited().to_vec()
}
