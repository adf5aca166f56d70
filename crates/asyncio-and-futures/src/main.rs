//! `cargo run -p asyncio-and-futures --release -- --help`: the command line
//! of the chapter. It parses the flags, checks the ones that depend on
//! each other, and hands over to the library (see `lib.rs` for what the
//! program shows and what to look for). With `--features console`,
//! tokio-console can watch the run (see docs/asyncio-and-futures.md).

use std::process::ExitCode;

use asyncio_and_futures::experiment::Load;
use asyncio_and_futures::jobs::{CountTask, Mode};
use asyncio_and_futures::runtime::{ClientRuntime, NO_TCP};
use asyncio_and_futures::{Config, Error, Part, output};
use clap::Parser;
use clap::builder::RangedU64ValueParser;
use runner::flags::conflict;
use runner::output::OutputArgs;
use runner::{Interrupt, Recorder};
use runtimes::{Runtime, TokioFlavor};

/// CPU-bound work off the event loop, I/O on it: HTTP requests on loopback
/// while `count` jobs run directly in async tasks, on spawn_blocking, on
/// rayon, or on a process pool; then futures both ways (wrap_future,
/// run_coroutine_threadsafe).
#[derive(Debug, Parser)]
#[command(version, about, long_about = None, allow_negative_numbers = true)]
struct Cli {
    #[command(flatten)]
    load: Load,

    /// How the jobs run: direct (inside an async task: the mistake),
    /// spawn-blocking, rayon, process-pool, or all of them.
    #[arg(long, default_value = "all", value_parser = mode_parser())]
    mode: String,

    /// The client's async runtime: tokio, async-std or smol (see the
    /// runtime table in crates/runtimes/src/lib.rs; mini is refused: it has
    /// no sockets).
    #[arg(long, value_enum, default_value_t = Runtime::Tokio, hide_possible_values = true)]
    runtime: Runtime,

    /// Which tokio runtime, with --runtime tokio: multi-thread (this
    /// chapter's default: --workers worker threads, so that a worker stuck
    /// in a job leaves the others serving) or current-thread (one thread
    /// polls every task, like asyncio's loop: what --runtime tokio means in
    /// the other chapters).
    #[arg(long, value_enum, hide_possible_values = true)]
    flavor: Option<TokioFlavor>,

    /// Worker threads of the client runtime (tokio multi-thread, smol);
    /// keep it below --jobs to see `direct` freeze the loop.
    #[arg(long, default_value_t = 2, value_parser = workers())]
    workers: usize,

    /// Threads of the rayon pool, and worker processes of the process pool.
    #[arg(long, default_value_t = 2, value_parser = workers())]
    pool_workers: usize,

    /// Which part to run: table (the experiment), futures (both ways), all.
    #[arg(long, value_enum, default_value_t = Part::All)]
    part: Part,

    #[command(flatten)]
    output: OutputArgs,
}

/// `--workers` and `--pool-workers`: 1 to the workspace's limit.
fn workers() -> RangedU64ValueParser<usize> {
    RangedU64ValueParser::new().range(1..=common::cli::MAX_WORKERS)
}

/// `--mode` accepts every mode's name and `all`.
fn mode_parser() -> clap::builder::PossibleValuesParser {
    let mut names = Mode::ALL.map(Mode::name).to_vec();
    names.push("all");
    clap::builder::PossibleValuesParser::new(names)
}

fn main() -> ExitCode {
    // First thing: when the process pool starts this executable again as
    // one of its workers, this call serves tasks and never returns. In the
    // program proper it returns at once.
    process_pool::worker_entry::<CountTask>();

    let cli: Cli = runner::flags::parse();
    if cli.load.concurrency as u64 > cli.load.requests {
        conflict::<Cli>(format!(
            "--concurrency ({}) must not exceed --requests ({}): each connection sends at least one request",
            cli.load.concurrency, cli.load.requests
        ));
    }
    if cli.runtime == Runtime::Mini {
        conflict::<Cli>(NO_TCP);
    }
    if cli.flavor.is_some() && cli.runtime != Runtime::Tokio {
        conflict::<Cli>(format!(
            "--flavor applies to --runtime tokio only, not {}",
            cli.runtime
        ));
    }
    let chosen = |mode: &Mode| cli.mode == "all" || cli.mode == mode.name();
    let modes = Mode::ALL.into_iter().filter(chosen).collect();
    let config = Config {
        load: cli.load,
        modes,
        client: ClientRuntime {
            runtime: cli.runtime,
            flavor: cli.flavor.unwrap_or(TokioFlavor::MultiThread),
            workers: cli.workers,
        },
        pool_workers: cli.pool_workers,
        part: cli.part,
    };
    // `--features console`: tokio-console shows the tokio tasks live.
    // (After `worker_entry`: the pool's workers serve no console.)
    cli.output
        .start_console::<Cli>(cli.runtime == Runtime::Tokio);
    let interrupt = Interrupt::install_or_exit();
    let recorder = Recorder::printing();
    let outputs = cli
        .output
        .start_or_exit(&output::title(&config), &recorder, &interrupt);
    let result = asyncio_and_futures::run(&config, &interrupt, &recorder);
    // Written also after a Ctrl-C: the picture of what ran until then.
    if let Err(error) = outputs.finish() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    match result {
        Ok(_) => ExitCode::SUCCESS,
        // Everything was shut down; the line says what finished.
        Err(Error::Interrupted(summary)) => {
            eprintln!("interrupted: {summary}");
            interrupt.exit_code()
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
