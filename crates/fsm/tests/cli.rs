//! The binary end to end: every runtime and part with `--delay 0`,
//! `--blocking`, the seed printed, and bad input refused with exit code 2.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn cmd() -> Command {
    Command::cargo_bin("fsm").unwrap()
}

/// Seed 7's walk on each runtime, with its resume chain.
#[test]
fn runs_on_every_runtime() {
    for runtime in ["tokio", "async-std", "smol"] {
        cmd()
            .args(["--seed", "7", "--delay", "0", "--runtime", runtime])
            .assert()
            .success()
            .stdout(predicate::str::contains("seed 7, faithful implementation"))
            .stdout(predicate::str::contains(
                "state 2        | ...evaluating...",
            ))
            .stdout(predicate::str::contains(
                "end            | ...stop computation...",
            ))
            .stdout(predicate::str::contains("Resume of the Transition :"))
            .stdout(predicate::str::contains(
                "State 3 calling End State with transition value = 1",
            ));
    }
}

/// `--part both` runs both implementations and finds them identical.
#[test]
fn both_implementations_agree() {
    cmd()
        .args(["--seed", "42", "--delay", "0", "--part", "both"])
        .assert()
        .success()
        .stdout(predicate::str::contains("idiomatic implementation"))
        .stdout(predicate::str::contains(
            "both implementations took the same walk with seed 42: true",
        ));
}

/// Without --seed a seed is chosen and printed.
#[test]
fn seed_is_printed_when_not_given() {
    cmd()
        .args(["--delay", "0", "--part", "idiomatic"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"main +\| seed \d+, idiomatic").unwrap());
}

/// `--blocking` with a short delay: the ticker's one tick is late.
#[test]
fn blocking_shows_the_stalled_ticker() {
    cmd()
        .args([
            "--seed",
            "1",
            "--delay",
            "0.02",
            "--blocking",
            "--runtime",
            "smol",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("tick 1, "))
        .stdout(predicate::str::contains(
            "s late: something blocked the thread",
        ))
        .stdout(predicate::str::contains(
            "blocked the thread with std::thread::sleep",
        ));
}

/// --help names the flags and parts.
#[test]
fn help_lists_flags() {
    cmd()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("--blocking"))
        .stdout(predicate::str::contains("--seed"))
        .stdout(predicate::str::contains("idiomatic"));
}

/// Negative, non-numeric and unknown values, stray arguments: exit code 2.
#[test]
fn bad_input_is_refused_with_exit_code_2() {
    let bad: &[&[&str]] = &[
        &["--seed", "-1"],
        &["--seed", "abc"],
        &["--seed", "18446744073709551616"],
        &["--delay", "-1"],
        &["--delay", "soon"],
        &["--part", "recursive"],
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
