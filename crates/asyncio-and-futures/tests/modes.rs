//! Each mode gives the right job results on each runtime, and the client
//! receives every response while the jobs run.
#![allow(clippy::unwrap_used)]

use asyncio_and_futures::experiment::{self, Load, Pools, Run, RunReport};
use asyncio_and_futures::jobs::{CountTask, Jobs, Mode, RayonPool, rayon_pool};
use asyncio_and_futures::port;
use asyncio_and_futures::process_exists;
use asyncio_and_futures::runtime::ClientRuntime;
use asyncio_and_futures::server::Server;
use process_pool::ProcessPoolExecutor;
use runner::{Interrupt, Recorder};
use runtimes::{Runtime, TokioFlavor};

// This test binary is also the process pool's worker executable.
process_pool::worker_test_hook!(CountTask);

/// Small enough for a debug build: a few milliseconds per job.
const LOAD: Load = Load {
    requests: 60,
    concurrency: 6,
    jobs: 3,
    iterations: 200_000,
};

/// A server and both pools, shut down and checked by [`Fixture::finish`].
struct Fixture {
    server: Server,
    rayon: RayonPool,
    processes: ProcessPoolExecutor<CountTask>,
}

impl Fixture {
    fn new() -> Self {
        Self {
            server: Server::start().unwrap(),
            rayon: rayon_pool(2).unwrap(),
            processes: ProcessPoolExecutor::new(2).unwrap(),
        }
    }

    fn pools(&self) -> Pools<'_> {
        Pools {
            rayon: &self.rayon.pool,
            processes: Some(&self.processes),
        }
    }

    /// Stops everything; checks every request was served, every thread
    /// exited and every worker process is gone.
    fn finish(self, runs: u64) {
        let stats = self.server.stop().unwrap();
        assert_eq!(stats.requests, runs * LOAD.requests);
        assert_eq!(stats.connections_joined, stats.connections);
        assert_eq!(self.rayon.shutdown(), 2);
        let pids = self.processes.worker_pids();
        assert_eq!(pids.len(), 2);
        drop(self.processes);
        assert!(pids.iter().all(|&pid| !process_exists(pid)), "{pids:?}");
    }
}

/// One experiment of `mode` on `runtime` (tokio: multi-thread) with
/// `workers` threads.
fn run_on(
    runtime: Runtime,
    workers: usize,
    mode: Mode,
    addr: std::net::SocketAddr,
    pools: Pools<'_>,
) -> (Result<RunReport, experiment::ExperimentError>, Option<bool>) {
    let flavor = TokioFlavor::MultiThread;
    run_on_flavor(
        ClientRuntime {
            runtime,
            flavor,
            workers,
        },
        mode,
        addr,
        pools,
    )
}

/// One experiment of `mode` on `client`.
fn run_on_flavor(
    client: ClientRuntime,
    mode: Mode,
    addr: std::net::SocketAddr,
    pools: Pools<'_>,
) -> (Result<RunReport, experiment::ExperimentError>, Option<bool>) {
    client
        .run(&Interrupt::new(), |client| async move {
            let run = Run {
                client,
                jobs: Jobs::new(&Recorder::quiet()),
                load: LOAD,
                server: addr,
                start: std::time::Instant::now(),
            };
            port::run_mode(run, mode, pools).await
        })
        .unwrap()
        .expect("no Ctrl-C in this test")
}

/// Checks one run: every job's result, every response, nothing left over.
fn check(report: &RunReport, all_tasks_finished: Option<bool>, expect_count_known: bool) {
    assert!(report.results_correct(LOAD.iterations), "{:?}", report.jobs);
    let results: Vec<u64> = report.jobs.iter().map(|job| job.result).collect();
    assert_eq!(results, vec![200_000, 400_000, 600_000]);
    assert_eq!(report.answered, LOAD.requests);
    assert_eq!(report.latencies.len() as u64, LOAD.requests);
    assert!(report.latencies.windows(2).all(|w| w[0] <= w[1]), "sorted");
    if expect_count_known {
        assert_eq!(all_tasks_finished, Some(true));
    }
}

/// Every mode on tokio: right results, every response, no task left.
#[test]
fn every_mode_on_tokio_gives_correct_results() {
    let fixture = Fixture::new();
    let addr = fixture.server.addr();
    for mode in Mode::ALL {
        let (report, leftovers) = run_on(Runtime::Tokio, 2, mode, addr, fixture.pools());
        let report = report.unwrap();
        assert_eq!(report.mode, mode);
        check(&report, leftovers, true);
    }
    fixture.finish(4);
}

/// Every mode on async-std.
#[test]
fn every_mode_on_async_std_gives_correct_results() {
    let fixture = Fixture::new();
    let addr = fixture.server.addr();
    for mode in Mode::ALL {
        let (report, leftovers) = run_on(Runtime::AsyncStd, 2, mode, addr, fixture.pools());
        check(&report.unwrap(), leftovers, false);
    }
    fixture.finish(4);
}

/// Every mode on smol, whose executor threads we start and join.
#[test]
fn every_mode_on_smol_gives_correct_results() {
    let fixture = Fixture::new();
    let addr = fixture.server.addr();
    for mode in Mode::ALL {
        let (report, leftovers) = run_on(Runtime::Smol, 2, mode, addr, fixture.pools());
        check(&report.unwrap(), leftovers, true);
    }
    fixture.finish(4);
}

/// Jobs say where they ran: a runtime worker in `direct`, a blocking-pool
/// thread with `spawn-blocking`, a rayon thread with `rayon`, a worker
/// process of the pool (not this process) with `process-pool`.
#[test]
fn jobs_run_where_the_mode_says() {
    let fixture = Fixture::new();
    let addr = fixture.server.addr();
    let worker_pids: Vec<String> = fixture
        .processes
        .worker_pids()
        .iter()
        .map(|pid| format!("pid {pid}"))
        .collect();
    for mode in Mode::ALL {
        let (report, _) = run_on(Runtime::Tokio, 2, mode, addr, fixture.pools());
        for job in report.unwrap().jobs {
            let ran_on = &job.ran_on;
            let right_place = match mode {
                Mode::Direct => ran_on.starts_with("tokio-worker-"),
                Mode::SpawnBlocking => ran_on.starts_with("tokio-block-"),
                Mode::Rayon => ran_on.starts_with("rayon-"),
                Mode::ProcessPool => worker_pids.contains(ran_on),
            };
            assert!(right_place, "{mode:?}: job ran on {ran_on}");
        }
    }
    fixture.finish(4);
}

/// Without a process pool, mode `process-pool` is refused, not faked.
#[test]
fn process_pool_mode_needs_a_pool() {
    let server = Server::start().unwrap();
    let rayon = rayon_pool(1).unwrap();
    let pools = Pools {
        rayon: &rayon.pool,
        processes: None,
    };
    let addr = server.addr();
    let (report, _) = run_on(Runtime::Tokio, 1, Mode::ProcessPool, addr, pools);
    assert!(matches!(
        report,
        Err(experiment::ExperimentError::NoProcessPool)
    ));
    server.stop().unwrap();
    rayon.shutdown();
}

/// `--flavor current-thread`: no worker thread; `main` (here, the test's
/// thread) polls every task, so a `direct` job runs on it, while
/// `spawn-blocking` still hands the job to a blocking thread.
#[test]
fn current_thread_runs_tasks_on_the_calling_thread() {
    let fixture = Fixture::new();
    let addr = fixture.server.addr();
    let here = common::clock::thread_label();
    for mode in [Mode::Direct, Mode::SpawnBlocking] {
        let client = ClientRuntime {
            runtime: Runtime::Tokio,
            flavor: TokioFlavor::CurrentThread,
            workers: 2,
        };
        let (report, leftovers) = run_on_flavor(client, mode, addr, fixture.pools());
        let report = report.unwrap();
        check(&report, leftovers, true);
        for job in &report.jobs {
            let ran_on = &job.ran_on;
            match mode {
                Mode::Direct => assert_eq!(ran_on, &here),
                _ => assert!(ran_on.starts_with("tokio-block-"), "{ran_on}"),
            }
        }
    }
    fixture.finish(2);
}

/// Nearest rank: p50 of 1..=10 ms is 5 ms, p99 is the largest.
#[test]
fn percentiles_by_nearest_rank() {
    use asyncio_and_futures::experiment::percentile;
    use std::time::Duration;
    let ms: Vec<Duration> = (1..=10).map(Duration::from_millis).collect();
    assert_eq!(percentile(&ms, 50.0), Duration::from_millis(5));
    assert_eq!(percentile(&ms, 99.0), Duration::from_millis(10));
    assert_eq!(percentile(&ms, 0.0), Duration::from_millis(1));
    assert_eq!(percentile(&[], 50.0), Duration::ZERO);
}

/// Every request number appears exactly once, lanes differ by at most one.
#[test]
fn requests_are_split_evenly() {
    use asyncio_and_futures::client::split_requests;
    let ranges = split_requests(10, 3);
    assert_eq!(ranges, vec![0..4, 4..7, 7..10]);
    let ranges = split_requests(2, 2);
    assert_eq!(ranges, vec![0..1, 1..2]);
}
