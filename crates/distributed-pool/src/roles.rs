//! The roles one machine can play in a cluster spread over several: a
//! `worker` (any number, anywhere) and a `submitter`. Each needs only the
//! server's address; none knows about the others.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use distributed_pool::worker::{self, Faults};
use distributed_pool::{Client, PoolError, Queue, WorkerId, queue};
use runner::output::OutputArgs;
use runner::{Interrupt, Recorder};

use crate::QueueArgs;
use crate::port;
use crate::report::{Stopped, conclude};

/// `worker`'s flags.
#[derive(Debug, Clone, Args)]
pub struct WorkerArgs {
    /// The server to take jobs from.
    #[arg(long, value_name = "nats://HOST:PORT", value_parser = crate::parse_server)]
    server: String,

    /// The queue's settings (used if this worker is the first to create the queue).
    #[command(flatten)]
    queue: QueueArgs,

    /// Panic on this item (caught: the item fails, the worker goes on).
    #[arg(long, value_name = "ITEM")]
    panic_on: Option<u64>,

    /// Exit after saving this item's result, before acknowledging it (first delivery only).
    #[arg(long, value_name = "ITEM")]
    exit_before_ack: Option<u64>,

    /// Print nothing (the all-in-one run's workers: the submitter reports for them).
    #[arg(long)]
    quiet: bool,

    /// --timeline FILE.svg, --trace FILE.json.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `submit`'s flags.
#[derive(Debug, Clone, Args)]
pub struct SubmitArgs {
    /// The server to put the jobs on.
    #[arg(long, value_name = "nats://HOST:PORT", value_parser = crate::parse_server)]
    server: String,

    /// Items 1..=ITEMS.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    items: u64,

    /// Iterations of the count loop per item (the chapter's size is 10,000,000).
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(0..=10_000_000_000))]
    iterations: u64,

    /// Give up after this many seconds: what is not done is withdrawn from the queue.
    #[arg(long, value_name = "SECONDS", value_parser = common::cli::parse_seconds)]
    timeout: Option<Duration>,

    /// The queue's settings (used if this submitter is the first to create the queue).
    #[command(flatten)]
    queue: QueueArgs,

    /// --timeline FILE.svg, --trace FILE.json.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Serves the queue at `--server` until Ctrl-C (exit status 130).
pub async fn worker(args: WorkerArgs, interrupt: &Interrupt) -> Result<ExitCode, PoolError> {
    let out = if args.quiet {
        Recorder::quiet()
    } else {
        Recorder::printing()
    };
    let lane = WorkerId::this_process().to_string();
    let (said, on) = (out.clone(), lane.clone());
    // `--panic-on` panics on purpose: one labelled line instead of a report.
    runner::panic_hook::install(move |panic| {
        said.say(
            &on,
            format!(
                "panicked: {} (caught: the item fails, the worker goes on)",
                panic.message
            ),
        );
    });
    let title = format!("distributed-pool worker {lane} on {}", args.server);
    let outputs = args
        .output
        .start(&title, &out, interrupt)
        .map_err(PoolError::io("opening the output files"))?;
    let nats = queue::connect(&args.server, "distributed-pool worker").await?;
    let queue = Queue::open(nats, &args.queue.settings()).await?;
    let faults = Faults {
        panic_on: args.panic_on,
        exit_before_ack: args.exit_before_ack,
    };
    let tally = worker::serve(&queue, faults, &out, &interrupt.token()).await?;
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

/// Submits items 1..=ITEMS to the queue at `--server`, prints each result.
pub async fn submit(args: SubmitArgs, interrupt: &Interrupt) -> Result<ExitCode, PoolError> {
    let out = Recorder::printing();
    let title = format!(
        "distributed-pool submit: {} items to {}",
        args.items, args.server
    );
    let outputs = args
        .output
        .start(&title, &out, interrupt)
        .map_err(PoolError::io("opening the output files"))?;
    let client = Client::connect(&args.server, &args.queue.settings(), out.clone()).await?;
    let work = common::workloads::Workload {
        items: args.items,
        iterations: args.iterations,
    };
    let mut report =
        port::evaluate_all(&client, work, args.timeout, &out, &interrupt.token()).await?;
    if report.stopped == Some(Stopped::Interrupted) {
        // The server lives on: take back what nobody will collect.
        report.withdrawn = client.cancel_unfinished().await;
    }
    client.close().await;
    outputs
        .finish()
        .map_err(PoolError::io("writing the output files"))?;
    let rest = format!(
        "withdrew {} unfinished tasks from the queue",
        report.withdrawn
    );
    Ok(conclude(&report, &rest))
}
