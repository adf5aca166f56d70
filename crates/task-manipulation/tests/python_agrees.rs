//! The Python program (`python/manipulating_task.py`) and the Rust port,
//! part by part, at the same `--speed`: the same jobs give the same
//! values, in argument order where gather promises it and in completion
//! order where waiting for the first promises that; the same tasks are
//! cancelled (cancel, timeouts, first-completed), and the scheduler runs
//! the same order and overlaps the same tasks. The one difference the docs
//! page lists is asserted as such: when one future of a gather without
//! return_exceptions fails, Python's other task keeps running, while
//! Rust's `try_join_all` drops (cancels) the other future.
//!
//! Both programs label their lines alike (`[   0.000s] who | message`);
//! the tests read who and what, never the times.
//!
//! Needs `python3` on PATH; without one each test prints
//! "skipped: no python3" and passes (CI has one).

use cli_test::lines::labelled_lines;
use cli_test::python::{self, Programs};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/manipulating_task.py",
    rust: env!("CARGO_BIN_EXE_task-manipulation"),
};

/// Demo seconds are divided by this: the longest part but the scheduler
/// takes 0.45 s.
const SPEED: &str = "20";

/// The scheduler's speed: slower, so that its overlaps keep a margin of
/// 0.1 s (a demo second) on a busy machine; it takes 1.4 s.
const SCHEDULER_SPEED: &str = "10";

/// One part in both programs, which must both succeed (Python with nothing
/// on stderr); returns (Python's lines, Rust's lines) as (who, message).
fn run_part(part: &str, speed: &str) -> (Lines, Lines) {
    let (python, rust) = PROGRAMS.both(&["--part", part, "--speed", speed]);
    assert_eq!(python.stderr, "", "Python --part {part} warns or fails");
    (Lines::new(&python.stdout), Lines::new(&rust.stdout))
}

/// A run's labelled lines, `[   0.000s] who | message`, as (who, message).
struct Lines {
    lines: Vec<(String, String)>,
    text: String,
}

impl Lines {
    fn new(stdout: &str) -> Self {
        let lines = labelled_lines(stdout)
            .into_iter()
            .map(|(who, message)| (who.to_owned(), message.to_owned()))
            .collect();
        Self {
            lines,
            text: stdout.to_owned(),
        }
    }

    /// The messages of `who`, in order.
    fn of(&self, who: &str) -> Vec<&str> {
        self.lines
            .iter()
            .filter(|(w, _)| w == who)
            .map(|(_, m)| m.as_str())
            .collect()
    }

    /// Whether `who` printed a message starting with `start`.
    fn said(&self, who: &str, start: &str) -> bool {
        self.of(who).iter().any(|m| m.starts_with(start))
    }

    /// The jobs' `done: cube(n) = v` lines, in order, as (who, v).
    fn done(&self) -> Vec<(&str, i64)> {
        self.lines
            .iter()
            .filter_map(|(who, m)| {
                let value = m.strip_prefix("done: cube(")?.split_once(") = ")?.1;
                Some((who.as_str(), value.parse().ok()?))
            })
            .collect()
    }

    /// The one message of main that starts with `start`.
    fn main_line(&self, start: &str) -> &str {
        let found: Vec<&str> = self
            .of("main")
            .into_iter()
            .filter(|m| m.starts_with(start))
            .collect();
        assert_eq!(found.len(), 1, "one main line {start:?}:\n{}", self.text);
        found[0]
    }
}

/// create: the created task is not done at first; main's own work ends
/// before the task does; awaiting the task gives cube(3) = 27.
#[test]
fn python_and_rust_agree_on_create_task_and_await() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("create", SPEED);
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let not_done = out.of("main").iter().any(|m| {
            let m = m.to_lowercase();
            m.contains("done()") && m.ends_with("= false")
        });
        assert!(not_done, "{who}: done() is false at first:\n{}", out.text);
        assert_eq!(
            out.done(),
            [("main-work", 1), ("coffee", 27)],
            "{who}:\n{}",
            out.text
        );
        assert_eq!(
            out.main_line("awaited the task:"),
            "awaited the task: result 27"
        );
    }
}

/// gather: the jobs finish fast, medium, slow, and every way of gathering
/// gives [1, 8, 27], the argument order; the completion-order way
/// (`as_completed`, `JoinSet::join_next`) gives fast #1, medium #2, slow #0.
#[test]
fn python_and_rust_agree_on_gather_in_argument_order() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("gather", SPEED);
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let done = out.done();
        assert!(
            done.len() >= 6,
            "{who}: two gathers at least:\n{}",
            out.text
        );
        for round in done.chunks(3) {
            assert_eq!(
                round,
                [("fast", 8), ("medium", 27), ("slow", 1)],
                "{who}: completion order:\n{}",
                out.text
            );
        }
        let gathered = out
            .of("main")
            .iter()
            .filter(|m| m.contains("-> [1, 8, 27]"))
            .count();
        assert!(
            gathered >= 2,
            "{who}: results in argument order:\n{}",
            out.text
        );
        assert!(
            !out.text.contains("-> [8, 27, 1]"),
            "{who}: never the completion order"
        );
        let as_completed: Vec<&str> = out
            .of("main")
            .into_iter()
            .filter(|m| m.contains("(argument #"))
            .collect();
        let order: Vec<&str> = as_completed
            .iter()
            .filter_map(|m| m.split_once("-> ")?.1.split_once(" =").map(|(w, _)| w))
            .collect();
        assert_eq!(
            order,
            [
                "fast (argument #1)",
                "medium (argument #2)",
                "slow (argument #0)"
            ],
            "{who}:\n{}",
            out.text
        );
    }
}

/// wait(FIRST_COMPLETED): fast = 8 first, then medium = 27 while slow is
/// still running; slow is then cancelled and never finishes, in both. (The
/// Rust port first shows a `select!` race, whose losers are dropped; its
/// `select! -> ...` line has no Python counterpart and is left out.)
#[test]
fn python_and_rust_agree_on_waiting_for_the_first_completed() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("first-completed", SPEED);
    let firsts = |out: &Lines| -> Vec<String> {
        out.of("main")
            .iter()
            .filter(|m| !m.starts_with("select!"))
            .filter_map(|m| {
                let (_, winner) = m.split_once("-> ")?;
                let (name, value) = winner.split_once(" = ")?;
                value.parse::<i64>().ok()?;
                Some(format!("{name} = {value}"))
            })
            .collect()
    };
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        assert_eq!(
            firsts(out),
            ["fast = 8", "medium = 27"],
            "{who}:\n{}",
            out.text
        );
        assert!(
            out.said("slow", "cancelled"),
            "{who}: slow cancelled:\n{}",
            out.text
        );
        assert!(
            !out.said("slow", "done"),
            "{who}: slow never finishes:\n{}",
            out.text
        );
        assert!(out.said("main", "2 still pending"), "{who}:\n{}", out.text);
    }
}

/// exceptions: with return_exceptions, one outcome per task in argument
/// order: healthy returned 8, failing failed (Python: ValueError; Rust: the
/// real overflow of cube(i64::MAX)), buggy failed (Python: the bug's
/// ZeroDivisionError; Rust: a panic). Then the listed difference: without
/// return_exceptions the first failure propagates in both, but Python's
/// other task goes on to finish while Rust's `try_join_all` drops it.
#[test]
fn python_and_rust_agree_on_exceptions_but_not_on_the_other_task_of_a_failed_gather() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("exceptions", SPEED);
    for (who, out, failing, buggy) in [
        ("Python", &python, "valueerror", "zerodivisionerror"),
        ("Rust", &rust, "overflows", "panic"),
    ] {
        let outcomes: Vec<&str> = out
            .of("main")
            .into_iter()
            .filter(|m| {
                ["healthy:", "failing:", "buggy:"]
                    .iter()
                    .any(|p| m.starts_with(p))
            })
            .collect();
        assert_eq!(
            outcomes.len(),
            3,
            "{who}: one outcome per task:\n{}",
            out.text
        );
        assert!(
            outcomes[0].starts_with("healthy:") && outcomes[0].contains('8'),
            "{who}: {outcomes:?}"
        );
        assert!(
            outcomes[1].starts_with("failing:") && outcomes[1].to_lowercase().contains(failing),
            "{who}: {outcomes:?}"
        );
        assert!(
            outcomes[2].starts_with("buggy:") && outcomes[2].to_lowercase().contains(buggy),
            "{who}: {outcomes:?}"
        );
        assert!(out.done().contains(&("healthy", 8)), "{who}:\n{}", out.text);
    }
    // The difference: the other task of the failed gather.
    assert!(
        python.done().contains(&("healthy-2", 8)) && !python.said("healthy-2", "cancelled"),
        "Python's gather leaves healthy-2 running to the end:\n{}",
        python.text
    );
    assert!(
        rust.said("healthy-2", "cancelled") && !rust.said("healthy-2", "done"),
        "Rust's try_join_all drops healthy-2:\n{}",
        rust.text
    );
}

/// cancel: the worker, one step per second, is cancelled at 2.5 s: it has
/// done step 1 and (unless the machine stalled) step 2, never step 3, and
/// it is told at its await. (The step count is bounded, not fixed: the
/// timers fire in deadline order, so step 1 (1 s) always comes before the
/// cancel (2.5 s) and step 3 (3 s or later) never does.)
#[test]
fn python_and_rust_agree_on_cancelling_a_task_at_its_await() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("cancel", SPEED);
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let worker = out.of("worker");
        let steps = worker.iter().filter(|m| m.starts_with("step ")).count();
        assert!(
            (1..=2).contains(&steps),
            "{who}: {steps} steps:\n{}",
            out.text
        );
        assert!(
            worker.iter().all(|m| !m.starts_with("step 3 ")),
            "{who}:\n{}",
            out.text
        );
        let cancelled = worker.iter().position(|m| m.starts_with("cancelled"));
        assert_eq!(
            cancelled,
            Some(steps),
            "{who}: cancelled right after its last step:\n{}",
            out.text
        );
    }
}

/// wait_for: the 1 s job beats the 2 s timeout with cube(4) = 64; the 5 s
/// job does not and is cancelled; a timeout on a task that is shielded
/// (Python) or spawned (Rust) leaves it running until it is cancelled.
#[test]
fn python_and_rust_agree_on_timeouts() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("timeout", SPEED);
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        assert_eq!(out.main_line("in time:"), "in time: 64", "{who}");
        assert_eq!(out.done(), [("quick", 64)], "{who}:\n{}", out.text);
        assert!(out.said("late", "cancelled"), "{who}:\n{}", out.text);
        let still = out.main_line("timed out, but the task is still running:");
        assert!(
            still.to_lowercase().contains("running: true"),
            "{who}: {still}"
        );
        assert!(out.said("spawned", "cancelled"), "{who}:\n{}", out.text);
        assert_eq!(
            out.main_line("the task was cancelled:").to_lowercase(),
            "the task was cancelled: true",
            "{who}"
        );
    }
}

/// Sequential against concurrent: the same three jobs (1, 2 and 3 s) give
/// 1, 8, 27 both ways; one after another they take at least the sum, 6 s,
/// together at least the longest, 3 s, and less than one after another.
#[test]
fn python_and_rust_agree_on_sequential_against_concurrent() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("sequential", SPEED);
    let speed: f64 = SPEED.parse().expect("a number");
    let took = |out: &Lines, start: &str| -> f64 {
        let line = out.main_line(start);
        line.trim_start_matches(start)
            .split_whitespace()
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("a time in {line:?}"))
    };
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let values: Vec<i64> = out.done().iter().map(|&(_, v)| v).collect();
        assert_eq!(values, [1, 8, 27, 1, 8, 27], "{who}:\n{}", out.text);
        let sequential = took(out, "sequential took");
        let concurrent = took(out, "concurrent took");
        assert!(sequential >= 6.0 / speed, "{who}: {sequential}");
        assert!(concurrent >= 3.0 / speed, "{who}: {concurrent}");
        assert!(
            concurrent < sequential,
            "{who}: {concurrent} < {sequential}"
        );
    }
}

/// The scheduler: the example graph runs in the same dependency order in
/// both, one at a time; then, each task as soon as its prerequisites are
/// done, the same tasks run together (parse with thumbnails, thumbnails
/// with index: the prerequisites order them, and thumbnails' 3 s against
/// parse's and index's 1 s each leaves a second's margin).
#[test]
fn python_and_rust_agree_on_the_schedulers_order_and_overlaps() {
    if !python::found() {
        return;
    }
    let (python, rust) = run_part("scheduler", SCHEDULER_SPEED);
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let order = out
            .of("scheduler")
            .into_iter()
            .find_map(|m| m.strip_prefix("one at a time, in dependency order: "));
        assert_eq!(
            order,
            Some("download, parse, thumbnails, index, publish"),
            "{who}:\n{}",
            out.text
        );
        let together = out
            .of("scheduler")
            .into_iter()
            .find_map(|m| m.split_once("ran together: ").map(|(_, t)| t));
        assert_eq!(
            together,
            Some("parse + thumbnails, thumbnails + index"),
            "{who}:\n{}",
            out.text
        );
        for task in ["download", "parse", "thumbnails", "index", "publish"] {
            let runs = out.of(task).iter().filter(|m| **m == "done").count();
            assert_eq!(runs, 2, "{who}: {task} runs once each way:\n{}", out.text);
        }
    }
}

/// A cyclic graph is refused by both before anything runs: exit status 2
/// and the cycle spelled out on stderr.
#[test]
fn python_and_rust_agree_on_refusing_a_cyclic_graph() {
    if !python::found() {
        return;
    }
    let args = ["--part", "scheduler", "--task", "a=1:b", "--task", "b=1:a"];
    let (python, rust) = python::together(|| PROGRAMS.python(&args), || PROGRAMS.rust(&args));
    for (who, run) in [("Python", &python), ("Rust", &rust)] {
        assert_eq!(run.code, Some(2), "{who}: {}", run.stderr);
        assert!(
            run.stderr.contains("cyclic dependency: a -> b -> a"),
            "{who}: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{who}: nothing ran");
    }
}
