//! Exercise 1, solved: the idiomatic loop with a limit. In the loop the
//! check is one condition, before a state is entered; in the faithful
//! version (a chain of awaits) every state function would need it, and
//! each would have to return early with a partial resume.
//!
//! Check: `cargo test -p fsm --features solutions --test exercises max_states`

use fsm::{Machine, State};

/// The walk, cut short after `max_states` states.
pub async fn walk_at_most(m: &mut Machine, max_states: usize) -> Vec<State> {
    let mut state = State::Start;
    while m.visited().len() < max_states {
        m.enter(state);
        if state == State::End {
            m.say(State::End, "...stop computation...");
            break;
        }
        let input_value = m.draw();
        m.wait().await;
        state = state
            .next(input_value)
            .expect("every state but End has a move for 0 and for 1");
    }
    m.visited().to_vec()
}
