//! Pitfall: `std::sync::Mutex` or `tokio::sync::Mutex`, and when each.
//!
//! | Python                                     | Rust                                          |
//! |--------------------------------------------|-----------------------------------------------|
//! | `threading.Lock`: `acquire()` blocks the thread | `std::sync::Mutex`: `lock()` blocks the thread |
//! | `asyncio.Lock`: `await lock.acquire()`     | `tokio::sync::Mutex`: `lock().await`          |
//!
//! The rule (tokio's documentation, tokio#6819): use `std::sync::Mutex`
//! for data that is locked, changed and unlocked **without an `.await` in
//! between**: it is cheaper, and it is what tokio recommends for that case.
//! Use `tokio::sync::Mutex` only when the lock must be **held across an
//! `.await`**, typically around an I/O resource (a connection, a file)
//! whose several writes must not interleave with another task's.
//!
//! Holding a `std::sync::MutexGuard` across an `.await` is the mistake.
//! In a spawned task it does not even compile (the guard is not `Send`,
//! so neither is the future); in futures joined inside one task (`join!`)
//! it does, and it deadlocks: the second future blocks the thread on
//! `lock()`, so the first, which holds the lock, can never be polled
//! again to release it. Python has the same trap: a `threading.Lock` held
//! across an `await` while another coroutine calls `acquire()`. (Clippy
//! warns about it: `await_holding_lock`.)
//!
//! The three sections: a counter behind a `std::sync::Mutex`; a two-line
//! message written by three tasks, interleaved without a lock held across
//! the `.await`, whole with a `tokio::sync::Mutex`; the deadlock, which
//! this demo ends by giving up after a while (`lock()` itself would wait
//! for ever), then the same with `tokio::sync::Mutex`, which does not
//! deadlock.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::sleep;

use crate::Error;
use crate::work::{Pace, shown};
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
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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

    log.say(
        "main",
        "std::sync::Mutex around a counter: locked only to add 1",
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
    log.say(
        "main",
        format!("counter = {counter} (3 tasks, 3 times each)"),
    );

    log.say(
        "main",
        "three tasks write a two-line message each, a lock per line (std::sync::Mutex)",
    );
    let out = Mutex::new(Vec::new());
    futures::future::join_all(TASKS.map(|who| write_line_by_line(&out, who, pause))).await;
    let interleaved = out.into_inner().unwrap_or_else(|p| p.into_inner());
    log.say("main", format!("the lines: {}", interleaved.join(", ")));
    log.say(
        "main",
        "the same, each message under one tokio::sync::Mutex lock, held across .await",
    );
    let out = tokio::sync::Mutex::new(Vec::new());
    futures::future::join_all(TASKS.map(|who| write_whole(&out, who, pause))).await;
    let whole = out.into_inner();
    log.say("main", format!("the lines: {}", whole.join(", ")));

    log.say(
        "main",
        "join!(holder, waiter): a std::sync::Mutex held across .await",
    );
    let std_lock = Mutex::new(());
    let patience = pace.secs(0.5);
    let ((), std_deadlocked) = tokio::join!(hold_std(&std_lock, log, pause), async {
        block_on_std(&std_lock, log, patience)
    });
    log.say(
        "main",
        "join!(holder, waiter) with tokio::sync::Mutex: the waiter awaits lock()",
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
