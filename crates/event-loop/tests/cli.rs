//! The binary end to end: help, bad input (exit 2), every runtime, and
//! Ctrl-C sent to the running program.

use cli_test::{Interrupted, help_names, refuses, run};
use predicates::prelude::*;

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_event-loop");

/// --help lists the flags, the parts and the runtimes.
#[test]
fn runs_help_listing_flags_parts_and_runtimes() {
    help_names(
        BIN,
        &[
            "--seed",
            "--duration",
            "--speed",
            "--runtime",
            "--part",
            "--flavor",
            "--clock",
            "virtual",
            "--timeline",
            "--trace",
            "blocking",
            "fixed",
            "lifecycle",
            "tokio",
            "async-std",
            "smol",
            "mini",
            "RUSTSEC-2025-0052",
        ],
    );
}

/// Bad values: one line saying what is wrong, exit code 2.
#[test]
fn bad_input_exits_2_for_each_bad_argument() {
    for (args, says) in [
        (&["--speed", "0"][..], "out of range"),
        (&["--speed", "-2"], "out of range"),
        (&["--speed", "nan"], "out of range"),
        (&["--runtime", "trio"], "invalid value 'trio'"),
        (&["--part", "everything"], "invalid value 'everything'"),
        (&["--duration", "-1"], "out of range"),
        (&["--duration", "forever"], "not a number"),
        (&["--seed", "-1"], "invalid value '-1'"),
        (&["--flavor", "one-thread"], "invalid value 'one-thread'"),
        (&["--clock", "sometimes"], "invalid value 'sometimes'"),
        (
            &["--timeline", "run.png"],
            "must be a file name ending in .svg",
        ),
        (&["--trace", "missing-folder/run.json"], "does not exist"),
        (&["--timeline", "/proc/run.svg"], "cannot write"),
    ] {
        refuses(BIN, args, says);
    }
}

/// A flag that means something for tokio only is refused with the other
/// runtimes.
#[test]
fn bad_input_exits_2_for_a_tokio_only_flag() {
    refuses(
        BIN,
        &["--part", "lifecycle", "--runtime", "mini"],
        "use --runtime tokio",
    );
    for runtime in ["async-std", "smol", "mini"] {
        refuses(
            BIN,
            &["--flavor", "multi-thread", "--runtime", runtime],
            "use it with --runtime tokio",
        );
    }
}

/// The virtual clock is mini's: refused with every other runtime.
#[test]
fn bad_input_exits_2_for_a_virtual_clock_without_mini() {
    for runtime in ["tokio", "async-std", "smol"] {
        refuses(
            BIN,
            &["--clock", "virtual", "--runtime", runtime],
            "run it with --runtime mini",
        );
    }
}

/// A 100,000-character bad value is repeated cut, in a readable line.
#[test]
fn bad_input_exits_2_for_a_huge_value() {
    let huge = "x".repeat(100_000);
    for flag in ["--speed", "--duration", "--runtime"] {
        refuses(BIN, &[flag, &huge], "(100000 characters)");
    }
}

/// Every runtime runs both variants to the end time, sped up.
#[test]
fn runs_on_every_runtime_to_the_end() {
    let fast = ["--speed", "200", "--duration", "10", "--seed", "3"];
    for runtime in ["tokio", "async-std", "smol", "mini"] {
        for part in ["blocking", "fixed"] {
            run(
                BIN,
                &[&["--runtime", runtime, "--part", part][..], &fast].concat(),
            )
            .success()
            .stdout(predicate::str::contains("task A         | called"))
            .stdout(predicate::str::contains("stopped by the end time"))
            .stdout(predicate::str::contains("tasks left running: 0"));
        }
    }
    run(BIN, &[&["--flavor", "multi-thread"][..], &fast].concat())
        .success()
        .stdout(predicate::str::contains("tasks left running: 0"));
}

/// `--speed 10` prints the times the run goes by, divided by 10, with the
/// program's own beside them: the end time, `call_later`, each block
/// (whole seconds drawn, as `randint(0, 5)` does) and each tick's due time.
/// On mini's virtual clock these are exact, and the 60 s run of seed 1
/// takes no real time and stops at exactly 6.4 s.
#[test]
fn runs_with_speed_printing_the_times_it_goes_by() {
    let started = std::time::Instant::now();
    let args = ["--runtime", "mini", "--clock", "virtual", "--speed", "10"];
    let output = run(BIN, &args).success();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    for expected in [
        "end_time = loop.time() + 6 s (60 s at --speed 10: each 1 s below is 0.1 s, each block 0 to 0.5 s)",
        "a heartbeat every 0.1 s, due at 0.05 s, 0.15 s, ...",
        "task A         | called: due 0.000 s, ran 0.000 s, late 0.000 s; randint(0, 5) = 2: blocks the loop for 0.2 s",
        "[   0.200s] task A         | loop.call_later(0.1, task B)",
        "[   0.200s] heartbeat      | tick 1: due 0.050 s, late 0.150 s",
        "loop.time() + 0.1 >= end_time: loop.stop()",
        "stopped by the end time (a callback called loop.stop()) at 6.400 s",
    ] {
        assert!(stdout.contains(expected), "{expected}\n{stdout}");
    }
}

/// What the program prints is sentences: no Rust debug formatting
/// (`Blocking`, `Some(..)`, `ThreadId(..)`) in any part's output.
#[test]
fn runs_printing_no_debug_formatting() {
    for args in [
        &["--runtime", "mini", "--clock", "virtual"][..],
        &["--runtime", "mini", "--clock", "virtual", "--part", "fixed"],
        &["--part", "lifecycle", "--speed", "50"],
    ] {
        let output = run(BIN, args).success();
        let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
        for debug in [
            "Blocking",
            "Fixed",
            "Some(",
            "None",
            "Ok(",
            "Err(",
            "ThreadId(",
        ] {
            assert!(
                !stdout.contains(debug),
                "{args:?} printed {debug}:\n{stdout}"
            );
        }
    }
}

/// The life-cycle part runs from the command line.
#[test]
fn runs_the_lifecycle_part() {
    run(BIN, &["--part", "lifecycle", "--speed", "50"])
        .success()
        .stdout(predicate::str::contains("run_forever() returned"))
        .stdout(predicate::str::contains("dropped without running"));
}

/// Ctrl-C, on every runtime, with blocks short enough (at most 0.5 s) to
/// end within the grace period: the loop stops, pending callbacks are
/// cancelled, the running one finishes, the summary is printed, and the
/// program exits with status 130 within a second, saying in one line what
/// ran and what was cancelled.
#[test]
fn ctrl_c_stops_within_a_second() {
    for (runtime, part) in [
        ("tokio", "blocking"),
        ("tokio", "fixed"),
        ("async-std", "fixed"),
        ("smol", "blocking"),
        ("mini", "fixed"),
    ] {
        let args = ["--runtime", runtime, "--part", part, "--speed", "10"];
        let stopped = Interrupted::run(BIN, &args, "run_forever()");
        let output = stopped.output();
        assert!(
            output.contains("stopped by Ctrl-C"),
            "{runtime}/{part}:\n{output}"
        );
        assert!(output.contains("tasks left running: 0"), "{output}");
        assert!(
            output.contains("interrupted: stopped at ")
                && output.contains("cancelled before they ran: "),
            "{runtime}/{part}:\n{output}"
        );
    }
}

/// Ctrl-C in the default run while task A blocks the loop for 2 s: the
/// loop cannot stop until the callback returns, so after the grace period
/// the process ends, saying which callback still held the loop.
#[test]
fn ctrl_c_stops_within_a_second_while_a_callback_blocks() {
    let stopped = Interrupted::run(BIN, &[], "task A         | called");
    let output = stopped.output();
    assert!(
        output.contains("interrupted: task A still blocks the loop, abandoned"),
        "{output}"
    );
    assert!(!output.contains("stopped by Ctrl-C"), "{output}");
}

/// Ctrl-C in the life-cycle part: it ends after the grace period, saying
/// which steps were done.
#[test]
fn ctrl_c_stops_within_a_second_in_lifecycle() {
    let stopped = Interrupted::run(BIN, &["--part", "lifecycle"], "run_forever() -> block_on");
    let output = stopped.output();
    assert!(
        output.contains("interrupted: the life cycle stopped after: created, run_until_complete"),
        "{output}"
    );
}

/// Ctrl-C with `--timeline` and `--trace`: both files are still written,
/// after a graceful stop (`fixed`, the loop free) and after the forced
/// exit of a loop blocked past the grace period (the default run).
#[test]
fn ctrl_c_stops_within_a_second_and_writes_the_timeline() {
    let dir = std::env::temp_dir().join(format!("event-loop-ctrl-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    for (part, speed, ready) in [
        ("fixed", "10", "task B         | called"),
        ("blocking", "1", "task A         | called"),
    ] {
        let (svg, json) = (
            dir.join(format!("{part}.svg")),
            dir.join(format!("{part}.json")),
        );
        let (svg_arg, json_arg) = (svg.to_string_lossy(), json.to_string_lossy());
        let args = [
            "--part",
            part,
            "--speed",
            speed,
            "--timeline",
            &svg_arg,
            "--trace",
            &json_arg,
        ];
        let stopped = Interrupted::run(BIN, &args, ready);
        assert!(
            stopped.stderr.contains("timeline written to"),
            "{part}: {}",
            stopped.output()
        );
        let timeline = cli_test::pictures::Timeline::read(&svg);
        assert!(timeline.lanes().contains(&"task A".to_owned()), "{part}");
        let trace = cli_test::pictures::Trace::read(&json);
        assert!(!trace.units("b").is_empty(), "{part}");
    }
    std::fs::remove_dir_all(&dir).expect("clean up");
}
