//! # compare: the Python originals and the Rust ports, measured side by side
//!
//! ```text
//! cargo run --release --bin compare                      # the full run, about 6 minutes
//! cargo run --release --bin compare -- --quick --rounds 1   # a quick look, under a minute
//! cargo run --release --bin compare -- --chart docs/performance-speedup.svg
//! ```
//!
//! Runs the Python programs in `benches/python/` and the same figures in
//! Rust, alternately, `--rounds` times; prints the table of medians
//! (figure | Python | Rust | ratio) and the speedups by executor and worker
//! count, and writes them with every sample and the chart to `--out-dir`.
//! How it measures: see the `benchmarks::compare` module.
//!
//! Every output path is checked before the measuring starts (a path that
//! cannot be written is refused with exit status 2). Ctrl-C stops the
//! measuring within a second: the Python program running is killed with
//! its worker processes, one line says how many rounds were measured and
//! where it stopped, nothing is written, and the exit status is 130.

use benchmarks::compare::{
    Samples, Side, chart, paired, python, rust, sizes::Sizes, table, write_file,
};
use benchmarks::{BenchError, CHAPTER_ITERATIONS, cores};
use clap::{CommandFactory, Parser};
use runner::{Interrupt, Recorder, Tally};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Python and Rust side by side: alternating runs, medians, one table.
#[derive(Debug, Parser)]
#[command(name = "compare", version)]
struct Cli {
    /// Rounds: each runs every figure once on both sides (medians over rounds)
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=50))]
    rounds: u64,
    /// Length of the count loop (the chapter's is 10,000,000)
    #[arg(long, default_value_t = CHAPTER_ITERATIONS,
          value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    iterations: u64,
    /// Worker counts of the scaling figures and the chart
    #[arg(long, num_args = 1.., default_values_t = [1u64, 2, 4, 8],
          value_parser = clap::value_parser!(u64).range(1..=64))]
    workers: Vec<u64>,
    /// Seconds each Rust figure runs back to back per round (its value is the mean)
    #[arg(long, default_value = "1", value_parser = common::cli::parse_seconds)]
    span: std::time::Duration,
    /// The CPU for the sequential pairs (Python and Rust item by item on one core); default: the first this process may use
    #[arg(long)]
    cpu: Option<usize>,
    /// Every task count, the count loop and the span divided by 10: for trying the command
    #[arg(long)]
    quick: bool,
    /// The Python 3 interpreter to run
    #[arg(long, default_value = "python3")]
    python: String,
    /// Folder for table.md, samples.tsv and speedup.svg (created if need be)
    #[arg(long, default_value = "target/compare", value_parser = out_dir)]
    out_dir: PathBuf,
    /// Where to write the chart (an .svg file, in a folder that exists) instead of speedup.svg in --out-dir
    #[arg(long, value_parser = runner::output::svg_file)]
    chart: Option<PathBuf>,
}

/// `--out-dir`: the folder, created if need be, where the three files can
/// be written. Checked, as `--chart` is, before minutes of measuring, not
/// after.
fn out_dir(text: &str) -> Result<PathBuf, String> {
    let dir = PathBuf::from(text);
    if dir.exists() && !dir.is_dir() {
        return Err("a file, not a folder".into());
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create the folder: {e}"))?;
    for (file, extension) in [
        ("table.md", "md"),
        ("samples.tsv", "tsv"),
        ("speedup.svg", "svg"),
    ] {
        runner::output::output_file(&dir.join(file).to_string_lossy(), extension)?;
    }
    Ok(dir)
}

fn main() -> ExitCode {
    // Process-pool workers are this executable started again: let a worker
    // take over before anything else happens.
    benchmarks::worker_hook();
    let cli = Cli::parse();
    let interrupt = Interrupt::install_or_exit();
    // Progress goes to stderr: stdout is the table.
    let log = Recorder::with_printer(|line| eprintln!("{line}"));
    let tally = Tally::new();
    tally.plan("warm-up");
    for round in 1..=cli.rounds {
        tally.plan(&format!("round {round}"));
    }
    // The one line Ctrl-C leaves: what was measured and what was not.
    let summary = {
        let (log, tally, out_dir) = (log.clone(), tally.clone(), cli.out_dir.clone());
        move || {
            let stopped = (log.messages_of(WHO).pop())
                .map_or_else(String::new, |what| format!("; stopped during {what:?}"));
            let out_dir = out_dir.display();
            format!("{}{stopped}; nothing written to {out_dir}", tally.summary())
        }
    };
    // Printed by the forced exit, if the run does not stop in time.
    interrupt.set_summary(summary.clone());
    match run(&cli, &interrupt, &log, &tally) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) if interrupt.raised() => {
            eprintln!("interrupted: {}", summary());
            interrupt.exit_code()
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Who the progress lines are from.
const WHO: &str = "compare";

/// Refuses the command line: clap's one `error:` line, exit status 2.
fn refuse(message: String) -> ! {
    Cli::command()
        .error(clap::error::ErrorKind::ValueValidation, message)
        .exit()
}

fn run(cli: &Cli, interrupt: &Interrupt, log: &Recorder, tally: &Tally) -> Result<(), BenchError> {
    let say = |message: String| log.say(WHO, message);
    let mut workers: Vec<usize> = cli
        .workers
        .iter()
        .filter_map(|&w| usize::try_from(w).ok())
        .collect();
    workers.sort_unstable();
    workers.dedup();
    let mut sizes = Sizes {
        iterations: cli.iterations,
        workers,
        span: cli.span,
        ..Sizes::default()
    };
    if cli.quick {
        sizes = sizes.scaled_down(10);
    }
    let allowed = paired::allowed_cpus()?;
    let cpu = match cli.cpu {
        None => allowed.first().copied().unwrap_or(0),
        Some(cpu) if allowed.contains(&cpu) => cpu,
        Some(cpu) => refuse(format!(
            "--cpu {cpu}: this process may run on CPUs {allowed:?} only"
        )),
    };
    let python_version = python::version(&cli.python)?;
    let load_before = load_average();
    say(format!(
        "{python_version}; {} cores; load average {load_before}",
        cores()
    ));

    // One unrecorded Rust round at a tenth of the sizes: pages faulted in,
    // thread stacks and allocator arenas ready.
    say("warm-up (Rust, not recorded)".into());
    tally.phase("warm-up", 0, || {
        rust::measure(&sizes.scaled_down(10), interrupt, |_| {})
    })?;

    let mut samples = Samples::default();
    for round in 1..=cli.rounds {
        // Alternate which side goes first, so that a slow spell on a
        // shared machine does not always land on the same side.
        let order = if round % 2 == 1 {
            [Side::Python, Side::Rust]
        } else {
            [Side::Rust, Side::Python]
        };
        tally.start(&format!("round {round}"), 0);
        let step = |what: String| say(format!("round {round}/{}: {what}", cli.rounds));
        for side in order {
            match side {
                Side::Python => {
                    for script in python::SCRIPTS {
                        step(format!("python {script}"));
                        for (id, seconds) in python::run(&cli.python, script, &sizes, interrupt)? {
                            samples.push(Side::Python, id, seconds);
                        }
                    }
                }
                Side::Rust => {
                    let figures = rust::measure(&sizes, interrupt, |what| {
                        step(format!("rust {what}"));
                    })?;
                    for (id, seconds) in figures {
                        samples.push(Side::Rust, id, seconds);
                    }
                }
            }
        }
        let figures = paired::measure(&cli.python, &sizes, cpu, interrupt, |what| {
            step(format!("paired {what}"));
        })?;
        for (side, id, value) in figures {
            samples.push(side, id, value);
        }
        tally.finish();
    }

    let rows = table::rows(&samples, &sizes);
    let series = table::speedups(&samples, &sizes);
    let chart_path = cli
        .chart
        .clone()
        .unwrap_or_else(|| cli.out_dir.join("speedup.svg"));
    let title = format!(
        "Count workload ({} items x count({})): speedup by executor and workers",
        sizes.items, sizes.iterations
    );
    chart::draw(&chart_path, &series, &sizes.workers, cores(), &title)?;

    let report = format!(
        "{}\n{}\n### Speedup over sequential (efficiency), by worker count\n\n{}",
        machine(&python_version, &load_before, cli.rounds, log.elapsed()),
        table::markdown(&rows),
        table::speedup_markdown(&series, &sizes.workers, cores()),
    );
    write_file(&cli.out_dir.join("table.md"), &report)?;
    write_file(&cli.out_dir.join("samples.tsv"), &samples.to_tsv())?;
    println!("{report}");
    say(format!(
        "wrote {} and {}",
        cli.out_dir.join("table.md").display(),
        chart_path.display()
    ));
    Ok(())
}

/// The machine and the run, in a few lines above the table.
fn machine(python_version: &str, load_before: &str, rounds: u64, took: Duration) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, name)| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").map_or_else(
        |_| std::env::consts::OS.to_owned(),
        |r| format!("Linux {}", r.trim()),
    );
    let rustc = command_line("rustc", &["--version"]).unwrap_or_else(|| "rustc (unknown)".into());
    let date = command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]).unwrap_or_default();
    format!(
        "- Run ending {date}: {rounds} rounds, medians; {:.0} s in all.\n\
         - Machine: {cpu}, {} cores; {kernel}; {python_version}; {rustc}; \
         Rust allocator: {}.\n\
         - Load average (1, 5, 15 min) before: {load_before}; after: {}.\n",
        took.as_secs_f64(),
        cores(),
        benchmarks::ALLOCATOR,
        load_average(),
    )
}

/// The first three fields of /proc/loadavg, or "unknown".
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// The first line a command prints, if it runs.
fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| text.lines().next().unwrap_or_default().trim().to_owned())
}
