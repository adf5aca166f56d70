//! The Python program, `python/dask_pooling.py`, in Rust: read the two
//! side by side. Dask's `LocalCluster` is the library's [`LocalCluster`]
//! (a `nats-server` and worker processes), its `Client` is [`Client`],
//! `client.map` and `as_completed` are the same calls. `count` and
//! `evaluate` are `common::count` and `common::evaluate_item`, run by the
//! workers (`worker.rs`).
//!
//! What the Python program does not have, and this file adds because a
//! network makes it necessary: an overall time limit (a submitter that
//! gives up withdraws what is left from the queue) and Ctrl-C.

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::workloads::Workload;
use distributed_pool::worker::Faults;
use distributed_pool::{Client, LocalCluster, PoolError, Settings, as_completed};
use futures::StreamExt as _;
use runner::Recorder;
use tokio_util::sync::CancellationToken;

use crate::report::{Report, Stopped};

/// `with LocalCluster(n_workers=workers, threads_per_worker=1) as cluster,
/// Client(cluster) as client:` (dropping the cluster is the `with`'s end).
pub async fn start(
    workers: usize,
    settings: &Settings,
    faults: Faults,
    out: &Recorder,
) -> Result<(Arc<LocalCluster>, Client), PoolError> {
    let binary = std::env::current_exe().map_err(PoolError::io("finding this executable"))?;
    let cluster = Arc::new(LocalCluster::start(binary, workers, settings, faults)?);
    let pids: Vec<String> = cluster.worker_pids().iter().map(u32::to_string).collect();
    let (pid, at, pids) = (cluster.server_pid(), cluster.address(), pids.join(", "));
    let es = if workers == 1 { "" } else { "es" };
    let line =
        format!("nats-server (pid {pid}) on {at}; {workers} worker process{es}, pids {pids}");
    out.say("main", line);
    let client = Client::connect(&cluster.address(), settings, out.clone()).await?;
    Ok((cluster, client))
}

/// ```python
/// futures = client.map(evaluate, number_list, pure=False)
/// for future in as_completed(futures):
///     item, result, pid, host = future.result(timeout=60)
///     print(f"Item {item}, result {result} (pid {pid}@{host})")
/// print(f"Distributed execution in {time.perf_counter() - start_time} seconds")
/// ```
pub async fn evaluate_all(
    client: &Client,
    work: Workload,
    limit: Option<Duration>,
    out: &Recorder,
    stop: &CancellationToken,
) -> Result<Report, PoolError> {
    work.check()?;
    let start_time = Instant::now();
    // futures = client.map(evaluate, number_list)
    let futures = client.map(work.numbers(), work.iterations).await?;
    let (total, batch) = (futures.len(), client.batch());
    out.say("main", format!("submitted {total} jobs (batch {batch})"));
    let mut report = Report {
        total,
        ..Report::default()
    };
    // Python's `timeout=` is per result; a whole run's limit is what a
    // submitter that must give up some time needs.
    let now = tokio::time::Instant::now();
    let deadline = limit.map(|limit| now + limit);
    let mut completed = as_completed(futures);
    while report.done + report.failed < total {
        let next = tokio::select! {
            next = completed.next() => next,
            () = tokio::time::sleep_until(deadline.unwrap_or(now)), if deadline.is_some() => {
                report.stopped = limit.map(Stopped::TimedOut);
                break;
            }
            () = stop.cancelled() => {
                report.stopped = Some(Stopped::Interrupted);
                break;
            }
        };
        // for future in as_completed(futures):
        let Some((_, item, result)) = next else { break }; // (task id, item, result)
        match result {
            Ok(done) => {
                report.done += 1;
                // print(f"Item {item}, result {result} (pid {pid}@{host})")
                let again = match done.delivery {
                    0 | 1 => String::new(),
                    n => format!(" (delivery {n})"),
                };
                out.say(&done.worker.to_string(), format!("{}{again}", done.result));
            }
            Err(error) => {
                report.failed += 1;
                out.say("main", format!("item {item}: {error}"));
            }
        }
    }
    if let Some(Stopped::TimedOut(_)) = report.stopped {
        // Withdrawn, so no worker spends time on a result nobody reads.
        // (After Ctrl-C the caller decides: a local queue dies anyway.)
        report.withdrawn = client.cancel_unfinished().await;
    }
    // print(f"Distributed execution in {...} seconds")
    let (done, failed) = (report.done, report.failed);
    let seconds = start_time.elapsed().as_secs_f64();
    let line = format!("{done} of {total} items done, {failed} failed, in {seconds:.3} s");
    out.say("main", line);
    Ok(report)
}
