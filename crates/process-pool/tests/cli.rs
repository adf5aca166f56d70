//! The chapter program end to end: each part from the command line, with
//! small workloads, and bad input refused with exit code 2.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn program() -> Command {
    Command::cargo_bin("process-pool").unwrap()
}

/// `--part compare`: three phases, every item in each, pids and speedups.
#[test]
fn compare_runs_three_phases() {
    let output = program()
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
    let text = String::from_utf8(output).unwrap();
    for item in 1..=4 {
        let line = format!("Item {item}, result {}", item * 1000);
        assert_eq!(text.matches(&line).count(), 3, "{line} thrice in:\n{text}");
    }
    assert!(text.contains("sequential phase"), "{text}");
    assert!(text.contains("thread pool phase"), "{text}");
    assert!(text.contains("process pool phase"), "{text}");
    assert!(text.contains("] pid "), "worker pids are shown:\n{text}");
    assert!(text.contains("speedup"), "{text}");
}

/// `--part pool`: the process phase alone, results labelled by pid.
#[test]
fn pool_part_alone() {
    program()
        .args([
            "--part",
            "pool",
            "--items",
            "3",
            "--iterations",
            "10",
            "--workers",
            "3",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Item 3, result 30"))
        .stdout(predicate::str::contains("process pool phase"))
        .stdout(predicate::str::contains("thread pool").not());
}

/// `--part api`: every method named in the issue shows its result.
#[test]
fn api_part_shows_every_method() {
    program()
        .args(["--part", "api"])
        .assert()
        .success()
        .stdout(predicate::str::contains("result() = 27"))
        .stdout(predicate::str::contains("[8, 64, 216, 512]"))
        .stdout(predicate::str::contains("Timeout"))
        .stdout(predicate::str::contains(
            "cancel() on the queued task = true, on the running one = false",
        ))
        .stdout(predicate::str::contains(
            "cancel_futures=False): 4 tasks ran, 0 cancelled",
        ))
        .stdout(predicate::str::contains(
            "cancel_futures=True): 1 tasks ran, 3 cancelled",
        ))
        .stdout(predicate::str::contains(
            "each worker initialized once: true",
        ));
}

/// `--part faults`: each fault reported, then the pool carries on.
#[test]
fn faults_part_reports_and_carries_on() {
    program()
        .args([
            "--part",
            "faults",
            "--workers",
            "2",
            "--items",
            "2",
            "--iterations",
            "100",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("overflows"))
        .stdout(predicate::str::contains("task panicked: division by zero"))
        .stdout(predicate::str::contains("SIGABRT"))
        .stdout(predicate::str::contains("SIGKILL"))
        .stdout(predicate::str::contains("Item 2, result 200"));
}

/// Bad values: one clear line, exit code 2, no panic.
#[test]
fn bad_input_is_refused_with_exit_code_2() {
    for args in [
        vec!["--workers", "0"],
        vec!["--workers", "257"],
        vec!["--workers", "-3"],
        vec!["--items", "0"],
        vec!["--items", "lots"],
        vec!["--iterations", "-1"],
        vec!["--part", "everything"],
        vec!["--iterations", "10000000001"],
    ] {
        program()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error"))
            .stderr(predicate::str::contains("panicked").not());
    }
}

/// The help lists the parts and the flags.
#[test]
fn help_lists_parts_and_flags() {
    program()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("compare"))
        .stdout(predicate::str::contains("faults"))
        .stdout(predicate::str::contains("--workers"))
        .stdout(predicate::str::contains("--iterations"));
}
