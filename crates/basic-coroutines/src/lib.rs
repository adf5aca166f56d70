//! # basic-coroutines: coroutines, futures and done-callbacks
//!
//! Ports the chapter's first asyncio program (`python/basic_coroutines.py`):
//! two coroutines run concurrently on one event loop, one summing 1..=num1,
//! the other computing num2!; each waits `--delay` seconds, then completes a
//! future (`asyncio.Future`, `set_result`), and a done-callback prints each
//! result as it arrives. The waits overlap: the run takes one delay, not two.
//!
//! ```text
//! cargo run -p basic-coroutines -- 5 10
//! cargo run -p basic-coroutines -- 100 100 --delay 1       # 5050 and all 158 digits of 100!
//! cargo run -p basic-coroutines -- 5 10 --runtime smol
//! cargo run -p basic-coroutines -- --part basics --delay 0.5
//! cargo run -p basic-coroutines -- --part dropped-handle --delay 0.2 --runtime smol
//! ```
//!
//! What to look for: both `set_result` lines and both `callback` lines one
//! delay in, and the last line saying for how long the waits overlapped.
//! Ctrl-C cancels the coroutines (`task.cancel()`) and says which results
//! were left unset.
//! The modules: [`port`] (the direct port), [`futures_and_callbacks`] (the
//! run around it), [`basics`] (await, and lazy futures), [`pitfalls`]. The
//! runtimes (`--runtime`) are the workspace's `runtimes` crate, whose table
//! in `crates/runtimes/src/lib.rs` shows each one's own calls.

pub mod basics;
pub mod futures_and_callbacks;
pub mod pitfalls;
pub mod port;

use runtimes::TaskError;

/// Why a part of the chapter could not finish.
#[derive(Debug, thiserror::Error)]
pub enum CoroutineError {
    /// `num2` is above the factorial limit `common` sets.
    #[error(transparent)]
    Workload(#[from] common::WorkloadError),
    /// A spawned task gave no value: it panicked, or was cancelled.
    #[error("{task} failed: {source}")]
    Task {
        /// Which task (`second_coroutine`, `the first done-callback`).
        task: &'static str,
        /// What happened to it.
        source: TaskError,
    },
    /// Ctrl-C stopped the run; its tasks were cancelled.
    #[error(transparent)]
    Interrupted(#[from] runner::Interrupted),
}

impl CoroutineError {
    /// A mapper for `handle.await.map_err(..)`: names the task that failed.
    pub fn task(task: &'static str) -> impl Fn(TaskError) -> Self {
        move |source| CoroutineError::Task { task, source }
    }
}
