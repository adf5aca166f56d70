//! The binary end to end: every runtime and part with `--delay 0`, and bad
//! input refused with exit code 2 and a one-line error, never a panic.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn cmd() -> Command {
    Command::cargo_bin("basic-coroutines").unwrap()
}

/// `5 10` on each runtime: both callbacks print, the summary line appears.
#[test]
fn runs_on_every_runtime() {
    for runtime in ["tokio", "async-std", "smol"] {
        cmd()
            .args(["5", "10", "--delay", "0", "--runtime", runtime])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "callback       | First coroutine (sum of N ints) result = 15\n",
            ))
            .stdout(predicate::str::contains(
                "callback       | Second coroutine (factorial) result = 3628800\n",
            ))
            .stdout(predicate::str::contains("both futures done after"))
            .stdout(predicate::str::contains(format!("on {runtime}")));
    }
}

/// `100 100`: 5050 and 100! in full.
#[test]
fn big_numbers_are_exact() {
    let hundred_factorial = common::factorial(100).unwrap().to_string();
    cmd()
        .args(["100", "100", "--delay", "0"])
        .assert()
        .success()
        .stdout(predicate::str::contains("result = 5050\n"))
        .stdout(predicate::str::contains(format!(
            "result = {hundred_factorial}\n"
        )));
}

/// `--part basics` and `--part all` show laziness and the nested await.
#[test]
fn basics_part_runs() {
    cmd()
        .args(["4", "4", "--delay", "0", "--part", "basics"])
        .assert()
        .success()
        .stdout(predicate::str::contains("has its body run? false"))
        .stdout(predicate::str::contains(
            "without awaiting the handle, has the task run? true",
        ))
        .stdout(predicate::str::contains(
            "outer(4): inner gave 10, returning 20",
        ))
        .stdout(predicate::str::contains("callback").not());
    cmd()
        .args([
            "4",
            "4",
            "--delay",
            "0",
            "--part",
            "all",
            "--runtime",
            "smol",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("has its body run? false"))
        .stdout(predicate::str::contains("result = 24"));
}

/// --help names the arguments, flags and parts.
#[test]
fn help_lists_arguments_and_parts() {
    cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("<NUM1>"))
        .stdout(predicate::str::contains("--part"))
        .stdout(predicate::str::contains("basics"))
        .stdout(predicate::str::contains("async-std"));
}

/// Missing, extra, non-numeric, negative or out-of-range: exit code 2.
#[test]
fn bad_input_is_refused_with_exit_code_2() {
    let bad: &[&[&str]] = &[
        &[],
        &["5"],
        &["5", "10", "15"],
        &["five", "10"],
        &["5", "ten"],
        &["-5", "10"],
        &["5", "-10"],
        &["5", "100001"],
        &["5", "10", "--delay", "-1"],
        &["5", "10", "--runtime", "trio"],
        &["5", "10", "--part", "nope"],
    ];
    for args in bad {
        cmd()
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("error:"))
            .stderr(predicate::str::contains("panicked").not());
    }
}
