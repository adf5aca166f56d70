//! Futures both ways, each with a timeout: async code awaiting a pool job
//! (`asyncio.wrap_future`), a plain thread waiting for a task
//! (`asyncio.run_coroutine_threadsafe`).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use asyncio_and_futures::bridge::{
    PoolWait, ResultError, run_coroutine_threadsafe, wait_for_pool_job,
};
use asyncio_and_futures::jobs::rayon_pool;

/// A generous timeout: the job's result arrives in time and is right.
#[tokio::test]
async fn awaiting_a_pool_job_in_time() {
    let pool = rayon_pool(1).unwrap();
    let wait = wait_for_pool_job(&pool.pool, 3, 1000, Duration::from_secs(30)).await;
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
    let wait = wait_for_pool_job(&pool.pool, 2, 5_000_000, Duration::from_millis(1)).await;
    match wait {
        PoolWait::TimedOut {
            then: Ok(outcome), ..
        } => assert_eq!(outcome.result, 10_000_000),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(pool.shutdown(), 1);
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
