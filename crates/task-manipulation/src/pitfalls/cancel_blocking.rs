//! Pitfall: `abort()`, or dropping the handle, does not stop work handed
//! to `spawn_blocking` once it has started (tokio#4853, #6571, #7501);
//! Python's `fut.cancel()` on `run_in_executor` leaves the thread going too.
//!
//! A closure is not a future: it has no `.await` at which the runtime could
//! drop it, and a thread cannot be stopped from outside. The one way is to
//! ask: the closure checks a tokio-util `CancellationToken` (Python: a
//! `threading.Event`) between its steps. It is a *child* of the token
//! Ctrl-C cancels, so the same check also ends the closure on Ctrl-C.

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::{JoinHandle, spawn_blocking};
use tokio_util::sync::CancellationToken;

use crate::Error;
use crate::work::{Pace, say, shown};
use runner::{Recorder, SpanKind};

/// How many steps the blocking work has.
pub const STEPS: u32 = 4;

/// What the part observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Steps the closure completed although it was aborted after the first.
    pub steps_despite_abort: u32,
    /// Steps it completed when its token was cancelled after the first:
    /// one or two, as it checks the token before each step.
    pub steps_with_token: u32,
}

/// The blocking work: [`STEPS`] steps of `step` each (a thread sleep,
/// standing for a blocking call: a file read, a C library), each step's
/// number sent to `done`. Before each step it checks `stop`, and returns
/// early if it was cancelled. Returns the steps done.
fn blocking_work(
    log: &Recorder,
    lane: &str,
    step: Duration,
    stop: &CancellationToken,
    done: &UnboundedSender<u32>,
) -> u32 {
    for i in 1..=STEPS {
        if stop.is_cancelled() {
            log.say(
                lane,
                format!("token cancelled: stopping after {} steps", i - 1),
            );
            return i - 1;
        }
        // A blocking bar: this thread is held for the whole step.
        let _bar = log.span(lane, format!("step {i}"), SpanKind::Block);
        std::thread::sleep(step);
        log.say(lane, format!("step {i} of {STEPS} done"));
        // Nobody listening any more (main was cancelled) is no error here.
        let _ = done.send(i);
    }
    STEPS
}

/// Spawns [`blocking_work`] on `lane`, checking `stop`, and returns its
/// handle once its first step is done: the closure is running. (`Err`: it
/// ended without one, as it does once Ctrl-C has cancelled its token.)
async fn after_one_step(
    log: &Recorder,
    lane: &'static str,
    step: Duration,
    stop: CancellationToken,
) -> Result<JoinHandle<u32>, Error> {
    let (done, mut steps) = unbounded_channel();
    let log = log.clone();
    let handle = spawn_blocking(move || blocking_work(&log, lane, step, &stop, &done));
    steps.recv().await.ok_or(Error::Interrupted)?;
    Ok(handle)
}

/// Aborts blocking work after its first step (it goes on), then cancels
/// the token of another after its first step (it stops).
pub async fn run(
    log: &Recorder,
    pace: Pace,
    interrupted: &CancellationToken,
) -> Result<Report, Error> {
    let step = pace.secs(0.5);
    say!(
        log,
        "spawn_blocking: {STEPS} blocking steps of {} each",
        shown(step)
    );

    // 1. abort(). This closure checks a token too, but only Ctrl-C cancels
    // it (so that the program can still end promptly): abort() cancels no
    // token, it only marks the task.
    let handle = after_one_step(log, "blocking", step, interrupted.child_token()).await?;
    say!(log, "handle.abort() (Python: fut.cancel())");
    log.mark("blocking", "abort()");
    handle.abort();
    let steps_despite_abort = match handle.await {
        Ok(steps) => steps,
        // Only a blocking task that had not started can be aborted.
        Err(error) if error.is_cancelled() => 0,
        Err(error) => return Err(Error::Join(error)),
    };
    let ran = steps_despite_abort;
    say!(
        log,
        "handle.await -> {ran}: abort() did not stop it; it ran {ran} of {STEPS} steps"
    );

    // 2. A token the closure checks before each step.
    let stop = interrupted.child_token(); // cancelled by us, or by Ctrl-C
    let handle = after_one_step(log, "cooperative", step, stop.clone()).await?;
    say!(log, "stop.cancel(): ask it to stop (Python: event.set())");
    log.mark("cooperative", "stop.cancel()");
    stop.cancel();
    // It stops at its next check: before step 2 if it had not begun it
    // yet, else after finishing step 2.
    let steps_with_token = handle.await?;
    let ran = steps_with_token;
    say!(
        log,
        "handle.await -> {ran}: it saw the token and stopped after {ran} of {STEPS} steps"
    );
    Ok(Report {
        steps_despite_abort,
        steps_with_token,
    })
}
