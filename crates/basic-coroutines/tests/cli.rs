//! The binary end to end: every runtime and part with `--delay 0`, bad
//! input refused with exit code 2 and a one-line error, never a panic, and
//! Ctrl-C stopping the chapter's 4 s run within a second.
#![allow(clippy::unwrap_used)]

use cli_test::{Interrupted, help_names, refuses, run};
use predicates::prelude::*;
use runtimes::Runtime;

const BIN: &str = env!("CARGO_BIN_EXE_basic-coroutines");

/// `5 10` on each runtime: both callbacks print, the summary line appears.
#[test]
fn runs_on_every_runtime() {
    for runtime in Runtime::ALL.map(Runtime::name) {
        run(BIN, &["5", "10", "--delay", "0", "--runtime", runtime])
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
fn runs_big_numbers_exactly() {
    let hundred_factorial = common::factorial(100).unwrap().to_string();
    run(BIN, &["100", "100", "--delay", "0"])
        .success()
        .stdout(predicate::str::contains("result = 5050\n"))
        .stdout(predicate::str::contains(format!(
            "result = {hundred_factorial}\n"
        )));
}

/// `--part basics` and `--part all` show laziness and the nested await.
#[test]
fn runs_the_basics_part() {
    run(BIN, &["4", "4", "--delay", "0", "--part", "basics"])
        .success()
        .stdout(predicate::str::contains("has its body run? false"))
        .stdout(predicate::str::contains(
            "without awaiting the handle, has the task run? true",
        ))
        .stdout(predicate::str::contains(
            "outer(4): inner gave 10, returning 20",
        ))
        .stdout(predicate::str::contains("callback").not());
    let all = [
        "4",
        "4",
        "--delay",
        "0",
        "--part",
        "all",
        "--runtime",
        "smol",
    ];
    run(BIN, &all)
        .success()
        .stdout(predicate::str::contains("has its body run? false"))
        .stdout(predicate::str::contains("result = 24"));
}

/// --help names the arguments, flags, parts and runtimes.
#[test]
fn runs_help_listing_arguments_and_parts() {
    help_names(BIN, &["<NUM1>", "--part", "basics", "async-std", "mini"]);
}

/// Missing, extra, non-numeric, negative or out-of-range: exit code 2 and
/// one error line saying what is wrong.
#[test]
fn bad_input_exits_2_for_each_bad_argument() {
    let bad: &[(&[&str], &str)] = &[
        (&[], "required arguments were not provided"),
        (&["5"], "required arguments were not provided"),
        (&["5", "10", "15"], "unexpected argument '15'"),
        (&["five", "10"], "invalid value 'five' for '<NUM1>'"),
        (&["5", "ten"], "invalid value 'ten' for '<NUM2>'"),
        (&["-5", "10"], "invalid value '-5' for '<NUM1>'"),
        (&["5", "-10"], "invalid value '-10' for '<NUM2>'"),
        (&["5", "100001"], "100001 is not in 0..=100000"),
        (&["5", "10", "--delay", "-1"], "out of range"),
        (&["5", "10", "--runtime", "trio"], "invalid value 'trio'"),
        (&["5", "10", "--part", "nope"], "invalid value 'nope'"),
    ];
    bad.iter()
        .for_each(|(args, expected)| refuses(BIN, args, expected));
}

/// Ctrl-C while both coroutines wait: they are cancelled, the summary says
/// neither result was set, exit 130 within a second.
#[test]
fn ctrl_c_stops_within_a_second() {
    let output = Interrupted::run(BIN, &["5", "10"], "10! computed").output();
    assert!(
        output.contains(
            "interrupted: first_coroutine had not set its result, \
             second_coroutine had not set its result; 0 of 2 done-callbacks ran"
        ),
        "{output}"
    );
}
