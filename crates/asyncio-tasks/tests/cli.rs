//! The binary end to end: every runtime with `--delay 0`, bad input
//! refused with exit code 2 and a one-line error, and Ctrl-C stopping the
//! chapter's 10 s run within a second.
#![allow(clippy::unwrap_used)]

use cli_test::{Interrupted, help_names, refuses, run};
use predicates::prelude::*;
use runtimes::Runtime;

const BIN: &str = env!("CARGO_BIN_EXE_asyncio-tasks");

/// The chapter's three exact results on each runtime, labelled lines.
#[test]
fn runs_on_every_runtime() {
    for runtime in Runtime::ALL.map(Runtime::name) {
        run(BIN, &["--runtime", runtime, "--delay", "0"])
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
fn runs_chosen_values_exactly() {
    let args = ["--delay", "0", "--factorial", "30", "--fibonacci", "90"];
    let binomial = ["--binomial-n", "100", "--binomial-k", "50"];
    run(BIN, &[&args[..], &binomial[..]].concat())
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
fn runs_help_listing_flags() {
    help_names(BIN, &["--runtime", "--binomial-k", "async-std", "mini"]);
}

/// Negative, non-numeric, out-of-range and unknown values: exit code 2 and
/// one error line saying what is wrong.
#[test]
fn bad_input_exits_2_for_each_bad_argument() {
    let bad: &[(&[&str], &str)] = &[
        (&["--delay", "-1"], "out of range"),
        (&["--delay", "abc"], "is not a number of seconds"),
        (
            &["--factorial", "-3"],
            "invalid value '-3' for '--factorial",
        ),
        (&["--factorial", "ten"], "invalid value 'ten'"),
        (&["--factorial", "100001"], "100001 is not in 0..=100000"),
        (
            &["--binomial-k", "100001"],
            "invalid value '100001' for '--binomial-k",
        ),
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

/// Ctrl-C during the first step's sleep: the three tasks are cancelled and
/// the summary says how far each had got.
#[test]
fn ctrl_c_stops_within_a_second() {
    let output = Interrupted::run(BIN, &[], "Compute binomial_coefficient(1)").output();
    assert!(
        output.contains("interrupted: factorial stopped after 1 of 9 steps"),
        "{output}"
    );
    assert!(
        output.contains("binomial stopped after 1 of 10 steps"),
        "{output}"
    );
}

/// `Config::default()`, the chapter's program that the other tests run, is
/// what the flags give when none is passed (both are written out).
#[test]
fn default_config_is_the_flags_defaults() {
    #[derive(clap::Parser)]
    struct Flags {
        #[command(flatten)]
        config: asyncio_tasks::Config,
    }
    let parsed = <Flags as clap::Parser>::parse_from(["asyncio-tasks"]).config;
    assert_eq!(parsed, asyncio_tasks::Config::default());
}
