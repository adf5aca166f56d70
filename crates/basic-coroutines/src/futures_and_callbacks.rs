//! Python's `asyncio.Future` and its done-callbacks in Rust, and the run
//! around the port ([`crate::port`]): the lines before and after, what the
//! times say, what Ctrl-C reports.
//!
//! The Python pieces, one for one:
//!
//! | Python                          | Rust                                                        |
//! |---------------------------------|-------------------------------------------------------------|
//! | `future = loop.create_future()` | `let (set_result, future) = oneshot::channel()`             |
//! | `future.set_result(value)`      | `set_result.send(value)` (consumes the sender: only once)   |
//! | `future.set_exception(e)` / cancel | dropping the sender: the future resolves to `Err(Canceled)` |
//! | `future.add_done_callback(cb)`  | [`add_done_callback`]: a task that awaits the future, then calls `cb` |
//! | `await asyncio.wait(tasks)`     | `futures::join!` over the task handles                      |
//! | `task.cancel()` (on Ctrl-C)     | `handle.cancel_on(interrupt.cancelled())`                   |
//!
//! `futures::channel::oneshot` belongs to no runtime, so the same code runs
//! on every runtime of `--runtime`. A Python `Future` is one object that both
//! sides share; Rust splits it into the half that *completes* it (the
//! `Sender`) and the half that *waits* for it (the `Receiver`, itself a
//! `Future`), so the type system says who may set the result.

use std::future::Future;
use std::time::Duration;

use futures::channel::oneshot;
use runner::{Interrupt, Recorder, SpanKind};
use runtimes::Runtime;

use crate::{CoroutineError, port};

/// Label (and timeline lane) of the first coroutine's lines.
pub const FIRST: &str = "first";
/// Label (and timeline lane) of the second coroutine's lines.
pub const SECOND: &str = "second";
/// Label of the done-callbacks' lines.
pub const CALLBACK: &str = "callback";
/// Timeline lane of `future1`'s done-callback.
pub const CALLBACK1: &str = "callback 1";
/// Timeline lane of `future2`'s done-callback.
pub const CALLBACK2: &str = "callback 2";
/// Label of the lines `run` itself prints.
pub const MAIN: &str = "main";

/// What both coroutines share: the runtime, where to print, how long to wait.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The runtime whose `sleep` the coroutines await.
    pub runtime: Runtime,
    /// Where every line goes, and every bar of the timeline.
    pub recorder: Recorder,
    /// The wait before each coroutine sets its result (the chapter's 4 s).
    pub delay: Duration,
}

impl Ctx {
    /// Runs the computing `work`, drawn as a working bar on `lane`. It runs
    /// on the loop's thread: nothing else runs on that thread meanwhile.
    pub fn work<T>(&self, lane: &str, work: impl FnOnce() -> T) -> T {
        let _computing = self.recorder.span(lane, "computing", SpanKind::Work);
        work()
    }

    /// `await asyncio.sleep(delay)`, once `computed` is ready: says so, and
    /// waits, drawn as a waiting bar on `lane`. The other tasks run meanwhile.
    pub async fn sleep(&self, lane: &str, computed: &str) {
        let wait = if self.delay.is_zero() {
            "no wait (--delay 0), setting the result at once".to_owned()
        } else {
            format!(
                "waiting {:.3} s before setting the result",
                self.delay.as_secs_f64()
            )
        };
        self.recorder
            .say(lane, format!("{computed} computed; {wait}"));
        let _waiting = self.recorder.span(lane, "asyncio.sleep", SpanKind::Wait);
        self.runtime.sleep(self.delay).await;
    }

    /// `future.set_result(value)`: completes the future, marked on `lane`.
    pub fn set_result(&self, lane: &str, future: oneshot::Sender<String>, value: String) {
        self.recorder.say(lane, "future.set_result(..)");
        self.recorder.mark(lane, "future.set_result");
        // `send` fails only if the receiving half was dropped, i.e. nobody
        // waits for the result any more; there is no one to tell then.
        let _ = future.send(value);
    }

    /// `waiting` (a done-callback waiting for its future), drawn as a
    /// waiting bar `what` on `lane` until it is done. Takes the context by
    /// value, so that the future can be spawned.
    pub async fn waiting<F: Future>(
        self,
        lane: &'static str,
        what: &'static str,
        waiting: F,
    ) -> F::Output {
        let _waiting = self.recorder.span(lane, what, SpanKind::Wait);
        waiting.await
    }
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

/// Runs the chapter's program ([`port::main`]) on `runtime`: both
/// coroutines concurrently, each result delivered through its future to a
/// done-callback. On Ctrl-C (`interrupt`) every task is cancelled and
/// awaited, and the run ends with [`CoroutineError::Interrupted`].
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
    let (first, second, first_result, second_result) =
        port::main(ctx, num1, num2, &interrupt).await;
    interrupt.check()?;
    first.map_err(CoroutineError::task("first_coroutine"))?;
    second.map_err(CoroutineError::task("second_coroutine"))??;
    let first_result = first_result.map_err(CoroutineError::task("the first done-callback"))?;
    let second_result = second_result.map_err(CoroutineError::task("the second done-callback"))?;

    let elapsed = recorder.elapsed() - started;
    recorder.say(MAIN, overlap(&recorder, elapsed, delay));
    Ok(Outcome {
        // With the second coroutine's error handled above, both senders
        // sent, so both callbacks ran.
        first: first_result.expect("first_coroutine always sets its result"),
        second: second_result.expect("second_coroutine set its result when it returned Ok"),
        elapsed,
    })
}

/// The last line: how long both futures took, and for how long the two
/// waits overlapped, read from when each coroutine started and ended its
/// wait (its "computed; waiting" and its "set_result" line).
fn overlap(recorder: &Recorder, elapsed: Duration, delay: Duration) -> String {
    let took = elapsed.as_secs_f64();
    if delay.is_zero() {
        return format!(
            "both futures done after {took:.3} s: with --delay 0 there was no wait to \
             overlap, that time is the computing"
        );
    }
    let wait = |who| {
        Some((
            recorder.when(who, "computed")?,
            recorder.when(who, "set_result")?,
        ))
    };
    let (Some((start1, end1)), Some((start2, end2))) = (wait(FIRST), wait(SECOND)) else {
        return format!("both futures done after {took:.3} s");
    };
    let both = end1.min(end2).saturating_sub(start1.max(start2));
    let one = delay.as_secs_f64();
    if both >= delay / 2 {
        format!(
            "both futures done after {took:.3} s: the two {one:.3} s waits overlapped for \
             {:.3} s (one after the other they would take {:.3} s)",
            both.as_secs_f64(),
            2.0 * one
        )
    } else {
        // Computing on the loop's thread holds back every wait and wake-up.
        let span = |start: Duration, end: Duration| {
            format!("{:.3} s to {:.3} s", start.as_secs_f64(), end.as_secs_f64())
        };
        format!(
            "both futures done after {took:.3} s: the two {one:.3} s waits overlapped for only \
             {:.3} s (first {}, second {}): computing on the loop's thread held the other back",
            both.as_secs_f64(),
            span(start1, end1),
            span(start2, end2)
        )
    }
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
