//! Futures both ways, each with a timeout: async code awaiting a pool job
//! (`asyncio.wrap_future`), a plain thread waiting for a task
//! (`asyncio.run_coroutine_threadsafe`).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use asyncio_and_futures::bridge::{PoolWait, ResultError, run_coroutine_threadsafe, wait_for_job};
use asyncio_and_futures::jobs::{CountTask, Jobs, on_process_pool, on_rayon, rayon_pool, run_job};
use process_pool::ProcessPoolExecutor;
use runner::{Recorder, SpanKind};

// This test binary is also the process pool's worker executable.
process_pool::worker_test_hook!(CountTask);

/// A generous timeout: the job's result arrives in time and is right.
#[tokio::test]
async fn awaiting_a_pool_job_in_time() {
    let pool = rayon_pool(1).unwrap();
    let jobs = Jobs::new(&Recorder::quiet());
    let job = on_rayon(&pool.pool, 3, move || {
        run_job(3, 1000, &jobs, SpanKind::Work)
    });
    let wait = wait_for_job(job, Duration::from_secs(30)).await;
    match wait {
        PoolWait::InTime(Ok(outcome)) => {
            assert_eq!(outcome.result, 3000);
            assert_eq!(outcome.ran_on, "rayon-0");
        }
        other => panic!("expected the result in time, got {other:?}"),
    }
    pool.shutdown();
}

/// With tokio's paused clock the 1 ms timeout fires as soon as the runtime
/// is idle, before the real job can finish: the wait times out, the job
/// does not stop, and its (right) result is still collected.
#[tokio::test(start_paused = true)]
async fn awaiting_a_pool_job_times_out_but_the_job_completes() {
    let pool = rayon_pool(1).unwrap();
    let jobs = Jobs::new(&Recorder::quiet());
    let job = on_rayon(&pool.pool, 2, move || {
        run_job(2, 5_000_000, &jobs, SpanKind::Work)
    });
    let wait = wait_for_job(job, Duration::from_millis(1)).await;
    match wait {
        PoolWait::TimedOut {
            then: Ok(outcome), ..
        } => assert_eq!(outcome.result, 10_000_000),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(pool.shutdown(), 1);
}

/// Awaiting a process pool's handle: in time, the result computed in a
/// worker process; with the paused clock and a 1 ms timeout, timed out,
/// and the job still completes in its worker.
#[tokio::test(start_paused = true)]
async fn awaiting_a_process_pool_handle() {
    let pool = ProcessPoolExecutor::<CountTask>::new(1).unwrap();
    let jobs = Jobs::new(&Recorder::quiet());
    let job = on_process_pool(&pool, 2, 5_000_000, jobs).unwrap();
    match wait_for_job(job, Duration::from_millis(1)).await {
        PoolWait::TimedOut {
            then: Ok(outcome), ..
        } => {
            assert_eq!(outcome.result, 10_000_000);
            assert_ne!(outcome.ran_on, format!("pid {}", std::process::id()));
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    drop(pool);
}

/// Awaiting a process pool's handle with a generous timeout: the result
/// comes in time, computed in another process.
#[tokio::test]
async fn awaiting_a_process_pool_handle_in_time() {
    let pool = ProcessPoolExecutor::<CountTask>::new(1).unwrap();
    let job = on_process_pool(&pool, 4, 1000, Jobs::new(&Recorder::quiet())).unwrap();
    match wait_for_job(job, Duration::from_secs(30)).await {
        PoolWait::InTime(Ok(outcome)) => {
            assert_eq!(outcome.result, 4000);
            assert!(outcome.ran_on.starts_with("pid "));
            assert_ne!(outcome.ran_on, format!("pid {}", std::process::id()));
        }
        other => panic!("expected the result in time, got {other:?}"),
    }
}

/// A plain thread gets an async task's result in time.
#[test]
fn a_thread_waits_for_a_task_in_time() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let future = run_coroutine_threadsafe(runtime.handle(), async {
        tokio::time::sleep(Duration::from_millis(1)).await;
        6 * 7
    });
    assert_eq!(future.result(Duration::from_secs(30)), Ok(42));
}

/// Sets its flag when dropped: proves a cancelled task's state was dropped.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// On timeout the task is cancelled at its `.await` and joined before
/// `result` returns: its state is already dropped and it never finishes.
#[test]
fn a_thread_gives_up_and_the_task_is_cancelled() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dropped = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let future = run_coroutine_threadsafe(runtime.handle(), {
        let flag = DropFlag(Arc::clone(&dropped));
        let finished = Arc::clone(&finished);
        async move {
            let _flag = flag;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            finished.store(true, Ordering::SeqCst);
        }
    });
    assert_eq!(
        future.result(Duration::from_millis(10)),
        Err(ResultError::TimedOut(Duration::from_millis(10)))
    );
    assert!(
        dropped.load(Ordering::SeqCst),
        "the task's state was dropped"
    );
    assert!(!finished.load(Ordering::SeqCst));
}
