//! The checks of the exercises on docs/asyncio-and-futures.md, run on the
//! learner's files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p asyncio-and-futures --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). Each runs on tokio's
//! current-thread runtime, one thread like asyncio's loop, and judges by
//! what the other tasks on that thread got to do, not by timings.
#![allow(clippy::unwrap_used)]

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/cooperative.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/cooperative.rs")]
mod cooperative;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/own_thread.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/own_thread.rs")]
mod own_thread;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// Exercise 2: the cooperative job gives `count`'s result (also when the
/// last chunk is short), an overflow is still an error, and while it runs
/// another task on the same thread gets a turn after every chunk.
#[tokio::test]
async fn cooperative() {
    let turns = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let other = tokio::spawn({
        let (turns, done) = (Arc::clone(&turns), Arc::clone(&done));
        async move {
            while !done.load(Ordering::SeqCst) {
                turns.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
            }
        }
    });
    // 100 chunks of 1,000 steps and a last one of 500.
    let result = cooperative::count_cooperatively(3, 100_500, 1_000).await;
    done.store(true, Ordering::SeqCst);
    other.await.unwrap();
    assert_eq!(result.unwrap(), 301_500);
    let turns = turns.load(Ordering::SeqCst);
    assert!(
        turns >= 100,
        "the other task ran {turns} times while 101 chunks were counted: \
         the loop must give the thread back after every chunk"
    );
    assert!(
        cooperative::count_cooperatively(u64::MAX, 2, 10)
            .await
            .is_err()
    );
    assert_eq!(cooperative::count_cooperatively(7, 5, 0).await.unwrap(), 35);
}

/// Exercise 3: the work runs on a thread named as asked, and the loop is
/// free meanwhile. The proof: the work waits for a message that only
/// another task on this one-thread loop sends. If the loop is held, that
/// task cannot run, and the work gives up after a second and says so.
#[tokio::test]
async fn own_thread() {
    let (send, receive) = std::sync::mpsc::channel::<()>();
    let other = tokio::spawn(async move {
        let _ = send.send(());
    });
    let (ran_on, loop_was_free) = own_thread::on_own_thread("my-worker", move || {
        let free = receive.recv_timeout(Duration::from_secs(1)).is_ok();
        (std::thread::current().name().map(str::to_owned), free)
    })
    .await
    .unwrap();
    other.await.unwrap();
    assert_eq!(ran_on.as_deref(), Some("my-worker"), "the thread's name");
    assert!(
        loop_was_free,
        "the other task never ran while the work did: the loop was held"
    );
}
