//! Pitfall: spawned tasks die when `main` returns (tokio#5544, tokio#1703).
//!
//! When `block_on` returns, tokio and mini drop the runtime and cancel the
//! tasks still on it at their `.await` (so does Python's `asyncio.run`);
//! smol and async-std spawn onto a global executor whose threads outlive
//! `block_on`, and the process exit ends the task where it is, *without*
//! its destructors (smol#294). The fix: await what you spawn before
//! returning. [`run`] shows the fix first, then the pitfall.

use std::time::Duration;

use runner::{Interrupt, Interrupted, Recorder};
use runtimes::Runtime;

use super::{PITFALL, Progress, Seen, worker};
use crate::CoroutineError;

/// The steps the worker task takes, one delay each.
pub const STEPS: u32 = 4;

/// What became of the two tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MainReturns {
    /// The task whose handle main awaited: always all its steps.
    pub awaited: Seen,
    /// The task main left behind, when `block_on` returned.
    pub left_at_return: Seen,
    /// The same task two delays later, just before `main` returns.
    pub left_at_exit: Seen,
}

/// Waits `duration` on this (plain, non-async) thread, in short slices, so
/// that a first Ctrl-C ends the wait at once.
fn wait_here(duration: Duration, interrupt: &Interrupt) -> Result<(), Interrupted> {
    let slice = Duration::from_millis(10);
    let mut left = duration;
    while !left.is_zero() {
        interrupt.check()?;
        let nap = left.min(slice);
        std::thread::sleep(nap);
        left -= nap;
    }
    interrupt.check()
}

/// Runs both `block_on`s on `runtime` (call it from `main`, outside any
/// runtime), and says what became of each task.
pub fn run(
    runtime: Runtime,
    recorder: Recorder,
    delay: Duration,
    interrupt: &Interrupt,
) -> Result<MainReturns, CoroutineError> {
    let say = |message: String| recorder.say(PITFALL, message);
    let wait = delay.as_secs_f64();

    say(format!(
        "1. the fix: main spawns a task of {STEPS} steps of {wait:.3} s on {runtime} \
         and awaits its handle before returning"
    ));
    let task = |lane, progress: &Progress| {
        let (recorder, progress) = (recorder.clone(), progress.clone());
        worker(runtime, recorder, lane, STEPS, delay, progress)
    };
    let awaited = Progress::default();
    let (work, stop) = (task("awaited", &awaited), interrupt.clone());
    let awaited_task = runtime.block_on(async move {
        // On a first Ctrl-C the task is cancelled, and awaited.
        runtime.spawn(work).cancel_on(stop.cancelled()).await
    });
    interrupt.check()?;
    awaited_task.map_err(CoroutineError::task("the awaited task"))?;
    let awaited = awaited.seen();
    say(format!(
        "   block_on returned after the task's {} of {STEPS} steps",
        awaited.steps
    ));

    say(format!(
        "2. the pitfall: main spawns the same task and returns after {:.3} s without awaiting it",
        1.5 * wait
    ));
    let left = Progress::default();
    let (work, stop) = (task("left behind", &left), interrupt.clone());
    runtime.block_on(async move {
        // Detached, so that on smol too the task is left running rather
        // than cancelled by dropping its handle (that is `dropped-handle`).
        runtime.spawn(work).detach();
        let main_goes_on = runtime.sleep(delay.mul_f64(1.5));
        // On Ctrl-C, `main` returns at once: the same pitfall, sooner.
        let _ = stop.token().run_until_cancelled(main_goes_on).await;
    });
    interrupt.check()?;
    let left_at_return = left.seen();
    match left_at_return.dropped_at {
        Some(_) => say(format!(
            "   block_on returned, and closing the runtime cancelled the task at its await: \
             {} of {STEPS} steps done, its destructor ran",
            left_at_return.steps
        )),
        None => say(format!(
            "   block_on returned with the task at {} of {STEPS} steps and still running on \
             {runtime}'s global executor, a thread that outlives block_on",
            left_at_return.steps
        )),
    }
    wait_here(2 * delay, interrupt)?;
    let left_at_exit = left.seen();
    if left_at_exit.dropped_at.is_none() {
        say(format!(
            "   {:.3} s later it has done {} of {STEPS} steps; main returns now, and the \
             process exit ends the task where it is: its destructor never runs \
             (no \"destructor ran\" line follows)",
            2.0 * wait,
            left_at_exit.steps
        ));
    } else {
        say(format!(
            "   {:.3} s later it is still at {} of {STEPS} steps: a cancelled task stays cancelled",
            2.0 * wait,
            left_at_exit.steps
        ));
    }
    Ok(MainReturns {
        awaited,
        left_at_return,
        left_at_exit,
    })
}
