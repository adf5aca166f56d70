//! The binary end to end: help, bad input (exit 2), every runtime, and
//! Ctrl-C sent to the running program.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command as StdCommand, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use predicates::prelude::*;

/// The binary under test.
fn bin() -> Command {
    Command::cargo_bin("event-loop").unwrap()
}

/// --help lists the flags, the parts and the runtimes.
#[test]
fn help_lists_flags_parts_and_runtimes() {
    let mut out = bin().arg("--help").assert().success();
    for word in [
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
    ] {
        out = out.stdout(predicate::str::contains(word));
    }
}

/// Bad values: one-line error, exit code 2.
#[test]
fn bad_input_exits_2() {
    for args in [
        &["--speed", "0"][..],
        &["--speed", "-2"],
        &["--speed", "nan"],
        &["--runtime", "trio"],
        &["--part", "everything"],
        &["--duration", "-1"],
        &["--duration", "forever"],
        &["--seed", "-1"],
        &["--part", "lifecycle", "--runtime", "mini"],
    ] {
        bin()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error"));
    }
}

/// Every runtime runs both variants to the end time, sped up.
#[test]
fn every_runtime_runs_to_the_end() {
    for runtime in ["tokio", "async-std", "smol", "mini"] {
        for part in ["blocking", "fixed"] {
            bin()
                .args(["--runtime", runtime, "--part", part])
                .args(["--speed", "200", "--duration", "10", "--seed", "3"])
                .assert()
                .success()
                .stdout(predicate::str::contains("task A         | called"))
                .stdout(predicate::str::contains("stopped by the end time"))
                .stdout(predicate::str::contains("tasks left running: 0"));
        }
    }
    bin()
        .args([
            "--flavor",
            "multi-thread",
            "--speed",
            "200",
            "--duration",
            "10",
        ])
        .assert()
        .success();
}

/// The life-cycle part runs from the command line.
#[test]
fn lifecycle_part_runs() {
    bin()
        .args(["--part", "lifecycle", "--speed", "50"])
        .assert()
        .success()
        .stdout(predicate::str::contains("run_forever() returned"))
        .stdout(predicate::str::contains("dropped without running"));
}

/// SIGINT to the running program: it stops, prints the summary and exits
/// with status 0, within a bounded time, on every runtime.
#[test]
fn ctrl_c_ends_the_program_cleanly() {
    for (runtime, part) in [
        ("tokio", "blocking"),
        ("tokio", "fixed"),
        ("async-std", "fixed"),
        ("smol", "blocking"),
        ("mini", "fixed"),
    ] {
        let mut child = StdCommand::new(cargo_bin("event-loop"))
            .args(["--runtime", runtime, "--part", part, "--speed", "10"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        // Read the output on a thread, so the test can wait with a bound.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                if tx.send(line.unwrap()).is_err() {
                    break;
                }
            }
        });
        // Wait until the loop is running (its second line), then a little.
        let mut seen = Vec::new();
        while !seen.iter().any(|l: &String| l.contains("run_forever()")) {
            seen.push(rx.recv_timeout(Duration::from_secs(20)).unwrap());
        }
        std::thread::sleep(Duration::from_millis(250));
        let sent = Instant::now();
        kill(Pid::from_raw(child.id() as i32), Signal::SIGINT).unwrap();
        // A blocked loop notices after the current block: at most 0.5 s here.
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if sent.elapsed() > Duration::from_secs(10) {
                child.kill().unwrap();
                panic!("{runtime}/{part}: still running 10 s after SIGINT");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        reader.join().unwrap();
        seen.extend(rx.try_iter());
        let output = seen.join("\n");
        assert!(status.success(), "{runtime}/{part}: {status:?}\n{output}");
        assert!(
            output.contains("stopped by Ctrl-C"),
            "{runtime}/{part}:\n{output}"
        );
        assert!(output.contains("tasks left running: 0"), "{output}");
    }
}
