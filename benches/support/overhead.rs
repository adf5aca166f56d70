//! What one task costs: benchmark 2 (`overhead`) and the per-task figures
//! of `compare`.
//!
//! The task is the chapter's trivial one, `cube(i)`, a few nanoseconds of
//! work, so what is measured is the executor: creating the task, handing it
//! to a thread, waking that thread, storing the result, waking the caller.
//! Every function runs a *batch*: all `n` tasks are submitted first, then
//! all results collected, as the chapter does; divide the time by `n` for
//! the cost per task (criterion's throughput does that: elements/s).
//!
//! | Python                                     | Rust (here)                      |
//! |--------------------------------------------|----------------------------------|
//! | `threading.Thread(...).start()`, `join()`  | [`thread_spawn_join`]            |
//! | (no counterpart)                           | [`rayon_par_iter`], [`rayon_scope_spawn`] |
//! | `ThreadPoolExecutor.submit`, `result()`    | [`thread_pool_submit`]           |
//! | `ThreadPoolExecutor.map`                   | [`thread_pool_map`]              |
//! | `asyncio.create_task`, `gather`            | [`spawn`] (tokio, async-std, smol) |
//! | `loop.run_in_executor(None, f)`            | [`spawn_blocking`] (tokio, async-std) |
//! | `ProcessPoolExecutor.submit`, `result()`   | [`process_pool_submit`]          |
//! | `ProcessPoolExecutor.map(chunksize=c)`     | [`process_pool_map`]             |
//! | `queue.SimpleQueue` ping-pong, 2 threads   | [`ping_pong`]                    |
//!
//! Each returns the sum of the cubes (checked against the formula), so the
//! work cannot be optimized away and a wrong result cannot go unnoticed.

use crate::batch::{On, spawn_join};
use crate::task::BenchTask;
use crate::{BenchError, check};
use common::cube;
use crossbeam_utils::CachePadded;
use process_pool::ProcessPoolExecutor;
use rayon::prelude::*;
use std::hint::black_box;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use thread_pool::ThreadPoolExecutor;

/// The sum of `cube(i)` for `i` in `0..n`, by formula: `(n(n-1)/2)^2`.
pub fn expected_sum(n: i64) -> Result<i64, BenchError> {
    let half = n.checked_mul(n - 1).map(|p| p / 2);
    half.and_then(|h| h.checked_mul(h))
        .ok_or_else(|| BenchError::WrongResult(format!("the sum of {n} cubes overflows i64")))
}

/// The task every executor here runs: Python's `cube(x)`, as a plain
/// `Option<i64>` (`None` if the cube overflowed, which it cannot for
/// `0..n` here). Not `common::cube`'s `Result`: its error carries the
/// failed expression as text, which makes the value about 70 bytes, and
/// every task would carry (and the executor copy) that much output, a cost
/// of our error type and not of the executor (measured: about a quarter of
/// tokio's per-task time).
fn task(x: i64) -> Option<i64> {
    cube(x).ok()
}

/// A task's output as a number, or the error it stands for.
fn cubed(output: Option<i64>) -> Result<i64, BenchError> {
    output.ok_or_else(|| BenchError::WrongResult("a cube overflowed i64".into()))
}

/// The task inputs `0..n`, hidden from the optimizer.
fn inputs(n: usize) -> std::ops::Range<i64> {
    0..black_box(i64::try_from(n).unwrap_or(i64::MAX))
}

/// The expected sum for `n` tasks, computed *before* running them: if it
/// fits in an `i64`, so does every partial sum (the cubes are >= 0).
fn want(n: usize) -> Result<i64, BenchError> {
    expected_sum(i64::try_from(n).map_err(|_| BenchError::WrongResult(format!("{n} tasks")))?)
}

/// Python: `Thread(target=cube, args=(i,)).start()` for each task, then
/// `join()` each: a new OS thread per task.
pub fn thread_spawn_join(n: usize) -> Result<i64, BenchError> {
    let want = want(n)?;
    let handles: Vec<_> = inputs(n)
        .map(|i| {
            std::thread::Builder::new()
                .spawn(move || task(i))
                .map_err(|e| BenchError::start("a thread", e))
        })
        .collect::<Result<_, _>>()?;
    let mut sum = 0;
    for handle in handles {
        sum += handle
            .join()
            .map_err(|_| BenchError::task("a thread panicked"))
            .and_then(cubed)?;
    }
    check("thread spawn", sum, want)
}

/// rayon's `par_iter` over the inputs: rayon splits the range into a few
/// pieces per thread, so most tasks cost a function call, not a hand-off.
pub fn rayon_par_iter(pool: &rayon::ThreadPool, n: usize) -> Result<i64, BenchError> {
    let want = want(n)?;
    let sum = pool.install(|| inputs(n).into_par_iter().map(cube).sum::<Result<i64, _>>())?;
    check("rayon par_iter", sum, want)
}

/// One `rayon::Scope::spawn` per task: rayon's per-task path (a job pushed
/// on the worker's deque, stolen by an idle worker).
///
/// Each task adds its cube to its own worker's slot, padded to a cache
/// line: one shared counter would make every task on one core invalidate
/// the other core's copy of it, and the benchmark would measure that
/// cache-line ping-pong rather than rayon.
pub fn rayon_scope_spawn(pool: &rayon::ThreadPool, n: usize) -> Result<i64, BenchError> {
    let want = want(n)?;
    let slots: Vec<CachePadded<AtomicI64>> = (0..pool.current_num_threads())
        .map(|_| CachePadded::new(AtomicI64::new(0)))
        .collect();
    let failed = AtomicUsize::new(0);
    pool.scope(|scope| {
        for i in inputs(n) {
            let (slots, failed) = (&slots, &failed);
            scope.spawn(move |_| match cube(i) {
                Ok(c) => {
                    // Inside the pool a task always runs on a worker; slot 0
                    // would still give the right sum if it did not.
                    let slot = rayon::current_thread_index().unwrap_or(0);
                    slots[slot % slots.len()].fetch_add(c, Ordering::Relaxed);
                }
                Err(_) => {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    check("rayon scope: failed tasks", failed.into_inner(), 0)?;
    let sum = slots.iter().map(|s| s.load(Ordering::Relaxed)).sum();
    check("rayon scope", sum, want)
}

/// The `thread-pool` crate: `submit` every task, then `result()` each.
pub fn thread_pool_submit(pool: &ThreadPoolExecutor, n: usize) -> Result<i64, BenchError> {
    let want = want(n)?;
    let handles: Vec<_> = inputs(n).map(|i| pool.submit(move || cube(i))).collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.result().map_err(BenchError::task)?;
    }
    check("thread-pool submit", sum, want)
}

/// The `thread-pool` crate's `map`.
pub fn thread_pool_map(pool: &ThreadPoolExecutor, n: usize) -> Result<i64, BenchError> {
    let want = want(n)?;
    let sum = pool
        .map(cube, inputs(n))
        .sum::<Result<i64, _>>()
        .map_err(BenchError::task)?;
    check("thread-pool map", sum, want)
}

/// A tokio runtime with one thread: Python's event loop (what
/// `--runtime tokio` means everywhere in the workspace).
pub fn tokio_current_thread() -> Result<tokio::runtime::Runtime, BenchError> {
    runtimes::build_tokio(runtimes::TokioFlavor::CurrentThread)
        .map_err(|e| BenchError::start("tokio current-thread runtime", e))
}

/// A tokio runtime with `workers` worker threads (`#[tokio::main]` uses
/// one per core).
pub fn tokio_multi_thread(workers: usize) -> Result<tokio::runtime::Runtime, BenchError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .map_err(|e| BenchError::start("tokio multi-thread runtime", e))
}

/// `spawn` every task (`tokio::spawn`, `async_std::task::spawn`,
/// `smol::spawn`), then await each handle: Python's `create_task` +
/// `gather`. The batch runs as a task on the runtime (see
/// [`crate::batch`]).
pub fn spawn(on: On<'_>, n: usize) -> Result<i64, BenchError> {
    cube_batch(on, n, "spawn", |runtime, i| {
        runtime.spawn(async move { task(i) })
    })
}

/// `spawn_blocking` per task: each goes to the runtime's blocking pool, a
/// set of OS threads for code that must not run on the async workers
/// (Python: `loop.run_in_executor(None, cube, i)`).
pub fn spawn_blocking(on: On<'_>, n: usize) -> Result<i64, BenchError> {
    cube_batch(on, n, "spawn_blocking", |runtime, i| {
        runtime.spawn_blocking(move || task(i))
    })
}

/// One batch of `n` cube tasks started by `spawn`, summed and checked.
fn cube_batch(
    on: On<'_>,
    n: usize,
    what: &str,
    spawn: impl Fn(runtimes::Runtime, i64) -> runtimes::JoinHandle<Option<i64>> + Send + 'static,
) -> Result<i64, BenchError> {
    let want = want(n)?;
    let sum = spawn_join(on, inputs(n), spawn, 0, |sum, output| {
        Ok(sum + cubed(output)?)
    })?;
    check(what, sum, want)
}

/// The `process-pool` crate: `submit` every task, then `result()` each.
/// Each task is a request frame to a worker and a reply frame back.
pub fn process_pool_submit(
    pool: &ProcessPoolExecutor<BenchTask>,
    n: usize,
) -> Result<i64, BenchError> {
    let want = want(n)?;
    let handles = inputs(n)
        .map(|i| pool.submit(BenchTask::Cube(i)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut sum = 0;
    for handle in handles {
        sum += number(handle.result())?;
    }
    check("process-pool submit", sum, want)
}

/// The `process-pool` crate's `map` with `chunksize` tasks per request.
pub fn process_pool_map(
    pool: &ProcessPoolExecutor<BenchTask>,
    n: usize,
    chunksize: usize,
) -> Result<i64, BenchError> {
    let want = want(n)?;
    let mut sum = 0;
    for outcome in pool.map(inputs(n).map(BenchTask::Cube), chunksize)? {
        sum += number(outcome)?;
    }
    check("process-pool map", sum, want)
}

/// The cube a process-pool task gave back.
fn number(outcome: process_pool::Outcome<BenchTask>) -> Result<i64, BenchError> {
    outcome.map_err(BenchError::task)?.cube()
}

/// Two threads hand a baton back and forth `round_trips` times: every
/// hand-off wakes a thread that sleeps on the other core. Returns the
/// number of hand-offs (two per round trip); divide the time by it for the
/// cost of one wake-up.
///
/// This is what a pool pays per task when tasks go one at a time: the
/// caller wakes a worker, the worker wakes the caller (the thread-pool's
/// `TaskHandle::result` waits on a `Condvar` just like this). A `Condvar`
/// and not a channel: `Condvar::wait` always puts the thread to sleep,
/// where a channel's receiver first spins for a moment and, when the
/// answer is quick, sometimes catches it without sleeping, which would mix
/// two different costs in one number.
pub fn ping_pong(round_trips: usize) -> Result<usize, BenchError> {
    /// Hand-offs so far: odd means it is the echo thread's turn. Written
    /// by whichever thread has the turn, under the mutex.
    struct Baton {
        handoffs: usize,
        done: bool,
    }
    let baton = Mutex::new(Baton {
        handoffs: 0,
        done: false,
    });
    let changed = Condvar::new();
    let lock = || baton.lock().unwrap_or_else(PoisonError::into_inner);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let mut state = lock();
            loop {
                // Sleep until it is our turn (or the caller is done).
                state = changed
                    .wait_while(state, |b| b.handoffs % 2 == 0 && !b.done)
                    .unwrap_or_else(PoisonError::into_inner);
                if state.done {
                    break;
                }
                state.handoffs += 1;
                changed.notify_one();
            }
        });
        let mut state = lock();
        for _ in 0..round_trips {
            state.handoffs += 1;
            changed.notify_one();
            state = changed
                .wait_while(state, |b| b.handoffs % 2 == 1)
                .unwrap_or_else(PoisonError::into_inner);
        }
        state.done = true;
        changed.notify_one();
        // The scope joins the echo thread once `state` is dropped.
        check("ping-pong", state.handoffs, 2 * round_trips)
    })
}
