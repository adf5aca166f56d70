//! Ctrl-C: the program stops at once, its workers are killed and reaped,
//! and it exits with status 130. The program runs in its own process group
//! and gets SIGINT on the whole group, as a terminal sends it.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// The pids inside the first `[...]` of `line`.
fn pids_in(line: &str) -> Vec<u32> {
    let inside = line
        .split('[')
        .nth(2)
        .and_then(|s| s.split(']').next())
        .unwrap_or("");
    inside
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

/// Ctrl-C during a long process phase: exit 130 within seconds, no
/// worker left running.
#[test]
fn ctrl_c_stops_the_program_and_its_workers() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_process-pool"))
        .args([
            "--part",
            "pool",
            "--workers",
            "2",
            "--items",
            "4",
            "--iterations",
            "10000000000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let group = Pid::from_raw(child.id() as i32);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let workers = loop {
        let line = lines.next().expect("the program ended early").unwrap();
        if line.contains("worker processes") {
            break pids_in(&line);
        }
    };
    assert_eq!(workers.len(), 2, "worker pids not found");
    // Let the items start counting (each would take many seconds).
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    killpg(group, Signal::SIGINT).unwrap();
    let status = child.wait().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(status.code(), Some(130), "{status:?}");
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted"), "{stderr}");
    for pid in workers {
        // Reaped by the program before it exited: the pid is gone (or,
        // very unlikely, reused by a process that is not ours).
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        assert!(
            stat.is_empty() || !stat.contains("process-pool"),
            "worker {pid} still exists: {stat}"
        );
    }
}

/// Ctrl-C during the sequential phase (a loop that cannot stop early):
/// the program still exits with 130, after the short grace period.
#[test]
fn ctrl_c_during_the_sequential_phase() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_process-pool"))
        .args([
            "--part",
            "compare",
            "--items",
            "2",
            "--iterations",
            "10000000000",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let group = Pid::from_raw(child.id() as i32);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().expect("no output").unwrap();
    assert!(line.is_empty() || line.contains("compare"), "{line}");
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    killpg(group, Signal::SIGINT).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}
