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
        "--clock",
        "--timeline",
        "--trace",
        "create",
        "gather",
        "first-completed",
        "exceptions",
        "cancel",
        "timeout",
        "sequential",
        "scheduler",
        "pitfalls",
        "cancel-blocking",
        "cancel-safety",
        "select-fairness",
        "mutex",
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
        (&["--clock", "sundial"], "--clock"),
        (
            &["--timeline", "run.png"],
            "must be a file name ending in .svg",
        ),
        (&["--trace", "/no/such/folder/run.json"], "does not exist"),
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
        .stdout(predicate::str::contains("buggy: panicked: task `buggy`"))
        .stdout(predicate::str::contains("publish        | done"))
        .stderr(predicate::str::contains(
            "task `buggy` panicked on purpose at ",
        ))
        .stderr(predicate::str::contains("panic in "));
}

/// Ctrl-C in the middle of `gather` (at double speed the run lasts about
/// 25 s): the running part's tasks are cancelled (their guards print), and
/// the program exits 130 within a second with one line saying what
/// finished and what did not.
#[test]
fn ctrl_c_stops_within_a_second() {
    let stopped = Interrupted::run(BIN, &["--speed", "2"], "===== gather");
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

/// The parts that block a thread cannot run on tokio's paused clock (it
/// would stand still through them): refused before anything runs.
#[test]
fn bad_input_exits_2_virtual_clock_with_a_blocking_part() {
    for part in ["cancel-blocking", "mutex", "pitfalls"] {
        refuses(
            BIN,
            &["--clock", "virtual", "--part", part],
            "blocks a thread, and tokio's paused clock stands still",
        );
    }
}

/// `--speed 10` prints the times that really pass: the job "coffee" waits
/// 0.200 s, the worker is cancelled after 0.250 s, the timeout is 0.200 s;
/// never the undivided 2 s or 2.5 s.
#[test]
fn runs_with_speed_printing_the_divided_times() {
    for (part, expected) in [
        ("create", "coffee         | started, waits 0.200 s"),
        (
            "cancel",
            "a 10-step worker, 0.100 s a step, cancel after 0.250 s",
        ),
        ("timeout", "wait_for(job 0.500 s, timeout=0.200 s)"),
    ] {
        let out = run(BIN, &["--part", part, "--speed", "10"]).success();
        let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        assert!(stdout.contains(expected), "{part}:\n{stdout}");
        for undivided in [" 2 s", " 2.5 s", " 2.000 s", " 2.500 s", " 5.000 s"] {
            assert!(
                !stdout.contains(undivided),
                "{part}: {undivided:?} in\n{stdout}"
            );
        }
    }
}

/// On tokio's paused clock the whole program runs at once, with exact times.
#[test]
fn runs_all_parts_on_the_virtual_clock() {
    run(BIN, &["--clock", "virtual"])
        .success()
        .stdout(predicate::str::contains(
            "[  21.000s] worker         | cancelled: Drop guard",
        ))
        .stdout(predicate::str::contains(
            "sequential took 6.000 s (the sum of the waits, 6.000 s)",
        ));
}

/// The four pitfalls run to their end and say what happened.
#[test]
fn runs_the_pitfalls() {
    run(BIN, &["--part", "pitfalls", "--speed", "20"])
        .success()
        .stdout(predicate::str::contains(
            "abort() did not stop it; it ran 4 of 4 steps",
        ))
        // On the real clock the exact loss depends on when each byte
        // lands against the ticks; the paused-clock test pins it down.
        .stdout(predicate::str::contains("of 16 bytes were lost"))
        .stdout(predicate::str::contains("4 of 4 messages arrived"))
        .stdout(predicate::str::contains(
            "never taken in 1000 rounds: starved",
        ))
        .stdout(predicate::str::contains(
            "lock() would wait for ever: a deadlock",
        ));
}

/// Ctrl-C while a spawn_blocking closure runs (steps of 0.5 s): abort()
/// could not stop it, but it checks Ctrl-C's token before each step, so
/// the program still ends within a second, the closure's thread joined.
#[test]
fn ctrl_c_stops_within_a_second_in_blocking_work() {
    let stopped = Interrupted::run(BIN, &["--part", "cancel-blocking"], "step 1 of 4 done");
    assert!(
        stopped.stdout.contains("token cancelled: stopping after"),
        "{}",
        stopped.output()
    );
    assert!(
        stopped
            .stderr
            .contains("interrupted: finished no part; stopped cancel-blocking"),
        "{}",
        stopped.output()
    );
}
