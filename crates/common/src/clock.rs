//! The one labelled line every chapter prints: the time since the start and
//! who printed it (a thread, a task, a worker process), so the reader can
//! *see* what ran at the same time:
//!
//! ```text
//! [   0.000s] main           | submitting 4 tasks
//! [   0.101s] worker-1       | Item 1, result 10000000
//! ```
//!
//! The time comes from the caller's clock (a runtime's, which tokio can
//! pause in tests); only the format lives here.

use std::fmt::Display;
use std::time::Duration;

/// Formats an elapsed time as `[   1.234s]`.
pub fn format_elapsed(elapsed: Duration) -> String {
    format!("[{:>8.3}s]", elapsed.as_secs_f64())
}

/// Formats one labelled output line: elapsed time, who, message.
pub fn format_line(elapsed: Duration, who: &str, message: impl Display) -> String {
    format!("{} {who:<14} | {message}", format_elapsed(elapsed))
}

/// The name of the current thread (Rust names the main thread `main`), or
/// its id when it has none.
pub fn thread_label() -> String {
    let thread = std::thread::current();
    match thread.name() {
        Some(name) => name.to_owned(),
        None => format!("{:?}", thread.id()),
    }
}

/// `baseline / other`: how many times faster `other` was than `baseline`;
/// infinity for a zero `other` (it only happens with zero work).
pub fn speedup(baseline: Duration, other: Duration) -> f64 {
    if other.is_zero() {
        return f64::INFINITY;
    }
    baseline.as_secs_f64() / other.as_secs_f64()
}
