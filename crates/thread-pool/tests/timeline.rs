//! `--timeline` and `--trace`: part 3's pass as a lane for main (the
//! sequential items, then main waiting for the pool) and a lane per worker
//! that ran items, a bar per item, counted against the run's own lines;
//! and the page's picture has the lanes and bars its command draws.
//!
//! The page's picture is drawn on the real clock (threads running real
//! work have no virtual clock), so a redraw is never byte-identical: the
//! test checks what every redraw has in common instead.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

use cli_test::lines::labelled;
use cli_test::pictures::{Drawn, Timeline, draw, flag, page_command};

const BIN: &str = env!("CARGO_BIN_EXE_thread-pool");

/// The `(thread, item)` of every `Item <i>, result <r>` line, in order.
fn item_lines(stdout: &str) -> Vec<(String, u64)> {
    stdout
        .lines()
        .filter_map(|line| {
            let (who, message) = labelled(line)?;
            let item = message.strip_prefix("Item ")?.split_once(',')?.0;
            Some((who.to_owned(), item.parse().ok()?))
        })
        .collect()
}

/// How many bars each lane has, from the bars' `<title>lane: what ...>`,
/// and how many of them are items.
fn bars_per_lane(timeline: &Timeline) -> BTreeMap<String, (usize, usize)> {
    let mut lanes: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for bar in timeline.svg.split(r#"<rect class="bar "#).skip(1) {
        let title = bar.split("<title>").nth(1).unwrap();
        let (lane, what) = title.split_once(": ").unwrap();
        let entry = lanes.entry(lane.to_owned()).or_default();
        entry.0 += 1;
        if what.starts_with("item ") {
            entry.1 += 1;
        }
    }
    lanes
}

/// A small run: main's lane has the sequential items and its wait for
/// the pool, each worker that printed items has a lane with a bar per
/// item it printed; the trace has a begin and an end per bar, per lane,
/// and names the threads.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let args = [
        "--part",
        "compare",
        "--items",
        "6",
        "--iterations",
        "100000",
        "--workers",
        "3",
        "--rounds",
        "1",
    ];
    let Drawn {
        stdout,
        timeline,
        trace,
    } = draw(BIN, &args);
    let items = item_lines(&stdout);
    assert_eq!(items.len(), 12, "{stdout}");
    let mut expected: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (who, _) in &items {
        let entry = expected.entry(who.clone()).or_default();
        entry.0 += 1;
        entry.1 += 1;
    }
    expected.get_mut("main").unwrap().0 += 1; // main's wait for the pool

    let lanes = timeline.lanes();
    assert_eq!(lanes[0], "main", "the sequential phase comes first");
    assert_eq!(
        lanes.len(),
        expected.len(),
        "{lanes:?} against {expected:?}"
    );
    assert_eq!(bars_per_lane(&timeline), expected, "{}", timeline.svg);
    assert_eq!(timeline.bars_of("block"), 1, "main waiting for the pool");
    assert_eq!(timeline.bars_of("work"), 12, "one bar per item");

    let begins = trace.paired_units(&timeline);
    let names = trace.thread_names();
    for lane in &lanes {
        assert!(names.contains(lane), "{lane} not among {names:?}");
        let units = begins.iter().filter(|(l, _)| l == lane).count();
        assert_eq!(units, expected[lane].0, "{lane}");
    }
}

/// The picture on docs/thread-pool.md has what its command draws on
/// every run: main's lane first, with every item once and its wait for
/// the pool; then a lane per worker (at most `--workers`, at least two),
/// every item once over them; every item's bar twice in all.
#[test]
fn committed_timeline_has_what_its_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let picture = "docs/timelines/thread-pool.svg";
    let args = page_command(root.join("docs/thread-pool.md"), picture);
    assert!(
        args.windows(2).any(|w| w == ["--part", "compare"]),
        "{args:?}"
    );
    let flag = |name| -> u64 { flag(&args, name).unwrap().parse().unwrap() };
    let (items, workers) = (flag("--items") as usize, flag("--workers"));

    let timeline = Timeline::read(root.join(picture));
    let lanes = timeline.lanes();
    assert_eq!(lanes[0], "main");
    let worker_lanes = &lanes[1..];
    assert!(
        (2..=workers as usize).contains(&worker_lanes.len()),
        "{lanes:?}"
    );
    for lane in worker_lanes {
        let index: u64 = lane.strip_prefix("worker-").unwrap().parse().unwrap();
        assert!(index < workers, "{lane}");
    }
    let bars = bars_per_lane(&timeline);
    assert_eq!(bars["main"], (items + 1, items), "{bars:?}");
    let on_workers: usize = worker_lanes.iter().map(|lane| bars[lane].1).sum();
    assert_eq!(on_workers, items, "{bars:?}");
    for item in 1..=items {
        let bar = format!(": item {item} (");
        assert_eq!(timeline.svg.matches(&bar).count(), 2, "item {item}");
    }
}
