//! # basic-coroutines: coroutines, futures and done-callbacks
//!
//! Ports the chapter's first asyncio program (its "asyncio and futures"
//! recipe): two coroutines run concurrently on one event loop. The first
//! computes the sum 1 + ... + num1, the second num2!; each then waits
//! `--delay` seconds (the chapter's 4) and delivers its result through a
//! future that it completes (Python's `asyncio.Future` and `set_result`),
//! and a done-callback prints each result as it arrives. Because the two
//! waits overlap, the whole run takes about one delay, not two.
//!
//! Run it:
//!
//! ```text
//! cargo run -p basic-coroutines -- 5 10
//! cargo run -p basic-coroutines -- 100 100 --delay 1       # 5050 and all 158 digits of 100!
//! cargo run -p basic-coroutines -- 5 10 --runtime smol
//! cargo run -p basic-coroutines -- 5 10 --part basics --delay 0.5
//! ```
//!
//! What to look for: both `set_result` lines and both `callback` lines at
//! about the same time (one delay in), and the last line saying both
//! futures were done after one delay, not two. With `--part basics`: a
//! future whose body has *not* run before it is awaited, and a spawned task
//! whose body has run although nobody awaited it. Ctrl-C cancels the
//! coroutines (Python's `task.cancel()`) and says which results were left
//! unset.
//!
//! The modules, one idea each:
//! - [`futures_and_callbacks`]: the chapter's program (`asyncio.Future`,
//!   `set_result`, `add_done_callback`, `asyncio.wait`);
//! - [`basics`]: an async fn awaiting another, and why a Rust future is
//!   lazy while a Python Task is not.
//!
//! The runtimes it runs on (`--runtime`: tokio, async-std, smol, mini) are
//! the workspace's `runtimes` crate; the runtime table in
//! `crates/runtimes/src/lib.rs` shows each one's own calls. The labelled
//! lines come from `runner::Recorder`.

pub mod basics;
pub mod futures_and_callbacks;

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
