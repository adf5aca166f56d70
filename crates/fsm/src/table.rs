//! The states and the chapter's transition table.
//!
//! Each state but `End` draws a random 0 or 1 and moves on:
//!
//! | state   | draw 0  | draw 1  |
//! |---------|---------|---------|
//! | Start   | State 2 | State 1 |
//! | State 1 | State 3 | State 2 |
//! | State 2 | State 1 | State 3 |
//! | State 3 | State 1 | End     |
//!
//! Only State 3 can reach End, so a walk can be any length; it ends with
//! probability 1 (from State 3 half the draws end it).

/// One state of the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Where every walk starts.
    Start,
    /// State 1.
    One,
    /// State 2.
    Two,
    /// State 3, the only way to End.
    Three,
    /// Where every walk stops.
    End,
}

impl State {
    /// The state a draw of `value` (0 or 1) leads to from `self`; `None`
    /// from `End` (it has no transitions) or for a value other than 0 or 1.
    pub fn next(self, value: u8) -> Option<State> {
        use State::*;
        match (self, value) {
            (Start, 0) => Some(Two),
            (Start, 1) => Some(One),
            (One, 0) => Some(Three),
            (One, 1) => Some(Two),
            (Two, 0) => Some(One),
            (Two, 1) => Some(Three),
            (Three, 0) => Some(One),
            (Three, 1) => Some(End),
            _ => None,
        }
    }

    /// The name the chapter's output uses: `Start State`, `State 1`, `End State`.
    pub fn name(self) -> &'static str {
        match self {
            State::Start => "Start State",
            State::One => "State 1",
            State::Two => "State 2",
            State::Three => "State 3",
            State::End => "End State",
        }
    }

    /// The short label of the state's output lines: `start`, `state 1`, `end`.
    pub fn label(self) -> &'static str {
        match self {
            State::Start => "start",
            State::One => "state 1",
            State::Two => "state 2",
            State::Three => "state 3",
            State::End => "end",
        }
    }
}

/// One move of a walk: from `from`, the draw `value` led to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The state that drew.
    pub from: State,
    /// What it drew (0 or 1): the "transition value" passed to `to`.
    pub value: u8,
    /// Where the draw led.
    pub to: State,
}

impl Transition {
    /// The line of the "Resume of the Transition" chain for this move, as
    /// the Python program words it: `State 1 calling State 3 with
    /// transition value = 0`.
    pub fn resume_line(&self) -> String {
        format!(
            "{} calling {} with transition value = {}",
            self.from.name(),
            self.to.name(),
            self.value
        )
    }
}

/// Whether `walk` is a complete, legal walk: it starts at Start, each move
/// is allowed by the table and starts where the previous one ended, and the
/// last move reaches End.
pub fn is_valid_walk(walk: &[Transition]) -> bool {
    let (Some(first), Some(last)) = (walk.first(), walk.last()) else {
        return false;
    };
    first.from == State::Start
        && last.to == State::End
        && walk.iter().all(|t| t.from.next(t.value) == Some(t.to))
        && walk.windows(2).all(|pair| pair[0].to == pair[1].from)
}
