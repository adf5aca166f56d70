//! `--timeline` and `--trace`: a lane per worker process that took a job
//! (and one for the queue, where a killed worker's job waits out its ack
//! deadline), a bar per job a worker took, counted against the run's own
//! "took item" lines; marks where a worker was killed and where its job
//! was redelivered. And the page's picture, drawn from a real run (so its
//! times differ from run to run), has what its command draws.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use cli_test::pictures::{Drawn, Timeline, draw, flag, redraw};
use support::{BIN, have_nats, lines};

/// The page, and the picture on it.
const PAGE: &str = "docs/distributed-pool.md";
const PICTURE: &str = "docs/timelines/distributed-pool.svg";

/// Who printed a "took item" line: one per job a worker took.
fn takers(stdout: &str) -> Vec<String> {
    lines(stdout)
        .into_iter()
        .filter(|(_, message)| message.starts_with("took item "))
        .map(|(who, _)| who)
        .collect()
}

/// Checks a timeline of a run with one killed worker against that run's
/// log: the lanes are the takers and the queue, a work bar per job taken
/// plus the queue's one wait, two marks (the kill, the redelivery).
fn check_against_log(timeline: &Timeline, stdout: &str, which: &str) {
    let taken = takers(stdout);
    let mut expected: BTreeSet<String> = taken.iter().cloned().collect();
    expected.insert("queue".to_owned());
    let lanes: BTreeSet<String> = timeline.lanes().into_iter().collect();
    assert_eq!(lanes, expected, "{which}:\n{stdout}");
    assert_eq!(timeline.bars_of("work"), taken.len(), "{which}:\n{stdout}");
    assert_eq!(
        timeline.bars_of("wait"),
        1,
        "{which}: the killed job's wait"
    );
    assert_eq!(timeline.marks(), 2, "{which}: the kill and the redelivery");
}

/// A small run with a worker killed: the picture against the log, and
/// the trace with a begin and an end per bar and its thread named.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    if !have_nats() {
        return;
    }
    let args = [
        "--workers",
        "2",
        "--items",
        "4",
        "--iterations",
        "100000000",
        "--kill-worker-on",
        "2",
        "--ack-wait",
        "0.5",
    ];
    let Drawn {
        stdout,
        timeline,
        trace,
    } = draw(BIN, &args);
    assert_eq!(
        takers(&stdout).len(),
        5,
        "four jobs, one of them twice:\n{stdout}"
    );
    check_against_log(&timeline, &stdout, "drawn");

    trace.paired_units(&timeline);
    assert!(
        trace.thread_names().iter().any(|name| name == "main"),
        "{:?}",
        trace.thread_names()
    );
}

/// The command beside the picture on the page draws a picture with the
/// same lanes and bars as the committed one: its workers and the queue,
/// a bar per job taken (every item, one twice), the wait, two marks.
#[test]
fn committed_timeline_is_what_the_command_draws() {
    if !have_nats() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let redrawn = redraw(BIN, &root, PAGE, PICTURE, |_| {});
    let flag = |name: &str| -> usize { flag(&redrawn.args, name).unwrap().parse().unwrap() };
    let (workers, items) = (flag("--workers"), flag("--items"));
    let (stdout, fresh) = (redrawn.stdout, redrawn.timeline);
    check_against_log(&fresh, &stdout, "drawn");
    let committed = Timeline::read(root.join(PICTURE));
    for (which, timeline) in [("drawn", &fresh), ("committed", &committed)] {
        assert_eq!(
            timeline.lanes().len(),
            workers + 1,
            "{which}: {PICTURE}: run the page's command again"
        );
        assert!(timeline.lanes().contains(&"queue".to_owned()), "{which}");
        assert_eq!(
            timeline.bars_of("work"),
            items + 1,
            "{which}: every item, the killed one twice"
        );
        assert_eq!(timeline.bars_of("wait"), 1, "{which}");
        assert_eq!(timeline.marks(), 2, "{which}");
    }
}
