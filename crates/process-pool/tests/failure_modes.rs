//! The pool's last failure modes, each with the behaviour it must have:
//! the caller's code panicking on the pool's threads, timeouts of any
//! size, tasks and initializers that never return, initializers that kill
//! their worker, results too large for a frame; and Python's
//! `map(timeout=)`, `as_completed(timeout=)` and `wait(return_when=)`.
//! Everything that used to hang runs under [`within`], so that it fails
//! instead.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use process_pool::{PoolError, ProcessPoolExecutor, ReturnWhen, TaskError, as_completed, wait};
use support::{Output, TestTask, eventually, number, pool, within};

process_pool::worker_test_hook!(TestTask);

const LIMIT: Duration = Duration::from_secs(10);

/// A done callback that panics on the pool's reader thread is contained:
/// the same worker's next result still arrives, and `drop` returns.
#[test]
fn a_panicking_done_callback_is_contained() {
    // Run apart: before the fix, a failing assertion here dropped a pool
    // that never finished dropping, and the test hung instead of failing.
    within(LIMIT, "the test", || {
        let pool = pool(1);
        let before = pool.worker_pids();
        let first = pool.submit(TestTask::Sleep(30)).unwrap();
        first.add_done_callback(|| panic!("a callback's bug"));
        let mut next = pool.submit(TestTask::Cube(3)).unwrap();
        assert_eq!(number(next.result_timeout(Duration::from_secs(5))), 27);
        assert!(
            first.result().is_ok(),
            "the value was stored before the callback ran"
        );
        assert_eq!(pool.worker_pids(), before, "no worker was lost");
        within(LIMIT, "drop(pool)", move || drop(pool));
    });
}

/// On a task already done, `add_done_callback` runs the callback at once;
/// its panic does not escape to the caller (Python logs and carries on).
#[test]
fn a_panicking_callback_on_a_done_task_does_not_escape() {
    let pool = pool(1);
    let handle = pool.submit(TestTask::Cube(2)).unwrap();
    handle.wait();
    handle.add_done_callback(|| panic!("too late to matter"));
    handle.add_running_callback(|_| panic!("this one too"));
    assert_eq!(number(handle.result()), 8);
}

/// A running callback that panics on the writer thread is contained too.
#[test]
fn a_panicking_running_callback_is_contained() {
    // Run apart: before the fix, a failing assertion here dropped a pool
    // that never finished dropping, and the test hung instead of failing.
    within(LIMIT, "the test", || {
        let pool = pool(1);
        let blocker = pool.submit(TestTask::Sleep(30)).unwrap();
        let queued = pool.submit(TestTask::Cube(4)).unwrap();
        queued.add_running_callback(|_| panic!("a running callback's bug"));
        assert!(blocker.result().is_ok());
        let mut queued = queued;
        assert_eq!(number(queued.result_timeout(Duration::from_secs(5))), 64);
        within(LIMIT, "drop(pool)", move || drop(pool));
    });
}

/// An output type whose `Deserialize` panics in the parent gives that
/// task a protocol error naming the panic, like a decoding error; the
/// worker carries on with the next task.
#[test]
fn an_output_whose_deserialize_panics_is_a_protocol_error() {
    // Run apart: before the fix, a failing assertion here dropped a pool
    // that never finished dropping, and the test hung instead of failing.
    within(LIMIT, "the test", || {
        let pool = pool(1);
        let before = pool.worker_pids();
        let mut trapped = pool.submit(TestTask::Trap).unwrap();
        match trapped.result_timeout(Duration::from_secs(5)) {
            Err(TaskError::Protocol(why)) => {
                assert!(why.contains("decoding the reply panicked"), "{why}");
                assert!(why.contains("always panics"), "{why}");
            }
            other => panic!("expected a protocol error, got {other:?}"),
        }
        let mut next = pool.submit(TestTask::Cube(5)).unwrap();
        assert_eq!(number(next.result_timeout(Duration::from_secs(5))), 125);
        assert_eq!(pool.worker_pids(), before);
        within(LIMIT, "drop(pool)", move || drop(pool));
    });
}

/// Every timeout takes any `Duration`, however large: what the clock
/// cannot represent means "no limit", never an overflow panic.
#[test]
fn every_timeout_takes_any_duration() {
    for huge in [Duration::MAX, Duration::from_secs(u64::MAX)] {
        let pool = ProcessPoolExecutor::<TestTask>::builder(2)
            .start_timeout(huge)
            .shutdown_grace(huge)
            .build()
            .unwrap();
        let mut handle = pool.submit(TestTask::Cube(2)).unwrap();
        assert_eq!(number(handle.result_timeout(huge)), 8);
        let mapped: Vec<i64> = pool
            .map((1..=3).map(TestTask::Cube), 1)
            .unwrap()
            .timeout(huge)
            .map(number)
            .collect();
        assert_eq!(mapped, [1, 8, 27]);
        let handles = vec![pool.submit(TestTask::Cube(3)).unwrap()];
        let completed: Vec<_> = as_completed(handles).timeout(huge).collect();
        assert!(matches!(&completed[..], [Ok(done)] if done.index == 0));
        let handles = vec![pool.submit(TestTask::Cube(4)).unwrap()];
        let waited = wait(&handles, Some(huge), ReturnWhen::AllCompleted);
        assert_eq!((waited.done.len(), waited.not_done.len()), (1, 0));
        within(LIMIT, "drop(pool)", move || drop(pool));
    }
}

/// A task that never returns: with a shutdown grace, `drop` kills its
/// worker when the grace runs out, and the task's error says so.
#[test]
fn shutdown_grace_ends_a_task_that_never_returns() {
    // Run apart: before the fix, a failing assertion here dropped a pool
    // that never finished dropping, and the test hung instead of failing.
    within(LIMIT, "the test", || {
        let pool = ProcessPoolExecutor::<TestTask>::builder(1)
            .shutdown_grace(Duration::from_millis(200))
            .build()
            .unwrap();
        let stuck = pool.submit(TestTask::Forever).unwrap();
        let queued = pool.submit(TestTask::Cube(1)).unwrap();
        eventually("the endless task to start", || stuck.running());
        let started = Instant::now();
        within(LIMIT, "drop(pool)", move || drop(pool));
        assert!(started.elapsed() >= Duration::from_millis(200));
        match stuck.result() {
            Err(TaskError::WorkerDied { cause, .. }) => {
                assert!(cause.contains("SIGKILL"), "{cause}");
                assert!(cause.contains("grace of 0.200 s ran out"), "{cause}");
            }
            other => panic!("expected a killed worker, got {other:?}"),
        }
        // Shutdown without cancel_futures would have run it; the stop cancels.
        assert_eq!(queued.result(), Err(TaskError::Cancelled));
    });
}

/// Without a grace, shutdown waits for a task that ends (the default is
/// Python's: no limit).
#[test]
fn without_a_grace_shutdown_waits_for_running_tasks() {
    let pool = pool(1);
    let slow = pool.submit(TestTask::Sleep(150)).unwrap();
    eventually("the task to start", || slow.running());
    within(LIMIT, "drop(pool)", move || drop(pool));
    assert!(matches!(slow.result(), Ok(Output::Worker { .. })));
}

/// An initializer that never returns: with a start-up timeout, `build()`
/// gives up, kills the workers and says so.
#[test]
fn start_timeout_ends_an_initializer_that_never_returns() {
    let started = Instant::now();
    let built = within(LIMIT, "build()", || {
        ProcessPoolExecutor::builder(2)
            .initializer(TestTask::Forever)
            .start_timeout(Duration::from_millis(300))
            .build()
    });
    match built {
        Err(error @ PoolError::StartTimeout { .. }) => {
            let text = error.to_string();
            assert!(text.contains("2 of 2 worker processes"), "{text}");
            assert!(text.contains("after 0.300 s"), "{text}");
        }
        Err(other) => panic!("expected a start-up timeout, got {other}"),
        Ok(_) => panic!("the pool started"),
    }
    assert!(started.elapsed() >= Duration::from_millis(300));
}

/// An initializer that aborts or exits breaks the pool with that cause,
/// and no hint about a missing worker hook (the hook worked: the worker
/// was running the initializer).
#[test]
fn an_initializer_that_kills_its_worker_says_so() {
    for (initializer, cause) in [
        (TestTask::Abort, "was killed by signal SIGABRT"),
        (TestTask::Exit(7), "exited with status 7"),
    ] {
        match ProcessPoolExecutor::builder(1)
            .initializer(initializer)
            .build()
        {
            Err(PoolError::Broken(why)) => {
                assert!(why.contains(cause), "{why}");
                assert!(why.contains("while running the initializer"), "{why}");
                assert!(!why.contains("worker_entry"), "a misleading hint: {why}");
            }
            Err(other) => panic!("expected a broken pool, got {other}"),
            Ok(_) => panic!("the pool started"),
        }
    }
}

/// A result too large for the frame is reported as that, with its size
/// and the limit, even when the limit is tiny; the worker carries on.
#[test]
fn a_result_too_large_for_a_frame_says_so() {
    for max in [64, 1024] {
        let pool = ProcessPoolExecutor::<TestTask>::builder(1)
            .max_frame_bytes(max)
            .build()
            .unwrap();
        let before = pool.worker_pids();
        match pool.submit(TestTask::Grow(5000)).unwrap().result() {
            Err(TaskError::Protocol(why)) => {
                assert!(why.contains("the task's result is"), "{why}");
                assert!(
                    why.contains(&format!("maximum frame of {max} bytes")),
                    "{why}"
                );
            }
            other => panic!("expected a too-large result, got {other:?}"),
        }
        let chunk: Vec<_> = pool
            .map([TestTask::Grow(600), TestTask::Grow(600)], 2)
            .unwrap()
            .collect();
        for outcome in chunk {
            match outcome {
                Err(TaskError::Protocol(why)) => assert!(why.contains("chunk of 2 tasks"), "{why}"),
                other => panic!("expected a too-large chunk, got {other:?}"),
            }
        }
        assert_eq!(number(pool.submit(TestTask::Cube(2)).unwrap().result()), 8);
        assert_eq!(pool.worker_pids(), before, "the worker survived");
    }
    assert!(matches!(
        ProcessPoolExecutor::<TestTask>::builder(1)
            .max_frame_bytes(10)
            .build(),
        Err(PoolError::FrameTooSmall { got: 10, min: 64 })
    ));
}

/// `map(...).timeout(t)`: results until one is not ready `t` after the
/// call, then one `Timeout` and the end; the tasks not started are
/// cancelled (they never run).
#[test]
fn map_with_a_timeout_stops_and_cancels_the_rest() {
    let dir = std::env::temp_dir().join(format!("map-timeout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let touched: Vec<String> = (0..2)
        .map(|i| dir.join(format!("ran-{i}")).to_string_lossy().into_owned())
        .collect();
    let pool = pool(1);
    let tasks = [TestTask::Cube(2), TestTask::Sleep(600)]
        .into_iter()
        .chain(touched.iter().cloned().map(TestTask::Touch));
    let timeout = Duration::from_millis(200);
    let outcomes: Vec<_> = pool.map(tasks, 1).unwrap().timeout(timeout).collect();
    match &outcomes[..] {
        [Ok(Output::Number(8)), Err(TaskError::Timeout(t))] => assert_eq!(*t, timeout),
        other => panic!("expected a result, then a timeout: {other:?}"),
    }
    pool.shutdown(true, false);
    for path in &touched {
        assert!(
            !std::path::Path::new(path).exists(),
            "{path}: a cancelled task ran"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `as_completed(...).timeout(t)`: the finished tasks, then one error
/// giving back the handles still pending, which can still be waited for.
#[test]
fn as_completed_with_a_timeout_gives_back_the_pending_handles() {
    let pool = pool(2);
    let handles = vec![
        pool.submit(TestTask::Sleep(500)).unwrap(),
        pool.submit(TestTask::Cube(3)).unwrap(),
    ];
    let mut items = as_completed(handles).timeout(Duration::from_millis(200));
    let first = items.next().unwrap().unwrap();
    assert_eq!((first.index, number(first.outcome)), (1, 27));
    let not_done = items.next().unwrap().err().unwrap();
    assert_eq!(not_done.to_string(), "1 task was not done within 0.200 s");
    assert!(items.next().is_none());
    let (index, slow) = not_done.pending.into_iter().next().unwrap();
    assert_eq!(index, 0);
    assert!(matches!(slow.result(), Ok(Output::Worker { .. })));
}

/// `wait(fs, timeout, return_when)`: first completed, first exception
/// (a cancellation is not one), all completed, a timeout, no handles. The
/// handles stay the caller's; `wait` gives positions.
#[test]
fn wait_splits_done_from_not_done() {
    let pool = pool(2);
    // Each case starts with both workers free: the sleeps it leaves
    // running are waited for before the next.
    let finish = |handles: &[process_pool::TaskHandle<TestTask>]| {
        handles.iter().for_each(process_pool::TaskHandle::wait);
    };

    let fast_and_slow = vec![
        pool.submit(TestTask::Sleep(400)).unwrap(),
        pool.submit(TestTask::Cube(2)).unwrap(),
    ];
    let split = wait(&fast_and_slow, None, ReturnWhen::FirstCompleted);
    assert_eq!((split.done, split.not_done), (vec![1], vec![0]));
    finish(&fast_and_slow);

    let failing = vec![
        pool.submit(TestTask::Sleep(400)).unwrap(),
        pool.submit(TestTask::Fail("bad".into())).unwrap(),
    ];
    let split = wait(&failing, None, ReturnWhen::FirstException);
    assert_eq!((split.done, split.not_done), (vec![1], vec![0]));
    finish(&failing);
    let failed = failing.into_iter().nth(1).unwrap();
    assert_eq!(failed.result(), Err(TaskError::Failed("bad".into())));

    let sound = vec![
        pool.submit(TestTask::Cube(1)).unwrap(),
        pool.submit(TestTask::Sleep(50)).unwrap(),
    ];
    let split = wait(&sound, None, ReturnWhen::FirstException);
    assert_eq!((split.done, split.not_done), (vec![0, 1], vec![]));

    let timed = vec![
        pool.submit(TestTask::Sleep(400)).unwrap(),
        pool.submit(TestTask::Cube(1)).unwrap(),
    ];
    let started = Instant::now();
    let split = wait(
        &timed,
        Some(Duration::from_millis(100)),
        ReturnWhen::AllCompleted,
    );
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert_eq!((split.done, split.not_done), (vec![1], vec![0]));
    // Waited for again, the same handles: now all done.
    let split = wait(&timed, None, ReturnWhen::AllCompleted);
    assert_eq!((split.done, split.not_done), (vec![0, 1], vec![]));

    let none: [process_pool::TaskHandle<TestTask>; 0] = [];
    let split = wait(&none, None, ReturnWhen::AllCompleted);
    assert!(split.done.is_empty() && split.not_done.is_empty());
}

/// `wait(.., FirstException)` does not count a cancelled task as failed:
/// it waits for the rest.
#[test]
fn wait_first_exception_ignores_cancellations() {
    let pool = pool(1);
    let running = pool.submit(TestTask::Sleep(100)).unwrap();
    let cancelled = pool.submit(TestTask::Cube(1)).unwrap();
    assert!(cancelled.cancel());
    let split = wait(&[running, cancelled], None, ReturnWhen::FirstException);
    assert_eq!((split.done, split.not_done), (vec![0, 1], vec![]));
}
