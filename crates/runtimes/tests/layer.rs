//! The runtime layer on every runtime: spawn, sleep, join, panics as
//! values, cancel, blocking work.

use std::time::Duration;

use runtimes::{Runtime, TaskError};

/// Every runtime spawns, sleeps and joins; two 20 ms sleeps in two
/// tasks overlap.
#[test]
fn spawn_sleep_join_on_every_runtime() {
    for runtime in Runtime::ALL {
        let started = std::time::Instant::now();
        let sum = runtime.block_on(async move {
            let a = runtime.spawn(async move {
                runtime.sleep(Duration::from_millis(20)).await;
                1
            });
            let b = runtime.spawn(async move {
                runtime.sleep(Duration::from_millis(20)).await;
                2
            });
            a.await.expect("a returns") + b.await.expect("b returns")
        });
        assert_eq!(sum, 3, "{runtime}");
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(20), "{runtime}: {took:?}");
    }
}

/// A task's panic is a `TaskError::Panicked` with its message, on every
/// runtime, for tasks and for blocking work alike.
#[test]
fn a_panic_is_a_typed_error_on_every_runtime() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {})); // the panics are on purpose
    for runtime in Runtime::ALL {
        let (task, blocking) = runtime.block_on(async move {
            let task = runtime.spawn(async { panic!("boom") }).await;
            let blocking = runtime
                .spawn_blocking(|| -> u8 { panic!("blocked boom") })
                .await;
            (task, blocking)
        });
        let task: Result<(), TaskError> = task;
        assert_eq!(task, Err(TaskError::Panicked("boom".into())), "{runtime}");
        assert_eq!(
            blocking,
            Err(TaskError::Panicked("blocked boom".into())),
            "{runtime}"
        );
    }
    std::panic::set_hook(hook);
}

/// `cancel` stops a sleeping task on every runtime, and awaiting what is
/// left says so.
#[test]
fn cancel_stops_a_task_on_every_runtime() {
    for runtime in Runtime::ALL {
        let outcome = runtime.block_on(async move {
            let task = runtime.spawn(async move {
                runtime.sleep(Duration::from_secs(3600)).await;
                1
            });
            runtime.sleep(Duration::from_millis(1)).await;
            task.cancel().await
        });
        assert_eq!(outcome, None, "{runtime}: the task did not finish");
    }
}

/// `spawn_blocking` runs on another thread and hands its value back.
#[test]
fn spawn_blocking_returns_the_value() {
    for runtime in Runtime::ALL {
        let here = std::thread::current().id();
        let there = runtime.block_on(async move {
            runtime
                .spawn_blocking(|| std::thread::current().id())
                .await
                .expect("no panic")
        });
        assert_ne!(here, there, "{runtime}");
    }
}

/// The command-line names are the ones the docs use.
#[test]
fn names() {
    use clap::ValueEnum;
    for runtime in Runtime::ALL {
        let parsed = Runtime::from_str(runtime.name(), false).expect("known name");
        assert_eq!(parsed, runtime);
    }
}

/// `cancel_on` gives the value of a task that finishes before `stop`, and
/// cancels a task still running when `stop` completes, on every runtime.
#[test]
fn cancel_on_stops_a_task_when_told_on_every_runtime() {
    for runtime in Runtime::ALL {
        let (quick, slow) = runtime.block_on(async move {
            let quick = runtime
                .spawn(async { 7 })
                .cancel_on(futures::future::pending());
            let slow = runtime
                .spawn(async move {
                    runtime.sleep(Duration::from_secs(3600)).await;
                    8
                })
                .cancel_on(runtime.sleep(Duration::from_millis(1)));
            futures::join!(quick, slow)
        });
        assert_eq!(quick, Ok(7), "{runtime}");
        assert_eq!(slow, Err(TaskError::Cancelled), "{runtime}");
    }
}
