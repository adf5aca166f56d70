//! A worker never outlives the pool's process: when the parent is killed
//! with SIGKILL (no chance to clean up) while its worker is in a task that
//! does not end for a minute, the kernel's parent-death signal kills the
//! worker at once. The parent is the chapter binary; this test process
//! makes itself a *child subreaper*, so that the orphaned worker becomes
//! its child, to be waited for and reaped here (a container's pid 1 may
//! reap nothing). The only test in its binary: a subreaper collects the
//! orphans of every test of its process.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

const BIN: &str = env!("CARGO_BIN_EXE_process-pool");

/// SIGKILL the parent of a worker busy in a long task: the worker dies too,
/// within a second, killed by SIGKILL (the parent-death signal).
#[test]
fn a_busy_worker_dies_with_its_parent() {
    nix::sys::prctl::set_child_subreaper(true).unwrap();
    // One item of 10^10 iterations: a minute or more of counting.
    let mut parent = Command::new(BIN)
        .args(["--part", "pool", "--workers", "1", "--items", "1"])
        .args(["--iterations", "10000000000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(parent.stdout.take().unwrap());
    // "[   0.010s] main           | process pool: 1 worker processes, pids 4242"
    let worker: i32 = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|line| line.split_once("pids ")?.1.trim().parse().ok())
        .expect("the parent names its worker");
    let worker = Pid::from_raw(worker);
    // Let the worker take the item: it is busy, not idle, when orphaned.
    std::thread::sleep(Duration::from_millis(200));
    kill(Pid::from_raw(parent.id() as i32), Signal::SIGKILL).unwrap();
    parent.wait().unwrap();

    let deadline = Instant::now() + Duration::from_secs(5);
    let status = loop {
        match waitpid(worker, Some(WaitPidFlag::WNOHANG)).unwrap() {
            WaitStatus::StillAlive if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(5));
            }
            status => break status,
        }
    };
    if status == WaitStatus::StillAlive {
        // Clean up before failing: no orphan left behind by the test.
        let _ = kill(worker, Signal::SIGKILL);
        let _ = waitpid(worker, None);
        panic!("the worker outlived its parent by 5 s");
    }
    assert_eq!(status, WaitStatus::Signaled(worker, Signal::SIGKILL, false));
}
