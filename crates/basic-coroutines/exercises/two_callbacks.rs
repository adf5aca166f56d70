//! Exercise 2, two callbacks on one future: Python's
//! `future.add_done_callback(a); future.add_done_callback(b)` calls both
//! when the result is set. A oneshot `Receiver` can be awaited only once,
//! by one waiter: make both callbacks run, each with the result, as soon
//! as it is set (and neither, with `None`, if the future is cancelled).
//!
//! Hint: `futures::FutureExt::shared` turns a future into one that can be
//! cloned and awaited by several waiters (its output must be `Clone`).
//!
//! Check: `cargo test -p basic-coroutines --features exercises --test exercises two_callbacks`

use basic_coroutines::futures_and_callbacks::add_done_callback;
use futures::channel::oneshot;

/// Calls `first` and `second` with `future`'s result once it is set;
/// `None` for each if it is cancelled.
pub async fn two_done_callbacks<T: Clone, A, B>(
    future: oneshot::Receiver<T>,
    first: impl FnOnce(T) -> A,
    second: impl FnOnce(T) -> B,
) -> (Option<A>, Option<B>) {
    // Your code here: both callbacks, each with the result.
    let _ = second;
    (add_done_callback(future, first).await, None)
}
