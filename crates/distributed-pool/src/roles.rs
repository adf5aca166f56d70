//! The roles one machine can play in a cluster spread over several: a
//! `worker` (any number, anywhere) and a `submitter`. Each needs only the
//! server's address; none knows about the others. The worker's role is
//! the library's `distributed_pool::launch::worker`, since other programs
//! start workers too; the submitter's is here.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use distributed_pool::Settings;
use distributed_pool::args::parse_server;
use distributed_pool::{Client, PoolError};
use runner::output::OutputArgs;
use runner::{Interrupt, Recorder};

use crate::port;
use crate::report::{Stopped, conclude};

/// `submit`'s flags.
#[derive(Debug, Clone, Args)]
pub struct SubmitArgs {
    /// The server to put the jobs on.
    #[arg(long, value_name = "nats://HOST:PORT", value_parser = parse_server)]
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
    queue: Settings,

    /// --timeline FILE.svg, --trace FILE.json.
    #[command(flatten)]
    pub output: OutputArgs,
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
    let client = Client::connect(&args.server, &args.queue, out.clone()).await?;
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
