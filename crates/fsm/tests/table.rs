//! The chapter's transition table, and what a legal walk is.

use fsm::table::is_valid_walk;
use fsm::{State, Transition};

/// The table, row by row, and End has no way out.
#[test]
fn table_matches_the_chapter() {
    use State::*;
    let rows = [
        (Start, Two, One),
        (One, Three, Two),
        (Two, One, Three),
        (Three, One, End),
    ];
    for (from, on_0, on_1) in rows {
        assert_eq!(from.next(0), Some(on_0));
        assert_eq!(from.next(1), Some(on_1));
        assert_eq!(from.next(2), None);
    }
    assert_eq!(End.next(0), None);
    assert_eq!(End.next(1), None);
}

/// A legal walk passes; a broken chain, an illegal move or a walk that
/// stops short does not.
#[test]
fn walk_validation() {
    use State::*;
    let t = |from, value, to| Transition { from, value, to };
    assert!(is_valid_walk(&[
        t(Start, 1, One),
        t(One, 0, Three),
        t(Three, 1, End)
    ]));
    assert!(!is_valid_walk(&[]));
    assert!(!is_valid_walk(&[t(Start, 1, One)]));
    assert!(!is_valid_walk(&[
        t(Start, 0, One),
        t(One, 0, Three),
        t(Three, 1, End)
    ]));
    assert!(!is_valid_walk(&[
        t(Start, 1, One),
        t(Two, 1, Three),
        t(Three, 1, End)
    ]));
    assert_eq!(
        t(One, 0, Three).resume_line(),
        "State 1 calling State 3 with transition value = 0"
    );
}
