//! `--timeline` and `--trace`: a lane per callback, the heartbeat's lane
//! and, in `fixed`, the blocking thread's; a bar per callback run, per
//! tick and per blocking job, counted against the run's own lines; and the
//! page's pictures are what the commands beside them draw.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use cli_test::lines::labelled_lines;
use cli_test::pictures::{Drawn, assert_page_picture, draw};

const BIN: &str = env!("CARGO_BIN_EXE_event-loop");

/// The lines `who` printed in `stdout` whose message starts with `text`.
fn lines_of(stdout: &str, who: &str, text: &str) -> usize {
    labelled_lines(stdout)
        .into_iter()
        .filter(|&(w, message)| w == who && message.starts_with(text))
        .count()
}

/// A short run on tokio's real clock, sped up, in both variants: one lane
/// per callback that ran, the heartbeat's, and in `fixed` the blocking
/// thread's; a `block` bar per callback in `blocking`, a `wait` bar per
/// callback and a `block` bar per job in `fixed`, a `work` bar per tick; a
/// mark where each was due, one per cancelled callback, one for the stop.
/// In the trace a begin and an end per unit, and the threads named.
#[test]
fn timeline_has_a_lane_per_worker_and_a_bar_per_unit() {
    for part in ["blocking", "fixed"] {
        let args = ["--part", part, "--speed", "100", "--duration", "12"];
        let Drawn {
            stdout,
            timeline,
            trace,
        } = draw(BIN, &args);
        let called: Vec<usize> = ["task A", "task B", "task C"]
            .iter()
            .map(|name| lines_of(&stdout, name, "called: "))
            .collect();
        let callbacks: usize = called.iter().sum();
        let ticks = lines_of(&stdout, "heartbeat", "tick ");
        let cancelled = lines_of(&stdout, "loop", "cancelled pending callback");
        // Seed 1 over 12 s: A, B, C, A, B at least, and a tick per second.
        assert!(called.iter().all(|&n| n >= 1) && callbacks >= 4, "{stdout}");
        assert!(ticks >= 5, "{stdout}");

        let mut lanes = vec!["task A", "heartbeat", "task B", "task C"];
        if part == "fixed" {
            lanes.push("blocking thread");
        }
        // In the order they first appear: task A first; the others' order
        // depends on the real clock (how soon a blocking thread starts).
        let mut drawn = timeline.lanes();
        assert_eq!(drawn[0], "task A", "{part}");
        drawn.sort();
        lanes.sort();
        assert_eq!(drawn, lanes, "{part}");
        assert_eq!(timeline.bars_of("work"), ticks, "{part}: a bar per tick");
        if part == "blocking" {
            assert_eq!(timeline.bars_of("block"), callbacks, "a block per callback");
            assert_eq!(timeline.bars_of("wait"), 0);
        } else {
            assert_eq!(timeline.bars_of("wait"), callbacks, "a wait per callback");
            assert_eq!(timeline.bars_of("block"), callbacks, "a job per callback");
        }
        let stop = 1;
        assert_eq!(
            timeline.marks(),
            callbacks + ticks + cancelled + stop,
            "{part}: due marks, cancels, the stop"
        );

        let begins = trace.paired_units(&timeline);
        let on_heartbeat = begins.iter().filter(|(lane, _)| lane == "heartbeat");
        assert_eq!(on_heartbeat.count(), ticks);
        assert!(trace.thread_names().contains(&"main".to_owned()), "{part}");
        if part == "fixed" {
            // tokio's blocking pool runs the jobs on a thread of its own.
            let names = trace.thread_names();
            assert!(names.len() >= 2, "{names:?}");
        }
    }
}

/// The pictures on docs/event-loop.md are what the commands beside them
/// draw today (mini's virtual clock: the same bytes on every run).
#[test]
fn committed_timeline_is_what_the_command_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for picture in [
        "docs/timelines/event-loop.svg",
        "docs/timelines/event-loop-fixed.svg",
    ] {
        assert_page_picture(BIN, &root, "docs/event-loop.md", picture);
    }
}
