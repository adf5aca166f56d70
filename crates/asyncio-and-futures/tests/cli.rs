//! The binary end to end: small runs, bad input refused with a one-line
//! error and exit code 2, and Ctrl-C in every mode.
#![allow(clippy::unwrap_used)]

use cli_test::{Interrupted, refuses, run};
use predicates::prelude::*;

/// The chapter's binary.
const BIN: &str = env!("CARGO_BIN_EXE_asyncio-and-futures");

/// A small load: 40 requests over 4 connections, 2 short jobs.
const SMALL: [&str; 8] = [
    "--requests",
    "40",
    "--concurrency",
    "4",
    "--jobs",
    "2",
    "--iterations",
    "100000",
];

/// A small run prints the table with every mode, the futures part, and
/// the shutdown lines, in sentences (no Rust debug formatting); nothing is
/// wrong or left open, no worker process is left alive.
#[test]
fn runs_every_mode_and_shuts_down() {
    let assert = run(BIN, &SMALL).success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for expected in [
        "client runtime tokio with 2 worker thread(s) (multi-thread)",
        "mode            runtime",
        "direct          tokio",
        "spawn-blocking  tokio",
        "rayon           tokio",
        "process-pool    tokio",
        "asyncio.wrap_future",
        "40/40",
        "run_coroutine_threadsafe",
        "plain-thread   | result: echo 42",
        "no result: timed out after 20.0 ms; the task was cancelled and joined",
        "process pool: 2 worker processes started: pid ",
        "closed (connect refused)",
        "rayon pool: 2 of 2 threads exited",
        ", 0 still alive",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    for unexpected in [
        "WRONG",
        "SOME",
        "STILL OPEN",
        "Ok(",
        "Err(",
        "Some(",
        "TimedOut",
        "pids [",
    ] {
        assert!(!out.contains(unexpected), "{unexpected:?} in:\n{out}");
    }
}

/// `--runtime async-std` and `--runtime smol` run the table too.
#[test]
fn runs_other_runtimes() {
    for runtime in ["async-std", "smol"] {
        let args = [
            "--runtime",
            runtime,
            "--part",
            "table",
            "--mode",
            "spawn-blocking",
            "--requests",
            "20",
            "--concurrency",
            "2",
            "--jobs",
            "2",
            "--iterations",
            "1000",
        ];
        run(BIN, &args)
            .success()
            .stdout(predicate::str::contains(format!(
                "spawn-blocking  {runtime}"
            )))
            .stdout(predicate::str::contains("direct").not());
    }
}

/// `--flavor current-thread`: one thread, `main`, polls every task, so the
/// `direct` jobs ran on it; the description line says so.
#[test]
fn runs_tokio_current_thread() {
    let args = [
        "--flavor",
        "current-thread",
        "--part",
        "table",
        "--mode",
        "direct",
        "--requests",
        "20",
        "--concurrency",
        "2",
        "--jobs",
        "2",
        "--iterations",
        "1000",
    ];
    run(BIN, &args)
        .success()
        .stdout(predicate::str::contains(
            "one thread, main, polling every task",
        ))
        .stdout(predicate::str::contains("] main           | job 1 done"))
        .stdout(predicate::str::contains("direct          tokio"));
}

/// Bad values: clap's one-line error, exit code 2, never a panic.
#[test]
fn bad_input_exits_2_values() {
    for (args, expected) in [
        (&["--requests", "0"][..], "--requests"),
        (&["--requests", "-5"], "--requests"),
        (&["--requests", "many"], "--requests"),
        (&["--concurrency", "0"], "--concurrency"),
        (&["--jobs", "0"], "--jobs"),
        (&["--jobs", "100000"], "--jobs"),
        (&["--iterations", "0"], "--iterations"),
        (&["--iterations", "99999999999999999999"], "--iterations"),
        (&["--mode", "threads"], "--mode"),
        (&["--runtime", "trio"], "--runtime"),
        (&["--flavor", "both"], "--flavor"),
        (&["--workers", "0"], "--workers"),
        (&["--pool-workers", "0"], "--pool-workers"),
        (&["--part", "everything"], "--part"),
    ] {
        refuses(BIN, args, expected);
    }
}

/// More connections than requests makes no sense: refused, exit code 2.
#[test]
fn bad_input_exits_2_concurrency_above_requests() {
    refuses(
        BIN,
        &["--requests", "4", "--concurrency", "8"],
        "--concurrency (8) must not exceed --requests (4)",
    );
}

/// The mini executor has no sockets, and `--flavor` means something for
/// tokio only: both refused before anything starts.
#[test]
fn bad_input_exits_2_runtime_choices() {
    refuses(
        BIN,
        &["--runtime", "mini"],
        "--runtime mini: the std-only teaching executor has no sockets",
    );
    refuses(
        BIN,
        &["--runtime", "smol", "--flavor", "multi-thread"],
        "--flavor applies to --runtime tokio only, not smol",
    );
}

/// `--timeline` and `--trace` are checked before the run: a wrong name, a
/// missing folder or a directory is refused with one line, exit code 2.
#[test]
fn bad_input_exits_2_output_files() {
    let dir = std::env::temp_dir();
    let dir = dir.to_str().unwrap();
    refuses(
        BIN,
        &["--timeline", "run.png"],
        "must be a file name ending in .svg",
    );
    refuses(
        BIN,
        &["--trace", "no/such/folder/run.json"],
        "does not exist",
    );
    refuses(
        BIN,
        &["--timeline", dir],
        "must be a file name ending in .svg",
    );
}

/// `--help` lists the parts, the modes, the runtimes and the flags.
#[test]
fn runs_help() {
    run(BIN, &["--help"])
        .success()
        .stdout(predicate::str::contains("spawn-blocking"))
        .stdout(predicate::str::contains("--part"))
        .stdout(predicate::str::contains("--concurrency"))
        .stdout(predicate::str::contains("--flavor"))
        .stdout(predicate::str::contains("current-thread"))
        .stdout(predicate::str::contains("async-std"))
        .stdout(predicate::str::contains("--timeline"))
        .stdout(predicate::str::contains("--trace"));
}

/// Runs one mode with jobs that would take minutes, presses Ctrl-C once
/// the mode has started, and checks the one-line summary (the helper checks
/// exit status 130 within a second and no process of the group left).
fn interrupt_mode(mode: &str, extra: &[&str]) -> Interrupted {
    let mut args = vec!["--mode", mode, "--part", "table", "--jobs", "2"];
    args.extend([
        "--iterations",
        "10000000000",
        "--requests",
        "20",
        "--concurrency",
        "2",
    ]);
    args.extend(extra);
    let stopped = Interrupted::run(BIN, &args, &format!("mode {mode}: start"));
    let summary = format!("interrupted: finished nothing; stopped {mode}");
    assert!(stopped.stderr.contains(&summary), "{}", stopped.output());
    stopped
}

/// `direct` on tokio's multi-thread runtime: both workers are inside a
/// job's loop, `main` is not: it stops the run, and the jobs are abandoned.
#[test]
fn ctrl_c_stops_within_a_second_direct() {
    interrupt_mode("direct", &[]);
}

/// `direct` on the current-thread runtime: `main` polls every task, so
/// once a job's loop runs, `main` itself is inside it and cannot stop the
/// run: then the grace period ends the process, with the same summary.
/// (Ctrl-C may also come before the first job starts: then `main` stops
/// the run itself. Both must end within the second.)
#[test]
fn ctrl_c_stops_within_a_second_direct_current_thread() {
    interrupt_mode("direct", &["--flavor", "current-thread"]);
}

/// `spawn-blocking`: the jobs are on tokio's blocking threads, abandoned.
#[test]
fn ctrl_c_stops_within_a_second_spawn_blocking() {
    interrupt_mode("spawn-blocking", &[]);
}

/// `rayon`: the jobs are on the rayon threads, which are not waited for.
#[test]
fn ctrl_c_stops_within_a_second_rayon() {
    let stopped = interrupt_mode("rayon", &[]);
    assert!(
        stopped.stdout.contains("rayon pool: dropped"),
        "{}",
        stopped.output()
    );
}

/// `process-pool`: the workers are killed and reaped (the summary says so,
/// and their pids are gone from `/proc`).
#[test]
fn ctrl_c_stops_within_a_second_process_pool() {
    let stopped = interrupt_mode("process-pool", &[]);
    assert!(
        stopped.stderr.contains("(its worker processes killed)"),
        "{}",
        stopped.output()
    );
    let (_, list) = stopped
        .stdout
        .split_once("worker processes started: ")
        .unwrap();
    let pids: Vec<u32> = list
        .lines()
        .next()
        .unwrap()
        .split(", ")
        .map(|pid| pid.strip_prefix("pid ").unwrap().parse().unwrap())
        .collect();
    assert_eq!(pids.len(), 2);
    for pid in pids {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "worker {pid} is still there"
        );
    }
    assert!(
        stopped.stdout.contains(", 0 still alive"),
        "{}",
        stopped.output()
    );
}
