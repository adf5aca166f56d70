//! The Ctrl-C summary line at each stage of a run.
#![allow(clippy::unwrap_used)]

use asyncio_and_futures::experiment::Load;
use asyncio_and_futures::jobs::{Mode, RunningJobs};
use asyncio_and_futures::progress::Progress;
use asyncio_and_futures::runtime::ClientRuntime;
use asyncio_and_futures::{Config, Part};
use runtimes::{Runtime, TokioFlavor};

/// Every mode, then (unless `part` is `table`) the futures part.
fn config(part: Part) -> Config {
    Config {
        load: Load {
            requests: 1,
            concurrency: 1,
            jobs: 1,
            iterations: 1,
        },
        modes: Mode::ALL.to_vec(),
        client: ClientRuntime {
            runtime: Runtime::Tokio,
            flavor: TokioFlavor::MultiThread,
            workers: 1,
        },
        pool_workers: 1,
        part,
    }
}

/// The summary names what finished, what stopped and how (jobs abandoned
/// mid-loop, or worker processes killed), and what never ran.
#[test]
fn summary_at_each_stage() {
    let progress = Progress::new(&config(Part::All));
    assert_eq!(
        progress.summary(),
        "finished nothing; not run: direct, spawn-blocking, rayon, process-pool, \
         the futures part"
    );
    progress.start(Some((Mode::Direct, &RunningJobs::default())));
    progress.finish();
    let running = RunningJobs::default();
    let in_loop = running.enter();
    progress.start(Some((Mode::SpawnBlocking, &running)));
    assert_eq!(
        progress.summary(),
        "finished direct; stopped spawn-blocking (1 job(s) abandoned mid-loop: a CPU \
         loop cannot be stopped, it ends with the process); not run: rayon, \
         process-pool, the futures part"
    );
    // A job that left its loop is no longer abandoned.
    drop(in_loop);
    assert!(
        progress
            .summary()
            .contains("; stopped spawn-blocking; not run: rayon"),
        "{}",
        progress.summary()
    );
    progress.finish();
    progress.start(Some((Mode::Rayon, &RunningJobs::default())));
    progress.finish();
    progress.start(Some((Mode::ProcessPool, &RunningJobs::default())));
    assert!(
        progress.summary().ends_with(
            "; stopped process-pool (its worker processes killed); not run: the futures part"
        ),
        "{}",
        progress.summary()
    );
    progress.finish();
    progress.start(None);
    assert!(
        progress.summary().ends_with("; stopped the futures part"),
        "{}",
        progress.summary()
    );
    progress.finish();
    assert_eq!(
        progress.summary(),
        "finished direct, spawn-blocking, rayon, process-pool, the futures part"
    );
}

/// `--part table` has no futures step; `--part futures` no mode.
#[test]
fn steps_follow_the_part() {
    let table = Progress::new(&config(Part::Table));
    table.start(Some((Mode::Direct, &RunningJobs::default())));
    assert_eq!(
        table.summary(),
        "finished nothing; stopped direct; not run: spawn-blocking, rayon, process-pool"
    );
    let futures = Progress::new(&config(Part::Futures));
    assert_eq!(
        futures.summary(),
        "finished nothing; not run: the futures part"
    );
}
