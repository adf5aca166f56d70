//! The Python side: run a program from `benches/python/` in a fresh
//! interpreter and read its `name<TAB>seconds` lines.
//!
//! The Python programs time themselves (`time.perf_counter` around the
//! work only), so the interpreter's start-up is not counted: the same
//! rule as the Rust side, which starts its pools and runtimes before the
//! clock starts.

use super::sizes::Sizes;
use crate::BenchError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The three programs, in the order a round runs them.
pub const SCRIPTS: [&str; 3] = ["pooling.py", "overhead.py", "asyncio_costs.py"];

/// Where the Python programs are: `benches/python/` of this repository.
pub fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/python")
}

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
pub fn run(python: &str, script: &str, sizes: &Sizes) -> Result<Vec<(String, f64)>, BenchError> {
    run_with(python, script, &sizes.python_args(script))
}

/// Runs one program with `args`; returns its figures.
pub fn run_with(
    python: &str,
    script: &str,
    args: &[String],
) -> Result<Vec<(String, f64)>, BenchError> {
    let path = scripts_dir().join(script);
    let output = Command::new(python)
        .arg(&path)
        .args(args)
        .output()
        .map_err(|e| BenchError::Python(format!("cannot run {python} {}: {e}", path.display())))?;
    if !output.status.success() {
        return Err(BenchError::Python(format!(
            "{script} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    parse(script, &String::from_utf8_lossy(&output.stdout))
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Good lines parse; anything else is an error.
    #[test]
    fn parse_accepts_only_figure_lines() {
        let figures = parse("x.py", "count/sequential\t5.5\n\ntask/a\t1e-06\n").unwrap();
        assert_eq!(
            figures,
            vec![("count/sequential".into(), 5.5), ("task/a".into(), 1e-6)]
        );
        assert!(parse("x.py", "hello").is_err());
        assert!(parse("x.py", "a\tnan").is_err());
        assert!(parse("x.py", "a\t-1").is_err());
    }

    /// The real programs run (tiny sizes) and print every figure the
    /// table needs. Skipped, with a note, where there is no python3.
    #[test]
    fn the_python_programs_run() {
        if version("python3").is_err() {
            eprintln!("python3 not found: skipping");
            return;
        }
        let sizes = Sizes {
            workers: vec![1, 2],
            ..Sizes::default()
        }
        .scaled_down(100_000);
        let mut ids = Vec::new();
        for script in SCRIPTS {
            ids.extend(
                run("python3", script, &sizes)
                    .unwrap()
                    .into_iter()
                    .map(|(id, _)| id),
            );
        }
        for id in [
            "count/sequential",
            "count/threads/2",
            "count/processes/2",
            "task/process-pool-map/64",
            "handoff/ping-pong",
            "async/spawn-cube",
            "async/timers/1",
        ] {
            assert!(ids.iter().any(|x| x == id), "{id} missing from {ids:?}");
        }
    }
}
