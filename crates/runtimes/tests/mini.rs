//! The std-only executor on its own: timers fire in deadline order, the
//! loop returns when no work is left, other threads can wake tasks.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use runtimes::mini::{Executor, unblock};

/// Timers fire in deadline order (ties in the order they were set), each
/// at its exact deadline on the virtual clock, and `run` returns once the
/// last task is done.
#[test]
fn timers_fire_in_deadline_order_and_run_returns() {
    let executor = Executor::new_virtual();
    let handle = executor.handle();
    let fired = Arc::new(Mutex::new(Vec::new()));
    for (name, ms) in [
        ("c", 3000),
        ("a1", 1000),
        ("b", 2000),
        ("a2", 1000),
        ("zero", 0),
    ] {
        let (h, fired) = (handle.clone(), Arc::clone(&fired));
        handle.spawn(async move {
            h.sleep(Duration::from_millis(ms)).await;
            fired.lock().unwrap().push((name, h.now()));
        });
    }
    executor.run();
    let s = Duration::from_secs;
    assert_eq!(
        *fired.lock().unwrap(),
        vec![
            ("zero", s(0)),
            ("a1", s(1)),
            ("a2", s(1)),
            ("b", s(2)),
            ("c", s(3))
        ]
    );
    assert_eq!(handle.now(), s(3));
}

/// With nothing spawned, `run` returns at once; tasks spawned by tasks
/// are run too; `block_on` returns the future's output.
#[test]
fn run_returns_when_no_work_is_left() {
    let executor = Executor::new_virtual();
    executor.run();
    let handle = executor.handle();
    let count = Arc::new(Mutex::new(0));
    let (h, c) = (handle.clone(), Arc::clone(&count));
    handle.spawn(async move {
        for _ in 0..3 {
            let c = Arc::clone(&c);
            let h2 = h.clone();
            h.spawn(async move {
                h2.sleep(Duration::from_secs(1)).await;
                *c.lock().unwrap() += 1;
            });
        }
    });
    executor.run();
    assert_eq!(*count.lock().unwrap(), 3);
    assert_eq!(executor.block_on(async { 6 * 7 }), 42);
}

/// Blocking the loop's thread delays timers; the loop catches up after.
#[test]
fn blocking_delays_timers() {
    let executor = Executor::new_virtual();
    let handle = executor.handle();
    let seen = Arc::new(Mutex::new(None));
    let (h, s) = (handle.clone(), Arc::clone(&seen));
    handle.spawn(async move {
        h.sleep(Duration::from_secs(1)).await;
        *s.lock().unwrap() = Some(h.now());
    });
    let h = handle.clone();
    handle.spawn(async move { h.block(Duration::from_secs(3)) });
    executor.run();
    assert_eq!(*seen.lock().unwrap(), Some(Duration::from_secs(3)));
}

/// On the real clock: a thread finishing blocking work wakes the waiting
/// task, and the loop sleeps (rather than spins) until then.
#[test]
fn other_threads_wake_tasks() {
    let executor = Executor::new();
    let value = executor.block_on(unblock(|| {
        std::thread::sleep(Duration::from_millis(20));
        7
    }));
    assert_eq!(value, Some(7));
    let handle = executor.handle();
    let start = handle.now();
    executor.block_on(handle.sleep(Duration::from_millis(30)));
    assert!(handle.now() - start >= Duration::from_millis(30));
}

/// Dropping the executor (Python: `loop.close()`) drops every unfinished
/// task: their destructors run, nothing is kept alive.
#[test]
fn dropping_the_executor_drops_pending_tasks() {
    /// Counts its drops.
    struct Guard(Arc<Mutex<u32>>);
    impl Drop for Guard {
        fn drop(&mut self) {
            *self.0.lock().unwrap() += 1;
        }
    }
    let dropped = Arc::new(Mutex::new(0));
    let executor = Executor::new_virtual();
    let handle = executor.handle();
    for _ in 0..3 {
        let (h, guard) = (handle.clone(), Guard(Arc::clone(&dropped)));
        handle.spawn(async move {
            let _guard = guard;
            h.sleep(Duration::from_secs(3600)).await;
        });
    }
    // Run only until a short main future is done: the three stay pending.
    let h = handle.clone();
    executor.block_on(async move { h.sleep(Duration::from_secs(1)).await });
    assert_eq!(*dropped.lock().unwrap(), 0);
    drop(executor);
    assert_eq!(*dropped.lock().unwrap(), 3);
}
