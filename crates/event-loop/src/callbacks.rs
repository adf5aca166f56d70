//! The direct port of the chapter's program, `python/asyncio_event_loop.py`:
//! read the two side by side. `task_A`, `task_B` and `task_C` are one
//! function here, `task`, told which it is by `index`; the loop object
//! ([`Loop`]) has asyncio's calls (`time`, `call_soon`, `call_later`,
//! `stop`, `run_forever`, `close`).
//!
//! Beyond the Python program, marked where they come: each `called` line
//! says when the callback was due and when it ran, and what it drew;
//! `--part fixed` moves the blocking work off the loop; the heartbeat shows
//! what blocking does to the rest of the loop; Ctrl-C stops it gracefully.

use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use runner::Interrupt;

use crate::event_loop::{Called, Loop};
use crate::report::{Run, StopReason, Summary, secs};
use crate::{Settings, Variant, heartbeat};

/// The callbacks' names, in the order they call each other.
pub const NAMES: [&str; 3] = ["task A", "task B", "task C"];

/// The longest a callback blocks, in demo seconds: `random.randint(0, 5)`
/// draws whole seconds, 0 to 5 included.
pub const MAX_BLOCK_SECS: u64 = 5;

/// What Python passes to every callback as arguments (`end_time, loop`),
/// and the random numbers it draws from its module-level `random`.
struct Chain {
    /// `end_time` on the loop's clock.
    end_time: std::time::Duration,
    /// The seeded draws (ChaCha8: the same on every platform). Locked by
    /// one callback at a time, for one draw.
    rng: Mutex<ChaCha8Rng>,
    /// The speed and the variant.
    settings: Settings,
}

/// `def task_A(end_time, loop):` (and `task_B`, `task_C`: `index` 0, 1, 2).
///
/// A boxed future of a named type, not an `async fn`: the callback
/// schedules the next one, itself again, so the compiler could not work
/// out whether its own future is `Send` without knowing it already.
fn task(lp: Loop, chain: Arc<Chain>, index: usize, called: Called) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        let (name, pace, variant) = (NAMES[index], chain.settings.pace, chain.settings.variant);
        // random.randint(0, 5)
        let drawn = chain
            .rng
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .random_range(0..=MAX_BLOCK_SECS);
        let block = pace.secs(drawn as f64);
        // print("task_A called"), and when it was due, when it ran
        let (what, block_s) = (variant.doing(), secs(block));
        lp.say(
            name,
            format!("called: {called}; randint(0, 5) = {drawn}: {what} for {block_s} s"),
        );
        match variant {
            // time.sleep(random.randint(0, 5)): nothing else on the loop runs.
            Variant::Blocking => lp.block(name, block),
            // Beyond the Python program, the fix:
            // await loop.run_in_executor(None, time.sleep, d)
            Variant::Fixed => lp.run_blocking(name, block).await,
        }
        let run = Run::new(name, called, block, lp.time());
        lp.record().runs.push(run);
        if lp.is_stopping() {
            // Beyond the Python program: Ctrl-C stopped the loop meanwhile.
            return lp.say(name, "the loop is stopping: nothing more scheduled");
        }
        let (one, next) = (pace.secs(1.0), (index + 1) % NAMES.len());
        let one_s = secs(one);
        // if (loop.time() + 1.0) < end_time:
        if lp.time() + one < chain.end_time {
            // loop.call_later(1, task_B, end_time, loop)
            lp.say(name, format!("loop.call_later({one_s}, {})", NAMES[next]));
            let me = lp.clone();
            lp.call_later(one, NAMES[next], NAMES[next], move |called| {
                task(me, chain, next, called)
            });
        } else {
            // else: loop.stop()
            lp.say(
                name,
                format!("loop.time() + {one_s} >= end_time: loop.stop()"),
            );
            lp.stop(name, StopReason::EndTime);
        }
    })
}

/// `if __name__ == "__main__":`, from `end_loop = loop.time() + 60` to
/// `loop.close()`, on `lp` (`loop = asyncio.new_event_loop()`: the
/// runtime, made by the caller). Stops at the end time, or on Ctrl-C
/// (`interrupt`); returns the summary, also said on the loop.
pub async fn run(lp: Loop, settings: Settings, interrupt: &Interrupt) -> Summary {
    let pace = settings.pace;
    let chain = Arc::new(Chain {
        // end_loop = loop.time() + 60
        end_time: lp.time() + pace.secs(settings.duration),
        rng: Mutex::new(ChaCha8Rng::seed_from_u64(settings.seed)),
        settings,
    });
    for line in settings.describe(lp.runtime()) {
        lp.say("loop", line);
    }
    // loop.call_soon(task_A, end_loop, loop)
    let first = lp.clone();
    lp.call_soon(NAMES[0], NAMES[0], move |called| {
        task(first, chain, 0, called)
    });
    // Beyond the Python program: a callback due every second.
    heartbeat::schedule(&lp, pace, 1);
    // loop.run_forever()
    lp.run_forever(interrupt).await;
    // loop.close(): here it waits for every task to end first.
    let left_running = lp.close().await;
    Summary::say(&lp, settings.variant, left_running)
}
