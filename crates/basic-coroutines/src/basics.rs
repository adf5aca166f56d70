//! The basics of `async`/`await` that the chapter takes for granted:
//! [`outer`] awaiting [`inner`], as in Python
//!
//! ```python
//! async def inner(n):
//!     await asyncio.sleep(0.1)
//!     return sum(range(1, n + 1))
//!
//! async def outer(n):
//!     total = await inner(n)       # runs inner to completion
//!     return total * 2
//! ```
//!
//! and [`laziness`]: a Rust future runs not one line until something polls
//! it, while a spawned task, like a Python Task, runs whether or not anyone
//! awaits it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::channel::oneshot;
use runner::Recorder;
use runtimes::Runtime;

use crate::CoroutineError;

/// Label of this module's lines.
pub const BASICS: &str = "basics";

/// The inner coroutine: waits `delay`, then returns 1 + ... + `n`.
pub async fn inner(runtime: Runtime, recorder: &Recorder, n: u64, delay: Duration) -> u128 {
    recorder.say(BASICS, format!("inner({n}): started, sleeping"));
    runtime.sleep(delay).await;
    let sum = common::sum_to(n);
    recorder.say(BASICS, format!("inner({n}): returning {sum}"));
    sum
}

/// The outer coroutine: awaits [`inner`] (`outer` pauses there, and the
/// executor may run other tasks) and doubles its result.
pub async fn outer(runtime: Runtime, recorder: &Recorder, n: u64, delay: Duration) -> u128 {
    recorder.say(BASICS, format!("outer({n}): awaiting inner({n})"));
    let total = inner(runtime, recorder, n, delay).await;
    let doubled = total * 2;
    recorder.say(
        BASICS,
        format!("outer({n}): inner gave {total}, returning {doubled}"),
    );
    doubled
}

/// What [`laziness`] observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Laziness {
    /// Had the plain future's body run before we awaited it? (Never.)
    pub future_ran_before_await: bool,
    /// Had it run after the `.await`? (Always.)
    pub future_ran_after_await: bool,
    /// Did the spawned task run before we awaited its handle? (Always.)
    pub task_ran_before_join: bool,
}

/// Sets `flag` and says so: the body whose running we watch for.
async fn mark_ran(flag: Arc<AtomicBool>, recorder: Recorder, what: &'static str) {
    recorder.say(BASICS, format!("{what}: my body is running now"));
    flag.store(true, Ordering::SeqCst);
}

/// Shows that a future does nothing until awaited, while a spawned task runs
/// on its own (like a Python Task), after a `pause` for the executor to run
/// other work (any length shows the same).
pub async fn laziness(
    runtime: Runtime,
    recorder: &Recorder,
    pause: Duration,
) -> Result<Laziness, CoroutineError> {
    let say = |line: String| recorder.say(BASICS, line);
    // 1. A plain future. `ran` is written by the future's body and read
    // here; an atomic because, in general, a future may be polled on
    // another thread.
    let ran = Arc::new(AtomicBool::new(false));
    let future = mark_ran(ran.clone(), recorder.clone(), "plain future");
    say("created a future with mark_ran(..); not awaited yet".to_owned());
    runtime.sleep(pause).await;
    let future_ran_before_await = ran.load(Ordering::SeqCst);
    let secs = pause.as_secs_f64();
    say(format!(
        "after a {secs:.3} s pause, has its body run? {future_ran_before_await}"
    ));
    future.await;
    let future_ran_after_await = ran.load(Ordering::SeqCst);
    say(format!(
        "after .await, has it run? {future_ran_after_await}"
    ));

    // 2. A spawned task. The executor owns it now and runs it without us
    // awaiting the handle. We learn that it ran through a second channel
    // (`started`), not through the handle, which we leave alone until the
    // very end.
    let task_ran = Arc::new(AtomicBool::new(false));
    let (started_tx, started) = oneshot::channel::<()>();
    let body = mark_ran(task_ran.clone(), recorder.clone(), "spawned task");
    let handle = runtime.spawn(async move {
        body.await;
        let _ = started_tx.send(());
    });
    say("spawned a task with mark_ran(..); its handle is not awaited".to_owned());
    // The sender is never dropped unsent (the task sends before it ends),
    // so this completes once the task has run.
    let _ = started.await;
    let task_ran_before_join = task_ran.load(Ordering::SeqCst);
    say(format!(
        "without awaiting the handle, has the task run? {task_ran_before_join}"
    ));
    // Always await what we spawn: dropping the handle would detach the
    // task on most runtimes but cancel it on smol (`runtimes::JoinHandle`).
    handle
        .await
        .map_err(CoroutineError::task("the spawned task"))?;

    Ok(Laziness {
        future_ran_before_await,
        future_ran_after_await,
        task_ran_before_join,
    })
}

/// Runs `outer(n)`, then [`laziness`]; returns what each gave. Takes the
/// recorder by value, so that the future can be handed to `block_on`.
pub async fn run(
    runtime: Runtime,
    recorder: Recorder,
    n: u64,
    delay: Duration,
) -> Result<(u128, Laziness), CoroutineError> {
    let doubled = outer(runtime, &recorder, n, delay).await;
    let seen = laziness(runtime, &recorder, delay).await?;
    Ok((doubled, seen))
}
