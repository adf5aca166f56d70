//! Part `lifecycle`: an event loop's life from creation to close, with
//! tokio's runtime built by hand instead of by `#[tokio::main]`.
//!
//! | asyncio                                   | tokio                                                          |
//! |-------------------------------------------|----------------------------------------------------------------|
//! | `loop = asyncio.new_event_loop()`         | `Builder::new_current_thread().enable_all().build()?`          |
//! | `loop.run_until_complete(coro)`           | `rt.block_on(fut)`                                             |
//! | `loop.call_soon(cb)`                      | `tokio::spawn(async { cb() })`                                 |
//! | `loop.call_later(d, cb)`                  | `tokio::spawn(async { sleep(d).await; cb() })`                 |
//! | `loop.time()`                             | `tokio::time::Instant::now()`                                  |
//! | `loop.run_forever()` ... `loop.stop()`    | `rt.block_on(token.cancelled())` ... `token.cancel()`          |
//! | `loop.close()` (pending tasks destroyed)  | `rt.shutdown_timeout(d)` / `drop(rt)`: pending tasks dropped   |
//! | `asyncio.run(main())`                     | `#[tokio::main] async fn main()`                               |
//!
//! `#[tokio::main]` is only a shorthand. This:
//!
//! ```text
//! #[tokio::main]
//! async fn main() { body().await }
//! ```
//!
//! expands to (the multi-thread runtime, all drivers enabled):
//!
//! ```text
//! fn main() {
//!     tokio::runtime::Builder::new_multi_thread()
//!         .enable_all()
//!         .build()
//!         .expect("Failed building the Runtime")
//!         .block_on(async { body().await })
//! }
//! ```
//!
//! and `#[tokio::main(flavor = "current_thread")]` uses
//! `Builder::new_current_thread()`: one thread, like asyncio's loop.
//! Building it yourself lets you choose the flavor, the number of worker
//! threads and their names, and decide when and how the runtime shuts down.
//!
//! With `--timeline`, each step is a bar: `main` waiting in `block_on`,
//! each callback on a lane of its own, then each task of the multi-thread
//! runtime on the lane of the worker thread that ran it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::clock::thread_label;
use runner::{Interrupt, Recorder, SpanGuard, SpanKind};
use tokio::runtime::Builder;
use tokio::task::JoinError;
use tokio_util::sync::CancellationToken;

use crate::Pace;
use crate::report::secs;

/// What the part observed, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LifecycleReport {
    /// Short event names, in the order they happened.
    pub events: Vec<String>,
    /// `run_until_complete`'s result.
    pub completed: i64,
    /// The threads the multi-thread runtime's tasks ran on.
    pub worker_threads: Vec<String>,
    /// The thread `spawn_blocking` ran on.
    pub blocking_thread: String,
}

/// A pending task's guard: prints when the task is dropped unfinished.
struct PendingGuard {
    /// Where to note it.
    events: Arc<Mutex<Vec<String>>>,
    /// For the printed line.
    out: Recorder,
    /// The task's bar: it ends when the task is dropped.
    _bar: SpanGuard,
}

impl Drop for PendingGuard {
    fn drop(&mut self) {
        self.out.say(
            "pending task",
            "dropped without running: the runtime was shut down (loop.close())",
        );
        note(&self.events, "pending dropped at close");
    }
}

/// Records one event name.
fn note(events: &Mutex<Vec<String>>, event: &str) {
    events
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(event.to_owned());
}

/// Walks through the life cycle, printing each step through `out`.
///
/// It does not stop on Ctrl-C by itself: `interrupt`'s forced exit, a
/// grace period later, says which steps were done.
pub fn run(pace: Pace, interrupt: &Interrupt, out: &Recorder) -> std::io::Result<LifecycleReport> {
    let events = Arc::new(Mutex::new(Vec::new()));
    interrupt.set_summary({
        let events = Arc::clone(&events);
        move || {
            let done = events.lock().unwrap_or_else(|e| e.into_inner()).join(", ");
            format!("the life cycle stopped after: {done}")
        }
    });

    // 1. Create the loop.
    out.say(
        "main",
        "loop = new_event_loop() -> Builder::new_current_thread().enable_all().build()",
    );
    let rt = Builder::new_current_thread().enable_all().build()?;
    note(&events, "created");

    // 2. run_until_complete: block_on runs one future to its end.
    let delay = pace.secs(0.5);
    let bar = out.span("main", "run_until_complete(coro)", SpanKind::Wait);
    let completed = rt.block_on(async move {
        tokio::time::sleep(delay).await;
        27
    });
    drop(bar);
    out.say(
        "main",
        format!("run_until_complete(coro) -> block_on(fut) = {completed}"),
    );
    note(&events, "run_until_complete");

    // 3. call_soon, call_later, loop.time(), run_forever and stop.
    //    The delays are the chapter's 1 s and 2 s, divided by --speed.
    let stop = CancellationToken::new();
    let (one, two) = (secs(pace.secs(1.0)), secs(pace.secs(2.0)));
    rt.block_on({
        let (events, stop, out) = (Arc::clone(&events), stop.clone(), out.clone());
        async move {
            let start = tokio::time::Instant::now();
            let (ev, said) = (Arc::clone(&events), out.clone());
            tokio::spawn(async move {
                let _bar = said.span("call_soon", "runs on the next turn", SpanKind::Work);
                said.say("callback", "call_soon: runs on the loop's next turn");
                note(&ev, "call_soon");
            });
            let (ev, said) = (Arc::clone(&events), out.clone());
            let lane = format!("call_later({one})");
            tokio::spawn(async move {
                let bar = said.span(&lane, format!("sleep({one} s)"), SpanKind::Wait);
                tokio::time::sleep(pace.secs(1.0)).await;
                drop(bar);
                let t = start.elapsed().as_secs_f64();
                said.say("callback", format!("{lane}: loop.time() = {t:.3} s"));
                note(&ev, "call_later");
            });
            let (ev, token, said) = (Arc::clone(&events), stop.clone(), out.clone());
            let lane = format!("call_later({two})");
            tokio::spawn(async move {
                let bar = said.span(&lane, format!("sleep({two} s)"), SpanKind::Wait);
                tokio::time::sleep(pace.secs(2.0)).await;
                drop(bar);
                said.say("callback", format!("{lane}: loop.stop() -> token.cancel()"));
                said.mark(&lane, "loop.stop()");
                note(&ev, "stop");
                token.cancel();
            });
            // Due long after the stop: still pending when the loop closes.
            let guard = PendingGuard {
                events: Arc::clone(&events),
                out: out.clone(),
                _bar: out.span(
                    "pending task",
                    format!("sleep({} s), never done", secs(pace.secs(60.0))),
                    SpanKind::Wait,
                ),
            };
            tokio::spawn(async move {
                let _guard = guard;
                tokio::time::sleep(pace.secs(60.0)).await;
            });
            out.say("main", "run_forever() -> block_on(token.cancelled())");
            let bar = out.span("main", "run_forever()", SpanKind::Wait);
            stop.cancelled().await;
            drop(bar);
            out.say("main", "run_forever() returned: loop.stop() was called");
            note(&events, "run_forever returned");
        }
    });

    // 4. Close: shutting the runtime down drops every task still pending.
    out.say("main", "loop.close() -> rt.shutdown_timeout(1 s)");
    out.mark("main", "loop.close()");
    rt.shutdown_timeout(Duration::from_secs(1));
    note(&events, "closed");

    // 5. The multi-thread flavour, as #[tokio::main] builds it, with
    //    numbered thread names so the output shows who ran what. tokio
    //    names the threads of its blocking pool with the same function.
    out.say(
        "main",
        "Builder::new_multi_thread().worker_threads(2).thread_name_fn(loop-worker-N)",
    );
    let numbers = AtomicUsize::new(0);
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name_fn(move || format!("loop-worker-{}", numbers.fetch_add(1, Ordering::Relaxed)))
        .enable_all()
        .build()?;
    let said = out.clone();
    let (worker_threads, blocking_thread) = rt.block_on(async move {
        let mut handles = Vec::new();
        for i in 0..4 {
            let said = said.clone();
            handles.push(tokio::spawn(async move {
                tokio::time::sleep(pace.secs(0.1)).await;
                let me = thread_label();
                let _bar = said.span(&me, format!("task {i}"), SpanKind::Work);
                said.say(&me, format!("task {i} runs on worker thread {me}"));
                me
            }));
        }
        let blocking = tokio::task::spawn_blocking(move || {
            let me = thread_label();
            let _bar = said.span(&me, "spawn_blocking", SpanKind::Block);
            said.say(
                &me,
                format!("spawn_blocking runs on {me}, a thread of the blocking pool"),
            );
            me
        });
        let joined = futures::future::join_all(handles).await;
        let name = |joined: Result<String, JoinError>| joined.unwrap_or_else(|e| e.to_string());
        let workers = joined.into_iter().map(name).collect();
        (workers, name(blocking.await))
    });
    // Dropping the runtime joins its worker threads.
    drop(rt);
    out.say(
        "main",
        "multi-thread runtime dropped: its threads are joined",
    );
    note(&events, "multi-thread done");

    Ok(LifecycleReport {
        events: events.lock().unwrap_or_else(|e| e.into_inner()).clone(),
        completed,
        worker_threads,
        blocking_thread,
    })
}
