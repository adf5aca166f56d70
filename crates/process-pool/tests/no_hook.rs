//! A test binary *without* `worker_test_hook!`: the pool must refuse to
//! start with an error naming the missing hook, quickly, without running
//! this file's tests again in the workers.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use process_pool::{PoolError, ProcessPoolExecutor};

mod support;
use support::TestTask;

/// No hook: a clear error, not a hang and not a fork bomb.
#[test]
fn a_missing_hook_is_a_clear_error() {
    let started = Instant::now();
    match ProcessPoolExecutor::<TestTask>::new(2) {
        Err(PoolError::Broken(why)) => {
            assert!(why.contains("worker_entry"), "{why}");
            assert!(why.contains("worker_test_hook!"), "{why}");
            assert!(why.contains("before it said it was ready"), "{why}");
        }
        Err(other) => panic!("expected a broken pool, got {other}"),
        Ok(_) => panic!("a pool started without a worker hook"),
    }
    assert!(started.elapsed() < Duration::from_secs(10));
}
