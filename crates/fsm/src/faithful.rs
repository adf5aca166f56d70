//! The faithful port: every state is an async fn that awaits the next one.
//!
//! The Python original (modernised: it used `@asyncio.coroutine` and
//! `yield from`, both removed in Python 3.11):
//!
//! ```python
//! async def state1(transition_value):
//!     output_value = "State 1 with transition value = %s\n" % transition_value
//!     input_value = randint(0, 1)
//!     time.sleep(1)                       # the bug: blocks the event loop
//!     print("...evaluating...")
//!     if input_value == 0:
//!         result = await state3(input_value)
//!     else:
//!         result = await state2(input_value)
//!     return output_value + "State 1 calling " + result
//! ```
//!
//! Each state returns its piece of the "Resume of the Transition" text and
//! the start state prints the whole chain, so the resume is built on the way
//! *back* up the chain of awaits, exactly like the Python version.
//!
//! ## Why the recursive calls are boxed
//!
//! An `async fn` compiles to a state machine: a struct that holds, among its
//! local variables, the future it is currently awaiting. `state1` awaits
//! `state2`, which awaits `state1` again, so `state1`'s struct would contain
//! `state2`'s, which contains `state1`'s, and so on: a type of infinite
//! size, which the compiler refuses (error E0733, "recursion in an async fn
//! requires boxing"). `Box::pin(state2(..))` puts the inner future on the
//! heap, so the outer one holds only a pointer, and the size is finite
//! again. The price is one small allocation per state visited. (Python has
//! no such problem: every coroutine frame lives on the heap anyway.)
//!
//! The idiomatic alternative, with no recursion and no boxes, is
//! [`crate::idiomatic`].

use crate::machine::Machine;
use crate::table::State;

/// The start state: draws, waits, calls state 1 or 2, then prints the
/// whole chain. Returns the resume text (one line per move).
pub async fn start_state(m: &mut Machine) -> String {
    m.enter(State::Start);
    m.say(State::Start, "Start State called");
    let input_value = m.draw();
    m.wait().await;
    m.say(State::Start, "...evaluating...");
    let result = if input_value == 0 {
        Box::pin(state2(m, input_value)).await
    } else {
        Box::pin(state1(m, input_value)).await
    };
    let resume = format!("Start State calling {result}");
    m.say(State::Start, "Resume of the Transition :");
    for line in resume.lines() {
        m.say(State::Start, line);
    }
    resume
}

/// State 1: 0 -> state 3, 1 -> state 2.
async fn state1(m: &mut Machine, transition_value: u8) -> String {
    m.enter(State::One);
    let output_value = format!("State 1 with transition value = {transition_value}");
    let input_value = m.draw();
    m.wait().await;
    m.say(State::One, "...evaluating...");
    let result = if input_value == 0 {
        Box::pin(state3(m, input_value)).await
    } else {
        Box::pin(state2(m, input_value)).await
    };
    format!("{output_value}\nState 1 calling {result}")
}

/// State 2: 0 -> state 1, 1 -> state 3.
async fn state2(m: &mut Machine, transition_value: u8) -> String {
    m.enter(State::Two);
    let output_value = format!("State 2 with transition value = {transition_value}");
    let input_value = m.draw();
    m.wait().await;
    m.say(State::Two, "...evaluating...");
    let result = if input_value == 0 {
        Box::pin(state1(m, input_value)).await
    } else {
        Box::pin(state3(m, input_value)).await
    };
    format!("{output_value}\nState 2 calling {result}")
}

/// State 3: 0 -> state 1, 1 -> end.
async fn state3(m: &mut Machine, transition_value: u8) -> String {
    m.enter(State::Three);
    let output_value = format!("State 3 with transition value = {transition_value}");
    let input_value = m.draw();
    m.wait().await;
    m.say(State::Three, "...evaluating...");
    let result = if input_value == 0 {
        Box::pin(state1(m, input_value)).await
    } else {
        // end_state never calls back, so it needs no box.
        end_state(m, input_value).await
    };
    format!("{output_value}\nState 3 calling {result}")
}

/// The end state: no draw, no wait; stops the computation.
async fn end_state(m: &mut Machine, transition_value: u8) -> String {
    m.enter(State::End);
    m.say(State::End, "...stop computation...");
    format!("End State with transition value = {transition_value}")
}
