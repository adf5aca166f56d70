//! The binary end to end: a small run of every part, and bad input
//! refused with a one-line error and exit code 2.
#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

/// The chapter's binary.
fn program() -> Command {
    Command::cargo_bin("asyncio-and-futures").unwrap()
}

/// A small run prints the table with every mode, the futures part, and
/// the shutdown lines; nothing is wrong or left open, no worker process
/// is left alive.
#[test]
fn a_small_run_prints_the_table_and_shuts_down() {
    let assert = program()
        .args([
            "--requests",
            "40",
            "--concurrency",
            "4",
            "--jobs",
            "2",
            "--iterations",
            "100000",
        ])
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for expected in [
        "mode            runtime",
        "direct          tokio",
        "spawn-blocking  tokio",
        "rayon           tokio",
        "process-pool    tokio",
        "asyncio.wrap_future",
        "40/40",
        "run_coroutine_threadsafe",
        "Ok(Ok(\"echo 42\"))",
        "TimedOut",
        "closed (connect refused)",
        "rayon pool: 2 of 2 threads exited",
        ", 0 still alive",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    for unexpected in ["WRONG", "SOME", "STILL OPEN"] {
        assert!(!out.contains(unexpected), "{unexpected:?} in:\n{out}");
    }
}

/// `--runtime async-std` and `--runtime smol` run the table too.
#[test]
fn other_runtimes_from_the_command_line() {
    for runtime in ["async-std", "smol"] {
        program()
            .args([
                "--runtime",
                runtime,
                "--part",
                "table",
                "--mode",
                "spawn-blocking",
            ])
            .args([
                "--requests",
                "20",
                "--concurrency",
                "2",
                "--jobs",
                "2",
                "--iterations",
                "1000",
            ])
            .assert()
            .success()
            .stdout(predicate::str::contains(format!(
                "spawn-blocking  {runtime}"
            )))
            .stdout(predicate::str::contains("direct").not());
    }
}

/// Bad values: clap's one-line error, exit code 2, never a panic.
#[test]
fn bad_values_are_refused_with_exit_code_2() {
    for args in [
        vec!["--requests", "0"],
        vec!["--requests", "-5"],
        vec!["--requests", "many"],
        vec!["--concurrency", "0"],
        vec!["--jobs", "0"],
        vec!["--jobs", "100000"],
        vec!["--iterations", "0"],
        vec!["--iterations", "99999999999999999999"],
        vec!["--mode", "threads"],
        vec!["--runtime", "trio"],
        vec!["--workers", "0"],
        vec!["--pool-workers", "0"],
        vec!["--part", "everything"],
    ] {
        program()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("error:"))
            .stderr(predicate::str::contains("panicked").not());
    }
}

/// More connections than requests makes no sense: refused, exit code 2.
#[test]
fn concurrency_above_requests_is_refused() {
    program()
        .args(["--requests", "4", "--concurrency", "8"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--concurrency (8) must not exceed --requests (4)",
        ));
}

/// `--help` lists the parts, the modes and the flags.
#[test]
fn help_lists_modes_parts_and_flags() {
    program()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("spawn-blocking"))
        .stdout(predicate::str::contains("--part"))
        .stdout(predicate::str::contains("--concurrency"))
        .stdout(predicate::str::contains("async-std"));
}

/// Ctrl-C while the process pool works: the workers are killed and
/// reaped, the program shuts down and exits with status 130; no worker
/// process is left (checked in /proc).
#[test]
fn ctrl_c_stops_the_workers_and_exits_130() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("asyncio-and-futures"))
        .args(["--mode", "process-pool", "--part", "table", "--jobs", "2"])
        // Long enough that the jobs are still running when we interrupt.
        .args([
            "--iterations",
            "10000000000",
            "--requests",
            "20",
            "--concurrency",
            "2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut pids: Vec<u32> = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some((_, list)) = line.split_once("pids [") {
            pids = list
                .trim_end_matches(']')
                .split(", ")
                .map(|pid| pid.parse().unwrap())
                .collect();
        }
        if line.contains("mode process-pool: start") {
            break;
        }
    }
    assert_eq!(pids.len(), 2);
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    for pid in pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "worker {pid} is still there"
        );
    }
}
