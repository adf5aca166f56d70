//! The `thread-pool` binary end to end: each part with small sizes, bad
//! input refused with exit code 2, and Ctrl-C.

use cli_test::Interrupted;
use predicates::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_thread-pool");

/// `--part threads` joins its thread, shows is_finished and the detached thread.
#[test]
fn runs_part_threads() {
    cli_test::run(BIN, &["--part", "threads"])
        .success()
        .stdout(predicate::str::contains("target: cube(3) = 27"))
        .stdout(predicate::str::contains("is_finished() = false"))
        .stdout(predicate::str::contains(
            "joined `cube-thread`: it returned 27",
        ))
        .stdout(predicate::str::contains("named-3"))
        .stdout(predicate::str::contains("tick 3 (nobody will join me)"))
        .stdout(predicate::str::contains("asked to stop: saying goodbye"));
}

/// `--part executor` prints the chapter's results and the isolated failures.
#[test]
fn runs_part_executor() {
    cli_test::run(BIN, &["--part", "executor"])
        .success()
        .stdout(predicate::str::contains("submit(cube, 3).result() = 27"))
        .stdout(predicate::str::contains(
            "map(cube, [2, 4, 6, 8]) = [8, 64, 216, 512] (input order)",
        ))
        .stdout(predicate::str::contains(
            "task failed: cube(3000000) overflows i64",
        ))
        .stdout(predicate::str::contains(
            "task panicked: this task panicked on purpose",
        ))
        .stdout(predicate::str::contains(
            "panicked: \"this task panicked on purpose\" (the pool catches it)",
        ))
        .stdout(predicate::str::contains("2 workers joined"));
}

/// `--part compare` with a small workload prints every item twice (once per
/// phase), both phase times, the measured speedup, and, since rounds this
/// short mostly measure starting threads, says so instead of explaining a
/// speedup.
#[test]
fn runs_part_compare_small() {
    let args: Vec<&str> = "--part compare --items 4 --iterations 1000 --workers 2 --rounds 3"
        .split(' ')
        .collect();
    let assert = cli_test::run(BIN, &args).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for item in 1..=4 {
        let line = format!("Item {item}, result {}", item * 1000);
        assert_eq!(stdout.matches(&line).count(), 2, "{line} in:\n{stdout}");
    }
    assert!(stdout.contains("sequential phase:"), "{stdout}");
    assert!(stdout.contains("thread pool phase:"), "{stdout}");
    assert!(stdout.contains("speedup: median"), "{stdout}");
    assert!(stdout.contains("over 3 rounds"), "{stdout}");
    assert!(stdout.contains("with 2 workers"), "{stdout}");
    assert!(stdout.contains("why: too short to tell"), "{stdout}");
    assert!(
        !stdout.contains("GIL"),
        "no speedup explained that did not happen:\n{stdout}"
    );
}

/// `--part pitfall` shows both stalls, each detected, released and fixed.
#[test]
fn runs_part_pitfall() {
    let assert = cli_test::run(BIN, &["--part", "pitfall"]).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for expected in [
        "2 of 2 tasks still wait and 0 of 2 inner tasks have started",
        "(rayon#904)",
        "their workers then ran the inner tasks: [1, 8]",
        "finished at once: [1, 8]",
        "the thread holding the lock",
        "(rayon#592)",
        "took the lock at once",
    ] {
        assert!(stdout.contains(expected), "{expected:?} in:\n{stdout}");
    }
}

/// No Rust debug formatting reaches the reader: no `Ok(`, `Err(`,
/// `Some(`, `ThreadId(` or quoted thread names in the default run.
#[test]
fn runs_all_parts_in_sentences() {
    let args = ["--items", "2", "--iterations", "10", "--rounds", "1"];
    let assert = cli_test::run(BIN, &args).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for debug in ["Ok(", "Err(", "Some(", "None", "ThreadId(", "\"named-"] {
        assert!(!stdout.contains(debug), "{debug:?} in:\n{stdout}");
    }
}

/// With no --part, all four parts run in order.
#[test]
fn runs_all_parts_in_order() {
    let args = ["--items", "2", "--iterations", "10", "--rounds", "1"];
    let assert = cli_test::run(BIN, &args).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let p1 = stdout.find("== Part 1").expect("part 1");
    let p2 = stdout.find("== Part 2").expect("part 2");
    let p3 = stdout.find("== Part 3").expect("part 3");
    let p4 = stdout.find("== Part 4").expect("part 4");
    assert!(p1 < p2 && p2 < p3 && p3 < p4);
}

/// Bad values and unknown flags: one clear error line, exit code 2, no panic.
#[test]
fn bad_input_exits_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["--workers", "0"], "--workers"),
        (&["--workers", "-3"], "--workers"),
        (&["--workers", "five"], "invalid value 'five'"),
        (&["--workers", "100000"], "--workers"),
        (&["--items", "0"], "--items"),
        (&["--iterations", "-1"], "--iterations"),
        (&["--iterations", "99999999999999999999999"], "--iterations"),
        (&["--part", "nope"], "invalid value 'nope'"),
        (&["--rounds", "0"], "--rounds"),
        (&["--rounds", "1001"], "--rounds"),
        (
            &["--timeline", "run.png"],
            "must be a file name ending in .svg",
        ),
        (&["--timeline", "/no/such/folder/run.svg"], "does not exist"),
        (
            &["--trace", "run.svg"],
            "must be a file name ending in .json",
        ),
        (&["--frobnicate"], "unexpected argument '--frobnicate'"),
    ];
    for (args, expected) in cases {
        cli_test::refuses(BIN, args, expected);
    }
}

/// `--help` lists the parts and the flags.
#[test]
fn runs_help_listing_parts_and_flags() {
    cli_test::help_names(
        BIN,
        &[
            "threads",
            "executor",
            "compare",
            "pitfall",
            "--rounds",
            "--timeline",
            "--workers",
            "--iterations",
        ],
    );
}

/// Ctrl-C in the default run, while the sequential phase counts an item
/// far too long to finish: the grace period ends the run, with a summary
/// of the parts done and the phase cut.
#[test]
fn ctrl_c_stops_within_a_second() {
    let run = Interrupted::run(
        BIN,
        &["--items", "3", "--iterations", "10000000000"],
        "sequential: items 1..=3",
    );
    let output = run.output();
    assert!(
        output.contains(
            "interrupted: threads done; executor done; sequential cut after 0 of 3 items; \
             not started: thread pool"
        ),
        "{output}"
    );
}

/// Ctrl-C between two short items of `--part compare`: the loop stops at
/// the next item and the program says how many had finished.
#[test]
fn ctrl_c_stops_within_a_second_between_items() {
    let run = Interrupted::run(
        BIN,
        &[
            "--part",
            "compare",
            "--items",
            "10000",
            "--iterations",
            "1000000",
        ],
        "Item 2, result",
    );
    let output = run.output();
    let summary = output
        .lines()
        .find(|line| line.starts_with("interrupted: sequential cut after"))
        .unwrap_or_else(|| panic!("no summary in:\n{output}"));
    assert!(
        summary.ends_with("of 10000 items; not started: thread pool, measured rounds"),
        "{summary}"
    );
    assert!(
        !output.contains("Item 10000,"),
        "the loop ran on:\n{output}"
    );
}

/// Ctrl-C while part 3 measures its rounds: the measuring stops between
/// two phases, the pool cancels what it has not started, and the summary
/// says the pass was done and the measuring cut short.
#[test]
fn ctrl_c_stops_within_a_second_while_measuring() {
    let run = Interrupted::run(
        BIN,
        &[
            "--part",
            "compare",
            "--items",
            "2",
            "--iterations",
            "20000000",
            "--rounds",
            "1000",
        ],
        "measuring the speedup",
    );
    let output = run.output();
    assert!(
        output.contains(
            "interrupted: sequential done (2 items); thread pool done (2 items); \
             measured rounds cut short"
        ),
        "{output}"
    );
    assert!(
        !output.contains("why:"),
        "no verdict on a cut measurement:\n{output}"
    );
}
