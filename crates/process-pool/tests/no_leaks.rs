//! No zombies, no orphans: after the pool is dropped, this process has no
//! child process left, whatever happened to the workers (deaths,
//! respawns, recycling). Checked by scanning /proc, not assumed. The only
//! test in its binary, so no other test's workers can be counted.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use process_pool::ProcessPoolExecutor;

mod support;
use support::TestTask;

process_pool::worker_test_hook!(TestTask);

/// The pids of every live or zombie process whose parent is this process.
fn children() -> Vec<(u32, char)> {
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue; // gone meanwhile
        };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after ')'.
        let Some(after) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
            continue;
        };
        let mut fields = after.split_whitespace();
        let state = fields.next().and_then(|s| s.chars().next()).unwrap_or('?');
        let ppid: u32 = fields.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        if ppid == me {
            found.push((pid, state));
        }
    }
    found
}

/// Every worker ever started is reaped by the time drop returns.
#[test]
fn no_child_process_remains_after_drop() {
    assert!(children().is_empty(), "children before: {:?}", children());
    {
        let pool = ProcessPoolExecutor::builder(3)
            .max_tasks_per_child(4)
            .build()
            .unwrap();
        assert_eq!(children().len(), 3, "{:?}", children());
        // Recycling (max_tasks_per_child), a crash, and a kill from outside.
        let results: Vec<_> = pool.map((1..=30).map(TestTask::Cube), 1).unwrap().collect();
        assert!(results.iter().all(Result::is_ok));
        assert!(pool.submit(TestTask::Abort).unwrap().result().is_err());
        let victim = pool.worker_pids()[0];
        kill(Pid::from_raw(victim as i32), Signal::SIGKILL).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while pool.worker_pids().contains(&victim) || pool.worker_pids().len() < 3 {
            assert!(
                Instant::now() < deadline,
                "the killed worker was not replaced"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let long = pool.submit(TestTask::Sleep(50)).unwrap();
        assert!(long.result().is_ok());
    }
    assert!(
        children().is_empty(),
        "children after drop: {:?}",
        children()
    );

    // Same after a stop in the middle of long tasks.
    let started = Instant::now();
    {
        let pool = ProcessPoolExecutor::new(2).unwrap();
        let handles: Vec<_> = (0..4)
            .map(|_| pool.submit(TestTask::Sleep(30_000)).unwrap())
            .collect();
        while !handles[0].running() {
            std::thread::sleep(Duration::from_millis(1));
        }
        pool.stopper().stop();
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        children().is_empty(),
        "children after stop: {:?}",
        children()
    );

    // The caller's code panicking on the pool's threads: a done callback,
    // an output whose Deserialize panics. The workers are still reaped.
    {
        let pool = ProcessPoolExecutor::new(1).unwrap();
        let handle = pool.submit(TestTask::Sleep(20)).unwrap();
        handle.add_done_callback(|| panic!("a callback's bug"));
        assert!(pool.submit(TestTask::Trap).unwrap().result().is_err());
        assert!(handle.result().is_ok());
    }
    assert!(children().is_empty(), "after panics: {:?}", children());

    // A task that never returns, ended by the shutdown grace; an
    // initializer that never returns, ended by the start-up timeout; an
    // initializer that aborts.
    {
        let pool = ProcessPoolExecutor::builder(2)
            .shutdown_grace(Duration::from_millis(100))
            .build()
            .unwrap();
        let stuck = pool.submit(TestTask::Forever).unwrap();
        while !stuck.running() {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    assert!(children().is_empty(), "after the grace: {:?}", children());
    let timed_out = ProcessPoolExecutor::builder(2)
        .initializer(TestTask::Forever)
        .start_timeout(Duration::from_millis(100))
        .build();
    assert!(timed_out.is_err());
    assert!(
        children().is_empty(),
        "after the start-up timeout: {:?}",
        children()
    );
    let aborted = ProcessPoolExecutor::builder(2)
        .initializer(TestTask::Abort)
        .build();
    assert!(aborted.is_err());
    assert!(
        children().is_empty(),
        "after an aborting initializer: {:?}",
        children()
    );
}
