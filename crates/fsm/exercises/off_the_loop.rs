//! Exercise 2, blocking code off the loop: `wait_off_the_loop` must wait
//! `delay` by calling the *blocking* `std::thread::sleep(delay)` (think
//! of it as a library call you cannot change), without freezing the
//! loop: the ticker beside it must keep ticking meanwhile.
//!
//! Hint: Python's `await loop.run_in_executor(None, time.sleep, delay)`.
//!
//! Check: `cargo test -p fsm --features exercises --test exercises off_the_loop`

use std::time::Duration;

use runtimes::Runtime;

/// Waits `delay` with `std::thread::sleep`, leaving the loop free.
pub async fn wait_off_the_loop(runtime: Runtime, delay: Duration) {
    // Your code here: this blocks the loop's thread, as `--blocking` does.
    let _ = runtime;
    std::thread::sleep(delay);
}
