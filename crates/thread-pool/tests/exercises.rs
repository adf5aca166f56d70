//! The checks of the exercises on docs/thread-pool.md, run on the
//! learner's files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p thread-pool --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). Order is forced with channels
//! and gates, never with sleeps; the only real wait is the 20 ms timeout
//! that exercise 1 must wait out.
#![allow(clippy::unwrap_used)]

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/result_timeout.rs"
)]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/result_timeout.rs")]
mod result_timeout;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/try_map.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/try_map.rs")]
mod try_map;

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/one_thread_per_item.rs"
)]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/one_thread_per_item.rs"
)]
mod one_thread_per_item;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::ItemResult;
use common::workloads::Workload;
use runner::Recorder;
use thread_pool::{TaskError, ThreadPoolExecutor};

/// A value already there comes at once; a value set by another thread
/// while the reader waits comes as soon as it is set; no value gives
/// `None`, after the timeout and not much later, and a value set after
/// that is still there for `result()`.
#[test]
fn result_timeout() {
    use result_timeout::Slot;
    let there = Slot::new();
    there.set(27);
    assert_eq!(
        there.result_timeout(Duration::ZERO),
        Some(27),
        "already set"
    );

    let slot = Arc::new(Slot::new());
    let (reading, reader_is_reading) = mpsc::channel();
    let setter = {
        let slot = Arc::clone(&slot);
        std::thread::spawn(move || {
            reader_is_reading.recv().unwrap();
            slot.set(125);
        })
    };
    reading.send(()).unwrap();
    let started = Instant::now();
    assert_eq!(slot.result_timeout(Duration::from_secs(10)), Some(125));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "did not wait it out"
    );
    setter.join().unwrap();

    let empty: Slot<i64> = Slot::new();
    let timeout = Duration::from_millis(20);
    let started = Instant::now();
    assert_eq!(empty.result_timeout(timeout), None);
    let waited = started.elapsed();
    assert!(
        waited >= timeout,
        "gave up after {waited:?}, before the timeout"
    );
    assert!(waited < Duration::from_secs(2), "waited {waited:?}");
    empty.set(729);
    assert_eq!(
        empty.result(),
        729,
        "a value set after the timeout still comes"
    );
}

/// All values in input order; with two failing items, the first in
/// input order, even when the later one fails first; and every item
/// still ran (they were all submitted before the first result was read).
#[test]
fn try_map() {
    let pool = ThreadPoolExecutor::new(2).unwrap();
    let cubes = try_map::try_map(&pool, common::cube, [2, 4, 6, 8]);
    assert_eq!(cubes, Ok(vec![8, 64, 216, 512]));

    // Item 2 fails only once item 4 has failed.
    let (four_failed, wait_for_four) = mpsc::channel::<()>();
    let (wait_for_four, ran) = (Mutex::new(wait_for_four), Arc::new(AtomicUsize::new(0)));
    let counted = Arc::clone(&ran);
    let outcome = try_map::try_map(
        &pool,
        move |i: u64| {
            counted.fetch_add(1, Ordering::SeqCst);
            match i {
                2 => {
                    let _ = wait_for_four
                        .lock()
                        .unwrap()
                        .recv_timeout(Duration::from_secs(5));
                    Err(format!("item {i} failed"))
                }
                4 => {
                    let _ = four_failed.send(());
                    Err(format!("item {i} failed"))
                }
                _ => Ok(i * 10),
            }
        },
        0..6,
    );
    assert_eq!(outcome, Err(TaskError::Failed("item 2 failed".to_owned())));
    let report = pool.shutdown();
    assert_eq!(
        ran.load(Ordering::SeqCst),
        6,
        "the items after the error ran too"
    );
    assert_eq!(report.tasks_completed, 4 + 6);
}

/// One thread per item, named for it, each saying its item's line; the
/// results in item order.
#[test]
fn one_thread_per_item() {
    let out = Recorder::quiet();
    let work = Workload {
        items: 5,
        iterations: 1_000,
    };
    let results = one_thread_per_item::evaluate_scoped(&out, work).unwrap();
    let expected: Vec<ItemResult> = (1..=5)
        .map(|item| common::evaluate_item(item, 1_000).unwrap())
        .collect();
    assert_eq!(results, expected);
    for result in &expected {
        let thread = format!("item-{}", result.item);
        assert_eq!(out.messages_of(&thread), [result.to_string()], "{thread}");
    }
    assert_eq!(out.lines().len(), 5, "one line per item, nothing else");
}
