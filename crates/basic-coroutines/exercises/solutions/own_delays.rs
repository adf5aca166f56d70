//! Exercise 1, solved: the port's two coroutines with a delay each. The
//! delay lives in the `Ctx` a coroutine is given, so each gets its own.
//! The first callback prints at 2 s, the second at 4 s, and the run takes
//! 4 s: the longer wait, since the two overlap.
//!
//! Check: `cargo test -p basic-coroutines --features solutions --test exercises own_delays`

use std::time::Duration;

use basic_coroutines::futures_and_callbacks::{Ctx, add_done_callback};
use basic_coroutines::port::{first_coroutine, got_result, second_coroutine};
use futures::channel::oneshot;
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
    let first_ctx = Ctx {
        runtime,
        recorder: recorder.clone(),
        delay: first_delay,
    };
    let second_ctx = Ctx {
        delay: second_delay,
        ..first_ctx.clone()
    };
    let (set_result1, future1) = oneshot::channel();
    let (set_result2, future2) = oneshot::channel();
    let callback1 = runtime.spawn(add_done_callback(future1, got_result(recorder.clone())));
    let callback2 = runtime.spawn(add_done_callback(future2, got_result(recorder)));
    let first = runtime.spawn(first_coroutine(first_ctx, set_result1, 5));
    let second = runtime.spawn(second_coroutine(second_ctx, set_result2, 10));
    let (_, _, result1, result2) = futures::join!(first, second, callback1, callback2);
    // A task that failed (it cannot here) gives no result: `None`.
    (result1.ok().flatten(), result2.ok().flatten())
}
