//! The Python side: run a program from `benches/python/` in a fresh
//! interpreter and read its `name<TAB>seconds` lines.
//!
//! The Python programs time themselves (`time.perf_counter` around the
//! work only), so the interpreter's start-up is not counted: the same
//! rule as the Rust side, which starts its pools and runtimes before the
//! clock starts.

use super::sizes::Sizes;
use crate::BenchError;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use runner::Interrupt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The three programs, in the order a round runs them.
pub const SCRIPTS: [&str; 3] = ["pooling.py", "overhead.py", "asyncio_costs.py"];

/// `python --version`, e.g. `Python 3.11.7`; an error if it cannot run.
pub fn version(python: &str) -> Result<String, BenchError> {
    let output = Command::new(python)
        .arg("--version")
        .output()
        .map_err(|e| BenchError::Python(format!("cannot run {python}: {e}")))?;
    let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if output.status.success() && text.starts_with("Python 3") {
        Ok(text)
    } else {
        Err(BenchError::Python(format!(
            "{python} --version said {text:?}: Python 3 is needed"
        )))
    }
}

/// Runs one program with the flags for `sizes`; returns its figures.
pub fn run(
    python: &str,
    script: &str,
    sizes: &Sizes,
    interrupt: &Interrupt,
) -> Result<Vec<(String, f64)>, BenchError> {
    run_with(python, script, sizes.python_args(script), interrupt)
}

/// Runs one program with `args` (e.g. `"--tsv --items 10".split_whitespace()`);
/// returns its figures. On Ctrl-C the
/// program is killed with its process group and this returns
/// `Interrupted`.
pub fn run_with(
    python: &str,
    script: &str,
    args: impl IntoIterator<Item = impl AsRef<std::ffi::OsStr>>,
    interrupt: &Interrupt,
) -> Result<Vec<(String, f64)>, BenchError> {
    interrupt.check()?;
    // The Python programs are in `benches/python/` of this repository.
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/python")
        .join(script);
    let mut command = Command::new(python);
    command.arg(&path).args(args);
    let output = output(command, interrupt)
        .map_err(|e| BenchError::Python(format!("cannot run {python} {}: {e}", path.display())))?;
    // Killed because of Ctrl-C: that, not its exit status, is the news.
    interrupt.check()?;
    if !output.status.success() {
        return Err(BenchError::Python(format!(
            "{script} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    parse(script, &String::from_utf8_lossy(&output.stdout))
}

/// Runs `command` to its end, as `Command::output` does, but in a process
/// group of its own that Ctrl-C kills as a whole: the interpreter and the
/// worker processes of its `ProcessPoolExecutor`, which a signal to the
/// interpreter alone would leave running. (In its own group the program
/// does not get the terminal's SIGINT either: this process decides what
/// Ctrl-C means.)
fn output(mut command: Command, interrupt: &Interrupt) -> std::io::Result<Output> {
    let child = command
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let group = Pid::from_raw(i32::try_from(child.id()).map_err(std::io::Error::other)?);
    // Runs at once if Ctrl-C came while the program was starting. SIGKILL:
    // there is nothing to clean up that the kernel does not.
    let stop = interrupt.on_interrupt(move || {
        let _ = killpg(group, Signal::SIGKILL);
    });
    // Reads both pipes to their end, then waits for the exit and reaps the
    // interpreter, killed or not (its killed workers are reaped by init).
    let output = child.wait_with_output();
    // Unregistered right after the reap: from then on the group's id is
    // free, though the kernel hands it out again only after cycling
    // through every other free id.
    drop(stop);
    output
}

/// Parses `name<TAB>seconds` lines; anything else is an error naming the
/// line (a program that prints something unexpected has changed).
pub fn parse(script: &str, text: &str) -> Result<Vec<(String, f64)>, BenchError> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let bad = || BenchError::Python(format!("{script} printed {line:?}"));
            let (name, value) = line.split_once('\t').ok_or_else(bad)?;
            let seconds: f64 = value.trim().parse().map_err(|_| bad())?;
            if seconds.is_finite() && seconds >= 0.0 {
                Ok((name.to_owned(), seconds))
            } else {
                Err(bad())
            }
        })
        .collect()
}
