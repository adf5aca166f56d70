//! Exercise 1, a delay each: run the port's two coroutines with the first
//! waiting `first_delay` and the second `second_delay`, each result
//! delivered through its own future to `port::got_result`, as
//! `port::main` does, and return what the two callbacks returned.
//!
//! Hint: the delay is in the `Ctx` each coroutine is given.
//!
//! Check: `cargo test -p basic-coroutines --features exercises --test exercises own_delays`

use std::time::Duration;

use basic_coroutines::futures_and_callbacks::Ctx;
use runner::Recorder;
use runtimes::Runtime;

/// `first_coroutine(5)` waiting `first_delay`, `second_coroutine(10)`
/// waiting `second_delay`, concurrently: what each done-callback returned.
pub async fn own_delays(
    runtime: Runtime,
    recorder: Recorder,
    first_delay: Duration,
    second_delay: Duration,
) -> (Option<String>, Option<String>) {
    let ctx = Ctx {
        runtime,
        recorder,
        delay: first_delay,
    };
    // Your code here: two futures, two callbacks, two coroutines, each
    // coroutine with its own delay; wait for all four.
    let _ = (ctx, second_delay);
    (None, None)
}
