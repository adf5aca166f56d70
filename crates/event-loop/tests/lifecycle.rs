//! The life-cycle walk-through, on real tokio runtimes at high speed.
#![allow(clippy::unwrap_used)]

use event_loop::Pace;
use event_loop::lifecycle;
use runner::{Interrupt, Recorder};

/// Create, run_until_complete, call_soon before call_later, stop,
/// run_forever returns, close drops the pending task, and the
/// multi-thread runtime's tasks run on its named worker threads, its
/// `spawn_blocking` on a thread of its own.
#[test]
fn life_cycle_in_order() {
    let out = Recorder::quiet();
    let report = lifecycle::run(Pace::new(20.0), &Interrupt::new(), &out).unwrap();
    assert_eq!(
        report.events,
        [
            "created",
            "run_until_complete",
            "call_soon",
            "call_later",
            "stop",
            "run_forever returned",
            "pending dropped at close",
            "closed",
            "multi-thread done"
        ]
    );
    assert_eq!(report.completed, 27);
    assert_eq!(report.worker_threads.len(), 4);
    assert!(
        report
            .worker_threads
            .iter()
            .all(|t| t.starts_with("loop-worker-")),
        "{report:?}"
    );
    assert!(report.blocking_thread.starts_with("loop-worker-"));
    assert!(!report.worker_threads.contains(&report.blocking_thread));
    assert!(
        out.messages_of("pending task")
            .iter()
            .any(|m| m.starts_with("dropped without running"))
    );
}
