//! The checks of the exercises on docs/distributed-pool.md, run on the
//! learner's files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p distributed-pool --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). Exercise 1 needs `nats-server`
//! (it starts its own on a free loopback port).
#![allow(clippy::unwrap_used)]

mod support;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/save_once.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/save_once.rs")]
mod save_once;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/collect_once.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/collect_once.rs")]
mod collect_once;

use distributed_pool::{LocalServer, Queue, Settings, queue};
use save_once::Saved;

/// Exercise 1: the first save of a key is the result; a second save of
/// the same key (a job that ran twice) says so and leaves the first value.
#[test]
fn save_once() {
    if !support::have_nats() {
        return;
    }
    let server = LocalServer::start().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let nats = queue::connect(&server.address(), "exercise").await.unwrap();
        let results = Queue::open(nats, &Settings::default())
            .await
            .unwrap()
            .results;
        let first = save_once::save_result(&results, "batch.1", "first run".into()).await;
        assert_eq!(first, Ok(Saved::First));
        let second = save_once::save_result(&results, "batch.1", "second run".into()).await;
        assert_eq!(
            second,
            Ok(Saved::AlreadyThere),
            "a second save must notice the first"
        );
        let kept = results.get("batch.1").await.unwrap().unwrap();
        assert_eq!(&kept[..], b"first run", "the first run's result stays");
        let other = save_once::save_result(&results, "batch.2", "x".into()).await;
        assert_eq!(other, Ok(Saved::First), "another task's key is its own");
    });
}

/// Exercise 2: out-of-order arrivals with a duplicate and a stranger give
/// the first result of each task, in task order.
#[test]
fn collect_once() {
    use collect_once::{Collected, collect_once};
    let arrivals = [(3, 30), (1, 10), (3, 31), (0, 99), (7, 70), (2, 20)];
    assert_eq!(
        collect_once(4, arrivals),
        Collected {
            results: vec![Some(10), Some(20), Some(30), None],
            duplicates: 1,
        }
    );
    assert_eq!(
        collect_once(0, [(1, 1)]),
        Collected {
            results: vec![],
            duplicates: 0
        }
    );
}
