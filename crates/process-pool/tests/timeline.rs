//! `--timeline` and `--trace`: a lane per worker (the loop's `main`, the
//! pool's threads, the worker processes by pid), a bar per item, counted
//! against the run's own lines; in the faults part, the dead workers'
//! lanes end at a mark and their replacements' lanes start; and the
//! page's picture has what its command draws.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use cli_test::lines::labelled_lines;
use cli_test::pictures::{Drawn, Redrawn, Timeline, draw, flag, redraw, temp_dir};

const BIN: &str = env!("CARGO_BIN_EXE_process-pool");
const PAGE: &str = "docs/process-pool.md";
const PICTURE: &str = "docs/timelines/process-pool.svg";

/// Who printed each `Item` line of `stdout` (`main`, `worker-0`, `pid 4242`).
fn item_labels(stdout: &str) -> Vec<String> {
    labelled_lines(stdout)
        .into_iter()
        .filter(|(_, message)| message.starts_with("Item "))
        .map(|(who, _)| who.to_owned())
        .collect()
}

/// A compare run: one bar per item line, on the lane of whoever printed
/// it (`main` for the loop), and one per phase on the `phases` lane; in
/// the trace, a begin and an end per unit, and the threads named.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let args = [
        "--part",
        "compare",
        "--rounds",
        "1",
        "--workers",
        "2",
        "--items",
        "4",
        "--iterations",
        "2000000",
    ];
    let Drawn {
        stdout,
        timeline,
        trace,
    } = draw(BIN, &args);
    let labels = item_labels(&stdout);
    assert_eq!(labels.len(), 3 * 4, "{stdout}");

    let lanes: BTreeSet<String> = timeline.lanes().into_iter().collect();
    let mut expected: BTreeSet<String> = labels.iter().cloned().collect();
    expected.insert("phases".to_owned());
    assert_eq!(lanes, expected, "{stdout}");
    assert_eq!(
        timeline.lanes()[..2],
        ["phases", "main"],
        "the phases, the loop"
    );
    let pids = lanes.iter().filter(|l| l.starts_with("pid ")).count();
    assert_eq!(pids, 2, "one lane per worker process: {lanes:?}");
    assert_eq!(
        timeline.bars(),
        labels.len() + 3,
        "an item each, a phase each"
    );
    assert_eq!(timeline.bars_of("work"), timeline.bars());
    assert_eq!(timeline.marks(), 0);

    let begins = trace.paired_units(&timeline);
    let phases: Vec<String> = begins
        .iter()
        .filter(|(lane, _)| lane == "phases")
        .map(|(_, what)| what.clone())
        .collect();
    assert_eq!(phases, ["process pool", "sequential", "thread pool"]);
    let mut traced: Vec<String> = begins
        .into_iter()
        .filter(|(lane, _)| lane != "phases")
        .map(|(lane, _)| lane)
        .collect();
    let mut printed = labels.clone();
    traced.sort();
    printed.sort();
    assert_eq!(traced, printed, "each item on its worker's track");
    let threads = trace.thread_names();
    assert!(threads.iter().any(|t| t == "main"), "{threads:?}");
    assert!(
        threads.iter().any(|t| t.starts_with("pool-writer-")),
        "the process pool's bars start on its writer threads: {threads:?}"
    );
}

/// The faults part: a bar per task; the aborted and the killed workers'
/// lanes end at a mark; the replacement's lane starts after; the task
/// that never returns ends where the grace ran out.
#[test]
fn timeline_of_faults_ends_the_dead_workers_lanes() {
    let dir = temp_dir("process-pool-faults");
    let svg = dir.join("faults.svg");
    let args = [
        "--part",
        "faults",
        "--workers",
        "2",
        "--items",
        "2",
        "--iterations",
        "100",
        "--timeline",
        svg.to_str().unwrap(),
    ];
    let output = cli_test::run(BIN, &args).success();
    let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    let timeline = Timeline::read(&svg);
    // cube, panic, abort, the 30 s sleep, 2 items, the endless task.
    assert_eq!(timeline.bars(), 7, "{}", timeline.svg);
    assert_eq!(timeline.marks(), 3, "abort, kill -9, grace");
    let victim = stdout
        .lines()
        .find_map(|l| l.split_once("| kill -9 ")?.1.split_whitespace().next())
        .unwrap();
    assert!(
        timeline
            .svg
            .contains(&format!("<title>pid {victim}: kill -9 at ")),
        "the killed worker's lane is marked: {}",
        timeline.svg
    );
    assert!(timeline.svg.contains(": the worker died: SIGABRT at "));
    // The items afterwards ran on a worker that was not there at the start.
    let later = item_labels(&stdout);
    let first_lanes = &timeline.lanes()[..2];
    assert!(
        later.iter().any(|who| !first_lanes.contains(who)),
        "a replacement's lane: {later:?} vs {first_lanes:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What a picture shows, pids aside: how many lanes of each kind (the
/// phases', the loop's, threads', processes'), bars and marks.
fn shape(timeline: &Timeline) -> (usize, usize, usize, usize, usize, usize) {
    let lanes = timeline.lanes();
    let count = |prefix: &str| lanes.iter().filter(|l| l.starts_with(prefix)).count();
    (
        count("phases"),
        count("main"),
        count("worker-"),
        count("pid "),
        timeline.bars(),
        timeline.marks(),
    )
}

/// The picture on docs/process-pool.md is drawn in real time, with pids
/// that change every run, so no redraw is byte-identical: its command is
/// run again and the two pictures must have the same lanes (by kind),
/// bars and marks; and those must be what the command's log says.
#[test]
fn committed_timeline_is_what_the_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let Redrawn {
        args,
        stdout,
        timeline: redrawn,
    } = redraw(BIN, &root, PAGE, PICTURE, |_| {});
    let committed = Timeline::read(root.join(PICTURE));
    assert_eq!(
        shape(&committed),
        shape(&redrawn),
        "{PICTURE} no longer has what `{}` draws: run it to draw it again",
        args.join(" ")
    );
    let labels = item_labels(&stdout);
    assert_eq!(
        committed.bars(),
        labels.len() + 3,
        "a bar per item line, and per phase"
    );
    assert_eq!(
        Some(shape(&committed).3.to_string().as_str()),
        flag(&args, "--workers"),
        "a lane per worker process"
    );
}
