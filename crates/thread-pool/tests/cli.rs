//! The `thread-pool` binary end to end: each part with small sizes, and bad
//! input refused with exit code 2.

use assert_cmd::Command;
use predicates::prelude::*;

fn thread_pool() -> Command {
    Command::cargo_bin("thread-pool").expect("the thread-pool binary is built by cargo test")
}

/// `--part threads` joins its thread, shows is_finished and the detached thread.
#[test]
fn part_threads() {
    thread_pool()
        .args(["--part", "threads"])
        .assert()
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
fn part_executor() {
    thread_pool()
        .args(["--part", "executor"])
        .assert()
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
        .stdout(predicate::str::contains("2 workers joined"));
}

/// `--part compare` with a small workload prints every item twice (once per
/// phase), both phase times and the speedup.
#[test]
fn part_compare_small() {
    let output = thread_pool()
        .args([
            "--part",
            "compare",
            "--items",
            "4",
            "--iterations",
            "1000",
            "--workers",
            "2",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(output).expect("utf-8 output");
    for item in 1..=4 {
        let line = format!("Item {item}, result {}", item * 1000);
        assert_eq!(stdout.matches(&line).count(), 2, "{line} in:\n{stdout}");
    }
    assert!(stdout.contains("sequential phase:"), "{stdout}");
    assert!(stdout.contains("speedup"), "{stdout}");
    assert!(stdout.contains("with 2 workers"), "{stdout}");
    assert!(stdout.contains("GIL"), "{stdout}");
}

/// With no --part, all three parts run in order.
#[test]
fn all_parts_in_order() {
    let output = thread_pool()
        .args(["--items", "2", "--iterations", "10"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let stdout = String::from_utf8(output).expect("utf-8 output");
    let p1 = stdout.find("== Part 1").expect("part 1");
    let p2 = stdout.find("== Part 2").expect("part 2");
    let p3 = stdout.find("== Part 3").expect("part 3");
    assert!(p1 < p2 && p2 < p3);
}

/// Bad values and unknown flags: a clear error on stderr, exit code 2, no panic.
#[test]
fn bad_input_is_refused() {
    let cases: &[(&[&str], &str)] = &[
        (&["--workers", "0"], "--workers"),
        (&["--workers", "-3"], "--workers"),
        (&["--workers", "five"], "invalid value 'five'"),
        (&["--workers", "100000"], "--workers"),
        (&["--items", "0"], "--items"),
        (&["--iterations", "-1"], "--iterations"),
        (&["--iterations", "99999999999999999999999"], "--iterations"),
        (&["--part", "nope"], "invalid value 'nope'"),
        (&["--frobnicate"], "unexpected argument '--frobnicate'"),
    ];
    for (args, expected) in cases {
        thread_pool()
            .args(*args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error:"))
            .stderr(predicate::str::contains(*expected))
            .stderr(predicate::str::contains("panicked").not());
    }
}

/// `--help` lists the parts and the flags.
#[test]
fn help_lists_parts_and_flags() {
    thread_pool()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("threads"))
        .stdout(predicate::str::contains("executor"))
        .stdout(predicate::str::contains("compare"))
        .stdout(predicate::str::contains("--workers"))
        .stdout(predicate::str::contains("--iterations"));
}
