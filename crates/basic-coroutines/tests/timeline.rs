//! `--timeline` and `--trace`: a lane per coroutine and per callback, a
//! bar per computing, per sleep and per callback's wait, counted against
//! the run's own lines; and the page's picture is what the command beside
//! it draws.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use cli_test::lines::count;
use cli_test::pictures::{Drawn, assert_page_picture, draw};

const BIN: &str = env!("CARGO_BIN_EXE_basic-coroutines");

/// `5 10` on tokio's real clock: lanes for both callbacks and both
/// coroutines; per coroutine a working bar (its computing) and a waiting
/// bar (its sleep) and a mark where it set its result, per callback a
/// waiting bar; in the trace a begin and an end for each.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let Drawn {
        stdout,
        timeline,
        trace,
    } = draw(BIN, &["5", "10", "--delay", "0.02"]);
    let sleeps = count(&stdout, "first", "computed") + count(&stdout, "second", "computed");
    let results = count(&stdout, "first", "set_result") + count(&stdout, "second", "set_result");
    let callbacks = count(&stdout, "callback", "result =");
    assert_eq!((sleeps, results, callbacks), (2, 2, 2), "{stdout}");

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

    let begins = trace.paired_units(&timeline);
    assert!(begins.contains(&("first".to_owned(), "asyncio.sleep".to_owned())));
    assert!(trace.thread_names().contains(&"main".to_owned()));
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
