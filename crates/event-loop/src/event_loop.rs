//! The loop the A, B, C program runs on: a [`runtimes::Runtime`] (which
//! spawns, sleeps and runs blocking work on tokio, async-std, smol or the
//! std-only mini executor), plus the three things only this chapter needs
//! from a loop:
//!
//! | what                        | asyncio                         | here                                                    |
//! |-----------------------------|---------------------------------|---------------------------------------------------------|
//! | the loop's clock            | `loop.time()`                   | [`Loop::time`]: `tokio::time::Instant`; mini: `Handle::now` |
//! | block the loop (the bug)    | `time.sleep(d)` in a callback   | [`Loop::block`]: `std::thread::sleep`; mini: `Handle::block` |
//! | run blocking work elsewhere | `loop.run_in_executor(None, f)` | [`Loop::run_blocking`]: `Runtime::spawn_blocking`       |
//!
//! Each runtime's own spawn, timer and `spawn_blocking` call is in the
//! runtime table in `crates/runtimes/src/lib.rs`.
//!
//! Blocking "for real" means `std::thread::sleep` on the loop's thread. On
//! mini's virtual clock (`mini::Executor::new_virtual`, what the tests use)
//! blocking moves the clock forward without letting anything else run,
//! which is exactly what a blocked loop looks like from the inside, and
//! every time is exact.

use std::future::Future;
use std::time::Duration;

use runner::Recorder;
use runtimes::{Runtime, mini};

/// One event loop: which runtime, and its clock.
#[derive(Debug, Clone)]
pub struct Loop {
    /// The runtime that spawns tasks, sets timers and runs blocking work.
    pub runtime: Runtime,
    /// Where `loop.time()` comes from.
    clock: LoopClock,
}

/// The loop's clock.
#[derive(Debug, Clone)]
enum LoopClock {
    /// tokio's clock since the loop was made (on async-std and smol, which
    /// have no clock of their own, it is `std::time::Instant`).
    Since(tokio::time::Instant),
    /// The mini executor's own clock, real or virtual.
    Mini(mini::Handle),
}

impl Loop {
    /// The loop of `runtime`, running on this thread: call it inside the
    /// runtime's `block_on` (mini's loop is found with `Handle::current`,
    /// Python's `asyncio.get_running_loop()`).
    ///
    /// # Panics
    /// With [`Runtime::Mini`] outside a mini loop.
    pub fn here(runtime: Runtime) -> Self {
        let clock = match runtime {
            Runtime::Mini => LoopClock::Mini(
                mini::Handle::current().expect("Loop::here(Runtime::Mini) runs inside a mini loop"),
            ),
            _ => LoopClock::Since(tokio::time::Instant::now()),
        };
        Self { runtime, clock }
    }

    /// Python: `loop.time()` (here: since the loop started).
    pub fn time(&self) -> Duration {
        match &self.clock {
            LoopClock::Since(start) => start.elapsed(),
            LoopClock::Mini(handle) => handle.now(),
        }
    }

    /// A recorder whose lines are stamped with the loop's time.
    pub fn recorder(&self, print: bool) -> Recorder {
        let lp = self.clone();
        Recorder::with_clock(print, move || lp.time())
    }

    /// Python: `loop.create_task(task)`, with nobody awaiting the handle
    /// (the program waits for its tasks with a `TaskTracker`). `detach`,
    /// not a dropped handle: dropping a smol task would cancel it.
    pub fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        self.runtime.spawn(task).detach();
    }

    /// Keeps the loop's thread busy for `duration`, as `time.sleep` in a
    /// callback does: the bug the chapter's program has on purpose. Called
    /// inside a task's `poll`, so nothing else on this thread runs
    /// meanwhile (on a current-thread runtime: nothing else at all).
    pub fn block(&self, duration: Duration) {
        match &self.clock {
            // On the virtual clock: time jumps, and still nothing else runs.
            LoopClock::Mini(handle) => handle.block(duration),
            LoopClock::Since(_) => std::thread::sleep(duration),
        }
    }

    /// Does the same blocking work on another thread and completes when it
    /// is done: Python's `await loop.run_in_executor(None, time.sleep, d)`.
    pub async fn run_blocking(&self, duration: Duration) {
        match &self.clock {
            // A thread's real sleep would not move the virtual clock: the
            // loop would race ahead to its next timer. So on the virtual
            // clock, "work elsewhere that takes `duration`" is a timer.
            LoopClock::Mini(handle) if handle.is_virtual() => self.runtime.sleep(duration).await,
            // `spawn_blocking`, not `spawn`: the closure runs on a thread
            // meant for blocking, and the loop only awaits its handle. A
            // sleep cannot panic: an error could only say that no thread
            // could be started, and the callback then goes on without it.
            _ => {
                let _ = self
                    .runtime
                    .spawn_blocking(move || std::thread::sleep(duration))
                    .await;
            }
        }
    }
}
