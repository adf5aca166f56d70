//! The four pitfalls, asserted on every runtime: a nested `block_on`
//! (tokio refuses it; elsewhere it holds the loop's thread), tasks left
//! when `main` returns (cancelled by tokio and mini, cut off at exit on
//! smol and async-std), dropped handles (detached, or on smol cancelled),
//! and the mutex guard in a block (the version that compiles; the two
//! that do not are `compile_fail` doc tests in
//! `src/pitfalls/mutex_across_await.rs`). Real clock, 100 ms delays.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use basic_coroutines::pitfalls::nested_block_on::Nested;
use basic_coroutines::pitfalls::{
    dropped_handle, main_returns, mutex_across_await, nested_block_on,
};
use cli_test::run;
use predicates::prelude::*;
use runner::{Interrupt, Recorder};
use runtimes::Runtime;

const DELAY: Duration = Duration::from_millis(100);
const BIN: &str = env!("CARGO_BIN_EXE_basic-coroutines");

/// tokio panics with "Cannot start a runtime from within a runtime"; the
/// others run the nested loop, and on mini (one thread) the sibling task
/// wakes late by about half a delay. `.await` and `block_on` on a blocking
/// thread give 42 everywhere, and leave a one-thread loop free.
#[test]
fn nested_block_on_is_refused_by_tokio_and_holds_the_thread_elsewhere() {
    for runtime in Runtime::ALL {
        let recorder = Recorder::quiet();
        let seen = runtime
            .block_on(nested_block_on::run(runtime, recorder, DELAY))
            .unwrap();
        match (runtime, &seen.nested) {
            (Runtime::Tokio, Nested::Refused(message)) => assert!(
                message.contains("Cannot start a runtime from within a runtime"),
                "{message}"
            ),
            (Runtime::Tokio, other) => panic!("tokio ran a nested block_on: {other:?}"),
            (_, nested) => assert_eq!(*nested, Nested::Returned(42), "{runtime}"),
        }
        if runtime == Runtime::Mini {
            assert!(seen.nested_sibling_late >= DELAY / 4, "{seen:?}");
        }
        if matches!(runtime, Runtime::Mini | Runtime::Tokio) {
            assert!(seen.awaited_sibling_late < DELAY / 2, "{runtime}: {seen:?}");
            assert!(
                seen.unblocked_sibling_late < DELAY / 2,
                "{runtime}: {seen:?}"
            );
        }
        assert_eq!((seen.awaited, seen.unblocked), (42, 42), "{runtime}");
    }
}

/// The awaited task always does its 4 steps. The one left behind is
/// cancelled at `block_on`'s return on tokio and mini (its destructor has
/// run, and it does no more steps); on smol and async-std it runs on after
/// `block_on` returned.
#[test]
fn tasks_left_when_main_returns_are_cancelled_or_run_on() {
    for runtime in Runtime::ALL {
        let seen = main_returns::run(runtime, Recorder::quiet(), DELAY, &Interrupt::new()).unwrap();
        assert_eq!(seen.awaited.steps, main_returns::STEPS, "{runtime}");
        assert!(seen.awaited.dropped_at.is_some(), "{runtime}");
        match runtime {
            Runtime::Tokio | Runtime::Mini => {
                assert!(
                    seen.left_at_return.dropped_at.is_some(),
                    "{runtime}: {seen:?}"
                );
                assert!(seen.left_at_return.steps < main_returns::STEPS, "{runtime}");
                assert_eq!(
                    seen.left_at_exit.steps, seen.left_at_return.steps,
                    "{runtime}"
                );
            }
            Runtime::Smol | Runtime::AsyncStd => {
                assert_eq!(seen.left_at_return.dropped_at, None, "{runtime}: {seen:?}");
                assert!(
                    seen.left_at_exit.steps > seen.left_at_return.steps,
                    "{runtime}: {seen:?}"
                );
                // This test's process goes on: let the task left behind
                // finish (a step per delay) rather than leave it running.
                std::thread::sleep(DELAY * main_returns::STEPS);
            }
        }
    }
}

/// At the process's exit, a task still pending on smol's or async-std's
/// global executor is ended without its destructor: the binary's output
/// has its steps but no "destructor ran" line; on tokio and mini the
/// destructor ran when `block_on` returned.
#[test]
fn runs_main_returns_and_the_exit_skips_the_destructor_on_smol_and_async_std() {
    for runtime in Runtime::ALL.map(Runtime::name) {
        let args = [
            "--part",
            "main-returns",
            "--delay",
            "0.1",
            "--runtime",
            runtime,
        ];
        let output = run(BIN, &args).success();
        let destructor = predicate::str::contains("left behind    | destructor ran");
        let output = output.stdout(predicate::str::contains(
            "awaited        | step 4 of 4 done",
        ));
        if matches!(runtime, "smol" | "async-std") {
            output
                .stdout(predicate::str::contains("left behind    | step"))
                .stdout(destructor.not())
                .stdout(predicate::str::contains("its destructor never runs"));
        } else {
            output.stdout(destructor);
        }
    }
}

/// A dropped handle detaches on tokio, async-std and mini (all 3 steps)
/// and cancels on smol, at once; a
/// detached one runs on everywhere; a cancelled one stops after its first
/// step, its destructor run.
#[test]
fn a_dropped_handle_detaches_except_on_smol_where_it_cancels() {
    for runtime in Runtime::ALL {
        let seen = runtime
            .block_on(dropped_handle::run(runtime, Recorder::quiet(), DELAY))
            .unwrap();
        let all = dropped_handle::STEPS;
        if runtime == Runtime::Smol {
            assert_eq!(seen.dropped.steps, 0, "{seen:?}");
            // Cancelled at once: before its first poll (then not even its
            // first line ran), or on another thread just after it.
            let at_once = seen.dropped.dropped_at.is_none_or(|at| at < DELAY / 2);
            assert!(at_once, "{seen:?}");
        } else {
            assert_eq!(seen.dropped.steps, all, "{runtime}: {seen:?}");
        }
        assert_eq!(seen.detached.steps, all, "{runtime}: {seen:?}");
        assert_eq!(seen.cancelled.steps, 1, "{runtime}: {seen:?}");
        assert!(seen.cancelled.dropped_at.is_some(), "{runtime}: {seen:?}");
    }
}

/// The guard in a block: the future is `Send`, so it spawns on every
/// runtime, and ten tasks add ten.
#[test]
fn a_guard_in_a_block_spawns_on_every_runtime() {
    for runtime in Runtime::ALL {
        let total = Arc::new(Mutex::new(0u64));
        let shared = Arc::clone(&total);
        let started = Instant::now();
        runtime.block_on(async move {
            let handles: Vec<_> = (0..10)
                .map(|_| {
                    runtime.spawn(mutex_across_await::add_then_wait(
                        runtime,
                        shared.clone(),
                        DELAY,
                    ))
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        });
        assert_eq!(*total.lock().unwrap(), 10, "{runtime}");
        // The waits overlapped: no task held the lock while it waited.
        assert!(
            started.elapsed() < 5 * DELAY,
            "{runtime}: {:?}",
            started.elapsed()
        );
    }
}
