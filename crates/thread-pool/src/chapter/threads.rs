//! Part 1, threads: `part_threads` of `thread_pool.py` in Rust, its
//! Python lines as the comments (the page, `docs/thread-pool.md`, has the
//! table of Python's calls and Rust's).
//!
//! A detached Rust thread is a Python daemon thread: when `main` returns,
//! the process exits and the thread stops wherever it is, without running
//! its destructors. So this part asks its detached thread to stop and
//! waits for its goodbye: nothing is left running.

use common::clock::thread_label;
use common::{WorkloadError, cube};
use runner::SpanKind;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::{ChapterError, Run};

/// What the threads part observed, for the tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadsReport {
    /// `std::process::id()`, printed by every thread: one process.
    pub pid: u32,
    /// The cube computed by the thread started with a target and argument.
    pub cube_result: i64,
    /// `is_finished()` while the thread was held at its gate (false).
    pub finished_before_release: bool,
    /// Names reported by the named threads, in join order.
    pub names: Vec<String>,
    /// How many ticks the detached thread printed before it was stopped.
    pub detached_ticks: u32,
}

// def cube_target(x, go):
/// The target of the first thread: Python's `target=`, with its argument.
fn cube_target(run: &Run, x: i64, go: mpsc::Receiver<()>) -> Result<i64, WorkloadError> {
    //     go.wait()    (held until main has looked at is_alive(); if main
    //                   is gone, the demo is over: just go on)
    let _ = go.recv();
    let _bar = run.work_bar(format!("cube({x})"));
    //     say("%s: target: cube(%s) = %s" % (threading.current_thread().name, x, cube(x)))
    let result = cube(x)?;
    run.say(format!("target: cube({x}) = {result}"));
    // A Python target returns nothing to anyone; a Rust thread hands its
    // value to whoever joins it.
    Ok(result)
}

// def hello():
/// The named threads' target: says who and where it is, returns its name.
fn hello(run: &Run) -> String {
    //     me = threading.current_thread()
    let me = thread_label();
    let _bar = run.work_bar("hello");
    //     say("hello from %r in process %s" % (me.name, os.getpid()))
    run.say(format!("hello from {me} in process {}", std::process::id()));
    me
}

// def ticker(stop):
/// The detached thread: ticks every 20 ms until told to stop (or until
/// main is gone), telling main of each tick; returns how many.
fn ticker(run: &Run, stop: mpsc::Receiver<()>, ticked: mpsc::Sender<u32>) -> u32 {
    let me = thread_label();
    //     n = 0
    let mut n = 0;
    //     while not stop.wait(0.02):
    loop {
        let wait = run.out.span(&me, format!("tick {}", n + 1), SpanKind::Wait);
        if stop.recv_timeout(Duration::from_millis(20)) != Err(mpsc::RecvTimeoutError::Timeout) {
            break;
        }
        drop(wait);
        //         n += 1
        n += 1;
        //         say("daemon: tick %s (nobody will join me)" % n)
        run.say(format!("tick {n} (nobody will join me)"));
        let _ = ticked.send(n);
    }
    //     say("daemon: asked to stop: saying goodbye")
    run.say("asked to stop: saying goodbye");
    n
}

// def part_threads():
/// Runs part 1 and prints what it shows.
pub fn run(run: &Run) -> Result<ThreadsReport, ChapterError> {
    //     say("process id (os.getpid()): %s" % os.getpid())
    let pid = std::process::id();
    run.say(format!("process id (os.getpid()): {pid}"));

    // The thread waits at a gate (a channel) so that `is_finished` is
    // observed while it is certainly still running, not by luck of timing.
    //     go = threading.Event()
    let (go, go_is_set) = mpsc::channel::<()>();
    //     t = threading.Thread(target=cube_target, args=(3, go), name="cube-thread")
    //     t.start()
    let target_run = run.clone();
    let t = thread::Builder::new()
        .name("cube-thread".into())
        .spawn(move || cube_target(&target_run, 3, go_is_set))?;
    //     say("started %r; is_alive() = %s" % (t.name, t.is_alive()))
    let finished_before_release = t.is_finished();
    run.say(format!(
        "started `cube-thread`; is_finished() = {finished_before_release} (Python: is_alive() = {})",
        !finished_before_release
    ));
    //     go.set()
    // (If the thread is already gone, the failed send shows up at join.)
    let _ = go.send(());
    //     t.join()
    let cube_result = t
        .join()
        .map_err(|_| ChapterError::Panicked("cube-thread"))??;
    // After join() the thread has certainly finished. (The JoinHandle was
    // consumed by join, which is how Rust makes "join twice" impossible.)
    //     say("joined %r; is_alive() = %s" % (t.name, t.is_alive()))
    run.say(format!(
        "joined `cube-thread`: it returned {cube_result}; is_alive() would now be false"
    ));

    //     named = [threading.Thread(target=hello, name="named-%s" % i) for i in range(1, 4)]
    //     for t in named:
    //         t.start()
    let mut named = Vec::new();
    for i in 1..=3 {
        let run = run.clone();
        let builder = thread::Builder::new().name(format!("named-{i}"));
        named.push(builder.spawn(move || hello(&run))?);
    }
    //     for t in named:
    //         t.join()
    let mut names = Vec::new();
    for t in named {
        names.push(t.join().map_err(|_| ChapterError::Panicked("named"))?);
    }

    let detached_ticks = run_detached(run)?;
    Ok(ThreadsReport {
        pid,
        cube_result,
        finished_before_release,
        names,
        detached_ticks,
    })
}

/// The end of `part_threads`: a detached thread (Rust's daemon thread)
/// ticks a few times, then is stopped by message. Without its handle we
/// cannot `join`: it sends its tick count as a goodbye, and we wait for it.
fn run_detached(run: &Run) -> Result<u32, ChapterError> {
    //     stop = threading.Event()
    let (stop, stop_is_set) = mpsc::channel::<()>();
    let (ticked, tick_came) = mpsc::channel::<u32>();
    let (goodbye, goodbye_came) = mpsc::channel::<u32>();
    //     daemon = threading.Thread(target=ticker, args=(stop,), name="daemon", daemon=True)
    //     daemon.start()
    let ticker_run = run.clone();
    let handle = thread::Builder::new()
        .name("detached".into())
        .spawn(move || {
            let ticks = ticker(&ticker_run, stop_is_set, ticked);
            let _ = goodbye.send(ticks);
        })?;
    drop(handle); // detach: from here on, nobody can join this thread
    run.say("dropped the JoinHandle: `detached` now runs like a Python daemon thread");
    //     time.sleep(0.07)    (here: until three ticks came, by message,
    //                          not by sleeping a guessed time)
    let _ = tick_came.iter().take(3).count();
    //     say("daemon=%s: if the program ended now, the daemon would die mid-tick; "
    //         "we stop it cleanly instead" % daemon.daemon)
    run.say(
        "if main returned now, the process would exit and kill `detached` mid-tick; \
         we stop it cleanly instead",
    );
    //     stop.set()
    let _ = stop.send(());
    //     daemon.join()    (no handle to join: wait for its goodbye instead)
    goodbye_came
        .recv()
        .map_err(|_| ChapterError::Panicked("detached"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The part observes what it claims: 27 from the target, not finished
    /// before release, three names, one pid, the detached thread ticked at
    /// least the awaited three times, and each line came from its thread.
    #[test]
    fn threads_part_reports() {
        let run = Run::quiet();
        let out = &run.out;
        let report = super::run(&run).unwrap();
        assert_eq!(report.pid, std::process::id());
        assert_eq!(report.cube_result, 27);
        assert!(!report.finished_before_release);
        assert_eq!(report.names, vec!["named-1", "named-2", "named-3"]);
        assert!(report.detached_ticks >= 3, "{}", report.detached_ticks);
        // Each line came from the thread that says it: the target from
        // `cube-thread`, the goodbye from `detached`, the rest from main.
        assert_eq!(out.messages_of("cube-thread"), ["target: cube(3) = 27"]);
        let detached = out.messages_of("detached");
        assert_eq!(
            detached.last().map(String::as_str),
            Some("asked to stop: saying goodbye")
        );
        assert_eq!(detached.len() as u32, report.detached_ticks + 1);
        for i in 1..=3 {
            let hello = out.messages_of(&format!("named-{i}"));
            assert_eq!(
                hello,
                [format!("hello from named-{i} in process {}", report.pid)],
                "a sentence, no debug quotes or ThreadId"
            );
        }
    }
}
