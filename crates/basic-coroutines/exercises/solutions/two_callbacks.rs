//! Exercise 2, solved: two callbacks on one future. `shared()` makes the
//! receiver cloneable: every clone completes with (a clone of) the same
//! output, so each callback awaits its own clone, and `join!` runs both
//! waits at once. Python's `add_done_callback` keeps a list of callbacks
//! inside the future; this is that list, written out.
//!
//! Check: `cargo test -p basic-coroutines --features solutions --test exercises two_callbacks`

use futures::FutureExt;
use futures::channel::oneshot;

/// Calls `first` and `second` with `future`'s result once it is set;
/// `None` for each if it is cancelled.
pub async fn two_done_callbacks<T: Clone, A, B>(
    future: oneshot::Receiver<T>,
    first: impl FnOnce(T) -> A,
    second: impl FnOnce(T) -> B,
) -> (Option<A>, Option<B>) {
    // Output: `Result<T, Canceled>`, cloned for each waiter.
    let result = future.shared();
    let (a, b) = futures::join!(result.clone(), result);
    (a.ok().map(first), b.ok().map(second))
}
