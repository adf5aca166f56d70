//! `compare --timeline` and `--trace`: a lane for each kind of step (the
//! Python programs, the Rust figures, the pairs) and a bar per step of
//! the run, counted against the run's own progress lines; the trace has a
//! begin and an end per step. Skipped, with a note, without python3.

#![allow(clippy::unwrap_used)]

use cli_test::pictures::{Timeline, Trace};
use std::collections::BTreeMap;

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_compare");

/// The lane of each step the run announced on stderr, in order: the
/// warm-up is Rust's; a round's step `round 1/1: python pooling.py` is on
/// the lane its first word names.
fn steps(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| line.split_once(" | ").map(|(_, message)| message))
        .filter_map(|message| {
            if message.starts_with("warm-up") {
                return Some("rust".to_owned());
            }
            let step = message.strip_prefix("round ")?.split_once(": ")?.1;
            Some(step.split_whitespace().next()?.to_owned())
        })
        .collect()
}

/// How many of `lanes` there are of each.
fn tally(lanes: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for lane in lanes {
        *counts.entry(lane).or_default() += 1;
    }
    counts
}

/// A one-round tiny run: the lanes rust, python and paired, as many bars
/// on each as the run announced steps for it, every bar ended; in the
/// trace a begin and an end per bar, and the threads named.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    if !cli_test::python::found() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("compare-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (svg, json) = (dir.join("run.svg"), dir.join("run.json"));
    let output = cli_test::run(
        BIN,
        &[
            "--quick",
            "--span",
            "0",
            "--rounds",
            "1",
            "--iterations",
            "10000",
            "--workers",
            "1",
            // The queue section has a lane of its own: see compare_cli.rs.
            "--no-queue",
            "--out-dir",
            dir.join("out").to_str().unwrap(),
            "--timeline",
            svg.to_str().unwrap(),
            "--trace",
            json.to_str().unwrap(),
        ],
    )
    .success();
    let stderr = String::from_utf8_lossy(&output.get_output().stderr).into_owned();
    let announced = steps(&stderr);
    // The warm-up, three Python programs, three Rust parts, two paired
    // parts, and the equal-wall-time runs (sequential and five executors).
    assert_eq!(announced.len(), 1 + 3 + 3 + 2 + 6, "{stderr}");
    let expected = tally(announced);

    let timeline = Timeline::read(&svg);
    assert_eq!(
        timeline.lanes(),
        ["rust", "python", "paired"],
        "the warm-up comes first"
    );
    assert_eq!(
        timeline.bars(),
        timeline.bars_of("work"),
        "every step is work"
    );
    assert!(
        !timeline.svg.contains(r#" unfinished""#),
        "every step ended"
    );
    let drawn = tally(
        timeline
            .svg
            .split(r#"<rect class="bar "#)
            .skip(1)
            .map(|bar| {
                let title = bar.split("<title>").nth(1).unwrap();
                title.split_once(": ").unwrap().0.to_owned()
            }),
    );
    assert_eq!(drawn, expected, "{}", timeline.svg);

    let trace = Trace::read(&json);
    let (mut begins, mut ends) = (trace.units("b"), trace.units("e"));
    assert_eq!(begins.len(), timeline.bars(), "{begins:?}");
    begins.sort();
    ends.sort();
    assert_eq!(begins, ends, "every step begins and ends once");
    assert_eq!(tally(begins.into_iter().map(|(lane, _)| lane)), expected);
    assert!(!trace.thread_names().is_empty(), "the threads are named");
    std::fs::remove_dir_all(&dir).unwrap();
}
