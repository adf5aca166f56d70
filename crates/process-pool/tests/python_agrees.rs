//! The book's pooling program (`python/concurrent_futures_pooling.py`),
//! its direct port (`--part port`) and the labelled comparison (`--part
//! compare`), with the same items, iterations and workers: three phases in
//! the same order (sequential, thread pool, process pool), each giving
//! `Item <i>, result <i x iterations>` for every item: in item order
//! sequentially, each item once in any order on the pools; and the process
//! pool's items computed in other processes. The port prints exactly
//! Python's lines; only the times differ.
//!
//! Needs `python3` on PATH; without one the test prints
//! "skipped: no python3" and passes (CI has one).

use std::collections::BTreeSet;

use cli_test::lines::{items, labelled};
use cli_test::python::{self, Programs};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/concurrent_futures_pooling.py",
    rust: env!("CARGO_BIN_EXE_process-pool"),
};

/// Cuts `stdout` into its three phases at the line that ends each, the
/// first of `markers` found for each phase (Python's, then Rust's).
fn phases<'a>(who: &str, stdout: &'a str) -> [&'a str; 3] {
    let ends = [
        ["Sequential Execution in", "sequential phase:"],
        ["Thread Pool Execution in", "thread pool phase:"],
        ["Process Pool Execution in", "process pool phase:"],
    ];
    let mut rest = stdout;
    ends.map(|markers| {
        let at = markers
            .iter()
            .find_map(|m| rest.find(m))
            .unwrap_or_else(|| panic!("{who}: no {markers:?} line, in this order:\n{stdout}"));
        let (phase, after) = rest.split_at(at);
        rest = after.split_once('\n').map_or("", |(_, r)| r);
        phase
    })
}

/// Every item's result is item x iterations in every phase of both
/// programs: in item order sequentially, each item once on each pool. The
/// Rust port labels the process pool's lines with the pid of the worker
/// that computed them.
#[test]
fn python_and_rust_agree_on_every_items_result_in_all_three_phases() {
    if !python::found() {
        return;
    }
    let (items_n, iterations) = (4u64, 100_000u64);
    let (items_flag, iterations_flag) = (items_n.to_string(), iterations.to_string());
    let flags = [
        "--items",
        &items_flag,
        "--iterations",
        &iterations_flag,
        "--workers",
        "2",
    ];
    // One after the other: both keep the two cores busy.
    let python = PROGRAMS.python(&flags).ok().stdout;
    let rust = PROGRAMS
        .rust(&[&["--part", "compare"], &flags[..]].concat())
        .ok()
        .stdout;

    let expected: Vec<(u64, u64)> = (1..=items_n).map(|i| (i, i * iterations)).collect();
    let each_once: BTreeSet<(u64, u64)> = expected.iter().copied().collect();
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let [sequential, threads, processes] = phases(who, out);
        assert_eq!(items(sequential), expected, "{who}: in item order:\n{out}");
        for (pool, phase) in [("thread", threads), ("process", processes)] {
            let found = items(phase);
            assert_eq!(found.len(), expected.len(), "{who}, {pool} pool:\n{out}");
            let found: BTreeSet<(u64, u64)> = found.into_iter().collect();
            assert_eq!(
                found, each_once,
                "{who}, {pool} pool: each item once:\n{out}"
            );
        }
    }
    let pids: BTreeSet<&str> = phases("Rust", &rust)[2]
        .lines()
        .filter(|l| l.contains("Item "))
        .filter_map(|l| labelled(l).map(|(who, _)| who))
        .collect();
    assert!(
        !pids.is_empty() && pids.iter().all(|who| who.starts_with("pid ")),
        "Rust: the process pool's items come from worker processes: {pids:?}\n{rust}"
    );
}

/// Python's lines with the seconds left out: `Sequential Execution in _
/// seconds`; the lines that are neither an item nor a phase's end are
/// dropped (the Rust binary's header).
fn python_lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("Item ") || l.contains(" Execution in "))
        .map(|l| match l.split_once(" Execution in ") {
            Some((phase, _)) => format!("{phase} Execution in _ seconds"),
            None => l.to_owned(),
        })
        .collect()
}

/// The direct port prints the Python program's lines: the same lines, the
/// loop's in the same order, each pool's in some order between the same
/// phase lines (the order the workers finish in).
#[test]
fn python_and_the_port_print_the_same_lines() {
    if !python::found() {
        return;
    }
    let flags = ["--items", "4", "--iterations", "100000", "--workers", "2"];
    let python = python_lines(&PROGRAMS.python(&flags).ok().stdout);
    let port = python_lines(
        &PROGRAMS
            .rust(&[&["--part", "port"], &flags[..]].concat())
            .ok()
            .stdout,
    );
    assert_eq!(python.len(), 15, "{python:?}");
    assert_eq!(port.len(), python.len(), "{port:?}\n{python:?}");
    let phase_ends = [4, 9, 14];
    for end in phase_ends {
        assert_eq!(port[end], python[end], "the phase lines, in order");
    }
    assert_eq!(port[..4], python[..4], "the loop's items, in order");
    for (start, end) in [(5, 9), (10, 14)] {
        let mut ours = port[start..end].to_vec();
        let mut theirs = python[start..end].to_vec();
        ours.sort();
        theirs.sort();
        assert_eq!(ours, theirs, "a pool's items, in any order");
    }
}
