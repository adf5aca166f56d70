//! The `compare` binary from the command line: bad input is refused with
//! exit code 2, a missing Python with a one-line error, and a tiny run
//! writes the table, the samples and the chart.

#![allow(clippy::unwrap_used)]

use assert_cmd::Command;
use predicates::prelude::*;

fn compare() -> Command {
    Command::cargo_bin("compare").unwrap()
}

/// Out-of-range, non-numeric and unknown flags: clap's one-line error, exit 2.
#[test]
fn bad_input_is_refused_with_exit_code_2() {
    for args in [
        &["--rounds", "0"][..],
        &["--rounds", "51"],
        &["--workers", "0"],
        &["--iterations", "-5"],
        &["--iterations", "many"],
        &["--no-such-flag"],
        &["--chart", "chart.png"],
        &["--span", "-1"],
        &["--span", "soon"],
        &["--cpu", "4096"],
        &["--cpu", "-1"],
    ] {
        compare()
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("error:"));
    }
}

/// A Python that cannot run: one line naming it, exit 1, nothing measured.
#[test]
fn a_missing_python_is_a_clear_error() {
    compare()
        .args([
            "--python",
            "/nonexistent/python3",
            "--quick",
            "--rounds",
            "1",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("cannot run /nonexistent/python3"));
}

/// A tiny run end to end: the table on stdout and in table.md, every
/// sample in samples.tsv, the chart as SVG (and PNG when asked).
#[test]
fn a_tiny_run_writes_table_samples_and_chart() {
    if std::process::Command::new("python3")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("python3 not found: skipping");
        return;
    }
    let dir = std::env::temp_dir().join(format!("compare-cli-{}", std::process::id()));
    compare()
        .args([
            "--quick",
            "--span",
            "0",
            "--rounds",
            "2",
            "--iterations",
            "10000",
            "--workers",
            "2",
            "1",
            "2",
        ])
        .arg("--out-dir")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| Figure | Python | Rust | Python / Rust |",
        ))
        .stdout(predicate::str::contains(
            "| Count workload, sequential (10 items x count(1000)) |",
        ))
        .stdout(predicate::str::contains("| Executor | 1 | 2 |\n"))
        // The machine line names the Rust side's allocator.
        .stdout(predicate::str::contains(format!(
            "Rust allocator: {}.",
            benchmarks::ALLOCATOR
        )));
    let table = std::fs::read_to_string(dir.join("table.md")).unwrap();
    assert!(table.contains("Per item: process pool map, chunksize 64"));
    let samples = std::fs::read_to_string(dir.join("samples.tsv")).unwrap();
    // Two rounds: every figure has a sample for round 2 on both sides.
    assert!(samples.contains("Python\tcount/sequential\t2\t"));
    assert!(samples.contains("Rust\tcount/sequential\t2\t"));
    assert!(!samples.contains("\t3\t"));
    let svg = std::fs::read_to_string(dir.join("speedup.svg")).unwrap();
    assert!(svg.contains("Python ProcessPoolExecutor"));

    std::fs::remove_dir_all(&dir).unwrap();
}
