//! The chapter's program: two coroutines, two futures, two done-callbacks.
//!
//! The Python original (modernised from `@asyncio.coroutine`/`yield from`):
//!
//! ```python
//! async def first_coroutine(future, num):
//!     count = 0
//!     for i in range(1, num + 1):
//!         count += 1                       # (a quirk: this counts, it does not sum)
//!     await asyncio.sleep(4)
//!     future.set_result("First coroutine (sum of N ints) result = " + str(count))
//!
//! async def second_coroutine(future, num):
//!     count = 1
//!     for i in range(2, num + 1):
//!         count *= i
//!     await asyncio.sleep(4)
//!     future.set_result("Second coroutine (factorial) result = " + str(count))
//!
//! def got_result(future):
//!     print(future.result())
//!
//! loop = asyncio.get_event_loop()
//! future1, future2 = asyncio.Future(), asyncio.Future()
//! tasks = [first_coroutine(future1, num1), second_coroutine(future2, num2)]
//! future1.add_done_callback(got_result)
//! future2.add_done_callback(got_result)
//! loop.run_until_complete(asyncio.wait(tasks))
//! loop.close()
//! ```
//!
//! The Rust pieces, one for one:
//!
//! | Python                          | Rust                                                        |
//! |---------------------------------|-------------------------------------------------------------|
//! | `future = asyncio.Future()`     | `let (set_result, future) = oneshot::channel()`             |
//! | `future.set_result(value)`      | `set_result.send(value)` (consumes the sender: only once)   |
//! | `future.set_exception(e)` / cancel | dropping the sender: the future resolves to `Err(Canceled)` |
//! | `future.add_done_callback(cb)`  | [`add_done_callback`]: a task that awaits the future, then calls `cb` |
//! | `asyncio.wait(tasks)`           | `futures::join!` over the task handles                      |
//! | `task.cancel()` (on Ctrl-C)     | `handle.cancel_on(interrupt.cancelled())`                   |
//!
//! `futures::channel::oneshot` belongs to no runtime, so the same code runs
//! on every runtime of `--runtime`. A Python `Future` is one object that both
//! sides share; Rust splits it into the half that *completes* it (the
//! `Sender`) and the half that *waits* for it (the `Receiver`, itself a
//! `Future`), so the type system says who may set the result.

use std::time::Duration;

use futures::channel::oneshot;
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

use crate::CoroutineError;

/// Label of the first coroutine's lines.
pub const FIRST: &str = "first";
/// Label of the second coroutine's lines.
pub const SECOND: &str = "second";
/// Label of the done-callback's lines.
pub const CALLBACK: &str = "callback";
/// Label of the lines `run` itself prints.
pub const MAIN: &str = "main";

/// What both coroutines share: the runtime, where to print, how long to wait.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The runtime whose `sleep` the coroutines await.
    pub runtime: Runtime,
    /// Where every line goes.
    pub recorder: Recorder,
    /// The wait before each coroutine sets its result (the chapter's 4 s).
    pub delay: Duration,
}

/// The results both futures delivered, as the callback printed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What `future1`'s callback printed.
    pub first: String,
    /// What `future2`'s callback printed.
    pub second: String,
    /// From starting the coroutines to both callbacks having run.
    pub elapsed: Duration,
}

/// Computes 1 + 2 + ... + `num`, waits, then completes its future.
///
/// The original Python only *counted* to `num` (its result for 5 is 5);
/// this one computes the real sum (15), with `common::sum_to`.
pub async fn first_coroutine(ctx: Ctx, set_result: oneshot::Sender<String>, num: u64) {
    let say = |message: String| ctx.recorder.say(FIRST, message);
    let sum = common::sum_to(num);
    say(format!(
        "sum of 1..={num} computed; waiting {:.3} s before setting the result",
        ctx.delay.as_secs_f64()
    ));
    // await asyncio.sleep(4): the second coroutine runs meanwhile.
    ctx.runtime.sleep(ctx.delay).await;
    say("future.set_result(..)".to_owned());
    // future.set_result(...). `send` fails only if the future was dropped,
    // i.e. nobody is waiting for the result any more; then there is no one
    // to tell, and dropping the value is right.
    let _ = set_result.send(format!("First coroutine (sum of N ints) result = {sum}"));
}

/// Computes `num!` exactly, waits, then completes its future.
///
/// On an input above the factorial limit it returns the error *without*
/// completing the future: the sender is dropped, so the future resolves to
/// "cancelled" (Python would call `future.set_exception`).
pub async fn second_coroutine(
    ctx: Ctx,
    set_result: oneshot::Sender<String>,
    num: u64,
) -> Result<(), CoroutineError> {
    let say = |message: String| ctx.recorder.say(SECOND, message);
    // A big factorial is real CPU work done on the event loop's thread;
    // up to the limit (100000!) it takes well under a second.
    let factorial = common::factorial(num)?;
    say(format!(
        "{num}! computed; waiting {:.3} s before setting the result",
        ctx.delay.as_secs_f64()
    ));
    ctx.runtime.sleep(ctx.delay).await;
    say("future.set_result(..)".to_owned());
    let _ = set_result.send(format!("Second coroutine (factorial) result = {factorial}"));
    Ok(())
}

/// `future.add_done_callback(callback)`: when `future` is completed, call
/// `callback` with its result.
///
/// asyncio keeps a list of callbacks inside the Future and the event loop
/// calls them after `set_result`. A Rust future has no callback list: the
/// idiom is a small task that awaits the future and then calls the function.
/// Spawn it, and the callback runs as soon as the result arrives, whoever
/// else is waiting for what. Returns what the callback returned, or `None`
/// if the future was cancelled (its sender dropped without a result).
pub async fn add_done_callback<T, R>(
    future: oneshot::Receiver<T>,
    callback: impl FnOnce(T) -> R,
) -> Option<R> {
    future.await.ok().map(callback)
}

/// Runs the chapter's program on `runtime`: both coroutines concurrently,
/// each result delivered through its future to a done-callback. On
/// Ctrl-C (`interrupt`) every task is cancelled and awaited, and the run
/// ends with [`CoroutineError::Interrupted`].
///
/// Must be awaited inside `runtime`. Takes about one `delay`, not two.
pub async fn run(
    runtime: Runtime,
    recorder: Recorder,
    interrupt: Interrupt,
    num1: u64,
    num2: u64,
    delay: Duration,
) -> Result<Outcome, CoroutineError> {
    let ctx = Ctx {
        runtime,
        recorder: recorder.clone(),
        delay,
    };
    let started = recorder.elapsed();
    recorder.say(
        MAIN,
        format!("running first_coroutine({num1}) and second_coroutine({num2}) on {runtime}"),
    );

    // future1 = asyncio.Future(); future2 = asyncio.Future()
    let (set_result1, future1) = oneshot::channel::<String>();
    let (set_result2, future2) = oneshot::channel::<String>();

    // future.add_done_callback(got_result), for each future. The callback
    // prints the result and hands it back, so the caller (and tests) see it.
    let got_result = |recorder: Recorder| {
        move |result: String| {
            recorder.say(CALLBACK, &result);
            result
        }
    };
    let callback1 = runtime.spawn(add_done_callback(future1, got_result(recorder.clone())));
    let callback2 = runtime.spawn(add_done_callback(future2, got_result(recorder.clone())));

    // The two coroutines, as tasks. (In Python, asyncio.wait wraps each
    // coroutine in a Task; here we spawn them ourselves.)
    let first = runtime.spawn(first_coroutine(ctx.clone(), set_result1, num1));
    let second = runtime.spawn(second_coroutine(ctx, set_result2, num2));

    // loop.run_until_complete(asyncio.wait(tasks)), plus the callbacks. A
    // first Ctrl-C cancels each task at its next `.await` (Python:
    // `task.cancel()`), and `cancel_on` waits until it has stopped.
    let stop = || interrupt.cancelled();
    let (first, second, first_result, second_result) = futures::join!(
        first.cancel_on(stop()),
        second.cancel_on(stop()),
        callback1.cancel_on(stop()),
        callback2.cancel_on(stop())
    );
    interrupt.check()?;
    first.map_err(CoroutineError::task("first_coroutine"))?;
    second.map_err(CoroutineError::task("second_coroutine"))??;
    let first_result = first_result.map_err(CoroutineError::task("the first done-callback"))?;
    let second_result = second_result.map_err(CoroutineError::task("the second done-callback"))?;

    let elapsed = recorder.elapsed() - started;
    recorder.say(
        MAIN,
        format!(
            "both futures done after {:.3} s: the two {:.3} s waits overlapped",
            elapsed.as_secs_f64(),
            delay.as_secs_f64()
        ),
    );
    Ok(Outcome {
        // With the second coroutine's error handled above, both senders
        // sent, so both callbacks ran.
        first: first_result.expect("first_coroutine always sets its result"),
        second: second_result.expect("second_coroutine set its result when it returned Ok"),
        elapsed,
    })
}

/// What the run had done when Ctrl-C stopped it, in one line. Read from
/// the recorded lines, so that it is as true when the program stopped by
/// itself as when the grace period ended the process.
pub fn interrupted_summary(recorder: &Recorder) -> String {
    if recorder.when(MAIN, "running first_coroutine").is_none() {
        return "stopped in the basics, before the coroutines started".to_owned();
    }
    let coroutine = |who, name| match recorder.when(who, "set_result") {
        Some(_) => format!("{name} had set its result"),
        None => format!("{name} had not set its result"),
    };
    format!(
        "{}, {}; {} of 2 done-callbacks ran",
        coroutine(FIRST, "first_coroutine"),
        coroutine(SECOND, "second_coroutine"),
        recorder.messages_of(CALLBACK).len()
    )
}
