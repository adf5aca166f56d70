//! The async machinery itself: benchmark 4 (`machinery`) and the timer and
//! spawn figures of `compare`.
//!
//! - **Timers**: `n` tasks each sleeping 10 ms, all at once. The ideal total
//!   is 10 ms whatever `n` is; what comes on top is the runtime's cost of
//!   creating, registering and firing `n` timers and waking `n` tasks (and
//!   the timer's granularity: tokio rounds a sleep up to its next 1 ms tick).
//! - **Spawn storms**: `n` tasks that do nothing, spawned and joined: the
//!   bare cost of a task.
//!
//! | Python (asyncio)                                   | Rust (here)               |
//! |----------------------------------------------------|---------------------------|
//! | `gather(*(create_task(sleep(0.01)) for ...))`      | [`tokio_timers`], [`async_std_timers`], [`smol_timers`] |
//! | `gather(*(create_task(noop()) for ...))`           | [`tokio_noop_tasks`], [`async_std_noop_tasks`], [`smol_noop_tasks`] |
//!
//! Each returns how many tasks completed, checked against `n`. As in
//! [`crate::overhead::tokio_spawn`], the batch itself runs as a task on the
//! runtime, as the code of an async program (and asyncio's) does.

use crate::{BenchError, check};
use std::time::Duration;

/// The chapter's timer length.
pub const TIMER: Duration = Duration::from_millis(10);

/// `n` tokio tasks each sleeping `delay`, spawned at once, then joined.
pub fn tokio_timers(
    runtime: &tokio::runtime::Runtime,
    n: usize,
    delay: Duration,
) -> Result<usize, BenchError> {
    let done = runtime
        .block_on(runtime.spawn(async move {
            let handles: Vec<_> = (0..n)
                .map(|_| tokio::spawn(tokio::time::sleep(delay)))
                .collect();
            let mut done = 0;
            for handle in handles {
                handle.await.map_err(BenchError::task)?;
                done += 1;
            }
            Ok::<_, BenchError>(done)
        }))
        .map_err(BenchError::task)??;
    check("tokio timers", done, n)
}

/// `n` async-std tasks each sleeping `delay`, spawned at once, then joined.
/// (async-std is discontinued upstream: see [`smol_timers`].)
pub fn async_std_timers(n: usize, delay: Duration) -> Result<usize, BenchError> {
    let done = async_std::task::block_on(async_std::task::spawn(async move {
        let handles: Vec<_> = (0..n)
            .map(|_| async_std::task::spawn(async_std::task::sleep(delay)))
            .collect();
        let mut done = 0;
        for handle in handles {
            handle.await;
            done += 1;
        }
        done
    }));
    check("async-std timers", done, n)
}

/// `n` smol tasks each waiting on a `smol::Timer`, spawned at once, then
/// joined.
pub fn smol_timers(n: usize, delay: Duration) -> Result<usize, BenchError> {
    let done = smol::block_on(smol::spawn(async move {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                smol::spawn(async move {
                    smol::Timer::after(delay).await;
                })
            })
            .collect();
        let mut done = 0;
        for handle in handles {
            handle.await;
            done += 1;
        }
        done
    }));
    check("smol timers", done, n)
}

/// `n` tokio tasks that do nothing, spawned, then joined.
pub fn tokio_noop_tasks(runtime: &tokio::runtime::Runtime, n: usize) -> Result<usize, BenchError> {
    let done = runtime
        .block_on(runtime.spawn(async move {
            let handles: Vec<_> = (0..n).map(|_| tokio::spawn(async {})).collect();
            let mut done = 0;
            for handle in handles {
                handle.await.map_err(BenchError::task)?;
                done += 1;
            }
            Ok::<_, BenchError>(done)
        }))
        .map_err(BenchError::task)??;
    check("tokio no-op tasks", done, n)
}

/// `n` async-std tasks that do nothing, spawned, then joined.
pub fn async_std_noop_tasks(n: usize) -> Result<usize, BenchError> {
    let done = async_std::task::block_on(async_std::task::spawn(async move {
        let handles: Vec<_> = (0..n).map(|_| async_std::task::spawn(async {})).collect();
        let mut done = 0;
        for handle in handles {
            handle.await;
            done += 1;
        }
        done
    }));
    check("async-std no-op tasks", done, n)
}

/// `n` smol tasks that do nothing, spawned, then joined.
pub fn smol_noop_tasks(n: usize) -> Result<usize, BenchError> {
    let done = smol::block_on(smol::spawn(async move {
        let handles: Vec<_> = (0..n).map(|_| smol::spawn(async {})).collect();
        let mut done = 0;
        for handle in handles {
            handle.await;
            done += 1;
        }
        done
    }));
    check("smol no-op tasks", done, n)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::Instant;

    /// Every runtime completes all timers, no sooner than the delay and
    /// (with 5 ms timers, 200 at once) well before they would take one
    /// after another.
    #[test]
    fn timers_run_concurrently() {
        let delay = Duration::from_millis(5);
        let current = crate::overhead::tokio_current_thread().unwrap();
        let concurrent = |name: &str, run: &dyn Fn() -> Result<usize, BenchError>| {
            let start = Instant::now();
            assert_eq!(run().unwrap(), 200, "{name}");
            let took = start.elapsed();
            assert!(took >= delay, "{name}: {took:?}");
            assert!(
                took < delay * 100,
                "{name} ran the timers one by one: {took:?}"
            );
        };
        concurrent("tokio", &|| tokio_timers(&current, 200, delay));
        concurrent("async-std", &|| async_std_timers(200, delay));
        concurrent("smol", &|| smol_timers(200, delay));
    }

    /// Every runtime joins every no-op task.
    #[test]
    fn noop_tasks_all_complete() {
        let multi = crate::overhead::tokio_multi_thread(2).unwrap();
        assert_eq!(tokio_noop_tasks(&multi, 1000).unwrap(), 1000);
        assert_eq!(async_std_noop_tasks(1000).unwrap(), 1000);
        assert_eq!(smol_noop_tasks(1000).unwrap(), 1000);
    }
}
