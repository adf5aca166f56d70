//! `--timeline` and `--trace`: a lane per task (and main's), a bar per
//! step, counted against the run's own lines; and the page's picture is
//! what the command beside it draws.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use cli_test::pictures::{Timeline, Trace, assert_page_picture};

const BIN: &str = env!("CARGO_BIN_EXE_asyncio-tasks");

/// The lines `who` printed in `stdout` that contain `text`.
fn lines_of(stdout: &str, who: &str, text: &str) -> usize {
    stdout
        .lines()
        .filter_map(|line| line.split_once(" | "))
        .filter(|(head, message)| head.trim_end().ends_with(who) && message.contains(text))
        .count()
}

/// A small run on tokio's real clock: one lane per task plus main's, one
/// bar per `Compute` line plus main's wait, a mark per result; in the
/// trace a begin and an end per unit, and the loop's thread named.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let dir = std::env::temp_dir().join(format!("asyncio-tasks-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (svg, json) = (dir.join("run.svg"), dir.join("run.json"));
    let args = [
        "--delay",
        "0.005",
        "--factorial",
        "4",
        "--fibonacci",
        "3",
        "--binomial-k",
        "2",
        "--timeline",
        svg.to_str().unwrap(),
        "--trace",
        json.to_str().unwrap(),
    ];
    let output = cli_test::run(BIN, &args).success();
    let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    let tasks = ["factorial", "fibonacci", "binomial"];
    let steps: Vec<usize> = tasks
        .iter()
        .map(|task| lines_of(&stdout, task, "Compute "))
        .collect();
    assert_eq!(steps, [3, 3, 2], "{stdout}");

    let timeline = Timeline::read(&svg);
    assert_eq!(
        timeline.lanes(),
        ["main", "factorial", "fibonacci", "binomial"]
    );
    assert_eq!(timeline.bars(), 3 + 3 + 2 + 1, "{}", timeline.svg);
    assert_eq!(timeline.bars_of("wait"), timeline.bars());
    assert_eq!(timeline.marks(), 3, "one per result line");

    let trace = Trace::read(&json);
    let (begins, ends) = (trace.units("b"), trace.units("e"));
    assert_eq!(begins.len(), timeline.bars(), "{begins:?}");
    let mut sorted_begins = begins.clone();
    let mut sorted_ends = ends.clone();
    sorted_begins.sort();
    sorted_ends.sort();
    assert_eq!(
        sorted_begins, sorted_ends,
        "every unit begins and ends once"
    );
    for (task, count) in tasks.iter().zip(&steps) {
        let units = begins.iter().filter(|(lane, _)| lane == task).count();
        assert_eq!(units, *count, "{task}");
    }
    assert!(trace.thread_names().contains(&"main".to_owned()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The picture on docs/asyncio-tasks.md is what the command beside it
/// draws today (mini's virtual clock: the same bytes on every run).
#[test]
fn committed_timeline_is_what_the_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert_page_picture(
        BIN,
        &root,
        "docs/asyncio-tasks.md",
        "docs/timelines/asyncio-tasks.svg",
    );
}
