//! `--timeline` and `--trace`: a lane per client lane, per thread or
//! process that ran a job, for the ticker and for the futures part; a bar
//! per request, per job and per wait, counted against the run's own lines.
//! And the page's picture has what the command beside it draws.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::path::Path;

use cli_test::lines::labelled_lines;
use cli_test::pictures::{Drawn, Timeline, draw, flag, redraw};

const BIN: &str = env!("CARGO_BIN_EXE_asyncio-and-futures");

/// The page, and the picture on it.
const PAGE: &str = "docs/asyncio-and-futures.md";
const PICTURE: &str = "docs/timelines/asyncio-and-futures.svg";

/// Who printed a `job k done` line: the threads and processes that ran jobs.
fn job_lanes(stdout: &str) -> Vec<String> {
    labelled_lines(stdout)
        .into_iter()
        .filter(|(_, message)| message.starts_with("job ") && message.contains(" done: "))
        .map(|(who, _)| who.to_owned())
        .collect()
}

/// A small whole run, every mode and the futures part: the lanes are main,
/// the ticker, the four client lanes, every thread or process a `job k
/// done` line names, the worker that ran the futures part's jobs, the
/// plain thread and its two coroutines. Bars: one per mode on main, per
/// connection, per request, per job, per wait of the futures part; a
/// block per `direct` job and per blocking `.result()`. The trace has a begin and an end per
/// bar, and the threads named.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    let args = [
        "--requests",
        "40",
        "--concurrency",
        "4",
        "--jobs",
        "2",
        "--iterations",
        "100000",
    ];
    let Drawn {
        stdout,
        timeline,
        trace,
    } = draw(BIN, &args);
    let ran_jobs = job_lanes(&stdout);
    assert_eq!(ran_jobs.len(), 4 * 2, "{stdout}");
    // The futures part's two pool jobs say where they ran.
    let futures_pids: Vec<String> = labelled_lines(&stdout)
        .into_iter()
        .filter_map(|(_, message)| Some(message.split_once(" from ")?.1))
        .filter_map(|rest| rest.split(" (").next()?.strip_prefix("pid "))
        .map(|pid| format!("pid {pid}"))
        .collect();
    assert_eq!(futures_pids.len(), 2, "{stdout}");

    let lanes: BTreeSet<String> = timeline.lanes().into_iter().collect();
    let mut expected: BTreeSet<String> = ["main", "ticker", "plain-thread"]
        .into_iter()
        .chain(["coroutine 42", "coroutine 43"])
        .map(str::to_owned)
        .collect();
    expected.extend((0..4).map(|i| format!("lane {i}")));
    expected.extend(ran_jobs);
    expected.extend(futures_pids);
    assert_eq!(lanes, expected, "{stdout}");
    // main: 4 modes + 2 waits; 4 x 4 connections; 4 x 40 requests + the
    // one of coroutine 42; 4 x 2 jobs + the futures part's 2; 2 `.result()`
    // waits; 1 cut sleep.
    assert_eq!(
        timeline.bars(),
        6 + 16 + 161 + 10 + 2 + 1,
        "{}",
        timeline.svg
    );
    assert_eq!(
        timeline.bars_of("block"),
        2 + 2,
        "direct jobs, .result() waits"
    );
    assert!(timeline.marks() > 4 * 5, "ticks and the tasks' creation");

    trace.paired_units(&timeline);
    let threads = trace.thread_names();
    for thread in ["main", "plain-thread"] {
        assert!(threads.iter().any(|t| t == thread), "{thread}: {threads:?}");
    }
    // Which of rayon's threads runs a job is the pool's choice.
    assert!(
        threads.iter().any(|t| t.starts_with("rayon-")),
        "a rayon thread: {threads:?}"
    );
}

/// A lane's family: its name without the number that differs from run to
/// run (`pid 4211` is `pid`, `tokio-block-3` is `tokio-block`).
fn family(lane: &str) -> String {
    match lane.rsplit_once(['-', ' ']) {
        Some((stem, n)) if !stem.starts_with("lane") && n.parse::<u32>().is_ok() => stem.into(),
        _ => lane.to_owned(),
    }
}

/// The picture on the page is drawn from a real run, so its times differ
/// from run to run: the test runs the command shown beside it and checks
/// that both pictures have the lanes of the same kinds (the numbered
/// threads and pids aside) and the bars the command's flags make: one per
/// mode on main, per connection, per request, per job; a block per
/// `direct` job. (Run with shorter jobs: the counts do not depend on them.)
#[test]
fn committed_timeline_is_what_the_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // Shorter jobs: this is a debug build, ten times slower than the
    // page's `--release`, and no lane or bar count depends on the steps.
    let redrawn = redraw(BIN, &root, PAGE, PICTURE, |args| {
        let at = args.iter().position(|arg| arg == "--iterations").unwrap();
        args[at + 1] = "5000000".to_owned();
    });
    let flag = |name: &str, default: usize| {
        flag(&redrawn.args, name).map_or(default, |value| value.parse().unwrap())
    };
    let (requests, jobs) = (flag("--requests", 1000), flag("--jobs", 4));
    let concurrency = flag("--concurrency", 20);
    let (stdout, fresh) = (redrawn.stdout, redrawn.timeline);
    let committed = Timeline::read(root.join(PICTURE));
    let families = |timeline: &Timeline| -> BTreeSet<String> {
        timeline.lanes().iter().map(|lane| family(lane)).collect()
    };
    let mut expected: BTreeSet<String> = job_lanes(&stdout).iter().map(|l| family(l)).collect();
    expected.extend(["main", "ticker"].map(str::to_owned));
    expected.extend((0..concurrency).map(|i| format!("lane {i}")));
    assert_eq!(families(&fresh), expected, "{stdout}");
    assert_eq!(
        families(&committed),
        expected,
        "{PICTURE}: run the page's command again"
    );
    for (which, timeline) in [("drawn", &fresh), ("committed", &committed)] {
        let per_mode = 1 + concurrency + requests + jobs;
        assert_eq!(timeline.bars(), 4 * per_mode, "{which}");
        assert_eq!(timeline.bars_of("block"), jobs, "{which}");
    }
}
