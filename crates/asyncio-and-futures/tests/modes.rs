//! Each mode gives the right job results on each runtime, and the client
//! receives every response while the jobs run.
#![allow(clippy::unwrap_used)]

use asyncio_and_futures::experiment::{self, Load, RunReport};
use asyncio_and_futures::jobs::{Mode, rayon_pool};
use asyncio_and_futures::runtime::{Leftovers, with_async_std, with_smol, with_tokio};
use asyncio_and_futures::server::Server;

/// Small enough for a debug build: a few milliseconds per job.
const LOAD: Load = Load {
    requests: 60,
    concurrency: 6,
    jobs: 3,
    iterations: 200_000,
};

/// Checks one run: every job's result, every response, nothing left over.
fn check(report: &RunReport, leftovers: Leftovers, expect_count_known: bool) {
    assert!(report.results_correct(LOAD.iterations), "{:?}", report.jobs);
    let results: Vec<u64> = report.jobs.iter().map(|f| f.outcome.result).collect();
    assert_eq!(results, vec![200_000, 400_000, 600_000]);
    assert_eq!(report.answered, LOAD.requests);
    assert_eq!(report.latencies.len() as u64, LOAD.requests);
    assert!(report.latencies.windows(2).all(|w| w[0] <= w[1]), "sorted");
    if expect_count_known {
        assert_eq!(leftovers.all_tasks_finished, Some(true));
    }
}

/// Every mode on tokio: right results, every response, no task left.
#[test]
fn every_mode_on_tokio_gives_correct_results() {
    let server = Server::start().unwrap();
    let pool = rayon_pool(2).unwrap();
    let addr = server.addr();
    for mode in Mode::ALL {
        let (report, leftovers) = with_tokio(2, |rt| {
            let pool = &pool.pool;
            async move { experiment::run(&rt, mode, LOAD, addr, pool).await }
        })
        .unwrap();
        let report = report.unwrap();
        assert_eq!(report.mode, mode);
        check(&report, leftovers, true);
    }
    let stats = server.stop().unwrap();
    assert_eq!(stats.requests, 3 * LOAD.requests);
    assert_eq!(pool.shutdown(), 2);
}

/// Every mode on async-std (discontinued upstream, still works).
#[test]
fn every_mode_on_async_std_gives_correct_results() {
    let server = Server::start().unwrap();
    let pool = rayon_pool(2).unwrap();
    let addr = server.addr();
    for mode in Mode::ALL {
        let (report, leftovers) = with_async_std(|rt| {
            let pool = &pool.pool;
            async move { experiment::run(&rt, mode, LOAD, addr, pool).await }
        });
        check(&report.unwrap(), leftovers, false);
    }
    server.stop().unwrap();
    assert_eq!(pool.shutdown(), 2);
}

/// Every mode on smol, whose executor threads we start and join.
#[test]
fn every_mode_on_smol_gives_correct_results() {
    let server = Server::start().unwrap();
    let pool = rayon_pool(2).unwrap();
    let addr = server.addr();
    for mode in Mode::ALL {
        let (report, leftovers) = with_smol(2, |rt| {
            let pool = &pool.pool;
            async move { experiment::run(&rt, mode, LOAD, addr, pool).await }
        })
        .unwrap();
        check(&report.unwrap(), leftovers, true);
    }
    server.stop().unwrap();
    assert_eq!(pool.shutdown(), 2);
}

/// Jobs say where they ran: a runtime worker in `direct`, a blocking-pool
/// thread with `spawn-blocking`, a rayon thread with `rayon`.
#[test]
fn jobs_run_where_the_mode_says() {
    let server = Server::start().unwrap();
    let pool = rayon_pool(2).unwrap();
    let addr = server.addr();
    for (mode, prefix) in [
        (Mode::Direct, "tokio-worker-"),
        (Mode::SpawnBlocking, "tokio-block-"),
        (Mode::Rayon, "rayon-"),
    ] {
        let (report, _) = with_tokio(2, |rt| {
            let pool = &pool.pool;
            async move { experiment::run(&rt, mode, LOAD, addr, pool).await }
        })
        .unwrap();
        for job in report.unwrap().jobs {
            assert!(
                job.outcome.ran_on.starts_with(prefix),
                "{mode:?}: job ran on {}",
                job.outcome.ran_on
            );
        }
    }
    server.stop().unwrap();
    pool.shutdown();
}
