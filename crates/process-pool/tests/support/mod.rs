//! The task type of the pool's own tests: one variant per behaviour a
//! test needs from a worker (a value, a long task, an error, a panic, a
//! crash, a big payload, the initializer, a nested pool, a task that never
//! returns, a result the parent cannot decode).
#![allow(dead_code)] // each test file uses the variants it needs

use process_pool::{ProcessPoolExecutor, Task, TaskError};
use serde::{Deserialize, Deserializer, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A job for the test workers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestTask {
    /// `common::cube(x)`; fails for |x| > 2,097,151.
    Cube(i64),
    /// Sleeps this many milliseconds; returns the worker's pid.
    Sleep(u64),
    /// Returns `Err` with this message.
    Fail(String),
    /// Panics with this message.
    Panic(String),
    /// Aborts the worker process (SIGABRT).
    Abort,
    /// The initializer: counts how often this worker was initialized.
    Initialize,
    /// Reports the worker's pid and how often it was initialized.
    WhoAmI,
    /// Sends a (large) string there and back.
    Echo(String),
    /// Tries to create a process pool inside the worker (refused).
    NestedPool,
    /// Never returns (sleeps for ever).
    Forever,
    /// Ends the worker process with this exit status.
    Exit(i32),
    /// Returns a text of this many bytes (a result larger than its task).
    Grow(usize),
    /// Returns a value whose `Deserialize` panics in the parent.
    Trap,
    /// Creates the file at this path (to tell whether a task ran).
    Touch(String),
}

/// What the test tasks return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Output {
    /// A cube.
    Number(i64),
    /// The worker's pid and its initializer count.
    Worker { pid: u32, initialized: u64 },
    /// An echoed string.
    Text(String),
    /// Nothing to report.
    Unit,
    /// A value the parent cannot decode without a panic.
    Trap(Trap),
}

/// Encodes as nothing; decoding it panics, as a buggy hand-written
/// `Deserialize` might. The worker only ever encodes it, the parent's
/// reader thread decodes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trap;

impl<'de> Deserialize<'de> for Trap {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        panic!("Trap::deserialize always panics")
    }
}

/// Runs of [`TestTask::Initialize`] in this process (each worker has its own).
static INITIALIZED: AtomicU64 = AtomicU64::new(0);

impl Task for TestTask {
    type Output = Output;
    type Error = String;

    fn run(self) -> Result<Output, String> {
        let worker = || Output::Worker {
            pid: std::process::id(),
            initialized: INITIALIZED.load(Ordering::SeqCst),
        };
        match self {
            TestTask::Cube(x) => common::cube(x)
                .map(Output::Number)
                .map_err(|e| e.to_string()),
            TestTask::Sleep(millis) => {
                std::thread::sleep(Duration::from_millis(millis));
                Ok(worker())
            }
            TestTask::Fail(message) => Err(message),
            TestTask::Panic(message) => panic!("{message}"),
            TestTask::Abort => std::process::abort(),
            TestTask::Initialize => {
                INITIALIZED.fetch_add(1, Ordering::SeqCst);
                Ok(Output::Unit)
            }
            TestTask::WhoAmI => Ok(worker()),
            TestTask::Echo(text) => Ok(Output::Text(text)),
            TestTask::NestedPool => ProcessPoolExecutor::<TestTask>::new(1)
                .map(|_| Output::Unit)
                .map_err(|e| e.to_string()),
            TestTask::Forever => loop {
                std::thread::sleep(Duration::from_secs(3600));
            },
            TestTask::Exit(status) => std::process::exit(status),
            TestTask::Grow(bytes) => Ok(Output::Text("g".repeat(bytes))),
            TestTask::Trap => Ok(Output::Trap(Trap)),
            TestTask::Touch(path) => std::fs::write(&path, b"ran")
                .map(|()| Output::Unit)
                .map_err(|e| format!("{path}: {e}")),
        }
    }
}

/// A pool of `workers` test workers.
pub fn pool(workers: usize) -> ProcessPoolExecutor<TestTask> {
    ProcessPoolExecutor::new(workers).expect("the test pool starts")
}

/// The number a task gave back.
pub fn number(outcome: Result<Output, TaskError<String>>) -> i64 {
    match outcome {
        Ok(Output::Number(n)) => n,
        other => panic!("expected a number, got {other:?}"),
    }
}

/// The worker pid and initializer count a task gave back.
pub fn worker_of(outcome: Result<Output, TaskError<String>>) -> (u32, u64) {
    match outcome {
        Ok(Output::Worker { pid, initialized }) => (pid, initialized),
        other => panic!("expected worker info, got {other:?}"),
    }
}

/// Runs `work` on another thread and waits at most `limit` for it: a
/// test of something that used to hang fails instead of hanging.
pub fn within<R: Send + 'static>(
    limit: Duration,
    what: &str,
    work: impl FnOnce() -> R + Send + 'static,
) -> R {
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        let _ = sender.send(work());
    });
    let value = match receiver.recv_timeout(limit) {
        Ok(value) => value,
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what} did not return within {limit:?}")
        }
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{what} panicked (its message is above)")
        }
    };
    thread.join().expect("the thread has sent its value");
    value
}

/// Polls `condition` every millisecond for at most 10 s.
pub fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !condition() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}
