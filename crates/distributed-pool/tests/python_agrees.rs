//! The Python program (`python/dask_pooling.py`, Dask's `LocalCluster`
//! and `client.map`) and the Rust port (the binary's default run, on a
//! NATS work queue) with the same flags: the same `Item <i>, result <r>`
//! for every item, each once, in whatever order the workers finish, each
//! labelled with the worker process that ran it, and as many distinct
//! workers at most as were asked for.
//!
//! Needs `python3` with `dask.distributed`, and `nats-server`. Where one
//! is missing the test fails in CI (the variable `CI` is set: .ci/run
//! installs both) and is skipped, with a note, elsewhere.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;

use cli_test::python::Programs;
use support::{BIN, have_nats};

/// The Python program, beside the crate's sources, and the Rust port.
const PROGRAMS: Programs = Programs {
    dir: env!("CARGO_MANIFEST_DIR"),
    python: "python/dask_pooling.py",
    rust: BIN,
};

/// Whether python3 has Dask (`pip install "dask[distributed]"`): needed
/// in CI, the test skipped elsewhere ([`cli_test::needs`]).
fn have_dask() -> bool {
    cli_test::needs(
        "dask.distributed",
        cli_test::python::module("dask.distributed"),
    )
}

/// `Item <i>, result <r> ... pid <p>@<host>` anywhere in a line: (item,
/// result, the worker).
fn items(stdout: &str) -> Vec<(u64, u64, String)> {
    stdout
        .lines()
        .filter_map(|line| {
            let at = line.find("Item ")?;
            let (item, rest) = line[at + 5..].split_once(", result ")?;
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let pid = line
                .split("pid ")
                .nth(1)?
                .split([')', ' '])
                .next()?
                .to_owned();
            Some((item.parse().ok()?, digits.parse().ok()?, pid))
        })
        .collect()
}

#[test]
fn python_and_rust_agree_on_every_items_result() {
    if !have_nats() || !have_dask() {
        return;
    }
    let args = ["--workers", "2", "--items", "6", "--iterations", "100000"];
    let (python, rust) = PROGRAMS.in_turn(&args);
    let (python, rust) = (python.stdout, rust.stdout);
    let expected: BTreeSet<(u64, u64)> = (1..=6).map(|i| (i, i * 100_000)).collect();
    for (who, out) in [("Python", &python), ("Rust", &rust)] {
        let found = items(out);
        assert_eq!(found.len(), 6, "{who}: one line per item:\n{out}");
        let results: BTreeSet<(u64, u64)> = found.iter().map(|(i, r, _)| (*i, *r)).collect();
        assert_eq!(results, expected, "{who}: each item once:\n{out}");
        let workers: BTreeSet<&String> = found.iter().map(|(_, _, pid)| pid).collect();
        assert!(
            (1..=2).contains(&workers.len()),
            "{who}: workers {workers:?}:\n{out}"
        );
    }
    assert!(python.contains("Distributed execution in "), "{python}");
    assert!(rust.contains("6 of 6 items done, 0 failed, in "), "{rust}");
}
