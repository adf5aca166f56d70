//! Part 1, threads: the chapter's `threading.Thread` and its Rust counterpart.
//!
//! | Python (`threading`, `os`)                  | Rust (`std::thread`, `std::process`)            |
//! |---------------------------------------------|-------------------------------------------------|
//! | `t = Thread(target=f, args=(3,), name="t")` | `Builder::new().name("t".into()).spawn(move \|\| f(3))` |
//! | `t.start()`                                 | (spawning starts it: there is no separate start) |
//! | `t.join()`                                  | `handle.join()`, which also returns `f`'s value  |
//! | `t.is_alive()`                              | `!handle.is_finished()`                          |
//! | `t.name`, `threading.get_ident()`           | `thread::current().name()`, `.id()`              |
//! | `t.daemon = True`                           | a thread whose `JoinHandle` is dropped (detached) |
//! | `os.getpid()`                               | `std::process::id()`                             |
//!
//! A Python daemon thread is killed when the interpreter exits. A detached
//! Rust thread is the same: when `main` returns, the process exits and the
//! thread is stopped wherever it is, without running its destructors. So a
//! detached thread must not hold work that matters at exit; this program
//! asks its detached thread to stop and waits for its goodbye, so that
//! nothing is left running even here.

use common::clock::thread_label;
use common::{WorkloadError, cube};
use runner::Recorder;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

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

/// A failure in this part: only a thread that could not be started or
/// that panicked, which the demo does not provoke.
#[derive(Debug, thiserror::Error)]
pub enum ThreadsError {
    /// The operating system refused to start a thread.
    #[error("could not start a thread: {0}")]
    Spawn(#[from] std::io::Error),
    /// A thread panicked instead of returning.
    #[error("thread `{0}` panicked")]
    Panicked(String),
    /// The cube overflowed (it does not, with the chapter's argument).
    #[error(transparent)]
    Workload(#[from] WorkloadError),
}

/// The target function of the first thread: Python's `target=`.
fn cube_target(out: &Recorder, x: i64) -> Result<i64, WorkloadError> {
    let result = cube(x)?;
    out.say_here(format!("target: cube({x}) = {result}"));
    Ok(result)
}

/// Runs part 1 and prints what it shows.
pub fn run(out: &Recorder) -> Result<ThreadsReport, ThreadsError> {
    let pid = std::process::id();
    out.say_here(format!("process id (os.getpid()): {pid}"));

    // --- A thread with a target and arguments, started, polled, joined.
    // The thread waits at a gate (a channel) so that `is_finished` is
    // observed while it is certainly still running, not by luck of timing.
    let (release, gate) = mpsc::channel::<()>();
    let target_out = out.clone();
    let handle = thread::Builder::new()
        .name("cube-thread".into())
        .spawn(move || {
            // If the sender is gone the demo is over: just go on.
            let _ = gate.recv();
            cube_target(&target_out, 3)
        })?;
    let finished_before_release = handle.is_finished();
    out.say_here(format!(
        "started `cube-thread`; is_finished() = {finished_before_release} (Python: is_alive() = {})",
        !finished_before_release
    ));
    // The thread may already be gone if it failed to start its body; a
    // failed send then shows up as the join error below.
    let _ = release.send(());
    let result = handle.join();
    let cube_result = result.map_err(|_| ThreadsError::Panicked("cube-thread".into()))??;
    // After join() the thread has certainly finished. (The JoinHandle was
    // consumed by join, which is how Rust makes "join twice" impossible.)
    out.say_here(format!(
        "joined `cube-thread`: it returned {cube_result}; is_alive() would now be false"
    ));

    // --- Several named threads: names, ids, one pid.
    let mut handles = Vec::new();
    for i in 1..=3 {
        let out = out.clone();
        let handle = thread::Builder::new()
            .name(format!("named-{i}"))
            .spawn(move || {
                let me = thread::current();
                let name = thread_label();
                out.say_here(format!(
                    "hello from {:?}, id {:?}, in process {}",
                    me.name().unwrap_or("?"),
                    me.id(),
                    std::process::id()
                ));
                name
            })?;
        handles.push(handle);
    }
    let mut names = Vec::new();
    for handle in handles {
        names.push(
            handle
                .join()
                .map_err(|_| ThreadsError::Panicked("named thread".into()))?,
        );
    }

    // --- A detached ("daemon") thread.
    let detached_ticks = run_detached(out)?;

    Ok(ThreadsReport {
        pid,
        cube_result,
        finished_before_release,
        names,
        detached_ticks,
    })
}

/// Starts a thread, drops its `JoinHandle` (detaching it, Rust's daemon
/// thread), lets it tick a few times, then stops it by message.
///
/// Without the handle we cannot `join`; instead the thread sends its tick
/// count as a goodbye on a channel, and we wait for that message. (Had
/// `main` simply returned, the process would have exited and the thread
/// would have been stopped mid-tick: that is what a daemon thread is.)
fn run_detached(out: &Recorder) -> Result<u32, ThreadsError> {
    const TICKS: u32 = 3;
    let (stop, stop_rx) = mpsc::channel::<()>();
    let (ticked, ticked_rx) = mpsc::channel::<u32>();
    let (goodbye, goodbye_rx) = mpsc::channel::<u32>();
    let ticker = out.clone();
    let handle = thread::Builder::new()
        .name("detached".into())
        .spawn(move || {
            let mut ticks = 0;
            // Tick every 20 ms until told to stop (or until main is gone).
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                stop_rx.recv_timeout(Duration::from_millis(20))
            {
                ticks += 1;
                ticker.say_here(format!("tick {ticks} (nobody will join me)"));
                let _ = ticked.send(ticks);
            }
            ticker.say_here("asked to stop: saying goodbye");
            let _ = goodbye.send(ticks);
        })?;
    drop(handle); // detach: from here on, nobody can join this thread
    out.say_here("dropped the JoinHandle: `detached` now runs like a Python daemon thread");
    // Wait for a few ticks (by message, not by sleeping a guessed time).
    for _ in 0..TICKS {
        if ticked_rx.recv().is_err() {
            break;
        }
    }
    out.say_here(
        "if main returned now, the process would exit and kill `detached` mid-tick; \
         we stop it cleanly instead",
    );
    let _ = stop.send(());
    let ticks = goodbye_rx
        .recv()
        .map_err(|_| ThreadsError::Panicked("detached".into()))?;
    Ok(ticks)
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
        let out = Recorder::quiet();
        let report = run(&out).unwrap();
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
            assert_eq!(out.messages_of(&format!("named-{i}")).len(), 1);
        }
    }
}
