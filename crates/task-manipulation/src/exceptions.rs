//! Part `exceptions`: one task fails, the others still finish. The port of
//! the Python program's `part_exceptions` (with `failing` and `buggy`),
//! kept out of [`crate::port`] because Rust splits Python's exception in
//! two and needs a type ([`Outcome`]) to report both.
//!
//! | Python                                            | Rust                                        |
//! |---------------------------------------------------|---------------------------------------------|
//! | a coroutine raises an exception                   | a task returns `Err(e)`                     |
//! | a coroutine hits a bug (uncaught exception)       | a task panics                               |
//! | `gather(*tasks, return_exceptions=True)`          | await every `JoinHandle`, keep each result  |
//! | `task.exception()` / `task.result()`              | `Err(JoinError)` / `Ok(Ok(v))` / `Ok(Err(e))` |
//! | `gather(*coros)` (first exception propagates)     | `futures::future::try_join_all(futs)`       |
//!
//! Rust splits Python's single "exception" into two: an *error* is a value
//! the task returns (`Result`), a *panic* is a bug that unwinds the task.
//! tokio catches a task's panic at the task boundary and hands it to
//! whoever awaits the handle as `JoinError::is_panic()`; the runtime and
//! the other tasks carry on. (The panic hook still prints the panic, as
//! one line on stderr, when it happens: see `main.rs`.)
//!
//! One difference to keep in mind: in Python, after `gather` without
//! `return_exceptions` raises, the other tasks *keep running*. Rust's
//! `try_join_all` over futures returns the first error and **drops** the
//! other futures, cancelling them (their guards print).

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::Instant;

use crate::Error;
use crate::port::job;
use crate::work::{Pace, Value, list};
use runner::{Recorder, SpanKind};

/// The panic message of the task that panics on purpose.
pub const PANIC_MESSAGE: &str = "task `buggy` panicked on purpose";

/// How one task ended, as `gather(return_exceptions=True)` would report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It returned a value.
    Value(i64),
    /// It returned an error (Python: raised an exception).
    Error(String),
    /// It panicked; the panic message.
    Panic(String),
    /// It was cancelled before it finished.
    Cancelled,
}

/// As `main` prints it: `returned 8`, `panicked: ...`.
impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Value(value) => write!(f, "returned {value}"),
            Outcome::Error(error) => write!(f, "returned an error: {error}"),
            Outcome::Panic(message) => write!(f, "panicked: {message}"),
            Outcome::Cancelled => write!(f, "was cancelled"),
        }
    }
}

impl Outcome {
    /// Turns what awaiting a handle gave into an outcome.
    fn from_join(joined: Result<Value, JoinError>) -> Self {
        match joined {
            Ok(Ok(value)) => Outcome::Value(value),
            Ok(Err(error)) => Outcome::Error(error.to_string()),
            // The payload is what `panic!` was given: a `&str` or a `String`.
            Err(error) if error.is_panic() => {
                Outcome::Panic(runner::panic_hook::payload_text(&*error.into_panic()))
            }
            Err(_) => Outcome::Cancelled,
        }
    }
}

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionsReport {
    /// Per task, in argument order: name, outcome.
    pub outcomes: Vec<(&'static str, Outcome)>,
    /// When every task had finished (the healthy one is the slowest).
    pub all_done: Duration,
    /// `try_join_all`: the first error and when it arrived.
    pub first_error: (String, Duration),
}

/// `async def buggy(name, seconds):` waits, then hits a "bug": a panic.
async fn buggy(log: Recorder, wait: Duration) -> Value {
    // Its bar ends when the panic unwinds the task and drops the guard.
    let _bar = log.span("buggy", "panic!", SpanKind::Wait);
    log.say("buggy", "started; will panic");
    tokio::time::sleep(wait).await;
    log.mark("buggy", "panicked here");
    panic!("{PANIC_MESSAGE}");
}

/// Runs three tasks (a healthy one, one that fails, one that panics) and
/// reports each; then shows `try_join_all` stopping at the first error.
pub async fn run(log: &Recorder, pace: Pace) -> Result<ExceptionsReport, Error> {
    log.say(
        "main",
        "gather(..., return_exceptions=True): one result per task",
    );
    let t0 = Instant::now();
    // cube(i64::MAX) overflows: `common::cube` returns a real error for it.
    let handles = [
        (
            "healthy",
            tokio::spawn(job(log.clone(), "healthy", pace.secs(1.0), 2)),
        ),
        (
            "failing",
            tokio::spawn(job(log.clone(), "failing", pace.secs(0.5), i64::MAX)),
        ),
        ("buggy", tokio::spawn(buggy(log.clone(), pace.secs(0.75)))),
    ];
    let mut outcomes = Vec::new();
    // Awaiting in argument order gives argument order, whoever ends first.
    for (name, handle) in handles {
        let outcome = Outcome::from_join(handle.await);
        log.say("main", format!("{name}: {outcome}"));
        outcomes.push((name, outcome));
    }
    let all_done = t0.elapsed();
    log.say(
        "main",
        "the failure and the panic did not stop the healthy task",
    );

    log.say(
        "main",
        "gather(...) without return_exceptions -> try_join_all",
    );
    let t0 = Instant::now();
    let futures = vec![
        job(log.clone(), "healthy-2", pace.secs(1.0), 2),
        job(log.clone(), "failing-2", pace.secs(0.5), i64::MAX),
    ];
    let first_error = match futures::future::try_join_all(futures).await {
        Ok(values) => {
            // Cannot happen with this input; reported rather than hidden.
            log.say("main", format!("no error: {}", list(&values)));
            ("no error".to_owned(), t0.elapsed())
        }
        Err(error) => (error.to_string(), t0.elapsed()),
    };
    log.say(
        "main",
        format!(
            "try_join_all returned the first error, {}; the other future was dropped",
            first_error.0
        ),
    );
    Ok(ExceptionsReport {
        outcomes,
        all_done,
        first_error,
    })
}
