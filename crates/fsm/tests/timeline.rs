//! `--timeline` and `--trace`: a lane for the walk and one for the ticker,
//! a bar per state and per wait for a tick, counted against the run's own
//! lines; with `--blocking`, the states' bars are blocking ones and the
//! ticker's lane is one frozen wait; and the page's two pictures are what
//! the commands beside them draw.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use cli_test::lines::count;
use cli_test::pictures::{Drawn, assert_page_picture, draw};

const BIN: &str = env!("CARGO_BIN_EXE_fsm");

/// Runs seed 7 (Start and six states to End) with `extra` flags on tokio's
/// real clock, drawing both files.
fn drawn(extra: &[&str]) -> Drawn {
    draw(BIN, &[&["--seed", "7", "--delay", "0.02"], extra].concat())
}

/// The states' bars: Start, one per `...evaluating...` line, End.
fn states(stdout: &str) -> usize {
    let evaluating = stdout
        .lines()
        .filter(|line| line.ends_with("| ...evaluating..."))
        .count();
    1 + evaluating + count(stdout, "end", "stop computation")
}

/// The ticks the ticker counted, from its summary line.
fn ticks(stdout: &str) -> usize {
    let line = stdout
        .lines()
        .find(|line| line.contains("| ticker: "))
        .unwrap();
    let count = line
        .split("| ticker: ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    count.parse().unwrap()
}

/// Awaiting states: a waiting bar per state on the walk's lane, a waiting
/// bar per tick (and the last, stopped wait) on the ticker's; in the trace
/// a begin and an end for each, and the thread's name.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let Drawn {
        stdout,
        timeline,
        trace,
    } = drawn(&[]);
    let (states, ticks) = (states(&stdout), ticks(&stdout));
    assert_eq!(states, 7, "{stdout}");
    assert_eq!(timeline.lanes(), ["ticker", "faithful"]);
    assert_eq!(timeline.bars(), states + ticks + 1, "{stdout}");
    assert_eq!(timeline.bars_of("wait"), timeline.bars());
    let begins = trace.paired_units(&timeline);
    let walk = begins.iter().filter(|(lane, _)| lane == "faithful").count();
    assert_eq!(walk, states);
    assert!(trace.thread_names().contains(&"main".to_owned()));
}

/// Blocking states: their bars are blocking ones, and the ticker waits
/// once, frozen through the whole walk, its one late tick marked where it
/// was due.
#[test]
fn timeline_shows_the_ticker_frozen_while_the_states_block() {
    let Drawn {
        stdout, timeline, ..
    } = drawn(&["--blocking"]);
    assert_eq!(ticks(&stdout), 1, "{stdout}");
    assert_eq!(timeline.bars_of("block"), states(&stdout));
    assert_eq!(
        timeline.bars_of("wait"),
        2,
        "the frozen wait, then the stopped one"
    );
    assert_eq!(timeline.marks(), 1, "where the late tick was due");
}

/// The two pictures on docs/fsm.md are what the commands beside them draw
/// today (mini's virtual clock: the same bytes on every run).
#[test]
fn committed_timeline_is_what_the_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for picture in ["docs/timelines/fsm.svg", "docs/timelines/fsm-blocking.svg"] {
        assert_page_picture(BIN, &root, "docs/fsm.md", picture);
    }
}
