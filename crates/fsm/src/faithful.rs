//! The direct port of `python/finite_state_machine.py`, read beside it
//! line by line: the Python lines are the comments. Every state is an
//! async fn that awaits the next one, and returns its piece of the
//! "Resume of the Transition" text, so the resume is built on the way
//! *back* up the chain of awaits, as in the Python.
//!
//! What differs from the Python, on purpose: the draws come from the
//! seeded [`Machine`] (`randint(0, 1)`), which also prints the labelled
//! lines and records each state for the timeline; and its wait is an
//! awaited sleep, the fix of the original's blocking `time.sleep`
//! (`--blocking` puts the bug back).
//!
//! **Why the recursive calls are boxed.** An `async fn` compiles to a
//! state machine: a struct that holds, among its local variables, the
//! future it is awaiting. `state1` awaits `state2`, which awaits `state1`
//! again, so `state1`'s struct would contain itself: a type of infinite
//! size, which the compiler refuses (error E0733, "recursion in an async
//! fn requires boxing"). `Box::pin(state2(..))` puts the inner future on
//! the heap, and the outer one holds only a pointer. The price: one small
//! allocation per state visited. (Every Python coroutine frame lives on
//! the heap anyway.) [`crate::idiomatic`] needs no recursion and no box.

use crate::machine::Machine;
use crate::table::State;

// async def start_state():
/// The start state: draws, waits, calls state 1 or 2, then prints the
/// whole chain. Returns the resume text (one line per move).
pub async fn start_state(m: &mut Machine) -> String {
    m.enter(State::Start);
    //     print("Start State called\n")
    m.say(State::Start, "Start State called");
    //     input_value = randint(0, 1)
    let input_value = m.draw();
    //     time.sleep(DELAY)                  (the fix: an awaited sleep)
    m.wait().await;
    //     if input_value == 0:
    let result = if input_value == 0 {
        //         result = await state2(input_value)
        Box::pin(state2(m, input_value)).await
    } else {
        //         result = await state1(input_value)
        Box::pin(state1(m, input_value)).await
    };
    //     print("Resume of the Transition : \nStart State calling " + result)
    let resume = format!("Start State calling {result}");
    m.say(State::Start, "Resume of the Transition :");
    for line in resume.lines() {
        m.say(State::Start, line);
    }
    resume
}

// async def state1(transition_value):
/// State 1: 0 -> state 3, 1 -> state 2.
async fn state1(m: &mut Machine, transition_value: u8) -> String {
    m.enter(State::One);
    //     output_value = "State 1 with transition value = %s\n" % transition_value
    let output_value = format!("State 1 with transition value = {transition_value}");
    //     input_value = randint(0, 1)
    let input_value = m.draw();
    //     time.sleep(DELAY)
    m.wait().await;
    //     print("...evaluating...")
    m.say(State::One, "...evaluating...");
    let result = if input_value == 0 {
        //         result = await state3(input_value)
        Box::pin(state3(m, input_value)).await
    } else {
        //         result = await state2(input_value)
        Box::pin(state2(m, input_value)).await
    };
    //     return output_value + "State 1 calling %s" % result
    format!("{output_value}\nState 1 calling {result}")
}

// async def state2(transition_value):
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

// async def state3(transition_value):
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
        //         result = await end_state(input_value)   (never calls back: no box)
        end_state(m, input_value).await
    };
    format!("{output_value}\nState 3 calling {result}")
}

// async def end_state(transition_value):
/// The end state: no draw, no wait; stops the computation.
async fn end_state(m: &mut Machine, transition_value: u8) -> String {
    m.enter(State::End);
    //     output_value = "End State with transition value = %s\n" % transition_value
    //     print("...stop computation...")
    m.say(State::End, "...stop computation...");
    //     return output_value
    format!("End State with transition value = {transition_value}")
}
