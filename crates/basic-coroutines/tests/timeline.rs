//! `--timeline` and `--trace`: a lane per coroutine and per callback, a
//! bar per computing, per sleep and per callback's wait, counted against
//! the run's own lines; and the page's picture is what the command beside
//! it draws.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use cli_test::pictures::{Timeline, Trace, assert_page_picture};

const BIN: &str = env!("CARGO_BIN_EXE_basic-coroutines");

/// How many lines of `stdout` `who` printed that contain `text`.
fn lines_of(stdout: &str, who: &str, text: &str) -> usize {
    stdout
        .lines()
        .filter_map(|line| line.split_once(" | "))
        .filter(|(head, message)| head.trim_end().ends_with(who) && message.contains(text))
        .count()
}

/// `5 10` on tokio's real clock: lanes for both callbacks and both
/// coroutines; per coroutine a working bar (its computing) and a waiting
/// bar (its sleep) and a mark where it set its result, per callback a
/// waiting bar; in the trace a begin and an end for each.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let dir =
        std::env::temp_dir().join(format!("basic-coroutines-timeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (svg, json) = (dir.join("run.svg"), dir.join("run.json"));
    let args = [
        "5",
        "10",
        "--delay",
        "0.02",
        "--timeline",
        svg.to_str().unwrap(),
        "--trace",
        json.to_str().unwrap(),
    ];
    let output = cli_test::run(BIN, &args).success();
    let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    let sleeps = lines_of(&stdout, "first", "computed") + lines_of(&stdout, "second", "computed");
    let results =
        lines_of(&stdout, "first", "set_result") + lines_of(&stdout, "second", "set_result");
    let callbacks = lines_of(&stdout, "callback", "result =");
    assert_eq!((sleeps, results, callbacks), (2, 2, 2), "{stdout}");

    let timeline = Timeline::read(&svg);
    assert_eq!(
        timeline.lanes(),
        ["callback 1", "callback 2", "first", "second"]
    );
    assert_eq!(
        timeline.bars_of("work"),
        sleeps,
        "a computing per coroutine"
    );
    assert_eq!(timeline.bars_of("wait"), sleeps + callbacks);
    assert_eq!(timeline.bars(), 2 * sleeps + callbacks);
    assert_eq!(timeline.marks(), results);

    let trace = Trace::read(&json);
    let mut begins = trace.units("b");
    let mut ends = trace.units("e");
    assert_eq!(begins.len(), timeline.bars(), "{begins:?}");
    begins.sort();
    ends.sort();
    assert_eq!(begins, ends, "every unit begins and ends once");
    assert!(begins.contains(&("first".to_owned(), "asyncio.sleep".to_owned())));
    assert!(trace.thread_names().contains(&"main".to_owned()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The picture on docs/basic-coroutines.md is what the command beside it
/// draws today (mini's virtual clock: the same bytes on every run).
#[test]
fn committed_timeline_is_what_the_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    assert_page_picture(
        BIN,
        &root,
        "docs/basic-coroutines.md",
        "docs/timelines/basic-coroutines.svg",
    );
}
