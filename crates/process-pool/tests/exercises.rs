//! The checks of the exercises on docs/process-pool.md, run on the
//! learner's files in `exercises/` (they fail until the exercise is done):
//!
//! ```text
//! cargo test -p process-pool --features exercises --test exercises
//! ```
//!
//! and, with `--features solutions`, on the worked solutions in
//! `exercises/solutions/` (what CI runs). This test binary is also the
//! workers' executable, so its one task type, [`ExerciseTask`], is here.
#![allow(clippy::unwrap_used)]

#[cfg_attr(
    feature = "solutions",
    path = "../exercises/solutions/retry_dead_workers.rs"
)]
#[cfg_attr(
    not(feature = "solutions"),
    path = "../exercises/retry_dead_workers.rs"
)]
mod retry_dead_workers;

#[cfg_attr(feature = "solutions", path = "../exercises/solutions/fail_fast.rs")]
#[cfg_attr(not(feature = "solutions"), path = "../exercises/fail_fast.rs")]
mod fail_fast;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use process_pool::{ProcessPoolExecutor, Task, TaskError};
use serde::{Deserialize, Serialize};

/// What the exercises' workers know how to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExerciseTask {
    /// Sleeps, then returns its milliseconds.
    Sleep(u64),
    /// Sleeps, then fails with this message.
    FailAfter(u64, String),
    /// Counts its attempts as files in a folder (shared by every worker),
    /// and aborts its worker until the `attempts`-th: then returns how
    /// many attempts it took.
    CrashUntil {
        /// The folder of attempt files.
        dir: String,
        /// The attempt that succeeds.
        attempts: u64,
    },
    /// Counts its attempt as a file in the folder, then fails.
    FailCounting {
        /// The folder of attempt files.
        dir: String,
    },
    /// Creates the file at this path (to tell whether it ever ran).
    Touch(String),
}

impl Task for ExerciseTask {
    type Output = u64;
    type Error = String;

    fn run(self) -> Result<u64, String> {
        match self {
            ExerciseTask::Sleep(millis) => {
                std::thread::sleep(Duration::from_millis(millis));
                Ok(millis)
            }
            ExerciseTask::FailAfter(millis, message) => {
                std::thread::sleep(Duration::from_millis(millis));
                Err(message)
            }
            ExerciseTask::CrashUntil { dir, attempts } => {
                let attempt = record_attempt(&dir)?;
                if attempt < attempts {
                    std::process::abort();
                }
                Ok(attempt)
            }
            ExerciseTask::FailCounting { dir } => {
                record_attempt(&dir)?;
                Err("a task's own error".to_owned())
            }
            ExerciseTask::Touch(path) => std::fs::write(&path, b"ran")
                .map(|()| 0)
                .map_err(|e| format!("{path}: {e}")),
        }
    }
}

/// Adds a file to `dir` and returns how many there are now.
fn record_attempt(dir: &str) -> Result<u64, String> {
    let attempt = attempts(Path::new(dir)) + 1;
    std::fs::write(Path::new(dir).join(format!("attempt-{attempt}")), b"")
        .map_err(|e| format!("{dir}: {e}"))?;
    Ok(attempt)
}

/// How many attempt files `dir` holds.
fn attempts(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| entries.count() as u64)
}

process_pool::worker_test_hook!(ExerciseTask);

/// A fresh, empty folder for one check.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "process-pool-exercise-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `run_with_retries`: a task that kills its worker twice succeeds on its
/// third attempt given two retries, and fails with `WorkerDied` after two
/// attempts given one; a task's own error is never retried.
#[test]
fn retry_dead_workers() {
    let pool = ProcessPoolExecutor::new(2).unwrap();
    let dir = folder("retry");
    let task = ExerciseTask::CrashUntil {
        dir: dir.to_string_lossy().into_owned(),
        attempts: 3,
    };
    let outcome = retry_dead_workers::run_with_retries(&pool, task.clone(), 2).unwrap();
    assert_eq!(outcome, Ok(3), "the third attempt succeeds");
    assert_eq!(attempts(&dir), 3);

    let dir = folder("retry-short");
    let task = ExerciseTask::CrashUntil {
        dir: dir.to_string_lossy().into_owned(),
        attempts: 3,
    };
    let outcome = retry_dead_workers::run_with_retries(&pool, task, 1).unwrap();
    assert!(
        matches!(&outcome, Err(TaskError::WorkerDied { cause, .. }) if cause.contains("SIGABRT")),
        "{outcome:?}"
    );
    assert_eq!(attempts(&dir), 2, "one try, one retry");

    let dir = folder("retry-failing");
    let task = ExerciseTask::FailCounting {
        dir: dir.to_string_lossy().into_owned(),
    };
    let outcome = retry_dead_workers::run_with_retries(&pool, task, 5).unwrap();
    assert_eq!(outcome, Err(TaskError::Failed("a task's own error".into())));
    assert_eq!(attempts(&dir), 1, "a task's own error is not retried");
    for name in ["retry", "retry-short", "retry-failing"] {
        std::fs::remove_dir_all(folder(name)).unwrap();
    }
}

/// `run_all`: every value in order when all succeed; at the first failure,
/// its position and error at once (not after the 600 ms task beside it),
/// and the task no worker had started never runs.
#[test]
fn fail_fast() {
    let pool = ProcessPoolExecutor::new(2).unwrap();
    let all = fail_fast::run_all(
        &pool,
        vec![ExerciseTask::Sleep(30), ExerciseTask::Sleep(10)],
    );
    assert_eq!(all.unwrap(), Ok(vec![30, 10]));

    let started = Instant::now();
    let tasks = vec![
        ExerciseTask::Sleep(600),
        ExerciseTask::FailAfter(20, "bad item".into()),
    ];
    let failed = fail_fast::run_all(&pool, tasks).unwrap();
    let took = started.elapsed();
    assert_eq!(failed, Err((1, TaskError::Failed("bad item".into()))));
    assert!(
        took < Duration::from_millis(400),
        "waited {took:?}: the failure was known after 20 ms"
    );
    drop(pool);

    // One worker: the failure, a task that starts as it is reported, and
    // one behind that, which must be cancelled.
    let pool = ProcessPoolExecutor::new(1).unwrap();
    let dir = folder("fail-fast");
    let touched = dir.join("ran");
    let tasks = vec![
        ExerciseTask::FailAfter(50, "bad item".into()),
        ExerciseTask::Sleep(300),
        ExerciseTask::Touch(touched.to_string_lossy().into_owned()),
    ];
    let failed = fail_fast::run_all(&pool, tasks).unwrap();
    assert_eq!(failed, Err((0, TaskError::Failed("bad item".into()))));
    pool.shutdown(true, false);
    assert!(!touched.exists(), "a task that had not started ran anyway");
    std::fs::remove_dir_all(&dir).unwrap();
}
