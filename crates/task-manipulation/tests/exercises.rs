//! The checks of the exercises on docs/task-manipulation.md, run on the
//! learner's files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p task-manipulation --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). All on tokio's paused clock:
//! every time exact, no real waiting.
#![allow(clippy::unwrap_used)]

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/gather_first_error.rs"
)]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/gather_first_error.rs"
)]
mod gather_first_error;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/wait_timeout.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/wait_timeout.rs")]
mod wait_timeout;

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/cancel_safe_reader.rs"
)]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/cancel_safe_reader.rs"
)]
mod cancel_safe_reader;

use std::time::Duration;

use runner::Recorder;
use task_manipulation::Pace;
use task_manipulation::port::RACE;
use task_manipulation::work::{CANCELLED, job_of};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// Seconds as a Duration.
fn s(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds)
}

/// gather without return_exceptions: all three succeed -> [1, 8, 27] in
/// argument order after 3 s (the longest); with a failing job (0.5 s) in
/// the middle -> its error at 0.5 s, and the two others still running in
/// the set returned: they finish at 1 s and 2 s, uncancelled.
#[tokio::test(start_paused = true)]
async fn gather_first_error() {
    let (log, pace) = (Recorder::quiet(), Pace::default());
    let start = Instant::now();
    let all = gather_first_error::gather(RACE.map(|spec| job_of(&log, pace, spec)).into()).await;
    assert_eq!(all.ok(), Some(vec![1, 8, 27]));
    assert_eq!(start.elapsed(), s(3.0));

    let start = Instant::now();
    let jobs = vec![
        job_of(&log, pace, ("healthy", 1.0, 2)),
        job_of(&log, pace, ("failing", 0.5, i64::MAX)),
        job_of(&log, pace, ("slower", 2.0, 3)),
    ];
    let Err((error, mut running)) = gather_first_error::gather(jobs).await else {
        panic!("the failing job's error should come back");
    };
    assert!(error.to_string().contains("overflows"), "{error}");
    assert_eq!(start.elapsed(), s(0.5), "at once, not after the others");
    assert_eq!(running.len(), 2, "the other two, still running");
    let mut rest = Vec::new();
    while let Some(joined) = running.join_next().await {
        let (index, value) = joined.unwrap();
        rest.push((index, value.unwrap(), start.elapsed()));
    }
    assert_eq!(rest, [(0, 8, s(1.0)), (2, 27, s(2.0))]);
    assert_eq!(log.when("healthy", CANCELLED), None);
    assert_eq!(log.when("slower", CANCELLED), None);
}

/// wait with a timeout: the RACE jobs (3, 1, 2 s) with 2.5 s -> fast and
/// medium, returned at 2.5 s; slow still running, it finishes at 3 s. With
/// 10 s -> all three, returned at 3 s, not at 10. With 0.5 s -> none, all
/// three left running.
#[tokio::test(start_paused = true)]
async fn wait_timeout() {
    let (log, pace) = (Recorder::quiet(), Pace::default());
    let spawn_all = || {
        let mut set = JoinSet::new();
        for spec in RACE {
            set.spawn(job_of(&log, pace, spec));
        }
        set
    };
    let start = Instant::now();
    let mut set = spawn_all();
    let done = wait_timeout::wait(&mut set, s(2.5)).await.unwrap();
    let done: Vec<i64> = done.into_iter().map(Result::unwrap).collect();
    assert_eq!((done, start.elapsed()), (vec![8, 27], s(2.5)));
    assert_eq!(set.len(), 1, "slow is pending");
    let slow = set.join_next().await.unwrap().unwrap().unwrap();
    assert_eq!(
        (slow, start.elapsed()),
        (1, s(3.0)),
        "and was still running"
    );

    let start = Instant::now();
    let mut set = spawn_all();
    let done = wait_timeout::wait(&mut set, s(10.0)).await.unwrap();
    assert_eq!((done.len(), start.elapsed()), (3, s(3.0)));
    assert!(set.is_empty());

    let start = Instant::now();
    let mut set = spawn_all();
    let done = wait_timeout::wait(&mut set, s(0.5)).await.unwrap();
    assert_eq!((done.len(), start.elapsed(), set.len()), (0, s(0.5), 3));
    set.shutdown().await;
}

/// The fixed select! loop: against the pitfall's producer (a byte every
/// 0.35 s) and a tick every 1.2 s, all four messages arrive whole, four
/// ticks pass, and it ends when the channel closes, at 5.6 s.
#[tokio::test(start_paused = true)]
async fn cancel_safe_reader() {
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let producer = tokio::spawn(async move {
        for &byte in b"msg1msg2msg3msg4" {
            tokio::time::sleep(s(0.35)).await;
            tx.send(byte).await.unwrap();
        }
    });
    let start = Instant::now();
    let tick = tokio::time::interval_at(start + s(1.2), s(1.2));
    let (messages, ticks) = cancel_safe_reader::read_all(rx, tick).await;
    assert_eq!(messages, ["msg1", "msg2", "msg3", "msg4"]);
    assert_eq!(ticks, 4);
    assert_eq!(start.elapsed(), s(5.6));
    producer.await.unwrap();
}
