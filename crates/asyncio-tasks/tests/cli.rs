//! The binary end to end: every runtime with `--delay 0`, and bad input
//! refused with exit code 2 and a one-line error.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn cmd() -> Command {
    Command::cargo_bin("asyncio-tasks").unwrap()
}

/// The chapter's three exact results on each runtime, labelled lines.
#[test]
fn runs_on_every_runtime() {
    for runtime in ["tokio", "async-std", "smol"] {
        cmd()
            .args(["--runtime", runtime, "--delay", "0"])
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "factorial      | factorial(10) = 3628800",
            ))
            .stdout(predicate::str::contains(
                "fibonacci      | fibonacci(10) = 55",
            ))
            .stdout(predicate::str::contains(
                "binomial       | binomial_coefficient(20, 10) = 184756\n",
            ))
            .stdout(predicate::str::contains("Compute fibonacci(9)"))
            .stdout(predicate::str::contains(format!(
                "creating 3 tasks on {runtime}"
            )));
    }
}

/// n and k are flags, and big values are exact (30! = 265252859812191058636308480000000).
#[test]
fn chosen_values_are_exact() {
    cmd()
        .args(["--delay", "0", "--factorial", "30", "--fibonacci", "90"])
        .args(["--binomial-n", "100", "--binomial-k", "50"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "factorial(30) = 265252859812191058636308480000000",
        ))
        .stdout(predicate::str::contains(
            "fibonacci(90) = 2880067194370816120",
        ))
        .stdout(predicate::str::contains(
            "binomial_coefficient(100, 50) = 100891344545564193334812497256",
        ));
}

/// --help lists the flags and the runtimes.
#[test]
fn help_lists_flags() {
    cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--runtime"))
        .stdout(predicate::str::contains("async-std"))
        .stdout(predicate::str::contains("--binomial-k"));
}

/// Negative, non-numeric, out-of-range and unknown values: exit code 2.
#[test]
fn bad_input_is_refused_with_exit_code_2() {
    let bad: &[&[&str]] = &[
        &["--delay", "-1"],
        &["--delay", "abc"],
        &["--factorial", "-3"],
        &["--factorial", "ten"],
        &["--factorial", "100001"],
        &["--binomial-k", "100001"],
        &["--runtime", "trio"],
        &["extra"],
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
