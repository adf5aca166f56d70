//! The chapter program end to end: each part from the command line, with
//! small workloads; bad input refused with exit code 2; Ctrl-C, which must
//! end the program within a second, its workers killed and reaped.

use cli_test::Interrupted;
use predicates::prelude::*;

const BIN: &str = env!("CARGO_BIN_EXE_process-pool");

/// `--part compare`: three phases, every item in each, pids and speedups.
#[test]
fn runs_part_compare() {
    let args: Vec<&str> = "--part compare --items 4 --iterations 1000 --workers 2"
        .split(' ')
        .collect();
    let assert = cli_test::run(BIN, &args).success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
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

/// `--part compare` repeated: a line per later round, each pool's median
/// speedup with its spread, and a verdict that is one of the sentences a
/// measured number can get (never an explanation of a gain regardless).
#[test]
fn runs_part_compare_with_rounds_and_verdicts() {
    let args: Vec<&str> = "--part compare --rounds 2 --items 2 --iterations 1000 --workers 2"
        .split(' ')
        .collect();
    let assert = cli_test::run(BIN, &args).success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(
        text.matches("| round 2 of 2: sequential").count(),
        1,
        "{text}"
    );
    assert!(text.contains("sequential: median "), "{text}");
    let verdicts = [
        "faster:",
        "slower:",
        "no clear difference:",
        "too noisy to tell:",
    ];
    for pool in ["thread pool", "process pool"] {
        assert!(text.contains(&format!("{pool}: median ")), "{text}");
        let verdict = text
            .lines()
            .filter_map(|l| l.split_once(&format!("| {pool}: ")))
            .map(|(_, rest)| rest)
            .find(|rest| verdicts.iter().any(|v| rest.starts_with(v)));
        assert!(verdict.is_some(), "{pool}: no verdict in:\n{text}");
    }
    // Two items of 1,000 iterations: far too short to show a gain.
    assert!(!text.contains("faster:"), "{text}");
}

/// `--part port`: the Python program's lines, unlabelled, in its order:
/// the loop's items in order, then each pool's items in any order, each
/// phase closed by Python's own line.
#[test]
fn runs_part_port_printing_pythons_lines() {
    let args: Vec<&str> = "--part port --items 3 --iterations 1000 --workers 2"
        .split(' ')
        .collect();
    let assert = cli_test::run(BIN, &args).success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("Item ") || l.contains(" Execution in "))
        .collect();
    assert_eq!(lines.len(), 12, "{text}");
    assert_eq!(
        lines[..3],
        [
            "Item 1, result 1000",
            "Item 2, result 2000",
            "Item 3, result 3000"
        ]
    );
    for (at, phase) in [(3, "Sequential"), (7, "Thread Pool"), (11, "Process Pool")] {
        assert!(
            lines[at].starts_with(&format!("{phase} Execution in "))
                && lines[at].ends_with(" seconds"),
            "{text}"
        );
    }
    for phase in [&lines[4..7], &lines[8..11]] {
        let mut items = phase.to_vec();
        items.sort_unstable();
        assert_eq!(items, lines[..3], "{text}");
    }
}

/// What every part prints is sentences: none of Rust's debug forms
/// (`Ok(..)`, `Err(Timeout(50ms))`, `Worker { pid: .. }`, `Some(..)`).
#[test]
fn runs_every_part_in_sentences() {
    let parts: [&[&str]; 4] = [
        &["--part", "api"],
        &[
            "--part",
            "faults",
            "--workers",
            "2",
            "--items",
            "2",
            "--iterations",
            "100",
        ],
        &[
            "--part",
            "compare",
            "--rounds",
            "1",
            "--items",
            "2",
            "--iterations",
            "100",
            "--workers",
            "2",
        ],
        &[
            "--part",
            "port",
            "--items",
            "2",
            "--iterations",
            "100",
            "--workers",
            "2",
        ],
    ];
    for args in parts {
        let assert = cli_test::run(BIN, args).success();
        let output = assert.get_output();
        let text =
            String::from_utf8_lossy(&[output.stdout.clone(), output.stderr.clone()].concat())
                .into_owned();
        for debug in ["Ok(", "Err(", "Some(", "None", " { pid", "Timeout(", "ms)"] {
            assert!(!text.contains(debug), "{args:?} printed {debug:?}:\n{text}");
        }
    }
}

/// `--part pool`: the process phase alone, results labelled by pid.
#[test]
fn runs_part_pool_alone() {
    cli_test::run(
        BIN,
        &[
            "--part",
            "pool",
            "--items",
            "3",
            "--iterations",
            "10",
            "--workers",
            "3",
        ],
    )
    .success()
    .stdout(predicate::str::contains("Item 3, result 30"))
    .stdout(predicate::str::contains("process pool phase"))
    .stdout(predicate::str::contains("thread pool").not());
}

/// `--part api`: every method named in the issue shows its result.
#[test]
fn runs_part_api_showing_every_method() {
    cli_test::run(BIN, &["--part", "api"])
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
            "cancel_futures=True): 1 task ran, 3 cancelled",
        ))
        .stdout(predicate::str::contains(
            "each worker initialized once: true",
        ));
}

/// `--part faults`: each fault reported, then the pool carries on.
#[test]
fn runs_part_faults_and_carries_on() {
    cli_test::run(
        BIN,
        &[
            "--part",
            "faults",
            "--workers",
            "2",
            "--items",
            "2",
            "--iterations",
            "100",
        ],
    )
    .success()
    .stdout(predicate::str::contains("overflows"))
    .stdout(predicate::str::contains("task panicked: division by zero"))
    .stdout(predicate::str::contains("SIGABRT"))
    .stdout(predicate::str::contains("SIGKILL"))
    .stdout(predicate::str::contains("Item 2, result 200"));
}

/// Bad values: one clear line, exit code 2, no panic.
#[test]
fn bad_input_exits_2() {
    let cases: &[(&[&str], &str)] = &[
        (&["--workers", "0"], "--workers"),
        (&["--workers", "257"], "--workers"),
        (&["--workers", "-3"], "--workers"),
        (&["--items", "0"], "--items"),
        (&["--items", "lots"], "invalid value 'lots'"),
        (&["--iterations", "-1"], "--iterations"),
        (&["--part", "everything"], "invalid value 'everything'"),
        (&["--iterations", "10000000001"], "--iterations"),
        (&["--rounds", "0"], "--rounds"),
        (&["--rounds", "101"], "--rounds"),
        (&["--part", "api", "--rounds", "3"], "--rounds only applies"),
        (
            &["--timeline", "run.png"],
            "must be a file name ending in .svg",
        ),
        (&["--trace", "/proc/run.json"], "cannot write"),
    ];
    for (args, expected) in cases {
        cli_test::refuses(BIN, args, expected);
    }
}

/// The help lists the parts and the flags.
#[test]
fn runs_help_listing_parts_and_flags() {
    cli_test::help_names(BIN, &["compare", "faults", "--workers", "--iterations"]);
}

/// Ctrl-C in the default run, during the sequential phase (a loop that
/// cannot stop mid-item): the grace period ends it, with a summary of
/// what had not finished.
#[test]
fn ctrl_c_stops_within_a_second() {
    let run = Interrupted::run(
        BIN,
        &["--items", "2", "--iterations", "10000000000"],
        "sequential: items 1..=2",
    );
    let output = run.output();
    assert!(
        output.contains(
            "interrupted: sequential cut after 0 of 2 items; \
             not started: thread pool, process pool, api, faults"
        ),
        "{output}"
    );
}

/// Ctrl-C in the direct port, in its loop (which cannot stop mid-item):
/// the grace period ends it, with the one-line summary.
#[test]
fn ctrl_c_stops_within_a_second_in_the_port() {
    let run = Interrupted::run(
        BIN,
        &[
            "--part",
            "port",
            "--items",
            "2",
            "--iterations",
            "10000000000",
        ],
        "== port",
    );
    assert!(
        run.output().contains("interrupted: port cut short"),
        "{}",
        run.output()
    );
}

/// Ctrl-C during a long process phase: the workers are killed at once and
/// reaped before the program exits, with a summary.
#[test]
fn ctrl_c_stops_within_a_second_in_the_process_phase() {
    let run = Interrupted::run(
        BIN,
        &[
            "--part",
            "pool",
            "--workers",
            "2",
            "--items",
            "4",
            "--iterations",
            "10000000000",
        ],
        "worker processes",
    );
    let output = run.output();
    assert!(
        output.contains("interrupted: process pool cut after 0 of 4 items"),
        "{output}"
    );
    // "[   0.010s] main           | process pool: 2 worker processes, pids 4242, 4243"
    let line = run.stdout.lines().find(|l| l.contains("worker processes"));
    let inside = line.and_then(|l| l.rsplit("pids ").next()).unwrap_or("");
    let workers: Vec<u32> = inside
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    assert_eq!(
        workers.len(),
        2,
        "worker pids not found in:\n{}",
        run.stdout
    );
    for pid in workers {
        // Reaped by the program before it exited: the pid is gone (or,
        // very unlikely, reused by a process that is not ours).
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty() || !stat.contains("process-pool"),
            "worker {pid} still exists: {stat}"
        );
    }
}
