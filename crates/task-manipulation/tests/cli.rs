//! The binary end to end: help, bad input (exit 2), real runs, and Ctrl-C.
#![allow(clippy::unwrap_used)]

use cli_test::{Interrupted, refuses, run};
use predicates::prelude::*;

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_task-manipulation");

/// --help lists every part and the flags.
#[test]
fn runs_help() {
    let mut out = run(BIN, &["--help"]).success();
    for word in [
        "--part",
        "--speed",
        "--task",
        "create",
        "gather",
        "first-completed",
        "exceptions",
        "cancel",
        "timeout",
        "sequential",
        "scheduler",
    ] {
        out = out.stdout(predicate::str::contains(word));
    }
}

/// Unknown parts, bad speeds and bad task specs: one-line error, exit 2.
#[test]
fn bad_input_exits_2_flags() {
    for (args, expected) in [
        (&["--part", "bogus"][..], "--part"),
        (&["--speed", "0"], "--speed"),
        (&["--speed", "-1"], "--speed"),
        (&["--speed", "fast"], "--speed"),
        (&["--task", "a=x"], "--task"),
    ] {
        refuses(BIN, args, expected);
    }
}

/// A graph that cannot run (an unknown prerequisite, a cycle) is refused
/// before anything runs, the cycle spelled out.
#[test]
fn bad_input_exits_2_task_graph() {
    refuses(
        BIN,
        &["--task", "a=1:b"],
        "`a` needs `b`, which is not a task",
    );
    refuses(
        BIN,
        &["--part", "scheduler", "--task", "a=1:b", "--task", "b=1:a"],
        "cyclic dependency: a -> b -> a",
    );
}

/// A real run of two parts, sped up: exit 0 and the expected lines.
#[test]
fn runs_sequential_and_scheduler() {
    run(BIN, &["--part", "sequential", "--speed", "100"])
        .success()
        .stdout(predicate::str::contains("sequential took"))
        .stdout(predicate::str::contains("concurrent took"));
    let scheduler = [
        "--part",
        "scheduler",
        "--speed",
        "100",
        "--task",
        "a=1",
        "--task",
        "b=1:a",
        "--task",
        "c=2:a",
    ];
    run(BIN, &scheduler)
        .success()
        .stdout(predicate::str::contains("ran together: b + c"));
}

/// The whole program runs to the end (at speed 200: well under a second)
/// and the panicking task is reported, not fatal: one line on stderr.
#[test]
fn runs_all_parts() {
    run(BIN, &["--speed", "200"])
        .success()
        .stdout(predicate::str::contains("buggy: Panic"))
        .stdout(predicate::str::contains("publish        | done"))
        .stderr(predicate::str::contains(
            "task `buggy` panicked on purpose at ",
        ))
        .stderr(predicate::str::contains("panic in "));
}

/// Ctrl-C in the middle of `gather` (at half speed the run lasts about
/// 25 s): the running part's tasks are cancelled (their guards print), and
/// the program exits 130 within a second with one line saying what
/// finished and what did not.
#[test]
fn ctrl_c_stops_within_a_second() {
    let stopped = Interrupted::run(BIN, &["--speed", "2"], "gather(a, b, c)");
    assert!(
        stopped.stdout.contains("cancelled: Drop guard"),
        "{}",
        stopped.output()
    );
    assert!(
        stopped.stderr.contains(
            "interrupted: finished create; stopped gather (its tasks cancelled); \
             not started: first-completed, "
        ),
        "{}",
        stopped.output()
    );
}
