//! The idiomatic version: the state is an enum, the machine a loop.
//!
//! Instead of one function per state calling the next (and boxing the
//! recursion, see [`crate::faithful`]), a single loop holds the current
//! [`State`] and asks the table ([`State::next`]) where each draw leads. No
//! recursion, so no boxes and no growing chain of suspended futures: the
//! future's size is fixed however long the walk. The resume is printed from
//! the recorded moves instead of being built on the way back up.
//!
//! With the same seed it makes the same draws, in the same order, as the
//! faithful version, and prints the same lines: the tests check that.

use crate::machine::Machine;
use crate::table::State;

/// Walks from Start to End; returns the resume text (one line per move),
/// identical to [`crate::faithful::start_state`]'s for the same seed.
pub async fn run(m: &mut Machine) -> String {
    let mut state = State::Start;
    m.say(State::Start, "Start State called");
    loop {
        m.enter(state);
        if state == State::End {
            m.say(State::End, "...stop computation...");
            break;
        }
        let input_value = m.draw();
        m.wait().await;
        // As in the chapter, the start state evaluates without saying so.
        if state != State::Start {
            m.say(state, "...evaluating...");
        }
        state = state
            .next(input_value)
            .expect("every state but End has a move for 0 and for 1");
    }
    let resume: Vec<String> = m.walk().iter().map(|t| t.resume_line()).collect();
    m.say(State::Start, "Resume of the Transition :");
    for line in &resume {
        m.say(State::Start, line);
    }
    resume.join("\n")
}
