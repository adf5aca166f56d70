//! Running a chapter's Python program beside its Rust port, for the tests
//! `python_and_rust_...` in every crate's `tests/python_agrees.rs`.
//!
//! Those tests need `python3` on PATH. Where there is none, [`found`] says
//! "skipped: no python3" on stderr and the test returns early and passes;
//! in CI, which installs one, it fails instead ([`crate::needs`]).
//!
//! ```no_run
//! use cli_test::python::{self, Programs};
//!
//! const PROGRAMS: Programs = Programs {
//!     dir: env!("CARGO_MANIFEST_DIR"),
//!     python: "python/asyncio_tasks.py",
//!     rust: "target/debug/asyncio-tasks", // env!("CARGO_BIN_EXE_asyncio-tasks")
//! };
//!
//! if python::found() {
//!     let (python, rust) = PROGRAMS.both(&["--delay", "0.01"]);
//!     assert!(python.stdout.contains("factorial(10)") && rust.stdout.contains("factorial(10)"));
//! }
//! ```

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Whether `python3` runs here, through [`crate::needs`]: if not, the
/// calling test returns early, skipped with a note (in CI it fails).
pub fn found() -> bool {
    let ran = python3(&["--version"]);
    crate::needs(
        "python3",
        ran.then_some(())
            .ok_or_else(|| "`python3 --version` did not run".to_owned()),
    )
}

/// A finished run: what it printed, how it ended, how long it took.
#[derive(Debug, Clone)]
pub struct Run {
    /// The command line, for messages.
    pub command: String,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// Everything it printed on stderr.
    pub stderr: String,
    /// Its exit status (`None` if a signal ended it).
    pub code: Option<i32>,
    /// From its start to its end, measured from outside.
    pub elapsed: Duration,
}

impl Run {
    /// The run, asserted to have exited with status 0 (if not, the message
    /// shows the command and all it printed).
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code,
            Some(0),
            "{}\nstdout:\n{}\nstderr:\n{}",
            self.command,
            self.stdout,
            self.stderr
        );
        self
    }
}

/// Whether `python3` imports `module` (for [`crate::needs`]).
pub fn module(module: &str) -> Result<(), String> {
    python3(&["-c", &format!("import {module}")])
        .then_some(())
        .ok_or_else(|| format!("`python3 -c \"import {module}\"` failed"))
}

/// Whether `python3 args` runs and exits with status 0.
fn python3(args: &[&str]) -> bool {
    let output = Command::new("python3").args(args).output();
    output.is_ok_and(|out| out.status.success())
}

/// Runs `program args` in `dir` to the end.
pub fn run(dir: impl AsRef<Path>, program: &str, args: &[impl AsRef<OsStr>]) -> Run {
    let start = Instant::now();
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let args: Vec<_> = args.iter().map(|a| a.as_ref().to_string_lossy()).collect();
    Run {
        command: format!("{program} {args:?}"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code(),
        elapsed: start.elapsed(),
    }
}

/// Runs `python` and `rust` at the same time, each on a thread of its own
/// (for programs that mostly wait), and returns what each gave.
pub fn together<P: Send, R: Send>(
    python: impl FnOnce() -> P + Send,
    rust: impl FnOnce() -> R + Send,
) -> (P, R) {
    std::thread::scope(|s| {
        let python = s.spawn(python);
        let rust = s.spawn(rust);
        (
            python
                .join()
                .expect("the Python runner thread does not panic"),
            rust.join().expect("the Rust runner thread does not panic"),
        )
    })
}

/// A chapter's Python program and its Rust port: the two programs its
/// `python_agrees` tests compare.
#[derive(Debug, Clone, Copy)]
pub struct Programs {
    /// The crate's folder, `env!("CARGO_MANIFEST_DIR")`: both run there.
    pub dir: &'static str,
    /// The Python program, from `dir`: `python/<name>.py`.
    pub python: &'static str,
    /// The Rust port, `env!("CARGO_BIN_EXE_<name>")`.
    pub rust: &'static str,
}

impl Programs {
    /// Runs `python3 -W error <python> args` to the end (`-W error`: a
    /// deprecation warning fails the run); the program must exist.
    pub fn python(&self, args: &[&str]) -> Run {
        let program = Path::new(self.dir).join(self.python);
        assert!(program.exists(), "{} is missing", program.display());
        let mut python_args = vec!["-W", "error", self.python];
        python_args.extend(args);
        run(self.dir, "python3", &python_args)
    }

    /// Runs the Rust port with `args` to the end.
    pub fn rust(&self, args: &[&str]) -> Run {
        run(self.dir, self.rust, args)
    }

    /// Both with the same `args`, at the same time (for programs that
    /// mostly wait); each must exit with status 0.
    pub fn both(&self, args: &[&str]) -> (Run, Run) {
        let (python, rust) = together(|| self.python(args), || self.rust(args));
        (python.ok(), rust.ok())
    }

    /// Both with the same `args`, one after the other (for programs that
    /// keep the cores busy); each must exit with status 0.
    pub fn in_turn(&self, args: &[&str]) -> (Run, Run) {
        (self.python(args).ok(), self.rust(args).ok())
    }
}
