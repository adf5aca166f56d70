//! What the queue costs: `distributed-pool bench` (build with `--release`).
//! On a local server and worker processes (loopback: the queue's own cost,
//! not a network's): the **per-task overhead** of trivial tasks (`count` of
//! 0) on one worker, one at a time (the round trip a single call pays) and
//! many at once (`map`, then `gather`: a task's cost when the queue is kept
//! busy); and the **throughput** of the chapter's items on 1, 2 and 4
//! workers against the same items one after another in this process. Each
//! figure is the median of `--rounds` rounds; the process pool's figures
//! for the same work are in docs/performance.md.

use std::time::{Duration, Instant};

use runner::Recorder;

use crate::{Client, LocalCluster, PoolError, Settings, worker::Faults};

/// `bench`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Trivial tasks submitted at once for the per-task overhead.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    tasks: u64,

    /// Items of the throughput runs (1..=ITEMS).
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    items: u64,

    /// Iterations of the count loop per item in the throughput runs.
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(0..=10_000_000_000))]
    iterations: u64,

    /// Worker counts of the throughput runs, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,2,4", value_parser = clap::value_parser!(u64).range(1..=64))]
    workers: Vec<u64>,

    /// Rounds of each measurement (the median is reported).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=100))]
    rounds: u32,
}

/// Tasks sent one at a time in the round-trip measurement.
const ONE_AT_A_TIME: u64 = 100;

/// Runs both measurements and prints them.
pub async fn run(args: &BenchArgs) -> Result<(), PoolError> {
    let binary = std::env::current_exe().map_err(PoolError::io("finding this executable"))?;
    let settings = Settings::default();
    common::workloads::Workload {
        items: args.items,
        iterations: args.iterations,
    }
    .check()?;

    println!(
        "per-task overhead: trivial tasks (count of 0 iterations), 1 worker process, loopback"
    );
    let cluster = LocalCluster::start(binary.clone(), 1, &settings, Faults::default())?;
    let client = Client::connect(&cluster.address(), &settings, Recorder::quiet()).await?;
    all_done(&client, 1..=20, 0).await?; // the worker is connected and warm
    let mut single = Vec::new();
    let mut many = Vec::new();
    for _ in 0..args.rounds {
        let started = Instant::now();
        for item in 1..=ONE_AT_A_TIME {
            all_done(&client, [item], 0).await?;
        }
        single.push(started.elapsed() / ONE_AT_A_TIME as u32);
        let started = Instant::now();
        all_done(&client, 1..=args.tasks, 0).await?;
        many.push(started.elapsed() / u32::try_from(args.tasks).unwrap_or(u32::MAX));
    }
    client.close().await;
    drop(cluster);
    let (single, many) = (median(single), median(many));
    println!(
        "  one at a time (submit, then wait for the result): {:.3} ms per task",
        single.as_secs_f64() * 1000.0
    );
    println!(
        "  {} at once (map, then gather): {:.3} ms per task, {:.0} tasks/s",
        args.tasks,
        many.as_secs_f64() * 1000.0,
        1.0 / many.as_secs_f64().max(1e-9)
    );

    println!(
        "throughput: {} items of count({}), median of {} rounds",
        args.items, args.iterations, args.rounds
    );
    let mut sequential = Vec::new();
    for _ in 0..args.rounds {
        let started = Instant::now();
        for item in 1..=args.items {
            common::evaluate_item(item, args.iterations)?;
        }
        sequential.push(started.elapsed());
    }
    let sequential = median(sequential);
    println!(
        "  one after another in this process: {:.3} s",
        sequential.as_secs_f64()
    );
    for &workers in &args.workers {
        let count = usize::try_from(workers).unwrap_or(1);
        let cluster = LocalCluster::start(binary.clone(), count, &settings, Faults::default())?;
        let client = Client::connect(&cluster.address(), &settings, Recorder::quiet()).await?;
        all_done(&client, 1..=(4 * workers), 0).await?;
        let mut times = Vec::new();
        for _ in 0..args.rounds {
            let started = Instant::now();
            all_done(&client, 1..=args.items, args.iterations).await?;
            times.push(started.elapsed());
        }
        client.close().await;
        drop(cluster);
        let took = median(times);
        println!(
            "  {workers} worker process{}: {:.3} s, {:.1} items/s, {:.2}x the sequential run",
            if workers == 1 { "" } else { "es" },
            took.as_secs_f64(),
            args.items as f64 / took.as_secs_f64().max(1e-9),
            sequential.as_secs_f64() / took.as_secs_f64().max(1e-9)
        );
    }
    Ok(())
}

/// Submits `items` and waits for every result; an error if any task failed.
async fn all_done(
    client: &Client,
    items: impl IntoIterator<Item = u64>,
    iterations: u64,
) -> Result<(), PoolError> {
    let handles = client.map(items, iterations).await?;
    for reply in Client::gather(handles).await {
        reply.map_err(PoolError::nats("a benchmark task"))?;
    }
    Ok(())
}

/// The median of `times` (`common::stats`); zero for none (`--rounds` is
/// at least 1).
fn median(times: Vec<Duration>) -> Duration {
    common::stats::median_duration(&times).unwrap_or_default()
}
