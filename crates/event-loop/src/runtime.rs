//! The few things the A, B, C program needs from an event loop, and how
//! each runtime provides them.
//!
//! | what                          | asyncio                          | tokio                          | async-std / smol                        | mini (std only)           |
//! |-------------------------------|----------------------------------|--------------------------------|-----------------------------------------|---------------------------|
//! | the loop's clock              | `loop.time()`                    | `tokio::time::Instant`         | `std::time::Instant`                    | `Handle::now`             |
//! | run something soon            | `loop.call_soon(cb)`             | `tokio::spawn`                 | `async_std::task::spawn` / `smol::spawn` | `Handle::spawn`           |
//! | a timer                       | `loop.call_later(d, cb)`         | `tokio::time::sleep`           | `task::sleep` / `smol::Timer::after`    | `Handle::sleep`           |
//! | block the loop (the bug)      | `time.sleep(d)` in a callback    | `std::thread::sleep` in a task | the same                                | `Handle::block`           |
//! | run blocking work elsewhere   | `loop.run_in_executor(None, f)`  | `spawn_blocking`               | `task::spawn_blocking` / `smol::unblock` | `mini::unblock`           |
//!
//! The program itself ([`crate::callbacks`]) is written once against the
//! [`Loop`] trait and runs unchanged on all four.
//!
//! async-std is discontinued upstream (RUSTSEC-2025-0052); smol, by the
//! same authors, is its successor. Both are here so the two can be compared.
//!
//! Blocking "for real" means `std::thread::sleep` on the loop's thread. In
//! tests the loops run on a virtual clock instead ([`TokioLoop::paused`],
//! [`MiniLoop`] on a virtual executor): blocking then moves the clock
//! forward without letting anything else run, which is exactly what a
//! blocked loop looks like from the inside, and times are exact.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::mini;

/// A boxed future with no output: what the trait passes around.
pub type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// What the A, B, C program needs from an event loop.
pub trait Loop: Send + Sync + 'static {
    /// The runtime's name, for the output.
    fn name(&self) -> &'static str;
    /// Time since the loop started (Python: `loop.time()`, relative).
    fn time(&self) -> Duration;
    /// Runs `task` on the loop, detached (Python: `loop.create_task`).
    fn spawn(&self, task: BoxFuture);
    /// Completes after `duration` (Python: `asyncio.sleep`).
    fn sleep(&self, duration: Duration) -> BoxFuture;
    /// Keeps the loop's thread busy for `duration`, as `time.sleep` in a
    /// callback does: the bug the chapter's program has on purpose.
    fn block(&self, duration: Duration) -> BoxFuture;
    /// Does the same blocking work on another thread and completes when it
    /// is done (Python: `await loop.run_in_executor(None, time.sleep, d)`).
    fn run_blocking(&self, duration: Duration) -> BoxFuture;
}

/// How a paused-clock test makes "blocking" move virtual time:
/// `Arc::new(|d| Box::pin(tokio::time::advance(d)))` (`advance` needs
/// tokio's `test-util` feature, which only the tests enable).
pub type VirtualBlock = Arc<dyn Fn(Duration) -> BoxFuture + Send + Sync>;

/// tokio: the runtime is built by the caller ([`crate::build_tokio`]).
#[derive(Clone)]
pub struct TokioLoop {
    /// When the loop started, on tokio's clock (which tests can pause).
    start: tokio::time::Instant,
    /// Under the paused clock: how to "block" (advance virtual time).
    /// `None` on the real clock.
    virtual_block: Option<VirtualBlock>,
}

impl std::fmt::Debug for TokioLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokioLoop")
            .field("start", &self.start)
            .field("paused", &self.virtual_block.is_some())
            .finish()
    }
}

impl TokioLoop {
    /// A loop on tokio's real clock. Call inside the runtime.
    pub fn new() -> Self {
        Self {
            start: tokio::time::Instant::now(),
            virtual_block: None,
        }
    }

    /// A loop for tests under `#[tokio::test(start_paused = true)]`:
    /// blocking calls `block` (which advances the paused clock: time
    /// jumps, and nothing else runs until the callback yields), and
    /// blocking work elsewhere is a plain sleep.
    pub fn paused(block: VirtualBlock) -> Self {
        Self {
            start: tokio::time::Instant::now(),
            virtual_block: Some(block),
        }
    }
}

impl Default for TokioLoop {
    fn default() -> Self {
        Self::new()
    }
}

impl Loop for TokioLoop {
    fn name(&self) -> &'static str {
        "tokio"
    }
    fn time(&self) -> Duration {
        self.start.elapsed()
    }
    fn spawn(&self, task: BoxFuture) {
        // The JoinHandle is dropped: the task is detached, not cancelled.
        // The program tracks its tasks with a TaskTracker instead.
        drop(tokio::spawn(task));
    }
    fn sleep(&self, duration: Duration) -> BoxFuture {
        Box::pin(tokio::time::sleep(duration))
    }
    fn block(&self, duration: Duration) -> BoxFuture {
        if let Some(block) = &self.virtual_block {
            block(duration)
        } else {
            // Inside `poll`: the worker thread is stuck here, so on a
            // current-thread runtime nothing else on the loop can run.
            Box::pin(async move { std::thread::sleep(duration) })
        }
    }
    fn run_blocking(&self, duration: Duration) -> BoxFuture {
        if self.virtual_block.is_some() {
            Box::pin(tokio::time::sleep(duration))
        } else {
            // `spawn_blocking`, not `spawn`: the closure runs on tokio's
            // blocking-thread pool, and the loop only awaits its handle.
            Box::pin(async move {
                let _ = tokio::task::spawn_blocking(move || std::thread::sleep(duration)).await;
            })
        }
    }
}

/// async-std: its global executor (discontinued upstream, RUSTSEC-2025-0052).
#[derive(Debug, Clone)]
pub struct AsyncStdLoop {
    /// When the loop started.
    start: Instant,
}

impl AsyncStdLoop {
    /// A loop starting now.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
        }
    }
}

impl Default for AsyncStdLoop {
    fn default() -> Self {
        Self::new()
    }
}

impl Loop for AsyncStdLoop {
    fn name(&self) -> &'static str {
        "async-std"
    }
    fn time(&self) -> Duration {
        self.start.elapsed()
    }
    fn spawn(&self, task: BoxFuture) {
        // Dropping an async-std JoinHandle detaches the task.
        drop(async_std::task::spawn(task));
    }
    fn sleep(&self, duration: Duration) -> BoxFuture {
        Box::pin(async_std::task::sleep(duration))
    }
    fn block(&self, duration: Duration) -> BoxFuture {
        Box::pin(async move { std::thread::sleep(duration) })
    }
    fn run_blocking(&self, duration: Duration) -> BoxFuture {
        Box::pin(async move {
            async_std::task::spawn_blocking(move || std::thread::sleep(duration)).await;
        })
    }
}

/// smol: its global executor, async-std's successor.
#[derive(Debug, Clone)]
pub struct SmolLoop {
    /// When the loop started.
    start: Instant,
}

impl SmolLoop {
    /// A loop starting now.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
        }
    }
}

impl Default for SmolLoop {
    fn default() -> Self {
        Self::new()
    }
}

impl Loop for SmolLoop {
    fn name(&self) -> &'static str {
        "smol"
    }
    fn time(&self) -> Duration {
        self.start.elapsed()
    }
    fn spawn(&self, task: BoxFuture) {
        // A smol `Task` cancels on drop; `detach` lets it run on.
        smol::spawn(task).detach();
    }
    fn sleep(&self, duration: Duration) -> BoxFuture {
        Box::pin(async move {
            smol::Timer::after(duration).await;
        })
    }
    fn block(&self, duration: Duration) -> BoxFuture {
        Box::pin(async move { std::thread::sleep(duration) })
    }
    fn run_blocking(&self, duration: Duration) -> BoxFuture {
        Box::pin(smol::unblock(move || std::thread::sleep(duration)))
    }
}

/// The std-only executor of [`crate::mini`].
#[derive(Debug, Clone)]
pub struct MiniLoop {
    /// The executor's handle.
    handle: mini::Handle,
}

impl MiniLoop {
    /// A loop on the executor behind `handle`.
    pub fn new(handle: mini::Handle) -> Self {
        Self { handle }
    }
}

impl Loop for MiniLoop {
    fn name(&self) -> &'static str {
        "mini"
    }
    fn time(&self) -> Duration {
        self.handle.now()
    }
    fn spawn(&self, task: BoxFuture) {
        self.handle.spawn(task);
    }
    fn sleep(&self, duration: Duration) -> BoxFuture {
        Box::pin(self.handle.sleep(duration))
    }
    fn block(&self, duration: Duration) -> BoxFuture {
        let handle = self.handle.clone();
        Box::pin(async move { handle.block(duration) })
    }
    fn run_blocking(&self, duration: Duration) -> BoxFuture {
        if self.handle.is_virtual() {
            Box::pin(self.handle.sleep(duration))
        } else {
            let work = mini::unblock(move || std::thread::sleep(duration));
            Box::pin(async move {
                let _ = work.await;
            })
        }
    }
}
