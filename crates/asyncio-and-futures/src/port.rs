//! The direct port of one mode of `python/asyncio_and_executors.py`
//! (`ticker`, `lane`, `job`, `run_mode`), the Python lines as comments.
//! What differs, on purpose: the loop is `--runtime`'s, by default tokio
//! on two worker threads; `count_job` is [`run_job`], `get` is hyper in
//! [`run_lane`]; the tasks return what they measured rather than add to
//! `run`; jobs, requests and ticks are kept for `--timeline`.

use std::{ops::Range, sync::Arc, sync::Weak, time::Duration};

use futures::future::{BoxFuture, join_all};
use runner::SpanKind;

use crate::client::{ClientError, LaneReport, run_lane, split_requests};
use crate::experiment::{ExperimentError, Pools, Run, RunReport};
use crate::jobs::{JobOutcome, Mode, on_process_pool, on_rayon, run_job};
use crate::output;

/// What a task gives (a job's by default: where and what it computed).
type Outcome<T = JobOutcome> = Result<T, ExperimentError>;

/// `async def ticker(run, stop):` a tick a millisecond, counting those during jobs.
async fn ticker(run: Run, ticking: Weak<()>) -> u64 {
    let mut ticks = 0;
    //     while not stop.is_set():
    while ticking.strong_count() > 0 {
        //         await asyncio.sleep(0.001)
        run.client.sleep(Duration::from_millis(1)).await;
        run.jobs.out.mark("ticker", "tick");
        //         run.ticks += run.jobs_running > 0
        ticks += u64::from(run.jobs.running.now() > 0);
    }
    ticks
}

/// `async def lane(port, numbers, run, start):` one connection, its requests
/// in turn. Its first bar starts now, as its task is created, before it is polled.
fn lane(run: Run, i: usize, numbers: Range<u64>) -> impl Future<Output = Outcome<LaneReport>> {
    let name = format!("lane {i}");
    let connecting = run.jobs.out.span(&name, "open_connection", SpanKind::Wait);
    async move {
        //     reader, writer = await asyncio.open_connection("127.0.0.1", port)
        let connected = run.client.connect(run.server).await;
        drop(connecting);
        let io = connected.map_err(ClientError::connect(&name))?;
        //     for n in numbers: ok = await get(reader, writer, n) ...
        Ok(run_lane(&name, io, numbers, run.start, &run.jobs.out).await?)
    }
}

/// `async def job(mode, k, args, pools, run):` its loop right in its task
/// (`direct`), or handed to a pool *now*, leaving only the waiting to the task.
fn job(run: &Run, mode: Mode, k: u64, pools: Pools<'_>) -> impl Future<Output = Outcome> + use<> {
    let (jobs, iterations, out) = (run.jobs.clone(), run.load.iterations, run.jobs.out.clone());
    // count_job(k, args.iterations, ...), to be called where the mode says
    let count_job = move |kind| move || run_job(k, iterations, &jobs, kind);
    let outcome: BoxFuture<'static, Outcome> = match mode {
        //     if mode == "direct":  # the mistake: a CPU loop inside a coroutine
        //         outcome = count_job(k, args.iterations, os.getpid())
        Mode::Direct => Box::pin(async move { Ok(count_job(SpanKind::Block)()?) }),
        //     else:
        //         outcome = await loop.run_in_executor(pools[mode], count_job, k, ...)
        // pools["default-executor"] is None: the loop's own executor
        Mode::SpawnBlocking => {
            let blocking = run.client.spawn_blocking(count_job(SpanKind::Work));
            Box::pin(async move { Ok(blocking.await??) })
        }
        // pools["thread-pool"], a ThreadPoolExecutor
        Mode::Rayon => {
            let result = on_rayon(pools.rayon, k, count_job(SpanKind::Work));
            Box::pin(async move { Ok(result.await?) })
        }
        // pools["process-pool"], a ProcessPoolExecutor
        Mode::ProcessPool => {
            let submit = |pool| Ok(on_process_pool(pool, k, iterations, run.jobs.clone())?);
            let submitted = pools.processes().and_then(submit);
            Box::pin(async move { Ok(submitted?.await?) })
        }
    };
    async move {
        let outcome = outcome.await?;
        //     say(where, "job %s done: count = %s (loop took %.3fs)" % (k, result, seconds))
        out.say(&outcome.ran_on, output::job_done(&outcome));
        Ok(outcome)
    }
}

/// `async def run_mode(mode, args, port, pools):` the ticker, the lanes and the
/// jobs at once; every task is awaited before it returns, also on an error.
pub async fn run_mode(run: Run, mode: Mode, pools: Pools<'_>) -> Outcome<RunReport> {
    let (client, out, load) = (&run.client, run.jobs.out.clone(), run.load);
    //     say("main", "mode %s: start" % mode)
    out.say("main", format!("mode {}: start", mode.name()));
    //     run, stop = Run(), asyncio.Event()
    //     start = time.perf_counter()      (run.start)
    let ticking = Arc::new(());
    //     tick = asyncio.create_task(ticker(run, stop))
    let tick = client.spawn(ticker(run.clone(), Arc::downgrade(&ticking)));
    //     lanes = [asyncio.create_task(lane(port, numbers[i::args.concurrency], run, start))
    //              for i in range(args.concurrency)]   (here: contiguous ranges)
    let ranges = split_requests(load.requests, load.concurrency).into_iter();
    let lanes: Vec<_> = (ranges.enumerate())
        .map(|(i, numbers)| client.spawn(lane(run.clone(), i, numbers)))
        .collect();
    //     outcomes = await asyncio.gather(*(job(mode, k, args, pools, run)
    //                                       for k in range(1, args.jobs + 1)))
    let outcomes = (1..=load.jobs).map(|k| client.spawn(job(&run, mode, k, pools)));
    let outcomes = join_all(outcomes.collect::<Vec<_>>()).await;
    //     jobs_done = time.perf_counter() - start
    let jobs_done = run.start.elapsed();
    //     await asyncio.gather(*lanes)
    let lanes = join_all(lanes).await;
    //     stop.set()
    //     await tick
    drop(ticking);
    let ticks = tick.await?;
    //     left = len(asyncio.all_tasks()) - 1    (ClientRuntime::run counts them)
    //     lat = sorted(run.latencies)
    let report = RunReport::new(mode, lanes, outcomes, jobs_done, ticks)?;
    //     say("main", "mode %s: %s responses, p50 %s, p99 %s, jobs done after %s" % ...)
    out.say("main", output::mode_done(&report, load));
    Ok(report)
}
