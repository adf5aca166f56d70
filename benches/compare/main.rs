//! # compare: the Python originals and the Rust ports, measured side by side
//!
//! ```text
//! cargo run --release --bin compare                      # the full run, about 18 minutes
//! cargo run --release --bin compare -- --quick --rounds 1   # a quick look, under a minute
//! cargo run --release --bin compare -- --chart docs/performance-speedup.svg
//! cargo run --release --bin compare -- --quick --rounds 2 --timeline target/compare/rounds.svg
//! cargo run --release --bin compare -- --only queue     # the queue section alone
//! ```
//!
//! Runs the Python programs in `benches/python/` and the same figures in
//! Rust, alternately, `--rounds` times, and prints and writes the tables of
//! medians (how: the `benchmarks::compare` module). `--timeline` draws the
//! run itself: a lane each for the Python programs, the Rust figures, the
//! pairs and the queue section (`--no-queue` leaves it out), a bar per step
//! of each round (`--trace`: the same steps for Perfetto).
//!
//! Every output path is checked before the measuring starts (exit status
//! 2). Ctrl-C stops the measuring within a second: the Python program
//! running is killed with its worker processes, one line says how many
//! rounds were measured and where it stopped, nothing is written to
//! `--out-dir` (a `--timeline` or `--trace` is written with what was
//! recorded), and the exit status is 130.

use benchmarks::compare::queue;
use benchmarks::compare::{
    Samples, Side, chart, equal_time, paired, python, rust, sizes::Sizes, table, write_file,
};
use benchmarks::stats::human;
use benchmarks::{BenchError, CHAPTER_ITERATIONS, cores};
use clap::{CommandFactory, Parser};
use runner::output::OutputArgs;
use runner::{Interrupt, Recorder, SpanGuard, SpanKind, Tally};
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
    #[arg(long, num_args = 1.., default_values_t = [1usize, 2, 4, 8],
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=64))]
    workers: Vec<usize>,
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
    /// Leave out the queue section (NATS JetStream against the process pool and Dask)
    #[arg(long, conflicts_with = "only")]
    no_queue: bool,
    /// Run only this part of each round
    #[arg(long, value_enum)]
    only: Option<Part>,
    /// `--timeline FILE.svg`, `--trace FILE.json`: the run's steps, by lane.
    #[command(flatten)]
    output: OutputArgs,
}

/// A part of a round that `--only` can run alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    /// The queue section: NATS JetStream, the process pool and Dask.
    Queue,
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
    // So are the NATS queue's workers (the queue section).
    queue::worker_hook();
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
    let title = "compare: the steps of each round, Python and Rust";
    let fail = |error: &dyn std::fmt::Display| {
        eprintln!("error: {error}");
        ExitCode::FAILURE
    };
    let outputs = cli.output.start_or_exit(title, &log, &interrupt);
    let outcome = run(&cli, &interrupt, &log, &tally);
    // Written also after Ctrl-C: what was recorded until then.
    if let Err(error) = outputs.finish() {
        return fail(&error);
    }
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // The terminal's Ctrl-C also reaches the programs this run starts
        // (nats-server and its version probe share this process's group;
        // Python gets it in the instant before it leaves the group), and
        // one can fail before this process's handler has run: an error
        // then is the Ctrl-C's, so give the handler a moment.
        Err(_) if interrupt.raised_within(Duration::from_millis(500)) => {
            eprintln!("interrupted: {}", summary());
            interrupt.exit_code()
        }
        Err(e) => fail(&e),
    }
}

/// The lanes of `--timeline`: what each step of a round runs.
const PYTHON_LANE: &str = "python";
/// The Rust figures, the warm-up and the equal-wall-time runs.
const RUST_LANE: &str = "rust";
/// Python and Rust run by run (`compare::paired`).
const PAIRED_LANE: &str = "paired";
/// The queue section (`compare::queue`).
const QUEUE_LANE: &str = "queue";

/// Who the progress lines are from.
const WHO: &str = "compare";

fn run(cli: &Cli, interrupt: &Interrupt, log: &Recorder, tally: &Tally) -> Result<(), BenchError> {
    let say = |message: String| log.say(WHO, message);
    let mut workers = cli.workers.clone();
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
        // Refused as clap refuses: one `error:` line, exit status 2.
        Some(cpu) => Cli::command()
            .error(
                clap::error::ErrorKind::ValueValidation,
                format!("--cpu {cpu}: this process may run on CPUs {allowed:?} only"),
            )
            .exit(),
    };
    let python_version = python::version(&cli.python)?;
    let load_before = load_average();
    say(format!(
        "{python_version}; {} cores; load average {load_before}",
        cores()
    ));

    let only_queue = cli.only == Some(Part::Queue);
    // One unrecorded Rust round at a tenth of the sizes: pages faulted in,
    // thread stacks and allocator arenas ready (and, for the queue section,
    // what it needs found).
    say("warm-up (Rust, not recorded)".into());
    let warm_up = log.span(RUST_LANE, "warm-up", SpanKind::Work);
    let (section, _) = tally.phase("warm-up", 0, || {
        if !only_queue {
            rust::measure(&sizes.scaled_down(10), interrupt, |_| {})?;
        }
        if cli.no_queue {
            return Ok(None);
        }
        queue::Section::prepare(&cli.python, &sizes, interrupt).map(Some)
    })?;
    drop(warm_up);
    // What the queue section leaves out, if anything: one line.
    let skipped = section.as_ref().and_then(|found| match found {
        Ok(section) => section.dask_skipped(),
        Err(why) => Some(why.as_str()),
    });
    if let Some(why) = skipped {
        say(why.to_owned());
    }

    let mut samples = Samples::default();
    // The loop length of the equal-wall-time runs: set in round 1, from
    // its two sequential figures, and kept for every round after it.
    let mut equal_iterations = None;
    for round in 1..=cli.rounds {
        // Alternate which side goes first, so that a slow spell on a
        // shared machine does not always land on the same side.
        let order = if round % 2 == 1 {
            [Side::Python, Side::Rust]
        } else {
            [Side::Rust, Side::Python]
        };
        tally.start(&format!("round {round}"), 0);
        // One bar per step on the timeline: a step's bar ends when the
        // next step starts (dropped first, so that a lane's bars never
        // overlap), or when the round ends.
        let mut bar: Option<SpanGuard> = None;
        let mut next = |lane: &str, what: String| {
            say(format!("round {round}/{}: {lane} {what}", cli.rounds));
            bar = None;
            bar = Some(log.span(lane, format!("round {round}: {what}"), SpanKind::Work));
        };
        for side in order {
            if only_queue {
                break;
            }
            match side {
                Side::Python => {
                    for script in python::SCRIPTS {
                        next(PYTHON_LANE, script.to_owned());
                        for (id, seconds) in python::run(&cli.python, script, &sizes, interrupt)? {
                            samples.push(Side::Python, id, seconds);
                        }
                    }
                }
                Side::Rust => {
                    let figures =
                        rust::measure(&sizes, interrupt, |what| next(RUST_LANE, what.to_owned()))?;
                    for (id, seconds) in figures {
                        samples.push(Side::Rust, id, seconds);
                    }
                }
            }
        }
        if let Some(Ok(section)) = &section {
            let figures = section.measure(round, &sizes, interrupt, |what| {
                next(QUEUE_LANE, what.to_owned());
            })?;
            for (side, id, value) in figures {
                samples.push(side, id, value);
            }
        }
        if only_queue {
            drop(bar.take());
            tally.finish();
            continue;
        }
        let figures = paired::measure(&cli.python, &sizes, cpu, interrupt, |what| {
            next(PAIRED_LANE, what.to_owned());
        })?;
        for (side, id, value) in figures {
            samples.push(side, id, value);
        }
        let iterations = *equal_iterations.get_or_insert_with(|| {
            let sequential = |side| samples.median(side, "count/sequential").unwrap_or(0.0);
            let n = sizes.iterations;
            equal_time::scaled_iterations(
                n,
                sizes.items,
                sequential(Side::Python),
                sequential(Side::Rust),
            )
        });
        let figures = equal_time::measure(&sizes, iterations, interrupt, |what| {
            next(RUST_LANE, format!("at equal wall time: {what}"));
        })?;
        for (id, seconds) in figures {
            samples.push(Side::Rust, id, seconds);
        }
        drop(bar.take());
        tally.finish();
    }

    let queue_report = match &section {
        None => String::new(),
        Some(found) => {
            let body = match found {
                Ok(section) => queue::markdown(&samples, &sizes, section.dask_skipped()),
                Err(why) => format!("{why}."),
            };
            format!("\n### Beyond one machine: the NATS queue, the process pool and Dask\n\n{body}")
        }
    };
    let header = |took| machine(&python_version, &load_before, cli.rounds, took);
    let (report, chart_path) = if only_queue {
        (format!("{}{queue_report}", header(log.elapsed())), None)
    } else {
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
        let equal = table::speedups_at_equal_time(&samples, &sizes);
        let report = format!(
            "{}\n{}\n### Speedup over sequential (efficiency), by worker count\n\n\
             At the chapter's size; Rust: the median of back-to-back pairs \
             (sequential, then the executor) over a second per round.\n\n{}\n\
             ### The same speedups at equal wall time\n\n{}\n\n{}{queue_report}",
            header(log.elapsed()),
            table::markdown(&table::rows(&samples, &sizes)),
            table::speedup_markdown(&series, &sizes.workers, cores()),
            equal_time_note(&samples, &sizes, equal_iterations),
            table::speedup_markdown(&equal, &sizes.workers, cores()),
        );
        (report, Some(chart_path))
    };
    let table_path = cli.out_dir.join("table.md");
    write_file(&table_path, &report)?;
    write_file(&cli.out_dir.join("samples.tsv"), &samples.to_tsv())?;
    println!("{report}");
    let chart = chart_path.map_or_else(String::new, |c| format!(" and {}", c.display()));
    say(format!("wrote {}{chart}", table_path.display()));
    Ok(())
}

/// The sentence above the equal-wall-time table: how long Rust's loop
/// was, and the two sequential times it made alike.
fn equal_time_note(samples: &Samples, sizes: &Sizes, iterations: Option<u64>) -> String {
    let Some(n) = iterations else {
        return "Not measured.".to_owned();
    };
    let sequential = equal_time::count_id(benchmarks::cpu::Executor::Sequential, 1);
    let time = |side, id: &str| {
        samples
            .median(side, id)
            .map_or_else(|| "-".to_owned(), human)
    };
    format!(
        "Rust's items each count({n}), {:.0}x the loop above, a length chosen in round 1 \
         so that Rust's sequential run would last as long as Python's: it took {} \
         (Python: {}). One run of each figure per round; the speedups are ratios of \
         the medians, as on the Python side.",
        n as f64 / sizes.iterations.max(1) as f64,
        time(Side::Rust, &sequential),
        time(Side::Python, "count/sequential"),
    )
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
