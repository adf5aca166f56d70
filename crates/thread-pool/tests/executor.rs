//! The executor's promises, through its public API: results and their
//! order, `done`, failures and panics kept per task, `shutdown` and drop
//! waiting and joining, `stop` cancelling what has not started.
#![allow(clippy::unwrap_used)]

use common::{WorkloadError, cube};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use thread_pool::{ExecutorError, TaskError, ThreadPoolExecutor};

/// submit(cube, 3).result() is 27, as in the chapter.
#[test]
fn submit_then_result() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    assert_eq!(pool.submit(|| cube(3)).result(), Ok(27));
}

/// map gives results in input order even when later items finish first.
#[test]
fn map_keeps_input_order() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    let results: Vec<_> = pool.map(cube, [2, 4, 6, 8]).collect();
    assert_eq!(results, vec![Ok(8), Ok(64), Ok(216), Ok(512)]);

    // Item 0 is held back until items 1, 2 and 3 have finished: the
    // results still come in the order of the items.
    let (release, gate) = mpsc::channel::<()>();
    let gate = Mutex::new(gate);
    let finish_order = Arc::new(Mutex::new(Vec::new()));
    let (finished, finished_rx) = mpsc::channel();
    let order = Arc::clone(&finish_order);
    let results = pool.map(
        move |i: u64| {
            if i == 0 {
                gate.lock().unwrap().recv().unwrap();
            }
            order.lock().unwrap().push(i);
            let _ = finished.send(());
            Ok::<_, WorkloadError>(i * 10)
        },
        0..4,
    );
    let releaser = std::thread::spawn(move || {
        for _ in 0..3 {
            finished_rx.recv().unwrap();
        }
        release.send(()).unwrap();
    });
    let results: Vec<_> = results.collect();
    releaser.join().unwrap();
    assert_eq!(results, vec![Ok(0), Ok(10), Ok(20), Ok(30)]);
    assert_eq!(
        finish_order.lock().unwrap().last(),
        Some(&0),
        "item 0 finished last"
    );
}

/// done() is false while the task is held back and true once it ran.
#[test]
fn done_tells_whether_finished() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    let (release, gate) = mpsc::channel::<()>();
    let handle = pool.submit(move || {
        gate.recv().unwrap();
        cube(3)
    });
    assert!(!handle.done());
    release.send(()).unwrap();
    handle.wait();
    assert!(handle.done());
    assert_eq!(handle.result(), Ok(27));
}

/// A failing task and a panicking task each report their own error;
/// the tasks around them complete, and the pool keeps its workers.
#[test]
fn failures_are_isolated() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    let before = pool.submit(|| cube(2));
    let failing = pool.submit(|| cube(3_000_000));
    let panicking = pool.submit(|| -> Result<i64, WorkloadError> { panic!("boom") });
    let after = pool.submit(|| cube(4));
    assert_eq!(before.result(), Ok(8));
    assert!(matches!(
        failing.result(),
        Err(TaskError::Failed(WorkloadError::Overflow { .. }))
    ));
    assert_eq!(panicking.result(), Err(TaskError::Panicked("boom".into())));
    assert_eq!(after.result(), Ok(64));
    let report = pool.shutdown();
    assert_eq!(report.workers_joined, 2);
    assert_eq!(report.tasks_completed, 4);
}

/// shutdown waits for tasks still queued behind busy workers, then
/// joins every worker thread.
#[test]
fn shutdown_waits_for_queued_tasks_and_joins_workers() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    let ran = Arc::new(AtomicUsize::new(0));
    let (release, gate) = mpsc::channel::<()>();
    let gate = Arc::new(Mutex::new(gate));
    // Two tasks block both workers; six more wait in the queue.
    for _ in 0..8 {
        let ran = Arc::clone(&ran);
        let gate = Arc::clone(&gate);
        drop(pool.submit(move || {
            let _ = gate.lock().unwrap().recv_timeout(Duration::from_secs(5));
            ran.fetch_add(1, Ordering::SeqCst);
            Ok::<_, WorkloadError>(())
        }));
    }
    let releaser = std::thread::spawn(move || {
        for _ in 0..8 {
            release.send(()).unwrap();
        }
    });
    let report = pool.shutdown();
    releaser.join().unwrap();
    assert_eq!(ran.load(Ordering::SeqCst), 8, "shutdown returned early");
    assert_eq!(report.tasks_completed, 8);
    assert_eq!(report.workers_joined, 2);
}

/// Dropping the pool (leaving a `with` block) also waits for its tasks.
#[test]
fn drop_waits_for_tasks() {
    let ran = Arc::new(AtomicUsize::new(0));
    {
        let pool = ThreadPoolExecutor::new(3).unwrap();
        for _ in 0..10 {
            let ran = Arc::clone(&ran);
            drop(pool.submit(move || {
                std::thread::yield_now();
                ran.fetch_add(1, Ordering::SeqCst);
                Ok::<_, WorkloadError>(())
            }));
        }
    }
    assert_eq!(ran.load(Ordering::SeqCst), 10);
}

/// stop() from another thread: the running task finishes, the queued
/// ones and any submitted later are cancelled without running, and
/// shutdown still joins every worker.
#[test]
fn stop_cancels_what_has_not_started() {
    let pool = ThreadPoolExecutor::new(1).unwrap();
    let ran = Arc::new(AtomicUsize::new(0));
    let (started, started_rx) = mpsc::channel::<()>();
    let (release, gate) = mpsc::channel::<()>();
    let running = pool.submit(move || {
        started.send(()).unwrap();
        gate.recv().unwrap();
        cube(3)
    });
    let queued: Vec<_> = (0..3)
        .map(|_| {
            let ran = Arc::clone(&ran);
            pool.submit(move || Ok::<_, WorkloadError>(ran.fetch_add(1, Ordering::SeqCst)))
        })
        .collect();
    started_rx.recv().unwrap();
    let stopper = pool.stopper();
    std::thread::spawn(move || stopper.stop()).join().unwrap();
    let late = pool.submit(|| cube(4));
    release.send(()).unwrap();
    assert_eq!(running.result(), Ok(27));
    for handle in queued {
        assert_eq!(handle.result(), Err(TaskError::Cancelled));
    }
    assert_eq!(late.result(), Err(TaskError::Cancelled));
    assert_eq!(ran.load(Ordering::SeqCst), 0, "a cancelled task ran");
    let report = pool.shutdown();
    assert_eq!(report.tasks_completed, 1);
    assert_eq!(report.workers_joined, 1);
}

/// Zero workers is refused, as Python's ValueError.
#[test]
fn zero_workers_refused() {
    assert!(matches!(
        ThreadPoolExecutor::new(0),
        Err(ExecutorError::ZeroWorkers)
    ));
}

/// Workers are named worker-0, worker-1, ...
#[test]
fn workers_are_named() {
    let pool = ThreadPoolExecutor::new(1).unwrap();
    let name = pool
        .submit(|| Ok::<_, WorkloadError>(common::clock::thread_label()))
        .result()
        .unwrap();
    assert_eq!(name, "worker-0");
}
