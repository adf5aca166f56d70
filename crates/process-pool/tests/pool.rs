//! The pool's behaviour, with real worker processes (this test binary,
//! started again in worker mode through the hook below). Small workloads
//! only: each test takes milliseconds.
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use process_pool::{PoolError, ProcessPoolExecutor, TaskError, as_completed};
use support::{Output, TestTask, eventually, number, pool, worker_of};

process_pool::worker_test_hook!(TestTask);

/// submit/result gives the task's value; done() turns true.
#[test]
fn submit_returns_the_result() {
    let pool = pool(2);
    let handle = pool.submit(TestTask::Cube(3)).unwrap();
    handle.wait();
    assert!(handle.done());
    assert!(handle.worker_pid().is_some());
    assert_eq!(number(handle.result()), 27);
}

/// map gives every result in input order, whatever the chunksize.
#[test]
fn map_keeps_input_order_for_every_chunksize() {
    let pool = pool(2);
    let inputs: Vec<i64> = (-50..250).collect();
    let expected: Vec<i64> = inputs.iter().map(|x| x * x * x).collect();
    for chunksize in [1, 7, 1000] {
        let got: Vec<i64> = pool
            .map(inputs.iter().map(|&x| TestTask::Cube(x)), chunksize)
            .unwrap()
            .map(number)
            .collect();
        assert_eq!(got, expected, "chunksize {chunksize}");
    }
    assert!(matches!(
        pool.map([TestTask::Cube(1)], 0),
        Err(PoolError::ZeroChunksize)
    ));
}

/// Many submissions in flight all come back right (the window rule and
/// the as_completed iterator).
#[test]
fn many_tasks_in_flight() {
    let pool = pool(2);
    let handles: Vec<_> = (0..500)
        .map(|x| pool.submit(TestTask::Cube(x)).unwrap())
        .collect();
    let mut seen = vec![false; 500];
    for done in as_completed(handles) {
        assert!(done.worker_pid.is_some());
        assert_eq!(number(done.outcome), (done.index as i64).pow(3));
        seen[done.index] = true;
    }
    assert!(seen.iter().all(|&s| s));
}

/// A task's own error comes back as Failed; a panic as Panicked with its
/// message; the pool carries on with the same workers.
#[test]
fn failures_and_panics_are_reported_and_the_pool_goes_on() {
    let pool = pool(1);
    let before = pool.worker_pids();
    let failed = pool.submit(TestTask::Fail("bad input".into())).unwrap();
    assert_eq!(failed.result(), Err(TaskError::Failed("bad input".into())));
    let overflow = pool.submit(TestTask::Cube(3_000_000)).unwrap();
    assert!(matches!(overflow.result(), Err(TaskError::Failed(m)) if m.contains("overflows")));
    let panicked = pool.submit(TestTask::Panic("boom".into())).unwrap();
    match panicked.result() {
        Err(TaskError::Panicked(message)) => assert!(message.contains("boom"), "{message}"),
        other => panic!("expected a panic, got {other:?}"),
    }
    assert_eq!(number(pool.submit(TestTask::Cube(4)).unwrap().result()), 64);
    assert_eq!(pool.worker_pids(), before, "a panic must not cost a worker");
}

/// A task that aborts its process gets WorkerDied naming SIGABRT; the
/// worker is replaced and later tasks run.
#[test]
fn abort_kills_only_its_task() {
    let pool = pool(2);
    let handles: Vec<_> = (1..=6)
        .map(|x| pool.submit(TestTask::Cube(x)).unwrap())
        .collect();
    let aborted = pool.submit(TestTask::Abort).unwrap();
    match aborted.result() {
        Err(TaskError::WorkerDied { cause, .. }) => assert!(cause.contains("SIGABRT"), "{cause}"),
        other => panic!("expected a dead worker, got {other:?}"),
    }
    for (x, handle) in (1..=6).zip(handles) {
        assert_eq!(number(handle.result()), x * x * x);
    }
    let after: Vec<i64> = pool
        .map((1..=20).map(TestTask::Cube), 3)
        .unwrap()
        .map(number)
        .collect();
    assert_eq!(after, (1..=20).map(|x: i64| x.pow(3)).collect::<Vec<_>>());
    eventually("two live workers", || pool.worker_pids().len() == 2);
}

/// A worker killed from outside (SIGKILL) mid-task: that task gets an
/// error naming the signal, the others complete, a new worker takes over.
#[test]
fn sigkill_mid_task() {
    let pool = pool(2);
    let long = pool.submit(TestTask::Sleep(20_000)).unwrap();
    let others: Vec<_> = (1..=10)
        .map(|x| pool.submit(TestTask::Cube(x)).unwrap())
        .collect();
    eventually("the long task to reach a worker", || {
        long.worker_pid().is_some()
    });
    let victim = long.worker_pid().unwrap();
    // Let the writer finish handing it over (a request killed before it
    // was written would be re-queued, not failed).
    std::thread::sleep(Duration::from_millis(20));
    kill(Pid::from_raw(victim as i32), Signal::SIGKILL).unwrap();
    match long.result() {
        Err(TaskError::WorkerDied { pid, cause }) => {
            assert_eq!(pid, victim);
            assert!(cause.contains("SIGKILL"), "{cause}");
        }
        other => panic!("expected a dead worker, got {other:?}"),
    }
    for (x, handle) in (1..=10).zip(others) {
        assert_eq!(number(handle.result()), x * x * x);
    }
    eventually("a replacement worker", || pool.worker_pids().len() == 2);
    assert!(!pool.worker_pids().contains(&victim));
}

/// An idle worker that dies is noticed and replaced, and nothing is lost.
#[test]
fn idle_worker_killed_is_replaced() {
    let pool = pool(2);
    let before = pool.worker_pids();
    kill(Pid::from_raw(before[0] as i32), Signal::SIGKILL).unwrap();
    eventually("the dead worker to be replaced", || {
        let now = pool.worker_pids();
        now.len() == 2 && !now.contains(&before[0])
    });
    let results: Vec<i64> = pool
        .map((1..=10).map(TestTask::Cube), 1)
        .unwrap()
        .map(number)
        .collect();
    assert_eq!(results, (1..=10).map(|x: i64| x.pow(3)).collect::<Vec<_>>());
}

/// 16 MiB arguments and results cross both ways at once without deadlock.
#[test]
fn sixteen_mib_arguments_and_results() {
    let pool = pool(2);
    let big = "x".repeat(16 * 1024 * 1024);
    let handles: Vec<_> = (0..3)
        .map(|_| pool.submit(TestTask::Echo(big.clone())).unwrap())
        .collect();
    for handle in handles {
        assert_eq!(handle.result(), Ok(Output::Text(big.clone())));
    }
}

/// A task above the maximum frame size is refused at submit, clearly; a
/// result above it comes back as a protocol error, and the pool goes on.
#[test]
fn frames_above_the_maximum_are_refused() {
    let pool = ProcessPoolExecutor::<TestTask>::builder(1)
        .max_frame_bytes(1024)
        .build()
        .unwrap();
    let refused = pool.submit(TestTask::Echo("y".repeat(4096)));
    assert!(
        matches!(&refused, Err(PoolError::Protocol(e)) if e.to_string().contains("maximum frame size")),
        "{refused:?}"
    );
    assert_eq!(number(pool.submit(TestTask::Cube(2)).unwrap().result()), 8);
}

/// cancel() works on a queued task only; the cancelled task never runs.
#[test]
fn cancel_a_pending_task() {
    let pool = pool(1);
    let running = pool.submit(TestTask::Sleep(200)).unwrap();
    let pending = pool.submit(TestTask::Cube(5)).unwrap();
    assert!(pending.cancel());
    assert!(pending.cancelled() && pending.done());
    eventually("the first task to start", || running.running());
    assert!(!running.cancel(), "a running task cannot be cancelled");
    assert_eq!(pending.result(), Err(TaskError::Cancelled));
    assert!(matches!(running.result(), Ok(Output::Worker { .. })));
}

/// result_timeout gives Timeout while the task runs, then the result;
/// any timeout works, however large.
#[test]
fn result_timeout_then_result() {
    let pool = pool(1);
    let mut handle = pool.submit(TestTask::Sleep(100)).unwrap();
    assert_eq!(
        handle.result_timeout(Duration::from_millis(1)),
        Err(TaskError::Timeout(Duration::from_millis(1)))
    );
    assert!(handle.result_timeout(Duration::from_secs(10)).is_ok());
    assert_eq!(
        handle.result_timeout(Duration::from_millis(1)),
        Err(TaskError::AlreadyTaken)
    );
    // A timeout too large for the clock waits for the result instead of
    // overflowing.
    let mut cube = pool.submit(TestTask::Cube(2)).unwrap();
    assert_eq!(number(cube.result_timeout(Duration::MAX)), 8);
}

/// shutdown(cancel_futures) cancels what is queued, lets the running task
/// finish, and refuses new work.
#[test]
fn shutdown_with_cancel_futures() {
    let pool = pool(1);
    let running = pool.submit(TestTask::Sleep(100)).unwrap();
    let queued: Vec<_> = (1..=5)
        .map(|x| pool.submit(TestTask::Cube(x)).unwrap())
        .collect();
    eventually("the first task to start", || running.running());
    pool.shutdown(true, true);
    assert!(running.result().is_ok());
    for handle in queued {
        assert_eq!(handle.result(), Err(TaskError::Cancelled));
    }
    assert!(matches!(
        pool.submit(TestTask::Cube(1)),
        Err(PoolError::ShutDown)
    ));
    assert!(pool.worker_pids().is_empty());
}

/// shutdown without cancel_futures runs everything already queued.
#[test]
fn shutdown_without_cancel_runs_the_queue() {
    let pool = pool(2);
    let handles: Vec<_> = (1..=20)
        .map(|x| pool.submit(TestTask::Cube(x)).unwrap())
        .collect();
    pool.shutdown(true, false);
    for (x, handle) in (1..=20).zip(handles) {
        assert_eq!(number(handle.result()), x * x * x);
    }
}

/// max_tasks_per_child: each process runs at most that many tasks, then a
/// fresh one takes over.
#[test]
fn max_tasks_per_child_respawns_workers() {
    let pool = ProcessPoolExecutor::builder(1)
        .max_tasks_per_child(2)
        .build()
        .unwrap();
    let pids: Vec<u32> = (0..6)
        .map(|_| pool.submit(TestTask::WhoAmI).unwrap())
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| worker_of(h.result()).0)
        .collect();
    let mut per_pid: HashMap<u32, usize> = HashMap::new();
    for pid in &pids {
        *per_pid.entry(*pid).or_default() += 1;
    }
    assert_eq!(per_pid.len(), 3, "{pids:?}");
    assert!(per_pid.values().all(|&n| n == 2), "{pids:?}");
}

/// The initializer runs exactly once in every worker, replacements too.
#[test]
fn initializer_runs_once_per_worker() {
    let pool = ProcessPoolExecutor::builder(2)
        .initializer(TestTask::Initialize)
        .max_tasks_per_child(5)
        .build()
        .unwrap();
    let infos: Vec<(u32, u64)> = pool
        .map((0..30).map(|_| TestTask::WhoAmI), 1)
        .unwrap()
        .map(worker_of)
        .collect();
    assert!(infos.iter().all(|&(_, n)| n == 1), "{infos:?}");
    let pids: HashSet<u32> = infos.iter().map(|&(pid, _)| pid).collect();
    assert!(pids.len() >= 6, "30 tasks, 5 per child: {pids:?}");

    let plain = pool_without_initializer();
    assert_eq!(
        worker_of(plain.submit(TestTask::WhoAmI).unwrap().result()).1,
        0
    );
}

fn pool_without_initializer() -> ProcessPoolExecutor<TestTask> {
    pool(1)
}

/// A failing initializer breaks the pool, as in Python.
#[test]
fn failing_initializer_breaks_the_pool() {
    let result = ProcessPoolExecutor::builder(2)
        .initializer(TestTask::Fail("no database".into()))
        .build();
    match result {
        Err(PoolError::Broken(why)) => assert!(why.contains("no database"), "{why}"),
        Err(other) => panic!("expected a broken pool, got {other}"),
        Ok(_) => panic!("expected a broken pool"),
    }
}

/// A worker cannot create a pool of its own.
#[test]
fn no_pool_inside_a_worker() {
    let pool = pool(1);
    match pool.submit(TestTask::NestedPool).unwrap().result() {
        Err(TaskError::Failed(message)) => assert!(message.contains("inside a pool worker")),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Bad sizes are refused with a clear error.
#[test]
fn bad_sizes_are_refused() {
    assert!(matches!(
        ProcessPoolExecutor::<TestTask>::new(0),
        Err(PoolError::WorkerCount { got: 0, .. })
    ));
    assert!(matches!(
        ProcessPoolExecutor::<TestTask>::builder(1)
            .max_tasks_per_child(0)
            .build(),
        Err(PoolError::ZeroMaxTasksPerChild)
    ));
}

/// stop() (Python 3.14's kill_workers) stops at once: running tasks die,
/// queued ones are cancelled.
#[test]
fn stop_kills_workers_and_cancels_the_queue() {
    let pool = pool(1);
    let running = pool.submit(TestTask::Sleep(20_000)).unwrap();
    let queued = pool.submit(TestTask::Cube(2)).unwrap();
    eventually("the long task to start", || running.running());
    let started = Instant::now();
    pool.stopper().stop();
    assert!(matches!(
        running.result(),
        Err(TaskError::WorkerDied { .. })
    ));
    assert_eq!(queued.result(), Err(TaskError::Cancelled));
    drop(pool);
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A handle is a Future: awaiting it gives the outcome (here with a
/// minimal executor, to show no runtime is needed).
#[test]
fn a_handle_can_be_awaited() {
    let pool = pool(1);
    let handle = pool.submit(TestTask::Cube(6)).unwrap();
    let outcome = block_on(handle);
    assert_eq!(number(outcome), 216);
}

/// The smallest executor: park the thread until the waker unparks it.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut context) {
            return value;
        }
        std::thread::park();
    }
}

/// Requests a dead worker had been sent but had not started (queued in
/// its socket behind the task it was running, or cut off mid-write by the
/// broken pipe) are re-queued and run on the replacement; only the running
/// task fails.
#[test]
fn requests_behind_a_dead_worker_are_requeued() {
    let pool = pool(1);
    // Short tasks first, so the window rule lets the worker hold several.
    let warm: Vec<i64> = pool
        .map((1..=4).map(TestTask::Cube), 1)
        .unwrap()
        .map(number)
        .collect();
    assert_eq!(warm, [1, 8, 27, 64]);
    let long = pool.submit(TestTask::Sleep(20_000)).unwrap();
    eventually("the long task to reach the worker", || long.running());
    // 4 MiB each: far more than a socket buffer holds, so the writer is
    // blocked mid-frame when the worker dies.
    let big = "z".repeat(4 * 1024 * 1024);
    let behind: Vec<_> = (0..6)
        .map(|_| pool.submit(TestTask::Echo(big.clone())).unwrap())
        .collect();
    // The writer takes at least one and blocks writing it: the worker
    // sleeps and does not read.
    eventually("a request to be handed to the busy worker", || {
        behind.iter().any(|h| h.running())
    });
    std::thread::sleep(Duration::from_millis(20));
    let victim = long.worker_pid().unwrap();
    kill(Pid::from_raw(victim as i32), Signal::SIGKILL).unwrap();
    assert!(matches!(long.result(), Err(TaskError::WorkerDied { .. })));
    for handle in behind {
        handle.wait();
        assert_ne!(handle.worker_pid(), Some(victim), "ran on the dead worker?");
        assert_eq!(handle.result(), Ok(Output::Text(big.clone())));
    }
}

/// The pool and its handles can be shared with other threads and async
/// tasks (an `Arc<ProcessPoolExecutor<_>>` in a tokio server, a handle
/// awaited on another thread).
#[test]
fn pool_and_handles_are_send_and_sync() {
    fn assert_send_sync<X: Send + Sync>() {}
    assert_send_sync::<ProcessPoolExecutor<TestTask>>();
    assert_send_sync::<process_pool::TaskHandle<TestTask>>();
    assert_send_sync::<process_pool::PoolStopper<TestTask>>();
}
