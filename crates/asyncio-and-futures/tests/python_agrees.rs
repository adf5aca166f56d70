//! The Python program (`python/asyncio_and_executors.py`) and the Rust
//! port, with the same load: in every mode both compute `count(k,
//! iterations)` = k x iterations for every job and get every HTTP answer
//! right, with no task left over; the jobs run where the mode says (on the
//! loop's own thread in `direct`, elsewhere otherwise, in worker processes
//! for `process-pool`); in `direct` the ticker never ticks while a job
//! runs, in both. Then futures both ways agree (a pool job awaited in time
//! and past a timeout that stops only the waiting; a coroutine run from a
//! plain thread in time, and cancelled after a timeout), and both shut
//! down the server (its port refuses) and the pool (no worker left).
//!
//! The Rust port runs on tokio's current-thread runtime here, one thread
//! like asyncio's loop: its default, a multi-threaded runtime, is the
//! difference the docs page lists (a stuck worker leaves the others
//! serving), not something the two programs share. The modes' names
//! differ: Python's `default-executor` and `thread-pool` are the Rust
//! port's `spawn-blocking` and `rayon`.
//!
//! Needs `python3` on PATH; without one the test prints
//! "skipped: no python3" and passes (CI has one).

use cli_test::lines::labelled;
use cli_test::python::{self, Programs};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/asyncio_and_executors.py",
    rust: env!("CARGO_BIN_EXE_asyncio-and-futures"),
};

/// Each job's loop; small, so that a debug build and Python both take
/// milliseconds per job.
const ITERATIONS: u64 = 200_000;

/// The jobs: job k computes k x ITERATIONS.
const JOBS: u64 = 3;

/// The load, the same for both programs (with `--iterations`, given with
/// each run).
const LOAD: [&str; 8] = [
    "--requests",
    "40",
    "--concurrency",
    "4",
    "--jobs",
    "3",
    "--pool-workers",
    "2",
];

/// The modes, as (Python's name, the Rust port's name).
const MODES: [(&str, &str); 4] = [
    ("direct", "direct"),
    ("default-executor", "spawn-blocking"),
    ("thread-pool", "rayon"),
    ("process-pool", "process-pool"),
];

/// The lines of mode `mode`: from its `mode <mode>: start` line to the
/// next mode's, or to the table.
fn section<'a>(stdout: &'a str, mode: &str) -> Vec<(&'a str, &'a str)> {
    let start = format!("mode {mode}: start");
    stdout
        .lines()
        .skip_while(|l| labelled(l).is_none_or(|(_, m)| m != start))
        .skip(1)
        .map_while(labelled)
        .take_while(|(_, m)| !(m.starts_with("mode ") && m.ends_with(": start")))
        .collect()
}

/// The `job k done: count = v` lines of a section, as (who, k, v).
fn jobs<'a>(lines: &[(&'a str, &str)]) -> Vec<(&'a str, u64, u64)> {
    lines
        .iter()
        .filter_map(|&(who, m)| {
            let (k, rest) = m.strip_prefix("job ")?.split_once(" done: count = ")?;
            let v = rest.split_whitespace().next()?;
            Some((who, k.parse().ok()?, v.parse().ok()?))
        })
        .collect()
}

/// The table's row for `mode`, split at whitespace.
fn row<'a>(stdout: &'a str, mode: &str) -> Vec<&'a str> {
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|l| !l.starts_with('['))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|cells| cells.first() == Some(&mode))
        .collect();
    assert_eq!(rows.len(), 1, "one table row for {mode}:\n{stdout}");
    rows[0].clone()
}

/// A labelled message that contains every one of `words`.
fn said(stdout: &str, who: &str, words: &[&str]) -> bool {
    stdout
        .lines()
        .filter_map(labelled)
        .any(|(w, m)| w == who && words.iter().all(|word| m.contains(word)))
}

/// Runs the Python program (with `-W error`, so that a deprecation
/// warning fails the test) and then the Rust binary on tokio's
/// current-thread runtime, one after the other (both keep the cores busy),
/// each with the load and its own `extra` flags.
fn run_both(python_extra: &[&str], rust_extra: &[&str]) -> (String, String) {
    let python = PROGRAMS.python(&[&LOAD[..], python_extra].concat()).ok();
    let current_thread = ["--flavor", "current-thread"];
    let rust = PROGRAMS
        .rust(&[&current_thread[..], &LOAD, rust_extra].concat())
        .ok();
    (python.stdout, rust.stdout)
}

/// Both shut down alike: the server's port refuses connections, and no
/// worker process of the pool is left.
fn check_shutdown(who: &str, out: &str) {
    assert!(
        said(out, "main", &["server stopped", "closed (connect refused)"]),
        "{who}:\n{out}"
    );
    assert!(
        said(out, "main", &["process pool shut down", "0 still alive"]),
        "{who}:\n{out}"
    );
}

/// Mode by mode (the table part): every job's count, every answer, no task
/// left; the jobs where the mode puts them; no tick in `direct` while a job
/// blocks the loop.
#[test]
fn python_and_rust_agree_on_every_mode() {
    if !python::found() {
        return;
    }
    let iterations = ITERATIONS.to_string();
    let flags = ["--part", "table", "--iterations", &iterations];
    let (python, rust) = run_both(&flags, &flags);
    for (python_mode, rust_mode) in MODES {
        for (who, out, mode, main_thread) in [
            ("Python", &python, python_mode, "MainThread"),
            ("Rust", &rust, rust_mode, "main"),
        ] {
            let context = || format!("{who}, mode {mode}:\n{out}");
            let mut done = jobs(&section(out, mode));
            done.sort_by_key(|&(_, k, _)| k);
            let values: Vec<(u64, u64)> = done.iter().map(|&(_, k, v)| (k, v)).collect();
            let expected: Vec<(u64, u64)> = (1..=JOBS).map(|k| (k, k * ITERATIONS)).collect();
            assert_eq!(values, expected, "{}", context());

            let places: Vec<&str> = done.iter().map(|&(who, _, _)| who).collect();
            match python_mode {
                "direct" => assert!(
                    places.iter().all(|p| *p == main_thread),
                    "on the loop's thread: {places:?}; {}",
                    context()
                ),
                "process-pool" => assert!(
                    places.iter().all(|p| p.starts_with("pid ")),
                    "in worker processes: {places:?}; {}",
                    context()
                ),
                _ => assert!(
                    places
                        .iter()
                        .all(|p| *p != main_thread && !p.starts_with("pid ")),
                    "on other threads: {places:?}; {}",
                    context()
                ),
            }

            let cells = row(out, mode);
            let slashed: Vec<&str> = cells.iter().copied().filter(|c| c.contains('/')).collect();
            assert_eq!(
                slashed.first(),
                Some(&"40/40"),
                "every answer: {}",
                context()
            );
            assert_eq!(
                cells.iter().rev().nth(1),
                Some(&"ok"),
                "results: {}",
                context()
            );
            assert_eq!(cells.last(), Some(&"none"), "tasks left: {}", context());
            if python_mode == "direct" {
                let ticks = slashed.last().and_then(|t| t.split('/').next());
                assert_eq!(
                    ticks,
                    Some("0"),
                    "no tick while a job blocks the loop: {}",
                    context()
                );
            }
        }
    }

    check_shutdown("Python", &python);
    check_shutdown("Rust", &rust);
}

/// Futures both ways: a pool job awaited in time gives its count; one ten
/// times longer, past a 1 ms timeout, is still waited for and gives ten
/// times the count (the timeout stops the waiting, not the job); a plain
/// thread gets `echo 42` from a coroutine run on the loop, and cancels the
/// next one after a timeout. The Rust port's jobs are given more
/// iterations, so that its longer job (50 ms in a debug build) cannot end
/// within the 1 ms on a busy machine; each program's counts are checked
/// against its own iterations.
#[test]
fn python_and_rust_agree_on_futures_both_ways_and_the_shutdown() {
    if !python::found() {
        return;
    }
    const RUST_ITERATIONS: u64 = 2_000_000;
    let (python_iterations, rust_iterations) =
        (ITERATIONS.to_string(), RUST_ITERATIONS.to_string());
    let (python, rust) = run_both(
        &["--part", "futures", "--iterations", &python_iterations],
        &["--part", "futures", "--iterations", &rust_iterations],
    );
    for (who, out, iterations) in [
        ("Python", &python, ITERATIONS),
        ("Rust", &rust, RUST_ITERATIONS),
    ] {
        let in_time = format!("in time: count = {iterations} from pid ");
        let longer = format!("count = {}", 10 * iterations);
        assert!(said(out, "main", &[&in_time]), "{who}:\n{out}");
        assert!(
            said(
                out,
                "main",
                &["timed out: the wait stopped, the job did not", &longer]
            ),
            "{who}:\n{out}"
        );
        assert!(
            said(out, "plain-thread", &["result", "echo 42"]),
            "{who}:\n{out}"
        );
        assert!(said(out, "plain-thread", &["cancelled"]), "{who}:\n{out}");
        check_shutdown(who, out);
    }
}
