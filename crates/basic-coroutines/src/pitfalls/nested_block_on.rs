//! Pitfall: `block_on` inside a runtime (tokio#5273, tokio#7665).
//!
//! `block_on` is `asyncio.run`: it holds the thread until its future is
//! done. Called from async code, it runs a second loop inside the first:
//! tokio refuses with a panic (Python with a `RuntimeError`); smol,
//! async-std and mini let it happen, and the outer loop stands still
//! meanwhile. Instead: `.await` the future in async code; in sync code that
//! needs an async result, run it on a blocking thread (`spawn_blocking`,
//! Python's `run_in_executor`), where `block_on` holds only that thread.
//! [`run`] tries all three beside a sibling task and measures how late the
//! sibling woke.

use std::future::Future;
use std::time::Duration;

use futures::channel::oneshot;
use runner::Recorder;
use runtimes::Runtime;

use super::PITFALL;
use crate::CoroutineError;

/// What a nested `block_on` did: its value, or the panic that refused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nested {
    /// It ran, holding the thread until it was done (smol, async-std, mini).
    Returned(u32),
    /// It panicked (tokio): this is the panic's message.
    Refused(String),
}

/// What the three ways of getting the value did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedBlockOn {
    /// `runtime.block_on(..)` inside a task.
    pub nested: Nested,
    /// How late the sibling task woke meanwhile.
    pub nested_sibling_late: Duration,
    /// The value `.await` gave.
    pub awaited: u32,
    /// How late the sibling woke then.
    pub awaited_sibling_late: Duration,
    /// The value `block_on` gave on a blocking thread.
    pub unblocked: u32,
    /// How late the sibling woke then.
    pub unblocked_sibling_late: Duration,
}

/// The async value wanted: 42, after `delay`.
async fn answer(runtime: Runtime, delay: Duration) -> u32 {
    runtime.sleep(delay).await;
    42
}

/// Runs `trial` with a sibling task due `delay / 2` after it starts;
/// returns the trial's value and how late the sibling woke.
async fn beside_a_sibling<T>(
    runtime: Runtime,
    recorder: &Recorder,
    delay: Duration,
    trial: impl Future<Output = T>,
) -> Result<(T, Duration), CoroutineError> {
    let due = delay / 2;
    let (started, has_started) = oneshot::channel();
    let clock = recorder.clone();
    let sibling = runtime.spawn(async move {
        let start = clock.elapsed();
        // Created (and its deadline set) before `started` lets the trial
        // run: the sibling is due at start + due whatever the trial does.
        let sleep = runtime.sleep(due);
        let _ = started.send(());
        sleep.await;
        clock.elapsed().saturating_sub(start + due)
    });
    // The sibling only sends once it has started; if it could not, the
    // handle below says why.
    let _ = has_started.await;
    let value = trial.await;
    let late = sibling
        .await
        .map_err(CoroutineError::task("the sibling task"))?;
    Ok((value, late))
}

/// A nested `block_on`, with its panic (tokio's refusal) caught.
fn nested_block_on(runtime: Runtime, delay: Duration) -> Nested {
    // The panic is the lesson and is reported below as a sentence: no
    // panic report on stderr meanwhile. (The hook is process-wide; nothing
    // else panics during these lines.)
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(|| runtime.block_on(answer(runtime, delay)));
    std::panic::set_hook(hook);
    match result {
        Ok(value) => Nested::Returned(value),
        Err(payload) => Nested::Refused(runner::panic_hook::payload_text(&*payload)),
    }
}

/// How a sibling's lateness reads: late by a quarter delay or more counts.
fn sibling(late: Duration, delay: Duration) -> String {
    if late >= delay / 4 {
        format!("the sibling task woke {:.3} s late", late.as_secs_f64())
    } else {
        "the sibling task woke on time".to_owned()
    }
}

/// Tries `block_on` inside a task, `.await`, and `block_on` on a blocking
/// thread, on `runtime`, and says what each did.
pub async fn run(
    runtime: Runtime,
    recorder: Recorder,
    delay: Duration,
) -> Result<NestedBlockOn, CoroutineError> {
    let say = |message: String| recorder.say(PITFALL, message);
    let wait = delay.as_secs_f64();
    say(format!(
        "1. runtime.block_on(answer) inside a task on {runtime}; answer takes {wait:.3} s, \
         a sibling task is due in {:.3} s",
        wait / 2.0
    ));
    let trial = async { nested_block_on(runtime, delay) };
    let (nested, nested_sibling_late) = beside_a_sibling(runtime, &recorder, delay, trial).await?;
    match &nested {
        Nested::Refused(message) => {
            let first = message.split(". ").next().unwrap_or(message);
            say(format!(
                "   it panicked at once: \"{first}.\" (caught here); {}",
                sibling(nested_sibling_late, delay)
            ));
        }
        Nested::Returned(value) => say(format!(
            "   it returned {value}, holding this thread all along; {}",
            sibling(nested_sibling_late, delay)
        )),
    }

    say("2. instead, in async code: answer.await".to_owned());
    let trial = answer(runtime, delay);
    let (awaited, awaited_sibling_late) =
        beside_a_sibling(runtime, &recorder, delay, trial).await?;
    say(format!(
        "   it gave {awaited}; {}",
        sibling(awaited_sibling_late, delay)
    ));

    say("3. in sync code that needs the value: runtime.block_on(answer) on a blocking thread (runtime.spawn_blocking)".to_owned());
    let blocking = runtime.spawn_blocking(move || runtime.block_on(answer(runtime, delay)));
    let trial = async {
        blocking
            .await
            .map_err(CoroutineError::task("the blocking thread"))
    };
    let (unblocked, unblocked_sibling_late) =
        beside_a_sibling(runtime, &recorder, delay, trial).await?;
    let unblocked = unblocked?;
    say(format!(
        "   it gave {unblocked}, holding only the blocking thread; {}",
        sibling(unblocked_sibling_late, delay)
    ));
    Ok(NestedBlockOn {
        nested,
        nested_sibling_late,
        awaited,
        awaited_sibling_late,
        unblocked,
        unblocked_sibling_late,
    })
}
