//! The binary end to end: help, bad input (exit 2), every runtime, and
//! Ctrl-C sent to the running program.

use cli_test::{Interrupted, help_names, refuses, run};
use predicates::prelude::*;

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_event-loop");

/// --help lists the flags, the parts and the runtimes.
#[test]
fn runs_help_listing_flags_parts_and_runtimes() {
    help_names(
        BIN,
        &[
            "--seed",
            "--duration",
            "--speed",
            "--runtime",
            "--part",
            "--flavor",
            "blocking",
            "fixed",
            "lifecycle",
            "tokio",
            "async-std",
            "smol",
            "mini",
            "RUSTSEC-2025-0052",
        ],
    );
}

/// Bad values: one line saying what is wrong, exit code 2.
#[test]
fn bad_input_exits_2_for_each_bad_argument() {
    for (args, says) in [
        (&["--speed", "0"][..], "out of range"),
        (&["--speed", "-2"], "out of range"),
        (&["--speed", "nan"], "out of range"),
        (&["--runtime", "trio"], "invalid value 'trio'"),
        (&["--part", "everything"], "invalid value 'everything'"),
        (&["--duration", "-1"], "out of range"),
        (&["--duration", "forever"], "not a number"),
        (&["--seed", "-1"], "invalid value '-1'"),
        (&["--flavor", "one-thread"], "invalid value 'one-thread'"),
    ] {
        refuses(BIN, args, says);
    }
}

/// A flag that means something for tokio only is refused with the other
/// runtimes.
#[test]
fn bad_input_exits_2_for_a_tokio_only_flag() {
    refuses(
        BIN,
        &["--part", "lifecycle", "--runtime", "mini"],
        "use --runtime tokio",
    );
    for runtime in ["async-std", "smol", "mini"] {
        refuses(
            BIN,
            &["--flavor", "multi-thread", "--runtime", runtime],
            "use it with --runtime tokio",
        );
    }
}

/// A 100,000-character bad value is repeated cut, in a readable line.
#[test]
fn bad_input_exits_2_for_a_huge_value() {
    let huge = "x".repeat(100_000);
    for flag in ["--speed", "--duration", "--runtime"] {
        refuses(BIN, &[flag, &huge], "(100000 characters)");
    }
}

/// Every runtime runs both variants to the end time, sped up.
#[test]
fn runs_on_every_runtime_to_the_end() {
    let fast = ["--speed", "200", "--duration", "10", "--seed", "3"];
    for runtime in ["tokio", "async-std", "smol", "mini"] {
        for part in ["blocking", "fixed"] {
            run(
                BIN,
                &[&["--runtime", runtime, "--part", part][..], &fast].concat(),
            )
            .success()
            .stdout(predicate::str::contains("task A         | called"))
            .stdout(predicate::str::contains("stopped by the end time"))
            .stdout(predicate::str::contains("tasks left running: 0"));
        }
    }
    run(BIN, &[&["--flavor", "multi-thread"][..], &fast].concat())
        .success()
        .stdout(predicate::str::contains("tasks left running: 0"));
}

/// The life-cycle part runs from the command line.
#[test]
fn runs_the_lifecycle_part() {
    run(BIN, &["--part", "lifecycle", "--speed", "50"])
        .success()
        .stdout(predicate::str::contains("run_forever() returned"))
        .stdout(predicate::str::contains("dropped without running"));
}

/// Ctrl-C, on every runtime, with blocks short enough (at most 0.5 s) to
/// end within the grace period: the loop stops, pending callbacks are
/// cancelled, the running one finishes, the summary is printed, and the
/// program exits with status 130 within a second, saying in one line what
/// ran and what was cancelled.
#[test]
fn ctrl_c_stops_within_a_second() {
    for (runtime, part) in [
        ("tokio", "blocking"),
        ("tokio", "fixed"),
        ("async-std", "fixed"),
        ("smol", "blocking"),
        ("mini", "fixed"),
    ] {
        let args = ["--runtime", runtime, "--part", part, "--speed", "10"];
        let stopped = Interrupted::run(BIN, &args, "run_forever()");
        let output = stopped.output();
        assert!(
            output.contains("stopped by Ctrl-C"),
            "{runtime}/{part}:\n{output}"
        );
        assert!(output.contains("tasks left running: 0"), "{output}");
        assert!(
            output.contains("interrupted: stopped at ")
                && output.contains("cancelled before they ran: "),
            "{runtime}/{part}:\n{output}"
        );
    }
}

/// Ctrl-C in the default run while task A blocks the loop for 2 s: the
/// loop cannot stop until the callback returns, so after the grace period
/// the process ends, saying which callback still held the loop.
#[test]
fn ctrl_c_stops_within_a_second_while_a_callback_blocks() {
    let stopped = Interrupted::run(BIN, &[], "task A         | called");
    let output = stopped.output();
    assert!(
        output.contains("interrupted: task A still blocks the loop, abandoned"),
        "{output}"
    );
    assert!(!output.contains("stopped by Ctrl-C"), "{output}");
}

/// Ctrl-C in the life-cycle part: it ends after the grace period, saying
/// which steps were done.
#[test]
fn ctrl_c_stops_within_a_second_in_lifecycle() {
    let stopped = Interrupted::run(BIN, &["--part", "lifecycle"], "run_forever() -> block_on");
    let output = stopped.output();
    assert!(
        output.contains("interrupted: the life cycle stopped after: created, run_until_complete"),
        "{output}"
    );
}
