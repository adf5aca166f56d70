//! The `compare` binary from the command line: bad input is refused with
//! exit code 2 before anything is measured, a missing Python with a
//! one-line error, a tiny run writes the table, the samples and the chart,
//! and Ctrl-C stops it within a second, its Python child killed with it.

#![allow(clippy::unwrap_used)]

use cli_test::{Interrupted, refuses, run};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

/// The binary under test.
const BIN: &str = env!("CARGO_BIN_EXE_compare");

/// Whether python3 runs here (skipped with a note if not; failed in CI).
fn have_python() -> bool {
    cli_test::python::found()
}

/// A fresh folder for one test's output.
fn out_dir(test: &str) -> PathBuf {
    std::env::temp_dir().join(format!("compare-cli-{test}-{}", std::process::id()))
}

/// Out-of-range, non-numeric and unknown flags: clap's one-line error, exit 2.
#[test]
fn bad_input_exits_2_flags() {
    for (args, expected) in [
        (&["--rounds", "0"][..], "--rounds"),
        (&["--rounds", "51"], "--rounds"),
        (&["--workers", "0"], "--workers"),
        (&["--iterations", "-5"], "'-5'"),
        (&["--iterations", "many"], "--iterations"),
        (&["--no-such-flag"], "--no-such-flag"),
        (&["--chart", "chart.png"], "--chart"),
        (&["--span", "-1"], "'-1'"),
        (&["--span", "soon"], "--span"),
        (&["--cpu", "4096"], "--cpu"),
        (&["--cpu", "-1"], "'-1'"),
        (&["--only", "nothing"], "--only"),
        (&["--only", "queue", "--no-queue"], "--no-queue"),
    ] {
        refuses(BIN, args, expected);
    }
}

/// An output folder or chart that cannot be written (under /proc, under a
/// file, a folder where the chart should be) is refused at once, before
/// any measuring (the missing --python would be the next error otherwise).
#[test]
fn bad_input_exits_2_out_dir() {
    let dir = out_dir("bad-out-dir");
    let file = dir.join("a-file");
    let folder = dir.join("chart.svg");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(&file, "").unwrap();
    let text = |path: &Path| path.to_str().unwrap().to_owned();
    for (flag, value) in [
        ("--out-dir", "/proc/compare".to_owned()),
        ("--out-dir", text(&file)),
        ("--chart", text(&file.join("speedup.svg"))),
        ("--chart", text(&folder)),
    ] {
        let args = ["--python", "/nonexistent/python3", flag, &value];
        refuses(BIN, &args, flag);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A Python that cannot run: one line naming it, exit 1, nothing measured.
#[test]
fn a_missing_python_is_a_clear_error() {
    let dir = out_dir("missing-python");
    run(
        BIN,
        &[
            "--python",
            "/nonexistent/python3",
            "--quick",
            "--rounds",
            "1",
            "--out-dir",
            dir.to_str().unwrap(),
        ],
    )
    .code(1)
    .stdout("")
    .stderr(predicate::str::contains("cannot run /nonexistent/python3"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A tiny run end to end: the table on stdout and in table.md, every
/// sample in samples.tsv, the chart as SVG.
#[test]
fn runs_a_tiny_comparison() {
    if !have_python() {
        return;
    }
    let dir = out_dir("tiny");
    run(
        BIN,
        &[
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
            // The queue section has a test of its own (below).
            "--no-queue",
            "--out-dir",
            dir.to_str().unwrap(),
        ],
    )
    .success()
    .stdout(predicate::str::contains("Beyond one machine").not())
    .stdout(predicate::str::contains(
        "| Figure | Python | Rust | Python / Rust |",
    ))
    .stdout(predicate::str::contains(
        "| Count workload, sequential (10 items x count(1000)) |",
    ))
    .stdout(predicate::str::contains("| Executor | 1 | 2 |\n"))
    // Both speedup tables: at the chapter's size, and at equal wall time.
    .stdout(predicate::str::contains(
        "### Speedup over sequential (efficiency), by worker count",
    ))
    .stdout(predicate::str::contains(
        "### The same speedups at equal wall time",
    ))
    // The machine line names the Rust side's allocator.
    .stdout(predicate::str::contains(format!(
        "Rust allocator: {}.",
        benchmarks::ALLOCATOR
    )));
    let table = std::fs::read_to_string(dir.join("table.md")).unwrap();
    assert!(table.contains("Per item: process pool map, chunksize 64"));
    // Two speedup tables, each with every executor's row, in the file too.
    assert_eq!(table.matches("| Executor | 1 | 2 |").count(), 2, "{table}");
    assert_eq!(table.matches("| Rust process-pool |").count(), 2, "{table}");
    assert_eq!(table.matches("| Python ProcessPoolExecutor |").count(), 2);
    let equal = table
        .split("### The same speedups at equal wall time")
        .nth(1)
        .unwrap();
    assert!(equal.contains("Rust's items each count("), "{equal}");
    assert!(!table.contains("NATS"), "--no-queue: no queue section");
    let samples = std::fs::read_to_string(dir.join("samples.tsv")).unwrap();
    assert!(!samples.contains("queue/"));
    // Two rounds: every figure has a sample for round 2 on both sides.
    assert!(samples.contains("Python\tcount/sequential\t2\t"));
    assert!(samples.contains("Rust\tcount/sequential\t2\t"));
    assert!(samples.contains("Rust\tequal-time/count/sequential\t2\t"));
    assert!(samples.contains("Rust\tequal-time/count/rayon/2\t2\t"));
    assert!(!samples.contains("\t3\t"));
    let svg = std::fs::read_to_string(dir.join("speedup.svg")).unwrap();
    assert!(svg.contains("Python ProcessPoolExecutor"));

    std::fs::remove_dir_all(&dir).unwrap();
}

/// Ctrl-C while Python's `pooling.py` runs (a run of 3 rounds lasts
/// minutes): exit 130 within a second, the Python program and its pool's
/// worker processes killed (the Python interpreter is started under a name
/// of this test's, to find every process it left), one summary line, and
/// nothing written.
#[test]
fn ctrl_c_stops_within_a_second() {
    if !have_python() {
        return;
    }
    let dir = out_dir("ctrl-c");
    std::fs::create_dir_all(&dir).unwrap();
    let python = dir.join("python3-of-compare-ctrl-c");
    let real = which_python3();
    std::os::unix::fs::symlink(&real, &python).unwrap();
    let stopped = Interrupted::run_ready_on_stderr(
        BIN,
        &[
            "--quick",
            "--rounds",
            "3",
            "--python",
            python.to_str().unwrap(),
            "--out-dir",
            dir.join("out").to_str().unwrap(),
        ],
        "round 1/3: python pooling.py",
    );
    assert!(
        stopped.stderr.contains(&format!(
            "interrupted: warm-up done; round 1 cut short; not started: round 2, \
             round 3; stopped during \"round 1/3: python pooling.py\"; nothing written to {}",
            dir.join("out").display()
        )),
        "{}",
        stopped.output()
    );
    assert_eq!(stopped.stdout, "", "no table");
    assert!(!dir.join("out/table.md").exists());
    // The interpreter ran in a process group of its own: no process of
    // that program may be left (a killed one may linger as a zombie for a
    // moment, until init reaps it).
    let left = (0..50).find_map(|_| {
        let left = running(&python);
        if left.is_empty() {
            return Some(left);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        None
    });
    assert_eq!(left, Some(Vec::new()), "Python processes left behind");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Whether a recent nats-server and Dask are here: needed in CI (which
/// installs both, see .ci/install-nats), the queue tests skipped elsewhere
/// ([`cli_test::needs`]).
fn have_queue_engines() -> bool {
    let nats = distributed_pool::server::available();
    cli_test::needs("nats-server", nats.map(drop).map_err(|e| e.to_string()))
        && cli_test::needs(
            "dask.distributed",
            cli_test::python::module("dask.distributed"),
        )
}

/// The cells of the queue table's row that starts with `figure`.
fn cells<'a>(table: &'a str, figure: &str) -> Vec<&'a str> {
    let line = table
        .lines()
        .find(|l| l.starts_with(&format!("| {figure}")))
        .unwrap_or_else(|| panic!("no row {figure:?} in {table}"));
    line.trim_matches('|').split(" | ").map(str::trim).collect()
}

/// A time cell such as `1.23 ms` or `500 ms (1.80x)`, in seconds.
fn seconds(cell: &str) -> f64 {
    let mut words = cell.split_whitespace();
    let value: f64 = words.next().unwrap().parse().unwrap();
    let unit = match words.next().unwrap() {
        "s" => 1.0,
        "ms" => 1e-3,
        "us" => 1e-6,
        "ns" => 1e-9,
        other => panic!("unit {other} in {cell}"),
    };
    value * unit
}

/// `--only queue` with tiny sizes: the section's table alone, a row per
/// figure with a time for each of the three engines (a speedup beside each
/// throughput), the queue's per-task cost above the process pool's, and
/// its samples in samples.tsv.
#[test]
fn runs_the_queue_section_alone() {
    if !have_python() || !have_queue_engines() {
        return;
    }
    let root = out_dir("queue");
    std::fs::create_dir_all(&root).unwrap();
    let (dir, svg) = (root.join("out"), root.join("run.svg"));
    let output = run(
        BIN,
        &[
            "--only",
            "queue",
            "--quick",
            "--rounds",
            "1",
            "--iterations",
            "10000",
            "--out-dir",
            dir.to_str().unwrap(),
            "--timeline",
            svg.to_str().unwrap(),
        ],
    )
    .success();
    // The section's steps are drawn on a lane of their own.
    let lanes = cli_test::pictures::Timeline::read(&svg).lanes();
    assert!(lanes.contains(&"queue".to_owned()), "{lanes:?}");
    let stdout = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    assert!(stdout.contains(
        "| Figure | NATS queue | process pool | Dask | NATS / process pool | Dask / NATS |"
    ));
    // Only the section: no Python/Rust table.
    assert!(!stdout.contains("| Figure | Python | Rust |"), "{stdout}");
    for figure in [
        "Per task, one at a time",
        "Per task, 50 in flight",
        "Throughput: 12 items one after another",
    ] {
        let row = cells(&stdout, figure);
        assert_eq!(row.len(), 6, "{row:?}");
        let times: Vec<f64> = row[1..4].iter().map(|c| seconds(c)).collect();
        assert!(times.iter().all(|t| *t > 0.0 && *t < 10.0), "{row:?}");
    }
    let single = cells(&stdout, "Per task, one at a time");
    assert!(
        seconds(single[1]) > seconds(single[2]),
        "NATS above the pipe: {single:?}"
    );
    for w in ["1 worker ", "2 workers", "4 workers"] {
        let row = cells(&stdout, &format!("Throughput on {w}"));
        for cell in &row[1..4] {
            assert!(cell.ends_with("x)"), "a time and a speedup: {row:?}");
            assert!(seconds(cell) > 0.0, "{row:?}");
        }
    }
    assert!(stdout.contains("Dask's items are Python's, each count("));
    let table = std::fs::read_to_string(dir.join("table.md")).unwrap();
    assert_eq!(table.trim(), stdout.trim());
    let samples = std::fs::read_to_string(dir.join("samples.tsv")).unwrap();
    for id in [
        "Rust\tqueue/nats/single\t1\t",
        "Rust\tqueue/process-pool/count/4\t1\t",
        "Rust\tqueue/nats/speedup/2\t1\t",
        "Python\tqueue/dask/in-flight\t1\t",
        "Python\tqueue/dask/speedup/4\t1\t",
    ] {
        assert!(samples.contains(id), "{id} in {samples}");
    }
    assert!(
        !samples.contains("count/sequential"),
        "only the queue section"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

/// Ctrl-C while the queue section's NATS cluster runs: exit 130 within a
/// second, the server and the worker processes (in the program's process
/// group) killed and reaped, nothing written.
#[test]
fn ctrl_c_stops_within_a_second_in_the_queue_section() {
    if !have_python() || !have_queue_engines() {
        return;
    }
    let dir = out_dir("ctrl-c-queue");
    let stopped = Interrupted::run_ready_on_stderr(
        BIN,
        &[
            "--only",
            "queue",
            "--quick",
            "--rounds",
            "3",
            "--out-dir",
            dir.to_str().unwrap(),
        ],
        "round 1/3: queue NATS JetStream",
    );
    assert!(
        stopped
            .stderr
            .contains("stopped during \"round 1/3: queue NATS JetStream\""),
        "{}",
        stopped.output()
    );
    assert_eq!(stopped.stdout, "", "no table");
    assert!(!dir.join("table.md").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The python3 interpreter itself (not a launcher script such as pyenv's
/// shim, which would not run under another name).
fn which_python3() -> PathBuf {
    let output = std::process::Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap();
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// The process ids of live (not zombie) processes whose command line
/// starts with `program`.
fn running(program: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| {
            let pid: u32 = entry.ok()?.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            let first = cmdline.split(|&b| b == 0).next()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The state is the field after the parenthesised name.
            let state = stat.rsplit_once(") ")?.1.chars().next()?;
            (first == program.as_os_str().as_encoded_bytes() && state != 'Z').then_some(pid)
        })
        .collect()
}
