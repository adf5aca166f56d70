//! A worker process: its flags ([`WorkerArgs`], the `worker` subcommand),
//! the command line [`LocalCluster`](crate::LocalCluster) gives it
//! ([`worker_args`]), what it does ([`worker`](fn@worker)), and
//! [`worker_entry`], which lets another program be the worker's executable
//! (the benchmarks' `compare` is one), as `process_pool::worker_entry`
//! does for a process pool. Both executables parse the one [`WorkerArgs`],
//! so they accept the same flags with the same messages.

use std::ffi::OsString;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser};
use runner::output::OutputArgs;
use runner::{Interrupt, Recorder};
use tokio_util::sync::CancellationToken;

use crate::args::parse_server;
use crate::worker::{self, Faults};
use crate::{PoolError, Queue, Settings, WorkerId, queue};

/// `worker`'s flags.
#[derive(Debug, Clone, Args)]
pub struct WorkerArgs {
    /// The server to take jobs from.
    #[arg(long, value_name = "nats://HOST:PORT", value_parser = parse_server)]
    server: String,

    /// The queue's settings (used if this worker is the first to create the queue).
    #[command(flatten)]
    queue: Settings,

    /// --panic-on, --exit-before-ack.
    #[command(flatten)]
    faults: Faults,

    /// Print nothing (the all-in-one run's workers: the submitter reports for them).
    #[arg(long)]
    quiet: bool,

    /// --timeline FILE.svg, --trace FILE.json.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// The arguments after the executable's name of a worker process serving
/// the server at `address` with `settings` and `faults`: the `worker`
/// subcommand as a person would type it (read back by [`WorkerArgs`]).
pub fn worker_args(address: &str, settings: &Settings, faults: Faults) -> Vec<String> {
    let mut args = vec![
        "worker".to_owned(),
        "--quiet".to_owned(),
        format!("--server={address}"),
        format!("--ack-wait={}", settings.ack_wait.as_secs_f64()),
        format!("--max-deliver={}", settings.max_deliver),
        // Whoever opens the queue first creates it with its settings: a
        // worker that starts before the submitter must know them all.
        format!("--max-queued={}", settings.max_queued),
    ];
    args.extend(faults.panic_on.map(|item| format!("--panic-on={item}")));
    args.extend(
        faults
            .exit_before_ack
            .map(|item| format!("--exit-before-ack={item}")),
    );
    args
}

/// Serves the queue at `--server` until `stop` is cancelled (the binary
/// passes Ctrl-C's token: exit status 130 then).
pub async fn worker(
    args: WorkerArgs,
    interrupt: &Interrupt,
    stop: &CancellationToken,
) -> Result<ExitCode, PoolError> {
    let out = if args.quiet {
        Recorder::quiet()
    } else {
        Recorder::printing()
    };
    let lane = WorkerId::this_process().to_string();
    let (said, on) = (out.clone(), lane.clone());
    // `--panic-on` panics on purpose: one labelled line instead of a report.
    runner::panic_hook::install(move |panic| {
        let why = &panic.message;
        said.say(
            &on,
            format!("panicked: {why} (caught: the item fails, the worker goes on)"),
        );
    });
    let title = format!("distributed-pool worker {lane} on {}", args.server);
    let outputs = args
        .output
        .start(&title, &out, interrupt)
        .map_err(PoolError::io("opening the output files"))?;
    let nats = queue::connect(&args.server, "distributed-pool worker").await?;
    let queue = Queue::open(nats, &args.queue).await?;
    let tally = worker::serve(&queue, args.faults, &out, stop).await?;
    let summary = format!(
        "{} jobs done ({} had run before: counted once), {} dead letters",
        tally.done, tally.duplicates, tally.dead
    );
    out.say(&lane, format!("stopped: {summary}"));
    outputs
        .finish()
        .map_err(PoolError::io("writing the output files"))?;
    if interrupt.raised() {
        eprintln!("interrupted: worker stopped after {summary}");
    }
    Ok(interrupt.exit_code())
}

/// Runs `work` on a current-thread tokio runtime (async-nats runs on tokio
/// only: the runtime table is in crates/runtimes/src/lib.rs). An error is
/// one line on stderr and an exit status: 2 for bad input (a missing
/// server binary, an unreachable address, as for a bad flag), else 1.
pub fn block_on<T>(work: impl Future<Output = Result<T, PoolError>>) -> Result<T, u8> {
    let runtime = runtimes::build_tokio(runtimes::TokioFlavor::CurrentThread).map_err(|error| {
        eprintln!("error: cannot start the tokio runtime: {error}");
        1
    })?;
    let outcome = runtime.block_on(work);
    // A worker stopped mid-job leaves its count loop on a blocking thread:
    // do not wait for it.
    runtime.shutdown_timeout(Duration::from_millis(100));
    outcome.map_err(|error| {
        eprintln!("error: {error}");
        if error.is_bad_input() { 2 } else { 1 }
    })
}

/// A worker's command line after the executable's name: the `worker`
/// subcommand and its flags, nothing else.
#[derive(Debug, Parser)]
#[command(name = "worker", no_binary_name = true)]
enum WorkerLine {
    /// Serve the queue at --server.
    Worker(WorkerArgs),
}

/// `args` (without the executable's name) read as a worker's command
/// line: `None` if the first is not `worker`, clap's error if the rest
/// are not a worker's flags.
fn parse_worker_line(args: &[OsString]) -> Option<Result<WorkerArgs, clap::Error>> {
    if args.first().is_none_or(|first| first != "worker") {
        return None;
    }
    Some(WorkerLine::try_parse_from(args).map(|WorkerLine::Worker(args)| args))
}

/// clap's error in one line (`error: WHY`, a long bad value cut): its
/// first paragraph (whose second line, if any, names the missing flags),
/// without the usage and tips after it.
fn one_line(error: clap::Error) -> String {
    let text = runner::flags::readable(error).to_string();
    let first: Vec<&str> = text
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    first.join(" ")
}

/// The worker hook for a program that passes its own executable to
/// [`LocalCluster::start`](crate::LocalCluster::start): call it first in
/// `main`. In the normal program (the first argument is not `worker`) it
/// returns at once; with malformed worker flags it prints clap's one-line
/// error and exits with status 2; in a worker process it plays
/// [`worker`](fn@worker) until the cluster kills it, or its parent is
/// gone, then exits: it never returns.
pub fn worker_entry() {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    let args = match parse_worker_line(&args) {
        None => return,
        Some(Ok(args)) => args,
        // `worker --help`: clap prints it on stdout, status 0.
        Some(Err(error)) if !error.use_stderr() => error.exit(),
        Some(Err(error)) => {
            eprintln!("{}", one_line(error));
            std::process::exit(2);
        }
    };
    std::process::exit(block_on(serve_until_orphaned(args)).map_or_else(i32::from, |_| 0));
}

/// How often a worker looks whether the process that started it is gone.
const PARENT_CHECK: Duration = Duration::from_millis(200);

/// Plays [`worker`](fn@worker) until the parent process is gone (a cluster
/// kills its workers itself; this is for a parent that died without doing
/// so). Ctrl-C is left to the parent: this process keeps SIGINT's default
/// (it ends at once, its job comes back after the deadline), since the
/// parent's Ctrl-C policy kills and reaps it anyway.
async fn serve_until_orphaned(args: WorkerArgs) -> Result<ExitCode, PoolError> {
    let (parent, stop) = (nix::unistd::getppid(), CancellationToken::new());
    let orphaned = stop.clone();
    // An orphan is adopted by another process: its parent id changes.
    tokio::spawn(async move {
        while nix::unistd::getppid() == parent {
            tokio::time::sleep(PARENT_CHECK).await;
        }
        orphaned.cancel();
    });
    worker(args, &Interrupt::new(), &stop).await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn owned(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    /// What `worker_args` writes, the `worker` subcommand's clap parser
    /// reads back, faults and all; other command lines are not a worker's,
    /// and malformed worker flags are refused in one line.
    #[test]
    fn a_workers_command_line_reads_back() {
        let settings = Settings {
            ack_wait: Duration::from_millis(1500),
            max_deliver: 7,
            max_queued: 123,
            ..Settings::default()
        };
        for faults in [
            Faults::default(),
            Faults {
                panic_on: Some(3),
                exit_before_ack: Some(4),
            },
        ] {
            let args = worker_args("nats://127.0.0.1:4222", &settings, faults);
            let args: Vec<OsString> = args.into_iter().map(OsString::from).collect();
            let parsed = parse_worker_line(&args).unwrap().unwrap();
            assert_eq!(parsed.server, "nats://127.0.0.1:4222");
            assert_eq!(parsed.queue, settings);
            assert_eq!(parsed.faults, faults);
            assert!(parsed.quiet);
        }
        assert!(parse_worker_line(&owned(&[])).is_none());
        assert!(parse_worker_line(&owned(&["--quick", "--rounds", "1"])).is_none());
        for (args, said) in [
            (&["worker", "--quiet"][..], "--server"),
            (&["worker", "--server"], "--server"),
            (&["worker", "--server", "x y"], "not a server address"),
            (
                &["worker", "--server", "x", "--ack-wait", "soon"],
                "'--ack-wait <SECONDS>'",
            ),
            (
                &["worker", "--server", "x", "--ack-wait", "0.01"],
                "below the shortest ack deadline",
            ),
            (&["worker", "--server", "x", "--colour", "red"], "--colour"),
        ] {
            let error = parse_worker_line(&owned(args)).unwrap().unwrap_err();
            let line = one_line(error);
            assert!(
                line.starts_with("error: ") && line.contains(said),
                "{args:?}: {line}"
            );
        }
    }
}
