//! `--timeline` and `--trace`: a lane per task (and main's), a bar per
//! job, per worker step, per scheduled task and per part, counted against
//! the run's own lines; and the page's picture is what the command beside
//! it draws.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use cli_test::lines::labelled_lines;
use cli_test::pictures::{Drawn, Timeline, Trace, assert_page_picture, draw};

const BIN: &str = env!("CARGO_BIN_EXE_task-manipulation");

/// Runs the binary with `args` plus `--timeline` and `--trace`; returns
/// its lines as (who, message) and both files read back.
fn drawn(args: &[&str]) -> (Vec<(String, String)>, Timeline, Trace) {
    let Drawn {
        stdout,
        timeline,
        trace,
    } = draw(BIN, args);
    let lines = labelled_lines(&stdout)
        .into_iter()
        .map(|(who, message)| (who.to_owned(), message.to_owned()))
        .collect();
    (lines, timeline, trace)
}

/// The whole program on the paused clock: a lane for main and for every
/// job, worker and scheduled task, in the order they first ran; a bar per
/// job (`started`), per worker step (`step ...`, or the step a cancel cut
/// short), per scheduled task (`start (`) and per part (`=====`); a mark
/// per cancellation, for the panic and for the future no longer polled.
/// The trace has a begin and an end per bar, and names its thread.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let (lines, timeline, trace) = drawn(&["--clock", "virtual"]);
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

    let begins = trace.paired_units(&timeline);
    let workers = begins.iter().filter(|(lane, _)| lane == "worker").count();
    assert_eq!(workers, 3, "two steps, and the one the cancel cut short");
    assert!(trace.thread_names().contains(&"main".to_owned()));
}

/// On the real clock, the blocking pitfall draws a blocking bar per step,
/// on the lanes of the two closures, and marks the abort and the cancel;
/// the trace names the blocking pool's threads.
#[test]
fn timeline_draws_blocking_steps_as_blocking() {
    let (lines, timeline, trace) = drawn(&["--part", "cancel-blocking", "--speed", "20"]);
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
