//! Pitfall: a `std::sync::MutexGuard` held across `.await` (tokio#1913,
//! rust#115437). A task may move to another thread at any `.await`, so
//! tokio's and smol's spawns want `Send` futures; a `MutexGuard` is not
//! `Send`, so a future holding one across an `.await` is not either.
//! Spawning it is a compile error, sparing you a deadlock (another task on
//! the same thread would block forever on the lock):
//!
//! ```compile_fail
//! use std::sync::{Arc, Mutex, PoisonError};
//! use std::time::Duration;
//! use runtimes::Runtime;
//!
//! async fn add_later(runtime: Runtime, total: Arc<Mutex<u64>>, delay: Duration) {
//!     let mut sum = total.lock().unwrap_or_else(PoisonError::into_inner);
//!     runtime.sleep(delay).await; // the guard `sum` is alive across this await
//!     *sum += 1;
//! }
//!
//! let total = Arc::new(Mutex::new(0));
//! Runtime::Tokio.block_on(async move {
//!     let _ = Runtime::Tokio.spawn(add_later(Runtime::Tokio, total, Duration::ZERO)).await;
//! });
//! // error: future cannot be sent between threads safely
//! //    | future returned by `add_later` is not `Send`
//! //    = help: within `impl Future<Output = ()>`, the trait `Send` is not
//! //            implemented for `std::sync::MutexGuard<'_, u64>`
//! // note: future is not `Send` as this value is used across an await
//! ```
//!
//! Dropping the guard by hand is *not* enough: the compiler decides what a
//! future holds from the variables' scopes (still so with Rust 1.91):
//!
//! ```compile_fail
//! use std::sync::{Arc, Mutex, PoisonError};
//! use std::time::Duration;
//! use runtimes::Runtime;
//!
//! async fn add_then_wait(runtime: Runtime, total: Arc<Mutex<u64>>, delay: Duration) {
//!     let mut sum = total.lock().unwrap_or_else(PoisonError::into_inner);
//!     *sum += 1;
//!     drop(sum);
//!     runtime.sleep(delay).await;
//! }
//!
//! let total = Arc::new(Mutex::new(0));
//! Runtime::Tokio.block_on(async move {
//!     let _ = Runtime::Tokio.spawn(add_then_wait(Runtime::Tokio, total, Duration::ZERO)).await;
//! });
//! // error: future cannot be sent between threads safely
//! // note: future is not `Send` as this value is used across an await
//! //    |     let mut sum = total.lock().unwrap_or_else(PoisonError::into_inner);
//! //    |         ------- has type `std::sync::MutexGuard<'_, u64>` which is not `Send`
//! //    |     runtime.sleep(delay).await;
//! //    |                          ^^^^^ await occurs here, with `mut sum` maybe used later
//! ```
//!
//! A block is ([`add_then_wait`]). To hold a lock *across* an `.await`, use
//! an async mutex (`tokio::sync::Mutex`, `async_lock::Mutex`; Python's
//! `asyncio.Lock`), whose `lock().await` lets other tasks run meanwhile.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use runtimes::Runtime;

/// Adds one to `total`, then waits `delay`: the guard's block ends before
/// the `.await`, so the future is `Send` and spawns on every runtime.
pub async fn add_then_wait(runtime: Runtime, total: Arc<Mutex<u64>>, delay: Duration) {
    {
        // A poisoned lock (a panic while it was held) still holds a
        // usable count: take it.
        let mut sum = total.lock().unwrap_or_else(PoisonError::into_inner);
        *sum += 1;
    } // `sum` is dropped here, before the await
    runtime.sleep(delay).await;
}
