//! Pitfall: `std::sync::Mutex` or `tokio::sync::Mutex` (tokio#6819).
//!
//! `std::sync::Mutex` (Python's `threading.Lock`) for data locked and
//! unlocked with **no `.await` in between**: it is cheaper. `tokio::sync::Mutex`
//! (`asyncio.Lock`) only when the lock must be **held across an `.await`**,
//! around an I/O resource whose writes must not interleave.
//!
//! A `std::sync::MutexGuard` held across an `.await` in futures joined in
//! one task (`join!`; spawned, it would not compile: the guard is not
//! `Send`) deadlocks: the second future blocks the thread in `lock()`, so
//! the first, which holds the lock, is never polled again to release it.
//! This demo ends the deadlock by giving up after a while.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::time::sleep;

use crate::Error;
use crate::work::{Pace, say, shown};
use runner::{Recorder, SpanKind};

/// The tasks of the first two sections.
const TASKS: [&str; 3] = ["a", "b", "c"];

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The counter after three tasks added 1 three times each.
    pub counter: u32,
    /// The lines of the shared "connection", locked line by line.
    pub interleaved: Vec<String>,
    /// The lines, each message under one `tokio::sync::Mutex` lock.
    pub whole: Vec<String>,
    /// Whether the `std::sync::Mutex` waiter gave up (the deadlock).
    pub std_deadlocked: bool,
    /// Whether the `tokio::sync::Mutex` waiter got the lock.
    pub tokio_locked: bool,
}

/// Writes `who`'s two-line message into `out`, one lock per line, with an
/// `.await` between the lines (the I/O of a real write).
async fn write_line_by_line(out: &Mutex<Vec<String>>, who: &str, pause: Duration) {
    for part in ["begin", "end"] {
        // Locked only to push: no `.await` while the guard lives.
        lock(out).push(format!("{who}: {part}"));
        sleep(pause).await;
    }
}

/// The same, holding a `tokio::sync::Mutex` across the `.await`.
async fn write_whole(out: &tokio::sync::Mutex<Vec<String>>, who: &str, pause: Duration) {
    let mut guard = out.lock().await; // waits without blocking the thread
    for part in ["begin", "end"] {
        guard.push(format!("{who}: {part}"));
        sleep(pause).await; // still locked: the others wait
    }
}

/// A `std::sync::Mutex`'s guard; a panic while it was held leaves a
/// consistent `Vec` here, so a poisoned lock is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Holds a `std::sync::Mutex` across an `.await`: the mistake.
#[allow(clippy::await_holding_lock)] // clippy is right; this is the demo
async fn hold_std(lock: &Mutex<()>, log: &Recorder, pause: Duration) {
    let _bar = log.span("holder", "holds std lock", SpanKind::Wait);
    let _guard = self::lock(lock);
    log.say(
        "holder",
        "locked; now awaits while holding the std::sync::Mutex",
    );
    sleep(pause).await;
    log.say("holder", "resumed: unlocks");
}

/// Blocks the thread on the `std::sync::Mutex` as `lock()` would, but
/// gives up after `patience`, so that the demo ends. Whether it gave up.
fn block_on_std(lock: &Mutex<()>, log: &Recorder, patience: Duration) -> bool {
    let _bar = log.span("waiter", "blocks on lock()", SpanKind::Block);
    log.say(
        "waiter",
        "lock(): blocks this thread until the lock is free",
    );
    let give_up = std::time::Instant::now() + patience;
    // `try_lock` in a loop with thread sleeps: a thread blocked, like
    // lock(), but bounded. Nothing else runs on this thread meanwhile.
    while std::time::Instant::now() < give_up {
        if lock.try_lock().is_ok() {
            log.say("waiter", "got the lock");
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    log.say(
        "waiter",
        format!(
            "still locked after {}: the holder cannot run while this thread is blocked; \
             lock() would wait for ever: a deadlock (this demo gives up)",
            shown(patience)
        ),
    );
    true
}

/// The three sections, in order.
pub async fn run(log: &Recorder, pace: Pace) -> Result<Report, Error> {
    let pause = pace.secs(0.1);

    say!(
        log,
        "std::sync::Mutex around a counter: locked only to add 1"
    );
    let counter = Arc::new(Mutex::new(0u32));
    let tasks = TASKS.map(|who| {
        let (counter, log) = (Arc::clone(&counter), log.clone());
        tokio::spawn(async move {
            let _bar = log.span(who, "adds 3 times", SpanKind::Wait);
            for _ in 0..3 {
                *lock(&counter) += 1; // locked and unlocked on this line
                sleep(pause).await; // not holding the lock
            }
        })
    });
    for task in tasks {
        task.await?;
    }
    let counter = *lock(&counter);
    say!(log, "counter = {counter} (3 tasks, 3 times each)");

    say!(
        log,
        "three tasks write a two-line message each, a lock per line (std::sync::Mutex)"
    );
    let out = Mutex::new(Vec::new());
    futures::future::join_all(TASKS.map(|who| write_line_by_line(&out, who, pause))).await;
    let interleaved = out.into_inner().unwrap_or_else(PoisonError::into_inner);
    say!(log, "the lines: {}", interleaved.join(", "));
    say!(
        log,
        "the same, each message under one tokio::sync::Mutex lock, held across .await"
    );
    let out = tokio::sync::Mutex::new(Vec::new());
    futures::future::join_all(TASKS.map(|who| write_whole(&out, who, pause))).await;
    let whole = out.into_inner();
    say!(log, "the lines: {}", whole.join(", "));

    say!(
        log,
        "join!(holder, waiter): a std::sync::Mutex held across .await"
    );
    let std_lock = Mutex::new(());
    let patience = pace.secs(0.5);
    let ((), std_deadlocked) = tokio::join!(hold_std(&std_lock, log, pause), async {
        block_on_std(&std_lock, log, patience)
    });
    say!(
        log,
        "join!(holder, waiter) with tokio::sync::Mutex: the waiter awaits lock()"
    );
    let tokio_lock = tokio::sync::Mutex::new(());
    let ((), tokio_locked) = tokio::join!(
        async {
            let _bar = log.span("holder", "holds tokio lock", SpanKind::Wait);
            let _guard = tokio_lock.lock().await;
            log.say(
                "holder",
                "locked; now awaits while holding the tokio::sync::Mutex",
            );
            sleep(pause).await;
            log.say("holder", "resumed: unlocks");
        },
        async {
            let _bar = log.span("waiter", "awaits lock()", SpanKind::Wait);
            log.say("waiter", "lock().await: waits without blocking the thread");
            let _guard = tokio_lock.lock().await;
            log.say("waiter", "got the lock");
            true
        }
    );
    Ok(Report {
        counter,
        interleaved,
        whole,
        std_deadlocked,
        tokio_locked,
    })
}
