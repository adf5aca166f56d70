//! # cli-test: the one helper of every crate's command-line tests
//!
//! Every chapter binary promises the same three things, and its tests
//! check them with these helpers, under the same test names in every crate:
//! - it runs: [`run`] gives an `assert_cmd` assertion to match output on
//!   (tests named `runs_...`);
//! - bad input gets one clear line on stderr and exit status 2, never a
//!   panic ([`refuses`]; tests named `bad_input_exits_2...`);
//! - Ctrl-C stops it within a second with exit status 130, a summary line,
//!   and no process of its group left ([`Interrupted::run`]; tests named
//!   `ctrl_c_stops_within_a_second...`).
//!
//! [`pictures`] reads back what `--timeline` and `--trace` wrote, and checks
//! that a page's committed picture is what the command beside it draws;
//! [`python`] runs a chapter's Python program beside its Rust port (the
//! `python_agrees` tests), and [`lines`] reads their printed lines back.
//!
//! Binaries are named by path: `env!("CARGO_BIN_EXE_fsm")` in the test.
//! What a test needs from outside the workspace (a nats-server, Dask) it
//! asks for with [`needs`]. Every helper that reads, runs or checks
//! something panics, saying what it saw, when that fails: they are test
//! helpers, and a panic is a failed test.

pub mod lines;
pub mod pictures;
pub mod python;

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::assert::Assert;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Whether what a test needs from outside the workspace is here: `found`
/// is `Ok`, or says what is missing. In CI (the variable `CI` set, as
/// `.ci/run` sets it) a missing requirement fails the test, since CI
/// installs everything the tests need and a test must not pass there by
/// skipping; elsewhere the test is skipped, with a note.
pub fn needs(what: &str, found: Result<(), String>) -> bool {
    match found {
        Ok(()) => true,
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!("this test needs {what}, and CI must have it: {why}")
        }
        Err(why) => {
            eprintln!("skipped: no {what}: {why}");
            false
        }
    }
}

/// Runs `binary` with `args` to the end; match on the result with
/// `assert_cmd`'s `.success().stdout(...)`.
pub fn run(binary: impl AsRef<Path>, args: &[&str]) -> Assert {
    assert_cmd::Command::new(binary.as_ref())
        .args(args)
        .assert()
}

/// Asserts that `binary --help` succeeds and names each of `names` (the
/// flags, parts and runtimes a reader looks for there).
pub fn help_names(binary: impl AsRef<Path>, names: &[&str]) {
    let help = run(binary, &["--help"]).success();
    let help = String::from_utf8_lossy(&help.get_output().stdout);
    for name in names {
        assert!(help.contains(name), "--help should name {name:?}:\n{help}");
    }
}

/// Asserts that `binary args` is refused: exit status 2, a single line on
/// stderr that contains `expected`, and no panic report.
pub fn refuses(binary: impl AsRef<Path>, args: &[&str], expected: &str) {
    let output = assert_cmd::Command::new(binary.as_ref())
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.as_ref().display()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let what = format!("{args:?}");
    assert_eq!(
        output.status.code(),
        Some(2),
        "{what}: status; stderr: {stderr}"
    );
    assert!(
        !stderr.contains("panicked"),
        "{what}: a panic report: {stderr}"
    );
    // clap adds a "For more information, try '--help'." line to its usage
    // errors, and repeats the usage; what counts is the one error line.
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
    assert_eq!(errors.len(), 1, "{what}: one error line expected: {stderr}");
    assert!(
        errors[0].contains(expected),
        "{what}: the error line should say {expected:?}: {stderr}"
    );
    assert!(
        errors[0].len() <= 300,
        "{what}: an unreadable error line: {stderr}"
    );
}

/// What every binary prints on stderr at the first Ctrl-C, before it
/// stops: `runner::interrupt::STOPPING`, written again here because this
/// crate does not depend on the plumbing it tests.
pub const STOPPING: &str = "interrupted: stopping (Ctrl-C again to stop at once)";

/// What an interrupted run left: its output and how it ended.
#[derive(Debug)]
pub struct Interrupted {
    /// Everything the program printed on stdout, before and after Ctrl-C.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
    /// How long it took to exit after the SIGINT.
    pub took: Duration,
}

impl Interrupted {
    /// Starts `binary args` in a process group of its own, waits until a
    /// line of its stdout contains `ready`, sends SIGINT to the whole group
    /// (as a terminal's Ctrl-C does), and asserts that it said
    /// "interrupted: stopping", exited within a second with status 130 and
    /// left no process of its group.
    pub fn run(binary: impl AsRef<Path>, args: &[&str], ready: &str) -> Self {
        Self::start(binary, args, ready, false)
    }

    /// [`Interrupted::run`] for a program whose progress lines go to
    /// stderr because its stdout is data (`compare`'s table): waits for a
    /// line of *stderr* containing `ready`.
    pub fn run_ready_on_stderr(binary: impl AsRef<Path>, args: &[&str], ready: &str) -> Self {
        Self::start(binary, args, ready, true)
    }

    fn start(binary: impl AsRef<Path>, args: &[&str], ready: &str, on_stderr: bool) -> Self {
        let mut child = Command::new(binary.as_ref())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", binary.as_ref().display()));
        let group = Pid::from_raw(i32::try_from(child.id()).expect("a pid fits in an i32"));
        let stdout: Box<dyn Read + Send> = Box::new(child.stdout.take().expect("stdout is piped"));
        let stderr: Box<dyn Read + Send> = Box::new(child.stderr.take().expect("stderr is piped"));
        // `watched` is where the ready line comes, `other` the other pipe.
        let (watched, other) = if on_stderr {
            (stderr, stdout)
        } else {
            (stdout, stderr)
        };
        let other = drain(other);
        let (lines, before) = until_line(&mut child, watched, ready);
        let sent = Instant::now();
        killpg(group, Signal::SIGINT).expect("SIGINT to the program's group");
        let status = wait_at_most(&mut child, Duration::from_secs(5));
        let took = sent.elapsed();
        let rest = lines
            .recv_timeout(Duration::from_secs(1))
            .unwrap_or_default();
        let other = other
            .recv_timeout(Duration::from_secs(1))
            .unwrap_or_default();
        let watched = before + &rest;
        let (stdout, stderr) = if on_stderr {
            (other, watched)
        } else {
            (watched, other)
        };
        let left = group_alive(group);
        if left {
            let _ = killpg(group, Signal::SIGKILL);
        }
        assert_eq!(
            status,
            Some(130),
            "exit status after Ctrl-C\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(!left, "a process of the program's group outlived it");
        assert!(
            stderr.contains(STOPPING),
            "no 'interrupted: stopping' line on stderr\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            took <= Duration::from_secs(1),
            "took {took:?} to stop after Ctrl-C\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        Self {
            stdout,
            stderr,
            took,
        }
    }

    /// Everything printed, stdout then stderr: where to look for the summary.
    pub fn output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }
}

/// Reads `pipe`, one of `child`'s, until a line contains `ready`; returns
/// what was read so far and a channel delivering the rest once it closes.
fn until_line(
    child: &mut Child,
    pipe: impl Read + Send + 'static,
    ready: &str,
) -> (mpsc::Receiver<String>, String) {
    // Ok(what came up to the ready line), or Err(all of it) if it never came.
    let (found, wait_found) = mpsc::channel::<Result<String, String>>();
    let (rest, wait_rest) = mpsc::channel();
    let wanted = ready.to_owned();
    std::thread::spawn(move || {
        let mut text = String::new();
        let mut announced = false;
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            text.push_str(&line);
            text.push('\n');
            if !announced && line.contains(&wanted) {
                announced = true;
                let _ = found.send(Ok(std::mem::take(&mut text)));
            }
        }
        if announced {
            let _ = rest.send(text);
        } else {
            let _ = found.send(Err(text));
        }
    });
    match wait_found.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(before)) => (wait_rest, before),
        Ok(Err(output)) => {
            let _ = child.kill();
            panic!("the program ended before printing {ready:?}:\n{output}")
        }
        Err(_) => {
            let _ = child.kill();
            panic!("the program printed no line containing {ready:?} in 60 s")
        }
    }
}

/// Collects a pipe to its end on a thread of its own.
fn drain(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = pipe.read_to_string(&mut text);
        let _ = send.send(text);
    });
    receive
}

/// Waits for `child` at most `limit`; its exit code, or `None` (and the
/// child killed) if it did not exit in time.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.code(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Whether any process of `group` is still alive (signal 0 probes without
/// sending anything; a zombie still counts until its parent reaps it).
fn group_alive(group: Pid) -> bool {
    // The leader was reaped by `wait`; its children, if any, were re-parented
    // to init, which reaps them soon after they exit: allow a moment.
    for _ in 0..50 {
        if killpg(group, None).is_err() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}
