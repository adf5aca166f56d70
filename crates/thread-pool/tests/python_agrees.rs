//! The Python program (`python/thread_pool.py`) and the Rust port, part by
//! part, with the same flags: the same thread results and thread states;
//! the same executor results (`submit`, `done`, `map` in input order, the
//! tasks around a failing one); the same `Item <i>, result <r>` for every
//! item, sequentially in item order and on the pool in any order. And the
//! difference the docs page lists, asserted as such: `cube(3_000_000)` is
//! a big integer in Python and an overflow error in Rust.
//!
//! Needs `python3` on PATH; without one each test prints
//! "skipped: no python3" and passes (CI has one).

use std::collections::BTreeSet;

use cli_test::lines::{items, messages};
use cli_test::python::{self, Programs};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/thread_pool.py",
    rust: env!("CARGO_BIN_EXE_thread-pool"),
};

/// Runs both one after the other (the compare part keeps the cores busy),
/// with the same arguments, and returns what each printed.
fn run_both(args: &[&str]) -> (String, String) {
    let (python, rust) = PROGRAMS.in_turn(args);
    (python.stdout, rust.stdout)
}

/// The one line that starts with `start`, without the prefix.
fn after<'a>(stdout: &'a str, start: &str) -> &'a str {
    let found: Vec<&str> = messages(stdout)
        .into_iter()
        .filter_map(|m| m.strip_prefix(start))
        .collect();
    assert_eq!(found.len(), 1, "one line {start:?}:\n{stdout}");
    found[0].trim()
}

/// Part 1: the thread's target computes cube(3) = 27; the thread is alive
/// after start and not after join; three named threads say hello once
/// each; the daemon (detached) thread ticks, then stops when asked.
#[test]
fn python_and_rust_agree_on_the_threads_part() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_both(&["--part", "threads"]);
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let lower = out.to_lowercase();
        let lines: Vec<&str> = lower.lines().collect();
        let has = |all: &[&str]| lines.iter().any(|l| all.iter().all(|w| l.contains(w)));
        assert!(has(&["target: cube(3) = 27"]), "{who}:\n{out}");
        assert!(has(&["started", "is_alive() = true"]), "{who}:\n{out}");
        assert!(has(&["joined", "is_alive()", "false"]), "{who}:\n{out}");
        for name in ["named-1", "named-2", "named-3"] {
            let hellos = lines
                .iter()
                .filter(|l| l.contains("hello from") && l.contains(name))
                .count();
            assert_eq!(hellos, 1, "{who}: {name}:\n{out}");
        }
        assert!(has(&["tick 1"]), "{who}:\n{out}");
        assert!(has(&["asked to stop"]), "{who}:\n{out}");
    }
}

/// Part 2: `submit(cube, 3).result()` is 27; `done()` is false while the
/// task is held and true after, with cube(5) = 125; `map(cube, [2, 4, 6,
/// 8])` is [8, 64, 216, 512] in input order; the tasks submitted around
/// the failing ones still give [343, 729]. The listed difference:
/// `cube(3_000_000)` is 27000000000000000000 in Python and an overflow in
/// Rust (an i64 holds cubes up to 2097151³).
#[test]
fn python_and_rust_agree_on_the_executor_part_but_for_the_overflow() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_both(&["--part", "executor"]);
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        assert_eq!(after(out, "submit(cube, 3).result() ="), "27", "{who}");
        assert_eq!(
            after(out, "done() while held:").to_lowercase(),
            "false; after it ran: true; result 125",
            "{who}"
        );
        assert_eq!(
            after(out, "map(cube, [2, 4, 6, 8]) ="),
            "[8, 64, 216, 512] (input order)",
            "{who}"
        );
        assert_eq!(
            after(out, "the tasks around them still finished:"),
            "[343, 729]",
            "{who}"
        );
    }
    assert!(
        after(&python, "cube(3000000) ->").starts_with("27000000000000000000 "),
        "Python: a big int:\n{python}"
    );
    assert!(
        after(&rust, "failing task ->").contains("cube(3000000) overflows i64"),
        "Rust: an overflow error:\n{rust}"
    );
    assert!(
        after(&python, "raising task ->").contains("RuntimeError"),
        "Python: the raising task's exception:\n{python}"
    );
    assert!(
        after(&rust, "panicking task ->").contains("panicked"),
        "Rust: the panicking task's error:\n{rust}"
    );
}

/// Splits `stdout` at the line that ends the sequential phase: Python's
/// `Sequential Execution in ...`, Rust's `sequential phase: ...`.
fn split_phases(stdout: &str) -> (&str, &str) {
    let at = ["Sequential Execution in", "sequential phase:"]
        .iter()
        .find_map(|marker| stdout.find(marker))
        .unwrap_or_else(|| panic!("no end of the sequential phase:\n{stdout}"));
    stdout.split_at(at)
}

/// Part 3: every item's result is item x iterations in both programs; the
/// sequential phase prints the items in order, the pool phase prints each
/// item once, in any order.
#[test]
fn python_and_rust_agree_on_every_items_result() {
    if !python::found() {
        return;
    }
    let (items_n, iterations) = (6u64, 100_000u64);
    let args = [
        "--part",
        "compare",
        "--items",
        &items_n.to_string(),
        "--iterations",
        &iterations.to_string(),
        "--workers",
        "3",
    ];
    let (python, rust) = run_both(&args);
    let expected: Vec<(u64, u64)> = (1..=items_n).map(|i| (i, i * iterations)).collect();
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let (sequential, pooled) = split_phases(out);
        assert_eq!(items(sequential), expected, "{who}: in item order:\n{out}");
        let pooled: BTreeSet<(u64, u64)> = items(pooled).into_iter().collect();
        assert_eq!(
            pooled,
            expected.iter().copied().collect(),
            "{who}: each item once, in any order:\n{out}"
        );
        assert_eq!(
            items(out).len(),
            2 * expected.len(),
            "{who}: two phases:\n{out}"
        );
    }
}
