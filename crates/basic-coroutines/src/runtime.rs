//! The three async runtimes, side by side: tokio, async-std and smol.
//!
//! Python has one event loop, `asyncio`. Rust's `async`/`await` is only
//! syntax: a `Future` does nothing until an *executor* polls it, and the
//! executor (with its timers and task spawner) comes from a library, the
//! *runtime*. The chapter's programs are written once, as plain async code;
//! the only things that differ between runtimes are the three calls in this
//! module, each written out in full so you can see every runtime's own API:
//!
//! | Python (asyncio)                 | tokio                          | async-std                       | smol                   |
//! |----------------------------------|--------------------------------|---------------------------------|------------------------|
//! | `asyncio.run(main())`            | `Runtime::block_on(main())`    | `async_std::task::block_on`     | `smol::block_on`       |
//! | `asyncio.create_task(coro)`      | `tokio::spawn(fut)`            | `async_std::task::spawn(fut)`   | `smol::spawn(fut)`     |
//! | `await task`                     | `handle.await` (a `Result`)    | `handle.await`                  | `task.await`           |
//! | `await asyncio.sleep(s)`         | `tokio::time::sleep(d).await`  | `async_std::task::sleep(d)`     | `smol::Timer::after(d)`|
//!
//! async-std is **discontinued** upstream (advisory RUSTSEC-2025-0052); its
//! authors point to smol, its successor, which is why smol always stands
//! beside it here. Existing async-std code keeps working, but new code
//! should choose tokio or smol.
//!
//! tokio runs on a *current-thread* runtime: one thread, like asyncio's
//! event loop, and the runtime tokio's paused test clock uses. async-std and
//! smol spawn onto their global executors (background threads); nothing in
//! these chapters depends on which thread runs a task.

use std::future::Future;
use std::time::Duration;

/// Which async runtime runs the program (`--runtime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Runtime {
    /// tokio, the most widely used runtime (the default).
    #[default]
    Tokio,
    /// async-std: discontinued upstream (RUSTSEC-2025-0052), succeeded by smol.
    AsyncStd,
    /// smol, a small runtime and async-std's successor.
    Smol,
}

impl Runtime {
    /// Every runtime, for tests and loops over all three.
    pub const ALL: [Runtime; 3] = [Runtime::Tokio, Runtime::AsyncStd, Runtime::Smol];

    /// The name used on the command line (`--runtime async-std`).
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Tokio => "tokio",
            Runtime::AsyncStd => "async-std",
            Runtime::Smol => "smol",
        }
    }

    /// Runs `future` to completion on this runtime, blocking the calling
    /// thread: Python's `asyncio.run(main())`, or the older
    /// `loop = asyncio.get_event_loop(); loop.run_until_complete(main())`.
    ///
    /// Call it once, from `main`. Inside async code, `.await` instead.
    pub fn block_on<F: Future>(self, future: F) -> F::Output {
        match self {
            Runtime::Tokio => {
                // One thread, like asyncio's loop. `enable_all` turns on the
                // timer (for `sleep`) and the I/O driver.
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a current-thread tokio runtime needs no resources that can run out");
                runtime.block_on(future)
            }
            Runtime::AsyncStd => async_std::task::block_on(future),
            Runtime::Smol => smol::block_on(future),
        }
    }

    /// Waits `duration` without blocking the thread: `await asyncio.sleep(s)`.
    ///
    /// While this task waits, the executor runs the others. (A
    /// `std::thread::sleep` here would freeze every task on the thread: see
    /// the fsm chapter's `--blocking`.)
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
        }
    }

    /// Starts `future` as a separate task and returns a handle to await its
    /// result: Python's `asyncio.create_task(coro)` / `ensure_future`.
    ///
    /// The task starts running without being awaited (like a Python Task).
    /// Must be called from inside [`Runtime::block_on`] (tokio needs its
    /// runtime to be running on this thread).
    pub fn spawn<F>(self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match self {
            Runtime::Tokio => JoinHandle::Tokio(tokio::spawn(future)),
            Runtime::AsyncStd => JoinHandle::AsyncStd(async_std::task::spawn(future)),
            Runtime::Smol => JoinHandle::Smol(smol::spawn(future)),
        }
    }
}

impl std::fmt::Display for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A spawned task's handle, from whichever runtime spawned it.
///
/// Dropping it does different things per runtime (tokio and async-std
/// detach the task, smol *cancels* it), so the chapters always
/// [`join`](JoinHandle::join) every task they spawn.
#[derive(Debug)]
pub enum JoinHandle<T> {
    /// `tokio::task::JoinHandle`: awaiting gives `Result<T, JoinError>`.
    Tokio(tokio::task::JoinHandle<T>),
    /// `async_std::task::JoinHandle`: awaiting gives `T`.
    AsyncStd(async_std::task::JoinHandle<T>),
    /// `smol::Task`: awaiting gives `T`.
    Smol(smol::Task<T>),
}

impl<T> JoinHandle<T> {
    /// Waits for the task and returns its result: `await task` in Python.
    ///
    /// If the task panicked, the panic continues here, as an exception
    /// raised in a Python task is re-raised by `await task`.
    pub async fn join(self) -> T {
        match self {
            JoinHandle::Tokio(handle) => match handle.await {
                Ok(value) => value,
                // tokio catches the task's panic; carry it on to the joiner.
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                // Only `abort()` cancels a tokio task, and we never call it.
                Err(error) => panic!("task was cancelled: {error}"),
            },
            JoinHandle::AsyncStd(handle) => handle.await,
            JoinHandle::Smol(task) => task.await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every runtime spawns, sleeps and joins; two 20 ms sleeps in two
    /// tasks overlap (well under 40 ms apart from scheduling noise).
    #[test]
    fn spawn_sleep_join_on_every_runtime() {
        for runtime in Runtime::ALL {
            let started = std::time::Instant::now();
            let sum = runtime.block_on(async move {
                let a = runtime.spawn(async move {
                    runtime.sleep(Duration::from_millis(20)).await;
                    1
                });
                let b = runtime.spawn(async move {
                    runtime.sleep(Duration::from_millis(20)).await;
                    2
                });
                a.join().await + b.join().await
            });
            assert_eq!(sum, 3, "{runtime}");
            assert!(started.elapsed() >= Duration::from_millis(20), "{runtime}");
        }
    }

    /// The command-line names are the ones the docs use.
    #[test]
    fn names() {
        use clap::ValueEnum;
        for runtime in Runtime::ALL {
            let parsed = Runtime::from_str(runtime.name(), false).expect("known name");
            assert_eq!(parsed, runtime);
        }
    }
}
