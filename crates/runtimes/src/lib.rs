//! # runtimes: the one async-runtime layer every async chapter runs on
//!
//! Python has one event loop, `asyncio`. Rust's `async`/`await` is only
//! syntax: a `Future` does nothing until an *executor* polls it, and the
//! executor (with its timers and task spawner) comes from a library, the
//! *runtime*. The chapters are written once, as plain async code, against
//! [`Runtime`]; `--runtime` picks which library runs them. This page is the
//! one place that shows every runtime's own calls side by side:
//!
//! | Python (asyncio)                  | tokio                            | async-std                          | smol                      | mini (std only, [`mini`])  |
//! |-----------------------------------|----------------------------------|------------------------------------|---------------------------|----------------------------|
//! | `asyncio.run(main())`             | `Runtime::block_on(main())`      | `async_std::task::block_on`        | `smol::block_on`          | `Executor::block_on`       |
//! | `asyncio.create_task(coro)`       | `tokio::spawn(fut)`              | `async_std::task::spawn(fut)`      | `smol::spawn(fut)`        | `Handle::spawn`            |
//! | `await task`                      | `handle.await` (a `Result`)      | `handle.await` (the value)         | `task.await` (the value)  | (a channel, see below)     |
//! | `await asyncio.sleep(s)`          | `tokio::time::sleep(d)`          | `async_std::task::sleep(d)`        | `smol::Timer::after(d)`   | `Handle::sleep`            |
//! | `loop.run_in_executor(None, f)`   | `tokio::task::spawn_blocking(f)` | `async_std::task::spawn_blocking`  | `smol::unblock(f)`        | `mini::unblock`            |
//! | `task.cancel()`                   | `handle.abort()`                 | `handle.cancel().await`            | `task.cancel().await`     | (an abort handle)          |
//! | the task object is dropped        | the task runs on (detached)      | the task runs on (detached)        | **the task is cancelled** | the task runs on           |
//!
//! The last row is a trap for whoever moves between runtimes: dropping a
//! smol `Task` cancels it, dropping a tokio or async-std handle detaches
//! it. So the chapters always await what they spawn, and
//! [`JoinHandle::detach`] says it when a task is meant to run on alone.
//!
//! **async-std is discontinued** upstream (advisory RUSTSEC-2025-0052):
//! its authors point to smol, its successor, which is why smol stands
//! beside it wherever it appears. Existing async-std code keeps working,
//! but new code should choose tokio or smol. (This is the one place the
//! workspace says so; every page links here.)
//!
//! What [`Runtime`] gives every chapter, whatever the runtime:
//! [`Runtime::block_on`], [`Runtime::sleep`], [`Runtime::spawn_blocking`]
//! and [`Runtime::spawn`], whose [`JoinHandle`] gives the task's value or a
//! [`TaskError`] saying it panicked or was cancelled, on every runtime alike
//! (Python's `await task` re-raises the exception; here it is a value).
//!
//! `--runtime tokio` means one thing everywhere: tokio's *current-thread*
//! runtime, one thread like asyncio's loop (and the one tokio's paused test
//! clock uses). Where the flavour is the lesson (event-loop's `--flavor`),
//! the chapter says so with a flag of its own and builds it with
//! [`build_tokio`]. async-std and smol spawn onto their global executors
//! (background threads); mini runs everything on the calling thread.

pub mod clock;
pub mod handle;
pub mod mini;

use std::future::Future;
use std::time::Duration;

use futures::FutureExt;
pub use handle::{JoinHandle, TaskError};

/// Which async runtime runs the program (`--runtime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Runtime {
    /// tokio's current-thread runtime, the most widely used library (the
    /// default).
    #[default]
    Tokio,
    /// async-std: discontinued upstream (RUSTSEC-2025-0052), succeeded by smol.
    AsyncStd,
    /// smol, a small runtime and async-std's successor.
    Smol,
    /// The std-only teaching executor of the mini module: a ready queue, a
    /// timer queue and wakers, in one file.
    Mini,
}

/// Which tokio runtime to build, where a chapter makes the flavour a lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TokioFlavor {
    /// One thread, like asyncio's loop (what `--runtime tokio` means).
    #[default]
    CurrentThread,
    /// A worker thread per core, as `#[tokio::main]` builds it.
    MultiThread,
}

/// Builds a tokio runtime by hand: what `#[tokio::main]` does for you.
///
/// `enable_all` turns on the time driver (for `sleep`) and the I/O driver
/// (sockets, signals).
pub fn build_tokio(flavor: TokioFlavor) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match flavor {
        TokioFlavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        TokioFlavor::MultiThread => tokio::runtime::Builder::new_multi_thread(),
    };
    builder.enable_all().build()
}

impl Runtime {
    /// Every runtime, for tests and loops over all of them.
    pub const ALL: [Runtime; 4] = [
        Runtime::Tokio,
        Runtime::AsyncStd,
        Runtime::Smol,
        Runtime::Mini,
    ];

    /// The name used on the command line (`--runtime async-std`).
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Tokio => "tokio",
            Runtime::AsyncStd => "async-std",
            Runtime::Smol => "smol",
            Runtime::Mini => "mini",
        }
    }

    /// Runs `future` to completion on this runtime, blocking the calling
    /// thread: Python's `asyncio.run(main())`, or the older
    /// `loop.run_until_complete(main())`.
    ///
    /// Call it once, from `main`. Inside async code, `.await` instead:
    /// calling it from inside a tokio runtime panics with "Cannot start a
    /// runtime from within a runtime".
    ///
    /// # Panics
    /// When tokio cannot build its runtime (the operating system refused
    /// a thread or a timer); the other runtimes cannot fail to start.
    pub fn block_on<F>(self, future: F) -> F::Output
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self {
            Runtime::Tokio => build_tokio(TokioFlavor::CurrentThread)
                .expect("a current-thread tokio runtime needs only a timer and an I/O driver")
                .block_on(future),
            Runtime::AsyncStd => async_std::task::block_on(future),
            Runtime::Smol => smol::block_on(future),
            Runtime::Mini => mini::Executor::new().block_on(future),
        }
    }

    /// Waits `duration` without blocking the thread: `await asyncio.sleep(s)`.
    ///
    /// While this task waits, the executor runs the others. (A
    /// `std::thread::sleep` here would freeze every task on the thread: see
    /// the fsm chapter's `--blocking`.)
    ///
    /// # Panics
    /// On mini, outside its loop (there is no loop to keep the timer).
    pub async fn sleep(self, duration: Duration) {
        match self {
            // Under a paused test clock this sleep takes no real time: tokio
            // jumps its virtual clock forward when every task is waiting.
            Runtime::Tokio => tokio::time::sleep(duration).await,
            Runtime::AsyncStd => async_std::task::sleep(duration).await,
            Runtime::Smol => {
                // A smol Timer is a future that yields the Instant it fired.
                smol::Timer::after(duration).await;
            }
            Runtime::Mini => mini_handle().sleep(duration).await,
        }
    }

    /// Starts `future` as a separate task and returns a handle to await its
    /// result: Python's `asyncio.create_task(coro)`.
    ///
    /// The task starts running without being awaited (like a Python Task).
    /// Call it from inside [`Runtime::block_on`]: tokio and mini spawn on
    /// the runtime running on this thread.
    ///
    /// # Panics
    /// On tokio or mini, outside their runtime (tokio's own message says
    /// "must be called from the context of a Tokio 1.x runtime").
    pub fn spawn<F>(self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self {
            // tokio catches a task's panic itself and reports it at join.
            Runtime::Tokio => JoinHandle::from(tokio::spawn(future)),
            // The others run the task inside `catch_unwind`, so a panic
            // becomes a value at join on every runtime alike.
            Runtime::AsyncStd => JoinHandle::AsyncStd(async_std::task::spawn(caught(future))),
            Runtime::Smol => JoinHandle::Smol(smol::spawn(caught(future))),
            Runtime::Mini => JoinHandle::mini(&mini_handle(), future),
        }
    }

    /// Runs the blocking function `work` on a thread meant for blocking
    /// work and returns a handle to await its result: Python's
    /// `await loop.run_in_executor(None, work)`.
    ///
    /// Not `spawn`: a blocking function inside a task would hold the loop's
    /// thread. Note that such work cannot be cancelled once it runs:
    /// cancelling the handle only stops the waiting.
    ///
    /// # Panics
    /// On tokio, outside its runtime.
    pub fn spawn_blocking<R, F>(self, work: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        match self {
            Runtime::Tokio => JoinHandle::from(tokio::task::spawn_blocking(work)),
            Runtime::AsyncStd => {
                JoinHandle::AsyncStd(async_std::task::spawn_blocking(caught_fn(work)))
            }
            Runtime::Smol => JoinHandle::Smol(smol::unblock(caught_fn(work))),
            Runtime::Mini => JoinHandle::Unblocked(mini::unblock(caught_fn(work))),
        }
    }
}

impl std::fmt::Display for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The mini loop running on this thread.
fn mini_handle() -> mini::Handle {
    mini::Handle::current()
        .expect("--runtime mini: spawn and sleep must run inside Runtime::Mini.block_on")
}

/// What a spawned task's body gives back: its value, or its panic's payload.
pub(crate) type Caught<T> = std::thread::Result<T>;

/// `future`, with a panic inside it caught and returned as a value.
fn caught<F: Future>(future: F) -> impl Future<Output = Caught<F::Output>> {
    // AssertUnwindSafe: a panicking task is over, and its state is dropped
    // with it; nobody observes it half-updated.
    std::panic::AssertUnwindSafe(future).catch_unwind()
}

/// `work`, with a panic inside it caught and returned as a value.
fn caught_fn<R>(work: impl FnOnce() -> R) -> impl FnOnce() -> Caught<R> {
    move || std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
}
