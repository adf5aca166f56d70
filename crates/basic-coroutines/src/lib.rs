//! # basic-coroutines: coroutines, futures and done-callbacks
//!
//! Ports the chapter's first asyncio program (its "asyncio and futures"
//! recipe, `python/basic_coroutines.py`): two coroutines run concurrently
//! on one event loop. The first computes the sum 1 + ... + num1, the
//! second num2!; each then waits `--delay` seconds (the chapter's 4) and
//! delivers its result through a future that it completes (Python's
//! `asyncio.Future` and `set_result`), and a done-callback prints each
//! result as it arrives. Because the two waits overlap, the whole run
//! takes one delay, not two.
//!
//! Run it:
//!
//! ```text
//! cargo run -p basic-coroutines -- 5 10
//! cargo run -p basic-coroutines -- 100 100 --delay 1       # 5050 and all 158 digits of 100!
//! cargo run -p basic-coroutines -- 5 10 --runtime smol
//! cargo run -p basic-coroutines -- --part basics --delay 0.5
//! cargo run -p basic-coroutines -- --part dropped-handle --delay 0.2 --runtime smol
//! ```
//!
//! What to look for: both `set_result` lines and both `callback` lines at
//! about the same time (one delay in), and the last line saying for how
//! long the two waits overlapped. With `--part basics`: a future whose body
//! has *not* run before it is awaited, and a spawned task whose body has
//! run although nobody awaited it. Ctrl-C cancels the coroutines (Python's
//! `task.cancel()`) and says which results were left unset.
//!
//! The modules, one idea each:
//! - [`port`]: the direct port of the Python program, line by line;
//! - [`futures_and_callbacks`]: Python's `asyncio.Future` and
//!   `add_done_callback` in Rust, and the run around the port;
//! - [`basics`]: an async fn awaiting another, and why a Rust future is
//!   lazy while a Python Task is not;
//! - [`pitfalls`]: `block_on` inside a runtime, tasks left when `main`
//!   returns, dropped handles, a mutex guard held across `.await`.
//!
//! The runtimes it runs on (`--runtime`: tokio, async-std, smol, mini) are
//! the workspace's `runtimes` crate; the runtime table in
//! `crates/runtimes/src/lib.rs` shows each one's own calls. The labelled
//! lines come from `runner::Recorder`.

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
