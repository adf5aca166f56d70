//! The port's promises, on a quiet recorder: part 2's values and failures
//! kept per task, part 3's items in order sequentially and once each on
//! the pool, and Ctrl-C stopping each phase between items.
#![allow(clippy::unwrap_used)]

use super::*;
use common::clock::thread_label;
use runner::Interrupt;
use thread_pool::TaskError;

/// The chapter's values, failures reported per task, workers joined.
#[test]
fn executor_part_reports() {
    let run = Run::quiet();
    part_executor(&run).unwrap();
    let said = run.out.messages_of(&thread_label());
    let line = |start: &str| {
        said.iter()
            .find(|m| m.starts_with(start))
            .unwrap_or_else(|| panic!("no line {start:?} in {said:#?}"))
            .clone()
    };
    assert_eq!(line("submit(cube, 3)"), "submit(cube, 3).result() = 27");
    assert_eq!(
        line("done()"),
        "done() while held: false; after it ran: true; result 125"
    );
    assert_eq!(
        line("map("),
        "map(cube, [2, 4, 6, 8]) = [8, 64, 216, 512] (input order)"
    );
    assert!(
        line("failing task").contains("cube(3000000) overflows i64"),
        "{said:?}"
    );
    assert_eq!(
        line("panicking task"),
        "panicking task -> task panicked: this task panicked on purpose"
    );
    assert_eq!(
        line("the tasks around"),
        "the tasks around them still finished: [343, 729]"
    );
    assert_eq!(
        line("shutdown()"),
        "shutdown(): 10 tasks completed, 2 workers joined"
    );
}

/// Both phases give every item's result: sequentially on main in item
/// order, on the pool once each (in any order) and never on main.
#[test]
fn both_phases_agree() {
    let run = Run::quiet();
    let work = Workload {
        items: 6,
        iterations: 1_000,
    };
    part_compare(&run, work, 3).unwrap();
    let expected: Vec<String> = (1..=6)
        .map(|item| format!("Item {item}, result {}", item * 1_000))
        .collect();
    let on_main: Vec<String> = run
        .out
        .messages_of(&thread_label())
        .into_iter()
        .filter(|m| m.starts_with("Item "))
        .collect();
    assert_eq!(
        on_main, expected,
        "sequential, in item order, on the caller's thread"
    );
    let mut pooled: Vec<String> = run
        .out
        .lines()
        .into_iter()
        .filter(|l| l.who.starts_with("worker-"))
        .map(|l| l.message)
        .collect();
    pooled.sort();
    assert_eq!(pooled, expected, "each item once on the pool");
    assert_eq!(
        run.tally.summary(),
        "sequential done (6 items); thread pool done (6 items)"
    );
}

/// An overflowing item is that item's error, not a wrapped number.
#[test]
fn a_failing_item_is_its_own_error() {
    let run = Run::quiet();
    let err = evaluate(&run, u64::MAX, 2).unwrap_err();
    assert!(err.to_string().contains("overflows u64"), "{err}");
}

/// Five short items, for the Ctrl-C tests.
const FIVE_ITEMS: Workload = Workload {
    items: 5,
    iterations: 10,
};

/// A run on which Ctrl-C is raised as a line containing `text` is printed.
fn ctrl_c_on(text: &'static str) -> Run {
    let interrupt = Interrupt::new();
    let raiser = interrupt.clone();
    Run {
        interrupt,
        out: runner::Recorder::with_printer(move |line| {
            if line.contains(text) {
                raiser.raise();
            }
        }),
        tally: runner::Tally::new(),
    }
}

/// Ctrl-C (raised here as item 2's line is printed) stops the
/// sequential phase after that item; in the pooled phase every item not
/// started is cancelled without running (here all of them).
#[test]
fn ctrl_c_stops_each_phase_between_items() {
    let run = ctrl_c_on("Item 2,");
    let stopped = part_compare(&run, FIVE_ITEMS, 2);
    assert!(
        matches!(stopped, Err(ChapterError::Interrupted(_))),
        "{stopped:?}"
    );
    assert_eq!(run.out.lines().len(), 2, "no item after the second");
    assert_eq!(run.tally.summary(), "sequential cut after 2 of 5 items");
}

/// Ctrl-C raised as the sequential phase ends: in the pooled phase every
/// item not started is cancelled without running (here all of them).
#[test]
fn ctrl_c_cancels_the_pooled_items_not_started() {
    let run = ctrl_c_on("sequential phase:");
    let pooled = part_compare(&run, FIVE_ITEMS, 2);
    assert!(
        matches!(pooled, Err(ChapterError::Task(TaskError::Cancelled))),
        "{pooled:?}"
    );
    let items = run
        .out
        .lines()
        .iter()
        .filter(|l| l.message.starts_with("Item "))
        .count();
    assert_eq!(items, 5, "no pooled item ran");
}
