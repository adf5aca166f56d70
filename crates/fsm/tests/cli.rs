//! The binary end to end: every runtime and part with `--delay 0`,
//! `--blocking`, the seed printed, bad input refused with exit code 2, and
//! Ctrl-C stopping a walk within a second, also a blocking one.
#![allow(clippy::unwrap_used)]

use cli_test::{Interrupted, help_names, refuses, run};
use predicates::prelude::*;
use runtimes::Runtime;

const BIN: &str = env!("CARGO_BIN_EXE_fsm");

/// Seed 7's walk on each runtime, with its resume chain.
#[test]
fn runs_on_every_runtime() {
    for runtime in Runtime::ALL.map(Runtime::name) {
        run(BIN, &["--seed", "7", "--delay", "0", "--runtime", runtime])
            .success()
            .stdout(predicate::str::contains("seed 7, faithful implementation"))
            .stdout(predicate::str::contains(format!("on {runtime}\n")))
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
fn runs_both_implementations_alike() {
    run(BIN, &["--seed", "42", "--delay", "0", "--part", "both"])
        .success()
        .stdout(predicate::str::contains("idiomatic implementation"))
        .stdout(predicate::str::contains(
            "both implementations took the same walk with seed 42: true",
        ));
}

/// Without --seed a seed is chosen and printed.
#[test]
fn runs_with_a_printed_seed_when_none_is_given() {
    run(BIN, &["--delay", "0", "--part", "idiomatic"])
        .success()
        .stdout(predicate::str::is_match(r"main +\| seed \d+, idiomatic").unwrap());
}

/// `--blocking` with a short delay: the ticker's one tick is late.
#[test]
fn runs_blocking_with_the_stalled_ticker() {
    let args = [
        "--seed",
        "1",
        "--delay",
        "0.02",
        "--blocking",
        "--runtime",
        "smol",
    ];
    run(BIN, &args)
        .success()
        .stdout(predicate::str::contains("tick 1, "))
        .stdout(predicate::str::contains(
            "s late: something blocked the thread",
        ))
        .stdout(predicate::str::contains(
            "blocked the thread with std::thread::sleep",
        ));
}

/// --help names the flags, parts and runtimes.
#[test]
fn runs_help_listing_flags() {
    help_names(BIN, &["--blocking", "--seed", "idiomatic", "mini"]);
}

/// Negative, non-numeric and unknown values, stray arguments: exit code 2
/// and one error line saying what is wrong.
#[test]
fn bad_input_exits_2_for_each_bad_argument() {
    let bad: &[(&[&str], &str)] = &[
        (&["--seed", "-1"], "invalid value '-1' for '--seed <SEED>'"),
        (&["--seed", "abc"], "invalid value 'abc'"),
        (&["--seed", "18446744073709551616"], "number too large"),
        (&["--delay", "-1"], "out of range"),
        (&["--delay", "soon"], "is not a number of seconds"),
        (&["--part", "recursive"], "invalid value 'recursive'"),
        (&["--runtime", "trio"], "invalid value 'trio'"),
        (
            &["--clock", "virtual", "--runtime", "smol"],
            "--clock virtual is the mini executor's virtual clock: run it with --runtime mini, not --runtime smol",
        ),
        (&["extra"], "unexpected argument 'extra'"),
    ];
    bad.iter()
        .for_each(|(args, expected)| refuses(BIN, args, expected));
}

/// Ctrl-C while Start State awaits its 1 s sleep: the walk stops at that
/// `.await` and the summary says where it was.
#[test]
fn ctrl_c_stops_within_a_second() {
    let output = Interrupted::run(BIN, &["--seed", "7"], "Start State called").output();
    assert!(
        output.contains("interrupted: the faithful walk stopped in Start State"),
        "{output}"
    );
    assert!(output.contains("End State not reached"), "{output}");
}

/// Ctrl-C while a `--blocking` state holds the thread: the program cannot
/// notice it, so the grace period ends the process, with the summary.
#[test]
fn ctrl_c_stops_within_a_second_when_blocking() {
    let stopped = Interrupted::run(BIN, &["--seed", "7", "--blocking"], "Start State called");
    // Start State blocks for 1 s, the grace period is 0.7 s: still in it.
    let stderr = &stopped.stderr;
    assert!(
        stderr.contains("interrupted: the faithful walk stopped in Start State (Start State)"),
        "{stderr}"
    );
    assert!(stderr.contains("End State not reached"), "{stderr}");
}
