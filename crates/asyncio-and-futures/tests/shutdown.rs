//! The whole program through the library: server, every mode, futures both
//! ways, and a clean shutdown (server stopped, every task and thread
//! joined, the port closed).
#![allow(clippy::unwrap_used)]

use asyncio_and_futures::bridge::PoolWait;
use asyncio_and_futures::experiment::Load;
use asyncio_and_futures::jobs::{CountTask, Mode};
use asyncio_and_futures::runtime::ClientRuntime;
use asyncio_and_futures::server::Server;
use asyncio_and_futures::{Config, Error, Part, process_exists, run};
use runner::{Interrupt, Recorder};
use runtimes::{Runtime, TokioFlavor};

// The whole program runs here, process pool included: this test binary is
// also the pool's worker executable.
process_pool::worker_test_hook!(CountTask);

/// A small whole run on `runtime`.
fn config(runtime: Runtime, part: Part) -> Config {
    Config {
        load: Load {
            requests: 40,
            concurrency: 4,
            jobs: 2,
            iterations: 100_000,
        },
        modes: Mode::ALL.to_vec(),
        client: ClientRuntime {
            runtime,
            flavor: TokioFlavor::MultiThread,
            workers: 2,
        },
        pool_workers: 2,
        part,
    }
}

/// After `run`: the server answered every request and joined every
/// connection task, the port is closed, each runtime had no task left,
/// every rayon thread exited, and the futures part saw what it should.
#[test]
fn a_whole_run_shuts_down_cleanly() {
    let out = Recorder::printing();
    let summary = run(&config(Runtime::Tokio, Part::All), &Interrupt::new(), &out).unwrap();
    assert_eq!(summary.runs.len(), 4);
    for run in &summary.runs {
        assert!(run.report.results_correct(100_000));
        assert_eq!(run.report.answered, 40);
        assert_eq!(run.all_tasks_finished, Some(true));
    }
    // 4 modes x 40 requests, plus the one fetched by run_coroutine_threadsafe.
    assert_eq!(summary.server.requests, 4 * 40 + 1);
    assert_eq!(summary.server.connections, 4 * 4 + 1);
    assert_eq!(
        summary.server.connections_joined,
        summary.server.connections
    );
    assert!(summary.port_closed);
    assert_eq!(summary.rayon_threads_exited, 2);
    // No worker process left: checked, not assumed.
    assert_eq!(summary.worker_pids.len(), 2);
    assert_eq!(summary.workers_alive, 0);
    assert!(summary.worker_pids.iter().all(|&pid| !process_exists(pid)));

    let futures = summary.futures.unwrap();
    assert!(matches!(futures.pool_in_time, PoolWait::InTime(Ok(ref o)) if o.result == 100_000));
    // The timed-out job still ran to the end and its result was collected.
    match futures.pool_timed_out {
        PoolWait::TimedOut { then: Ok(o), .. } | PoolWait::InTime(Ok(o)) => {
            assert_eq!(o.result, 1_000_000)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(futures.thread_in_time, Ok("echo 42".to_owned()));
    assert!(futures.thread_timed_out.is_err());
}

/// smol and async-std runs shut down as cleanly (async-std cannot count
/// its tasks: its executor is global).
#[test]
fn other_runtimes_shut_down_cleanly() {
    let out = Recorder::printing();
    for runtime in [Runtime::Smol, Runtime::AsyncStd] {
        let summary = run(&config(runtime, Part::Table), &Interrupt::new(), &out).unwrap();
        assert!(summary.futures.is_none());
        assert_eq!(summary.server.requests, 4 * 40);
        assert_eq!(summary.workers_alive, 0);
        assert_eq!(
            summary.server.connections_joined,
            summary.server.connections
        );
        assert!(summary.port_closed);
        let expected = (runtime == Runtime::Smol).then_some(true);
        for run in &summary.runs {
            assert_eq!(run.all_tasks_finished, expected);
        }
    }
}

/// The server alone: every connection task is joined at stop, even one
/// whose client is still connected (idle keep-alive), and the port closes.
#[test]
fn server_stop_closes_idle_connections_and_the_port() {
    let server = Server::start().unwrap();
    let addr = server.addr();
    let idle = std::net::TcpStream::connect(addr).unwrap();
    // Give the accept loop a moment to take the connection.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let stats = server.stop().unwrap();
    assert_eq!(stats.connections, 1);
    assert_eq!(stats.connections_joined, 1);
    assert!(std::net::TcpStream::connect(addr).is_err());
    drop(idle);
}

/// Ctrl-C before the first mode (a flag raised by hand): nothing runs, the
/// run ends with the summary, and the shutdown still stops the server and
/// reaps the workers.
#[test]
fn interrupted_run_stops_and_says_how_far_it_got() {
    let interrupt = Interrupt::new();
    interrupt.raise();
    match run(
        &config(Runtime::Tokio, Part::All),
        &interrupt,
        &Recorder::quiet(),
    ) {
        Err(Error::Interrupted(summary)) => assert_eq!(
            summary,
            "finished nothing; stopped direct; not run: spawn-blocking, rayon, \
             process-pool, the futures part"
        ),
        other => panic!("expected the interruption, got {other:?}"),
    }
}

/// `--runtime mini` through the library: refused with a typed error, no panic.
#[test]
fn mini_has_no_sockets() {
    let mut mini = config(Runtime::Mini, Part::Table);
    mini.modes = vec![Mode::Direct];
    let error = run(&mini, &Interrupt::new(), &Recorder::quiet()).unwrap_err();
    assert!(error.to_string().contains("has no sockets"), "{error}");
}
