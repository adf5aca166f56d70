//! # distributed-pool: the pooling workload on a work queue across machines
//!
//! Beyond the process-pool chapter: items 1..=10 of the count workload as
//! jobs on a NATS JetStream work queue, run by worker processes that could
//! be on any machine that reaches the server. The Python counterpart is
//! `python/dask_pooling.py` (Dask's `LocalCluster` and `client.map`); its
//! direct port is `src/port.rs`.
//!
//! ```text
//! cargo run -p distributed-pool                          # server + 5 workers + the items, here
//! cargo run -p distributed-pool -- --kill-worker-on 4 --ack-wait 1
//! cargo run -p distributed-pool -- worker --server nats://127.0.0.1:4222
//! cargo run -p distributed-pool -- submit --server nats://127.0.0.1:4222 --items 10
//! cargo run -p distributed-pool --release -- bench
//! ```
//!
//! What to look for: each result line is labelled with the worker process
//! that ran it (`pid N@host`), and a worker's "took item" line comes
//! before it; after a fault (`--kill-worker-on`, `--exit-before-ack`,
//! `--restart-server-after`, `--panic-on`, `--malformed`, `--timeout`)
//! the lines say what the queue did about it, and the last line still
//! counts every item once. Needs `nats-server` on PATH (see the page).

mod all_in_one;
mod port;
mod report;
mod roles;

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use distributed_pool::Settings;
use distributed_pool::launch::{self, WorkerArgs};
use runner::flags::WorkloadArgs;
use runner::output::OutputArgs;

/// The chapter's pooling workload on a NATS JetStream work queue.
#[derive(Debug, Parser)]
#[command(
    name = "distributed-pool",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    /// A role to play on its own; without one, everything runs here.
    #[command(subcommand)]
    role: Option<Role>,

    /// The all-in-one run's flags.
    #[command(flatten)]
    run: RunArgs,
}

/// The roles, so that the same binary runs on every machine.
#[derive(Debug, Subcommand)]
enum Role {
    /// Everything on this machine: a local nats-server, worker processes, the items (the default).
    Run(RunArgs),
    /// Serve the queue at --server: take jobs, run them, save the results, until Ctrl-C.
    Worker(WorkerArgs),
    /// Put items on the queue at --server and collect their results.
    Submit(roles::SubmitArgs),
    /// Measure the queue: per-task overhead, and throughput with 1, 2 and 4 workers.
    Bench(distributed_pool::bench::BenchArgs),
}

impl Role {
    /// The role's `--timeline`/`--trace` (the benchmark has none).
    fn output(&self) -> OutputArgs {
        match self {
            Role::Run(args) => args.output.clone(),
            Role::Worker(args) => args.output.clone(),
            Role::Submit(args) => args.output.clone(),
            Role::Bench(_) => OutputArgs::default(),
        }
    }
}

/// `run`'s flags (also the flags without a subcommand).
#[derive(Debug, Clone, Args)]
struct RunArgs {
    /// --workers (worker processes), --items, --iterations.
    #[command(flatten)]
    workload: WorkloadArgs,

    /// The queue's settings.
    #[command(flatten)]
    queue: Settings,

    /// The faults to show.
    #[command(flatten)]
    faults: all_in_one::FaultArgs,

    /// Give up after this many seconds: what is not done is withdrawn from the queue.
    #[arg(long, value_name = "SECONDS", value_parser = common::cli::parse_seconds)]
    timeout: Option<Duration>,

    /// --timeline FILE.svg, --trace FILE.json.
    #[command(flatten)]
    output: OutputArgs,
}

fn main() -> ExitCode {
    let cli: Cli = runner::flags::parse();
    let role = cli.role.unwrap_or(Role::Run(cli.run));
    // With `--features console`, before any task exists: tokio-console's
    // subscriber (after the flags, so that a refused run serves nothing;
    // async-nats runs on tokio only).
    role.output().start_console::<Cli>(true);
    let interrupt = runner::Interrupt::install_or_exit();
    let outcome = launch::block_on(async {
        match role {
            Role::Run(args) => all_in_one::run(args, &interrupt).await,
            Role::Worker(args) => launch::worker(args, &interrupt, &interrupt.token()).await,
            Role::Submit(args) => roles::submit(args, &interrupt).await,
            Role::Bench(args) => distributed_pool::bench::run(&args)
                .await
                .map(|()| ExitCode::SUCCESS),
        }
    });
    outcome.unwrap_or_else(ExitCode::from)
}
