//! The one timing helper every chapter uses to label its output.
//!
//! Every line a chapter prints starts with the time since the program
//! started and who printed it (a thread, a task, a worker process), so the
//! reader can *see* what ran at the same time:
//!
//! ```text
//! [   0.000s] main           | submitting 4 tasks
//! [   0.101s] worker-1       | Item 1, result 10000000
//! ```
//!
//! The async chapters measure time with their runtime's clock (tokio's can
//! be paused in tests) and format it with [`format_elapsed`] and
//! [`format_line`], so every chapter's output looks the same.

use std::fmt::Display;
use std::time::{Duration, Instant};

/// Formats an elapsed time as `[   1.234s]`.
pub fn format_elapsed(elapsed: Duration) -> String {
    format!("[{:>8.3}s]", elapsed.as_secs_f64())
}

/// Formats one labelled output line: elapsed time, who, message.
pub fn format_line(elapsed: Duration, who: &str, message: impl Display) -> String {
    format!("{} {who:<14} | {message}", format_elapsed(elapsed))
}

/// The name of the current thread, or its id when it has none.
///
/// Rust's main thread is named `main`; threads from `std::thread::Builder`
/// and from pools are named by whoever built them.
pub fn thread_label() -> String {
    let thread = std::thread::current();
    match thread.name() {
        Some(name) => name.to_owned(),
        None => format!("{:?}", thread.id()),
    }
}

/// A stopwatch started when the program (or a phase) starts.
///
/// `Clock` is `Copy`: hand it to every thread so they all measure from the
/// same start.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    start: Instant,
}

impl Clock {
    /// Starts the clock now.
    pub fn start() -> Self {
        Self {
            start: Instant::now(),
        }
    }

    /// Time since [`Clock::start`].
    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// Prints one labelled line for `who`.
    pub fn say(&self, who: &str, message: impl Display) {
        println!("{}", format_line(self.elapsed(), who, message));
    }

    /// Prints one labelled line for the current thread (see [`thread_label`]).
    pub fn say_here(&self, message: impl Display) {
        self.say(&thread_label(), message);
    }
}

/// Runs `f` and returns its result with the time it took.
pub fn timed<R>(f: impl FnOnce() -> R) -> (R, Duration) {
    let start = Instant::now();
    let result = f();
    (result, start.elapsed())
}

/// `baseline / other`: how many times faster `other` was than `baseline`.
///
/// Returns infinity for a zero `other` (it only happens with zero work).
pub fn speedup(baseline: Duration, other: Duration) -> f64 {
    if other.is_zero() {
        return f64::INFINITY;
    }
    baseline.as_secs_f64() / other.as_secs_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines have a fixed-width time column and the label padded to 14.
    #[test]
    fn line_format() {
        assert_eq!(format_elapsed(Duration::from_millis(1234)), "[   1.234s]");
        assert_eq!(
            format_line(Duration::from_millis(5), "main", "hello"),
            "[   0.005s] main           | hello"
        );
    }

    /// Speedup is baseline over other.
    #[test]
    fn speedup_is_a_ratio() {
        let s = speedup(Duration::from_secs(4), Duration::from_secs(2));
        assert!((s - 2.0).abs() < 1e-12);
        assert!(speedup(Duration::from_secs(1), Duration::ZERO).is_infinite());
    }

    /// The main test thread has a name; an unnamed thread gets its id.
    #[test]
    fn thread_labels() {
        let unnamed = std::thread::spawn(thread_label).join().unwrap();
        assert!(unnamed.starts_with("ThreadId("), "{unnamed}");
        let named = std::thread::Builder::new()
            .name("worker-7".into())
            .spawn(thread_label)
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(named, "worker-7");
    }
}
