//! `--timeline` and `--trace`: a lane per task (and main's), a bar per
//! step, counted against the run's own lines; and the page's picture is
//! what the command beside it draws.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use cli_test::lines::count;
use cli_test::pictures::{Drawn, assert_page_picture, draw};

const BIN: &str = env!("CARGO_BIN_EXE_asyncio-tasks");

/// A small run on tokio's real clock: one lane per task plus main's, one
/// bar per `Compute` line plus main's wait, a mark per result; in the
/// trace a begin and an end per unit, and the loop's thread named.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let args = [
        "--delay",
        "0.005",
        "--factorial",
        "4",
        "--fibonacci",
        "3",
        "--binomial-k",
        "2",
    ];
    let Drawn {
        stdout,
        timeline,
        trace,
    } = draw(BIN, &args);
    let tasks = ["factorial", "fibonacci", "binomial"];
    let steps: Vec<usize> = tasks
        .iter()
        .map(|task| count(&stdout, task, "Compute "))
        .collect();
    assert_eq!(steps, [3, 3, 2], "{stdout}");

    assert_eq!(
        timeline.lanes(),
        ["main", "factorial", "fibonacci", "binomial"]
    );
    assert_eq!(timeline.bars(), 3 + 3 + 2 + 1, "{}", timeline.svg);
    assert_eq!(timeline.bars_of("wait"), timeline.bars());
    assert_eq!(timeline.marks(), 3, "one per result line");

    let begins = trace.paired_units(&timeline);
    for (task, steps) in tasks.iter().zip(&steps) {
        let units = begins.iter().filter(|(lane, _)| lane == task).count();
        assert_eq!(units, *steps, "{task}");
    }
    assert!(trace.thread_names().contains(&"main".to_owned()));
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
