//! The Python program (`python/asyncio_event_loop.py`) and the Rust port,
//! run with the same speed, seed and end time: both call task A first,
//! then B, C, A, ... in that order, one callback at a time, until a
//! callback finds the end time near and stops the loop; neither stops
//! before the end time is within one (scaled) second. The block times are
//! random and differ (both draw `randint(0, 5)` whole seconds, but
//! Python's `random` and Rust's ChaCha8 draw differently from one seed), so
//! the number of callbacks differs between them and is only bounded.
//!
//! Needs `python3` on PATH; without one the test prints
//! "skipped: no python3" and passes (CI has one).

use std::time::Duration;

use cli_test::lines::labelled;
use cli_test::python::{self, Programs};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/asyncio_event_loop.py",
    rust: env!("CARGO_BIN_EXE_event-loop"),
};

/// The callbacks Python called, in order: `task_A called` -> 'A'.
fn python_calls(stdout: &str) -> Vec<char> {
    stdout
        .lines()
        .filter_map(|line| line.trim().strip_prefix("task_")?.strip_suffix(" called"))
        .filter_map(|name| name.chars().next())
        .collect()
}

/// The callbacks Rust called, in order: a line labelled `task A` whose
/// message starts with `called` -> 'A'.
fn rust_calls(stdout: &str) -> Vec<char> {
    stdout
        .lines()
        .filter_map(|line| {
            let (who, message) = labelled(line)?;
            let name = who.strip_prefix("task ")?;
            message.starts_with("called").then(|| name.chars().next())?
        })
        .collect()
}

/// Both run the chain A -> B -> C -> A ... from A, and both stop the loop
/// by the end time: not before `end_time - 1 s` (a callback stops the loop
/// only when `loop.time() + 1 >= end_time`), and at most once per (scaled)
/// second plus the first call, since each call is followed by a 1 s
/// `call_later`. With `--speed 30 --duration 30`, each run takes about 1 s.
#[test]
fn python_and_rust_agree_on_the_chain_of_callbacks_and_its_end() {
    if !python::found() {
        return;
    }
    let (speed, duration) = (30.0, 30.0);
    let (python, rust) = PROGRAMS.both(&["--speed", "30", "--duration", "30", "--seed", "1"]);
    for (who, run, calls) in [
        ("Python", &python, python_calls(&python.stdout)),
        ("Rust", &rust, rust_calls(&rust.stdout)),
    ] {
        assert_eq!(
            calls.first(),
            Some(&'A'),
            "{who} starts with task A:\n{}",
            run.stdout
        );
        for pair in calls.windows(2) {
            let expected = match pair[0] {
                'A' => 'B',
                'B' => 'C',
                _ => 'A',
            };
            assert_eq!(pair[1], expected, "{who}: {calls:?}");
        }
        let most = (duration as usize) + 1;
        assert!(
            (2..=most).contains(&calls.len()),
            "{who}: {} callbacks, expected 2 to {most}:\n{}",
            calls.len(),
            run.stdout
        );
        let earliest_stop = Duration::from_secs_f64((duration - 1.0) / speed);
        assert!(
            run.elapsed >= earliest_stop,
            "{who} stopped after {:?}, before the end time",
            run.elapsed
        );
        // Unscaled, the run would take 30 s or more: the knob works.
        assert!(
            run.elapsed < Duration::from_secs(10),
            "{who} took {:?}",
            run.elapsed
        );
    }
    assert!(
        rust.stdout.contains("loop.stop()"),
        "Rust says which callback stopped the loop:\n{}",
        rust.stdout
    );
    // Like Python's `randint(0, 5)`, Rust draws whole seconds, 0 to 5, and
    // blocks for the draw divided by the speed (Python prints no draws).
    let draws: Vec<(u64, String)> = rust
        .stdout
        .lines()
        .filter_map(|line| {
            let (_, rest) = line.split_once("randint(0, 5) = ")?;
            let (drawn, rest) = rest.split_once(": ")?;
            let (_, secs) = rest.rsplit_once(" for ")?;
            Some((drawn.parse().ok()?, secs.to_owned()))
        })
        .collect();
    assert_eq!(
        draws.len(),
        rust_calls(&rust.stdout).len(),
        "{}",
        rust.stdout
    );
    for (drawn, secs) in draws {
        assert!(drawn <= 5, "{drawn}");
        let scaled = format!("{:.3}", drawn as f64 / speed);
        let scaled = scaled.trim_end_matches('0').trim_end_matches('.');
        assert_eq!(secs, format!("{scaled} s"), "randint(0, 5) = {drawn}");
    }
}
