//! The direct port of `python/basic_coroutines.py`, read beside it line
//! by line: the Python lines are the comments. Two coroutines complete a
//! future each; a done-callback on each future prints its result; `main`
//! wires them up and waits. The two sleeps overlap: one delay, not two.
//!
//! What differs from the Python, on purpose: the first coroutine computes
//! the real sum (the original only counts: 5 for 5, the port 15); a
//! future is a `oneshot` channel, its two halves given to the coroutine
//! and to the callback ([`crate::futures_and_callbacks`] says why);
//! `print` is a labelled line, `asyncio.sleep` is [`Ctx::sleep`], and
//! [`Ctx::work`] and friends also draw the run for `--timeline`; a first
//! Ctrl-C cancels the tasks (Python: `task.cancel()`).

use futures::channel::oneshot;
use runner::{Interrupt, Recorder};
use runtimes::TaskError;

use crate::CoroutineError;
use crate::futures_and_callbacks::{
    CALLBACK, CALLBACK1, CALLBACK2, Ctx, FIRST, SECOND, add_done_callback,
};

// async def first_coroutine(future, num, delay):
/// Computes 1 + 2 + ... + `num`, waits, then completes its future.
pub async fn first_coroutine(ctx: Ctx, future: oneshot::Sender<String>, num: u64) {
    //     count = 0
    //     for _ in range(1, num + 1):
    //         count += 1     (the quirk: this counts; the port adds)
    let count = ctx.work(FIRST, || common::sum_to(num));
    //     await asyncio.sleep(delay)
    ctx.sleep(FIRST, &format!("sum of 1..={num}")).await;
    //     future.set_result("First coroutine (sum of N ints) result = %s" % count)
    let result = format!("First coroutine (sum of N ints) result = {count}");
    ctx.set_result(FIRST, future, result);
}

// async def second_coroutine(future, num, delay):
/// Computes `num!` exactly, waits, then completes its future.
///
/// On an input above the factorial limit it returns the error *without*
/// completing the future: the sender is dropped, so the future resolves to
/// "cancelled" (Python would call `future.set_exception`).
pub async fn second_coroutine(
    ctx: Ctx,
    future: oneshot::Sender<String>,
    num: u64,
) -> Result<(), CoroutineError> {
    //     count = 1
    //     for i in range(2, num + 1):
    //         count *= i
    // (A big factorial is real CPU work on the loop's thread: 100000!,
    // the limit, takes seconds, and no other task runs meanwhile.)
    let count = ctx.work(SECOND, || common::factorial(num))?;
    //     await asyncio.sleep(delay)
    ctx.sleep(SECOND, &format!("{num}!")).await;
    //     future.set_result("Second coroutine (factorial) result = %s" % count)
    let result = format!("Second coroutine (factorial) result = {count}");
    ctx.set_result(SECOND, future, result);
    Ok(())
}

// def got_result(future):
/// The done-callback: prints the future's result, and hands it back (to
/// the caller, and the tests).
pub fn got_result(recorder: Recorder) -> impl FnOnce(String) -> String {
    move |result| {
        //     print(future.result())
        recorder.say(CALLBACK, &result);
        result
    }
}

/// What `main` waited for: each coroutine's task, then what each
/// done-callback returned (`None`: its future was cancelled).
pub type Joined = (
    Result<(), TaskError>,
    Result<Result<(), CoroutineError>, TaskError>,
    Result<Option<String>, TaskError>,
    Result<Option<String>, TaskError>,
);

// async def main(num1, num2, delay):
/// Creates the futures, attaches the callbacks, runs both coroutines as
/// tasks and waits for all of it (on a first Ctrl-C, cancels it all).
pub async fn main(ctx: Ctx, num1: u64, num2: u64, interrupt: &Interrupt) -> Joined {
    //     loop = asyncio.get_running_loop()      (ctx.runtime)
    let runtime = ctx.runtime;
    //     future1 = loop.create_future()
    let (set_result1, future1) = oneshot::channel::<String>();
    //     future2 = loop.create_future()
    let (set_result2, future2) = oneshot::channel::<String>();
    //     future1.add_done_callback(got_result)
    let callback1 = add_done_callback(future1, got_result(ctx.recorder.clone()));
    let callback1 = runtime.spawn(
        ctx.clone()
            .waiting(CALLBACK1, "awaiting future1", callback1),
    );
    //     future2.add_done_callback(got_result)
    let callback2 = add_done_callback(future2, got_result(ctx.recorder.clone()));
    let callback2 = runtime.spawn(
        ctx.clone()
            .waiting(CALLBACK2, "awaiting future2", callback2),
    );
    //     tasks = [
    //         asyncio.create_task(first_coroutine(future1, num1, delay)),
    let first = runtime.spawn(first_coroutine(ctx.clone(), set_result1, num1));
    //         asyncio.create_task(second_coroutine(future2, num2, delay)),
    let second = runtime.spawn(second_coroutine(ctx, set_result2, num2));
    //     ]
    //     await asyncio.wait(tasks)
    // (The callbacks too: asyncio runs them before `wait` returns. A first
    // Ctrl-C cancels every task at its next `.await`, Python's
    // `task.cancel()`, and `cancel_on` waits until it has stopped.)
    let stop = || interrupt.cancelled();
    futures::join!(
        first.cancel_on(stop()),
        second.cancel_on(stop()),
        callback1.cancel_on(stop()),
        callback2.cancel_on(stop())
    )
}
