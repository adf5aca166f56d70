//! The binary end to end: help, bad input (exit 2), and real runs.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary under test.
fn bin() -> Command {
    Command::cargo_bin("task-manipulation").unwrap()
}

/// --help lists every part and the flags.
#[test]
fn help_lists_parts_and_flags() {
    let mut out = bin().arg("--help").assert().success();
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

/// Unknown parts, bad speeds and bad graphs: one-line error, exit code 2.
#[test]
fn bad_input_exits_2() {
    for args in [
        &["--part", "bogus"][..],
        &["--speed", "0"],
        &["--speed", "-1"],
        &["--speed", "fast"],
        &["--task", "a=x"],
        &["--task", "a=1:b"],
    ] {
        bin()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error"));
    }
    bin()
        .args(["--part", "scheduler", "--task", "a=1:b", "--task", "b=1:a"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cyclic dependency: a -> b -> a"));
}

/// A real run of two parts, sped up: exit 0 and the expected lines.
#[test]
fn runs_parts_from_the_command_line() {
    bin()
        .args(["--part", "sequential", "--speed", "100"])
        .assert()
        .success()
        .stdout(predicate::str::contains("sequential took"))
        .stdout(predicate::str::contains("concurrent took"));
    bin()
        .args([
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
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("ran together: b + c"));
}

/// The whole program runs to the end (at speed 200: well under a second)
/// and the panicking task is reported, not fatal.
#[test]
fn all_parts_run() {
    bin()
        .args(["--speed", "200"])
        .assert()
        .success()
        .stdout(predicate::str::contains("buggy: Panic"))
        .stdout(predicate::str::contains("publish        | done"))
        .stderr(predicate::str::contains("panic in thread"));
}
