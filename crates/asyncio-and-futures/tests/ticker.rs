//! On a runtime with one worker, a CPU job run directly in a task stops a
//! concurrent ticker dead; the same job on `spawn_blocking`, rayon or the
//! process pool does not. Judged by tick counts, not by wall-clock
//! thresholds.
#![allow(clippy::unwrap_used)]

use asyncio_and_futures::experiment::{Load, Pools, Run, RunReport};
use asyncio_and_futures::jobs::{CountTask, Jobs, Mode, rayon_pool};
use asyncio_and_futures::port;
use asyncio_and_futures::runtime::ClientRuntime;
use asyncio_and_futures::server::Server;
use process_pool::ProcessPoolExecutor;
use runner::{Interrupt, Recorder};
use runtimes::{Runtime, TokioFlavor};

// This test binary is also the process pool's worker executable.
process_pool::worker_test_hook!(CountTask);

/// One job long enough (tens of milliseconds in a debug build) for a
/// 1 ms ticker to tick if it can run at all.
const LOAD: Load = Load {
    requests: 20,
    concurrency: 2,
    jobs: 2,
    iterations: 20_000_000,
};

/// Runs `mode` on a one-worker tokio runtime.
fn run_on_one_worker(mode: Mode, server: &Server, pools: Pools<'_>) -> RunReport {
    let client = ClientRuntime {
        runtime: Runtime::Tokio,
        flavor: TokioFlavor::MultiThread,
        workers: 1,
    };
    let addr = server.addr();
    let (report, all_tasks_finished) = client
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
        .expect("no Ctrl-C in this test");
    assert_eq!(all_tasks_finished, Some(true));
    let report = report.unwrap();
    assert!(report.results_correct(LOAD.iterations));
    report
}

/// `direct`: while a job runs, the only worker is inside the job's loop,
/// so the ticker never runs during a job: exactly zero ticks (each job
/// starts and ends within one poll of its task). It does tick otherwise.
#[test]
fn blocking_in_a_task_freezes_the_ticker() {
    let server = Server::start().unwrap();
    let pool = rayon_pool(1).unwrap();
    let pools = Pools {
        rayon: &pool.pool,
        processes: None,
    };
    let report = run_on_one_worker(Mode::Direct, &server, pools);
    assert_eq!(report.ticks_during_jobs, 0, "{report:?}");
    server.stop().unwrap();
    pool.shutdown();
}

/// `spawn-blocking`, `rayon` and `process-pool`: the jobs run on other
/// threads or processes, the worker stays free and the ticker ticks while
/// they run. A heavily loaded machine could starve the worker thread for a
/// whole job, so each mode gets a few tries; one run with ticks is the
/// proof.
#[test]
fn offloaded_jobs_leave_the_ticker_running() {
    let server = Server::start().unwrap();
    let pool = rayon_pool(1).unwrap();
    let processes = ProcessPoolExecutor::<CountTask>::new(1).unwrap();
    let pools = Pools {
        rayon: &pool.pool,
        processes: Some(&processes),
    };
    for mode in [Mode::SpawnBlocking, Mode::Rayon, Mode::ProcessPool] {
        let ticked = (0..5).any(|_| run_on_one_worker(mode, &server, pools).ticks_during_jobs > 0);
        assert!(ticked, "{mode:?}: the ticker never ticked while jobs ran");
    }
    server.stop().unwrap();
    pool.shutdown();
}
