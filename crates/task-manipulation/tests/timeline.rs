//! `--timeline` and `--trace`: a lane per task (and main's), a bar per
//! job, per worker step, per scheduled task and per part, counted against
//! the run's own lines; and the page's picture is what the command beside
//! it draws.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use cli_test::pictures::{Timeline, Trace, assert_page_picture};

const BIN: &str = env!("CARGO_BIN_EXE_task-manipulation");

/// A run's lines as (who, message).
fn lines(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (head, message) = line.split_once(" | ")?;
            let who = head.split_once("] ")?.1.trim();
            Some((who.to_owned(), message.to_owned()))
        })
        .collect()
}

/// A temporary folder for one test's files.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("task-manipulation-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary with `args` plus `--timeline` and `--trace` into `dir`;
/// returns its lines and both files read back.
fn drawn(dir: &Path, args: &[&str]) -> (Vec<(String, String)>, Timeline, Trace) {
    let (svg, json) = (dir.join("run.svg"), dir.join("run.json"));
    let mut all: Vec<&str> = args.to_vec();
    all.extend([
        "--timeline",
        svg.to_str().unwrap(),
        "--trace",
        json.to_str().unwrap(),
    ]);
    let output = cli_test::run(BIN, &all).success();
    let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    (lines(&stdout), Timeline::read(&svg), Trace::read(&json))
}

/// The whole program on the paused clock: a lane for main and for every
/// job, worker and scheduled task, in the order they first ran; a bar per
/// job (`started`), per worker step (`step ...`, or the step a cancel cut
/// short), per scheduled task (`start (`) and per part (`=====`); a mark
/// per cancellation, for the panic and for the future no longer polled.
/// The trace has a begin and an end per bar, and names its thread.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let dir = temp_dir("timeline");
    let (lines, timeline, trace) = drawn(&dir, &["--clock", "virtual"]);
    let count = |test: &dyn Fn(&str, &str) -> bool| {
        lines
            .iter()
            .filter(|(who, message)| test(who, message))
            .count()
    };
    let steppers = |who: &str| who == "worker" || who == "future";
    let jobs = count(&|_, m| m.starts_with("started"));
    let steps =
        count(&|w, m| steppers(w) && (m.starts_with("step ") || m.starts_with("cancelled")));
    let scheduled = count(&|_, m| m.starts_with("start ("));
    let parts = count(&|w, m| w == "main" && m.starts_with("====="));
    assert_eq!((jobs, steps, scheduled, parts), (34, 5, 10, 8));
    assert_eq!(
        timeline.bars(),
        jobs + steps + scheduled + parts,
        "{}",
        timeline.svg
    );
    assert_eq!(
        timeline.bars_of("wait"),
        timeline.bars(),
        "every bar is a wait"
    );
    let cancelled = count(&|_, m| m.starts_with("cancelled: Drop guard"));
    assert_eq!(timeline.marks(), cancelled + 2);

    let mut lanes: Vec<String> = Vec::new();
    for (who, _) in &lines {
        if who != "scheduler" && !lanes.contains(who) {
            lanes.push(who.clone());
        }
    }
    assert_eq!(timeline.lanes(), lanes);
    assert_eq!(lanes.len(), 24, "{lanes:?}");

    let (begins, ends) = (trace.units("b"), trace.units("e"));
    assert_eq!(begins.len(), timeline.bars(), "{begins:?}");
    let (mut sorted_begins, mut sorted_ends) = (begins.clone(), ends);
    sorted_begins.sort();
    sorted_ends.sort();
    assert_eq!(
        sorted_begins, sorted_ends,
        "every unit begins and ends once"
    );
    let workers = begins.iter().filter(|(lane, _)| lane == "worker").count();
    assert_eq!(workers, 3, "two steps, and the one the cancel cut short");
    assert!(trace.thread_names().contains(&"main".to_owned()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// On the real clock, the blocking pitfall draws a blocking bar per step,
/// on the lanes of the two closures, and marks the abort and the cancel;
/// the trace names the blocking pool's threads.
#[test]
fn timeline_draws_blocking_steps_as_blocking() {
    let dir = temp_dir("blocking");
    let (lines, timeline, trace) = drawn(&dir, &["--part", "cancel-blocking", "--speed", "20"]);
    let steps = lines
        .iter()
        .filter(|(who, m)| who != "main" && m.starts_with("step "))
        .count();
    assert_eq!(timeline.lanes(), ["main", "blocking", "cooperative"]);
    assert_eq!(timeline.bars_of("block"), steps);
    assert_eq!(timeline.bars(), steps + 1, "and the part's bar on main");
    assert_eq!(timeline.marks(), 2, "abort() and stop.cancel()");
    assert_eq!(trace.units("b").len(), timeline.bars());
    assert!(
        trace.thread_names().len() >= 2,
        "{:?}",
        trace.thread_names()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The picture on docs/task-manipulation.md is what the command beside it
/// draws today (tokio's paused clock: the same bytes on every run).
#[test]
fn committed_timeline_is_what_the_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert_page_picture(
        BIN,
        &root,
        "docs/task-manipulation.md",
        "docs/timelines/task-manipulation.svg",
    );
}
