//! The futures part (`--part futures`): the two bridges of `bridge.rs`
//! run for real, each once in time and once timed out: async code awaits
//! a process pool's handle, then a job ten times longer with a 1 ms
//! timeout (the wait stops, the job does not); a plain thread waits for an
//! HTTP request made by an async task, then, 20 ms at most, for a task
//! that sleeps 10 s (it is cancelled and joined).
//!
//! It runs on a tokio runtime of its own, always multi-threaded: while the
//! plain thread waits, a worker thread must run the task it waits for
//! (nobody calls `block_on` then).

use std::net::SocketAddr;
use std::time::Duration;

use process_pool::ProcessPoolExecutor;
use runner::{Recorder, SpanKind};
use runtimes::TokioFlavor;

use crate::Error;
use crate::bridge::{PoolWait, ResultError, run_coroutine_threadsafe, wait_for_job};
use crate::client::{ClientError, run_lane};
use crate::jobs::{CountTask, Jobs, on_process_pool};
use crate::output;
use crate::program::Context;
use crate::runtime::tokio_runtime;

/// What the futures-both-ways part saw.
#[derive(Debug)]
pub struct FuturesSummary {
    /// Awaiting a process pool's handle with a generous timeout: in time.
    pub pool_in_time: PoolWait,
    /// Awaiting a long process-pool job with a tiny timeout: timed out,
    /// then collected anyway.
    pub pool_timed_out: PoolWait,
    /// A thread waiting for an HTTP request made by an async task.
    pub thread_in_time: Result<String, ResultError>,
    /// A thread waiting too briefly for a slow async task (cancelled).
    pub thread_timed_out: Result<String, ResultError>,
}

/// The lanes of the two coroutines handed over by the plain thread.
const IN_TIME: &str = "coroutine 42";
/// See [`IN_TIME`].
const TOO_SLOW: &str = "coroutine 43";

/// Runs the part; `processes` is the program's process pool.
pub(crate) fn run(
    cx: Context<'_>,
    processes: &ProcessPoolExecutor<CountTask>,
) -> Result<FuturesSummary, Error> {
    let (out, addr) = (cx.out, cx.server);
    let iterations = cx.config.load.iterations;
    let runtime = tokio_runtime(TokioFlavor::MultiThread, cx.config.client.workers)?;

    // 1. Async code awaiting a pool's handle (`wrap_future` + `wait_for`).
    out.say(
        "main",
        "futures both ways: async code awaits a process pool's handle \
         (asyncio.wrap_future), timeout 10 s",
    );
    let job = on_process_pool(processes, 1, iterations, Jobs::new(out))?;
    let wait = out.span("main", "wait_for(wrap_future(job 1), 10 s)", SpanKind::Wait);
    let pool_in_time = runtime.block_on(wait_for_job(job, Duration::from_secs(10)));
    drop(wait);
    // Ctrl-C kills the pool's workers: the wait ends with an error, which
    // is the interruption, not something to report as the job's result.
    cx.check()?;
    out.say("main", output::pool_wait(&pool_in_time));
    out.say(
        "main",
        "again with a job 10 times longer and a timeout of 1 ms",
    );
    let longer = iterations.saturating_mul(10);
    let job = on_process_pool(processes, 1, longer, Jobs::new(out))?;
    let (timeout, started) = (Duration::from_millis(1), out.elapsed());
    let wait = out.span(
        "main",
        "wait_for(wrap_future(job 1 x 10), 1 ms)",
        SpanKind::Wait,
    );
    let pool_timed_out = runtime.block_on(wait_for_job(job, timeout));
    drop(wait);
    if matches!(pool_timed_out, PoolWait::TimedOut { .. }) {
        out.mark_at(
            "main",
            "the timeout: the wait stops, the job does not",
            started + timeout,
        );
    }
    cx.check()?;
    out.say("main", output::pool_wait(&pool_timed_out));

    // 2. A plain thread waiting for async code (`run_coroutine_threadsafe`).
    let handle = runtime.handle();
    let (thread_in_time, thread_timed_out) = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("plain-thread".into())
            .spawn_scoped(scope, || {
                out.say_here("run_coroutine_threadsafe(fetch /echo/42), then .result(timeout = 10 s)");
                let wait = out.span("plain-thread", ".result(timeout = 10 s)", SpanKind::Block);
                let in_time = run_coroutine_threadsafe(handle, fetch_once(addr, IN_TIME, 42, out.clone()))
                    .result(Duration::from_secs(10));
                drop(wait);
                out.say_here(output::threadsafe_result(&in_time));
                out.say_here(
                    "run_coroutine_threadsafe(sleep 10 s, then fetch), then .result(timeout = 20 ms)",
                );
                let slow = {
                    let out = out.clone();
                    async move {
                        // Its bar ends where the task is cancelled.
                        let sleep = out.span(TOO_SLOW, "sleep 10 s", SpanKind::Wait);
                        tokio::time::sleep(Duration::from_secs(10)).await;
                        drop(sleep);
                        fetch_once(addr, TOO_SLOW, 43, out).await
                    }
                };
                let wait = out.span("plain-thread", ".result(timeout = 20 ms)", SpanKind::Block);
                let timed_out =
                    run_coroutine_threadsafe(handle, slow).result(Duration::from_millis(20));
                drop(wait);
                out.mark("plain-thread", "timed out: the task is cancelled");
                out.say_here(output::threadsafe_result(&timed_out));
                (in_time, timed_out)
            })
            .map(|thread| thread.join().expect("the plain thread does not panic"))
    })?;
    // Dropping the runtime joins its workers.
    drop(runtime);
    Ok(FuturesSummary {
        pool_in_time,
        pool_timed_out,
        thread_in_time: thread_in_time.and_then(|r| r.map_err(|_| ResultError::Lost)),
        thread_timed_out: thread_timed_out.and_then(|r| r.map_err(|_| ResultError::Lost)),
    })
}

/// One request to the server from tokio, returning the body: the
/// coroutine `fetch(n)` of the Python, a bar on `lane`.
async fn fetch_once(
    addr: SocketAddr,
    lane: &'static str,
    n: u64,
    out: Recorder,
) -> Result<String, ClientError> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(ClientError::connect(lane))?;
    let io = hyper_util::rt::TokioIo::new(stream);
    let report = run_lane(lane, io, n..n + 1, std::time::Instant::now(), &out).await?;
    Ok(String::from_utf8_lossy(&report.last_body).into_owned())
}
