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

/// `--part basics` needs neither number (it takes NUM1 when given, 10
/// otherwise); the chapter's program needs both.
#[test]
fn runs_the_basics_part_without_numbers() {
    run(BIN, &["--part", "basics", "--delay", "0"])
        .success()
        .stdout(predicate::str::contains(
            "outer(10): inner gave 55, returning 110",
        ));
    refuses(
        BIN,
        &["--part", "all"],
        "required arguments were not provided: <NUM1> <NUM2>",
    );
}

/// With `--delay 0` the last line says there was no wait, instead of
/// claiming that two waits of 0 s overlapped.
#[test]
fn runs_with_no_delay_saying_there_was_no_wait() {
    run(BIN, &["5", "10", "--delay", "0"])
        .success()
        .stdout(predicate::str::contains(
            "with --delay 0 there was no wait to overlap",
        ))
        .stdout(predicate::str::contains("overlapped for").not());
}

/// --help names the arguments, flags, parts and runtimes.
#[test]
fn runs_help_listing_arguments_and_parts() {
    help_names(
        BIN,
        &[
            "[NUM1]",
            "--part",
            "basics",
            "nested-block-on",
            "main-returns",
            "dropped-handle",
            "--clock",
            "--timeline",
            "async-std",
            "mini",
        ],
    );
}

/// Missing, extra, non-numeric, negative or out-of-range: exit code 2 and
/// one error line saying what is wrong.
#[test]
fn bad_input_exits_2_for_each_bad_argument() {
    let bad: &[(&[&str], &str)] = &[
        (&[], "required arguments were not provided"),
        (&["5"], "required arguments were not provided"),
        (&["5", "10", "15"], "unexpected argument '15'"),
        (&["five", "10"], "invalid value 'five' for '[NUM1]'"),
        (&["5", "ten"], "invalid value 'ten' for '[NUM2]'"),
        (&["-5", "10"], "invalid value '-5' for '[NUM1]'"),
        (&["5", "-10"], "invalid value '-10' for '[NUM2]'"),
        (&["5", "100001"], "100001 is not in 0..=100000"),
        (&["5", "10", "--delay", "-1"], "out of range"),
        (&["5", "10", "--runtime", "trio"], "invalid value 'trio'"),
        (&["5", "10", "--part", "nope"], "invalid value 'nope'"),
        (
            &["5", "10", "--clock", "virtual"],
            "run it with --runtime mini",
        ),
        (
            &[
                "--part",
                "main-returns",
                "--runtime",
                "mini",
                "--clock",
                "virtual",
            ],
            "they run on the real clock",
        ),
        (
            &["5", "10", "--timeline", "run.png"],
            "must be a file name ending in .svg",
        ),
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

/// Ctrl-C in a pitfall part: `main-returns` (between its two `block_on`s
/// and inside them) stops at once; `nested-block-on` on mini, whose
/// nested loop holds the thread and cannot notice, is ended by the grace
/// period; both within a second, with the summary.
#[test]
fn ctrl_c_stops_within_a_second_in_the_pitfall_parts() {
    let stopped = Interrupted::run(BIN, &["--part", "main-returns"], "1. the fix").output();
    assert!(
        stopped.contains("interrupted: stopped in the pitfall demonstration"),
        "{stopped}"
    );
    let args = ["--part", "nested-block-on", "--runtime", "mini"];
    let stopped = Interrupted::run(BIN, &args, "1. runtime.block_on").output();
    assert!(
        stopped.contains("interrupted: stopped in the pitfall demonstration, after 1 of its lines"),
        "{stopped}"
    );
}
