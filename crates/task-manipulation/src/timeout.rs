//! Part `timeout`: the port of the Python program's `part_timeout`, kept
//! out of [`crate::port`] because Rust has no `asyncio.shield`.
//! `tokio::time::timeout` owns what it is given and drops it when the time
//! is up, which cancels a plain future (`wait_for`). Given `&mut handle`,
//! it drops only a borrow: the spawned task runs on, as a shielded one
//! does, and the handle is still there to await or abort.

use tokio::time::timeout;

use crate::Error;
use crate::work::{Pace, job_of, say, shown};
use runner::Recorder;

/// `async def part_timeout():` in time, too late, and a task left running.
pub async fn run(log: &Recorder, pace: Pace) -> Result<(), Error> {
    let limit = pace.secs(2.0);
    for spec in [("quick", 1.0, 4), ("late", 5.0, 5)] {
        let (wait, max) = (shown(pace.secs(spec.1)), shown(limit));
        //     say("main", "wait_for(job %.3f s, timeout=%.3f s)" % (pace(1), pace(2)))
        say!(log, "wait_for(job {wait}, timeout={max})");
        //     await asyncio.wait_for(job(...), timeout=pace(2))
        match timeout(limit, job_of(log, pace, spec)).await {
            Ok(value) => say!(log, "in time: {}", value?),
            //     except TimeoutError:
            Err(_) => say!(log, "TimeoutError: timeout() dropped (cancelled) the job"),
        }
    }
    //     task = asyncio.create_task(job("spawned", 5, 6))
    let mut task = tokio::spawn(job_of(log, pace, ("spawned", 5.0, 6)));
    //     await asyncio.wait_for(asyncio.shield(task), timeout=pace(2))
    say!(log, "timeout(&mut handle): only the waiting times out");
    if timeout(limit, &mut task).await.is_ok() {
        return Err(Error::Unexpected("the spawned job beat its timeout"));
    }
    let running = !task.is_finished();
    say!(log, "timed out, but the task is still running: {running}");
    //     task.cancel()
    task.abort();
    let cancelled = matches!(task.await, Err(e) if e.is_cancelled());
    say!(log, "the task was cancelled: {cancelled}");
    Ok(())
}
