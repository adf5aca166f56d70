//! The labelled line's format, thread labels and the speed-up ratio.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use common::clock::{format_elapsed, format_line, speedup, thread_label};

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
