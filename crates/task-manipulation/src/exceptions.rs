//! Part `exceptions`: one task fails, one panics, the others still finish.
//! The port of the Python program's `part_exceptions`, kept out of
//! [`crate::port`] because Rust splits Python's exception in two: an
//! *error* is a value the task returns, a *panic* a bug that unwinds it,
//! which tokio catches at the task boundary (`JoinError::is_panic()`).
//! [`Outcome`] reports both, as `gather(return_exceptions=True)` would.
//!
//! Unlike Python's `gather`, which leaves the other tasks running after
//! the first exception, `try_join_all` over futures returns the first
//! error and **drops** (cancels) the others: their guards print.

use std::time::Duration;

use tokio::task::JoinError;
use tokio::time::Instant;

use futures::future::try_join_all;

use crate::Error;
use crate::work::{Pace, Value, job_of, list, say};
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
    /// It panicked, with this message.
    Panic(String),
    /// It was cancelled.
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
    say!(
        log,
        "gather(..., return_exceptions=True): one result per task"
    );
    let t0 = Instant::now();
    // cube(i64::MAX) overflows: `common::cube` returns a real error for it.
    let (healthy, failing) = (("healthy", 1.0, 2), ("failing", 0.5, i64::MAX));
    let handles = [
        (healthy.0, tokio::spawn(job_of(log, pace, healthy))),
        (failing.0, tokio::spawn(job_of(log, pace, failing))),
        ("buggy", tokio::spawn(buggy(log.clone(), pace.secs(0.75)))),
    ];
    let mut outcomes = Vec::new();
    // Awaiting in argument order gives argument order, whoever ends first.
    for (name, handle) in handles {
        let outcome = Outcome::from_join(handle.await);
        say!(log, "{name}: {outcome}");
        outcomes.push((name, outcome));
    }
    let all_done = t0.elapsed();
    say!(
        log,
        "the failure and the panic did not stop the healthy task"
    );

    say!(log, "gather(...) without return_exceptions -> try_join_all");
    let t0 = Instant::now();
    let futures = [("healthy-2", 1.0, 2), ("failing-2", 0.5, i64::MAX)];
    let first_error = match try_join_all(futures.map(|spec| job_of(log, pace, spec))).await {
        Ok(values) => {
            // Cannot happen with this input; reported rather than hidden.
            say!(log, "no error: {}", list(&values));
            ("no error".to_owned(), t0.elapsed())
        }
        Err(error) => (error.to_string(), t0.elapsed()),
    };
    let error = &first_error.0;
    say!(
        log,
        "try_join_all returned the first error, {error}; the other future was dropped"
    );
    Ok(ExceptionsReport {
        outcomes,
        all_done,
        first_error,
    })
}
