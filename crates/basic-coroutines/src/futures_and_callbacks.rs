//! Python's `asyncio.Future` and its done-callbacks in Rust, and the run
//! around the port ([`crate::port`]): the lines before and after, what the
//! times say, what Ctrl-C reports.
//!
//! A future is a `futures::channel::oneshot` (no runtime's own, so it runs
//! on every `--runtime`): Rust splits Python's one shared object into the
//! half that *completes* it (`Sender`: `set_result` is `send`, and only
//! once) and the half that *waits* (`Receiver`, itself a `Future`), so the
//! types say who may set the result. Dropping the sender unsent stands for
//! `set_exception` or cancelling.

use std::future::Future;
use std::time::Duration;

use futures::channel::oneshot;
use runner::{Interrupt, Recorder, SpanKind};
use runtimes::Runtime;

use crate::{CoroutineError, port};

/// Label (and timeline lane) of the first coroutine's lines.
pub const FIRST: &str = "first";
/// Label (and lane) of the second coroutine's lines.
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
    /// Runs the computing `work` (on the loop's thread: nothing else runs
    /// there meanwhile), drawn as a working bar on `lane`.
    pub fn work<T>(&self, lane: &str, work: impl FnOnce() -> T) -> T {
        let _computing = self.recorder.span(lane, "computing", SpanKind::Work);
        work()
    }

    /// `await asyncio.sleep(delay)`, once `computed` is ready: says so and
    /// waits (the other tasks run meanwhile), drawn as a bar on `lane`.
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

    /// Awaits `waiting` (a done-callback waiting for its future), drawn as
    /// a bar `what` on `lane`; by value, so that the future can be spawned.
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

/// `future.add_done_callback(callback)`. A Rust future has no callback
/// list (asyncio's Future has, and its loop calls them after `set_result`):
/// the idiom is a task that awaits the future, then calls the function.
/// `None`: the future was cancelled (its sender dropped unsent).
pub async fn add_done_callback<T, R>(
    future: oneshot::Receiver<T>,
    callback: impl FnOnce(T) -> R,
) -> Option<R> {
    future.await.ok().map(callback)
}

/// Runs the chapter's program ([`port::main`]) inside `runtime`, in about
/// one `delay`, not two. On Ctrl-C every task is cancelled and awaited, and
/// the run ends with [`CoroutineError::Interrupted`].
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
/// waits overlapped, read from each coroutine's "computed" and
/// "set_result" lines.
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

/// What the run had done when Ctrl-C stopped it, in one line: read from
/// the recorded lines, so that it is true also when the grace period ended
/// the process.
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
