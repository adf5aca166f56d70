//! The shared workload flags: defaults, the workload they describe, and
//! the values they refuse.

use clap::Parser;
use runner::flags::WorkloadArgs;

/// A chapter's command line, reduced to the shared flags (the chapters
/// allow negative numbers, so that `-1` is refused as a value, not taken
/// for a flag).
#[derive(Debug, Parser)]
#[command(allow_negative_numbers = true)]
struct Cli {
    #[command(flatten)]
    workload: WorkloadArgs,
}

/// No flags: the chapter's workload (10 items of 10,000,000) on 5 workers.
#[test]
fn defaults_are_the_chapters_workload() {
    let cli = Cli::try_parse_from(["chapter"]).expect("no flags parse");
    let workload = cli.workload.workload();
    assert_eq!((workload.items, workload.iterations), (10, 10_000_000));
    assert_eq!(cli.workload.workers(), 5);
    let cli = Cli::try_parse_from([
        "chapter",
        "--workers",
        "2",
        "--items",
        "3",
        "--iterations",
        "0",
    ])
    .expect("in range");
    assert_eq!(cli.workload.workers(), 2);
    assert_eq!(
        cli.workload.workload().numbers().collect::<Vec<_>>(),
        [1, 2, 3]
    );
}

/// Out of range or not a number: refused by clap, naming the flag.
#[test]
fn bad_values_are_refused() {
    for (flag, value) in [
        ("--workers", "0"),
        ("--workers", "257"),
        ("--items", "0"),
        ("--items", "10001"),
        ("--iterations", "-1"),
        ("--iterations", "10000000001"),
        ("--workers", "five"),
    ] {
        let error = Cli::try_parse_from(["chapter", flag, value]).expect_err("refused");
        assert!(error.to_string().contains(flag), "{flag} {value}: {error}");
    }
}

/// A huge bad value is repeated cut, by clap and by the value's own
/// parser alike: the error stays one readable line.
#[test]
fn huge_values_are_echoed_cut() {
    /// A command line with a parsed value and a named one.
    #[derive(Debug, Parser)]
    struct Speed {
        #[arg(long, value_parser = common::cli::parse_speed)]
        speed: Option<f64>,
        #[arg(long, value_parser = ["a", "b"])]
        name: Option<String>,
    }
    let huge = "x".repeat(100_000);
    for flag in ["--speed", "--name"] {
        let error = Speed::try_parse_from(["chapter", flag, &huge]).expect_err("refused");
        let message = runner::flags::readable(error).to_string();
        let first = message.lines().next().unwrap_or_default();
        assert!(first.len() < 300, "{flag}: {first}");
        assert!(first.contains("(100000 characters)"), "{flag}: {first}");
    }
}
