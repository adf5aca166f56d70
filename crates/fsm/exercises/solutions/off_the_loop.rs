//! Exercise 2, solved: the blocking sleep runs on a thread meant for
//! blocking work (`spawn_blocking`: tokio's blocking pool, smol's
//! `unblock`, mini's `unblock` thread), and the task awaits its handle:
//! an `.await` that leaves the loop's thread free for the ticker.
//!
//! It is still a poor way to *wait*: it takes a whole thread to do
//! nothing. For a wait, await the runtime's timer, as the default
//! (non-`--blocking`) walk does; keep `spawn_blocking` for blocking calls
//! that cannot be awaited.
//!
//! Check: `cargo test -p fsm --features solutions --test exercises off_the_loop`

use std::time::Duration;

use runtimes::Runtime;

/// Waits `delay` with `std::thread::sleep`, leaving the loop free.
pub async fn wait_off_the_loop(runtime: Runtime, delay: Duration) {
    // Only a panic inside the closure could make the handle an error,
    // and `std::thread::sleep` does not panic.
    let _ = runtime
        .spawn_blocking(move || std::thread::sleep(delay))
        .await;
}
