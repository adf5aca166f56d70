//! One panic hook for the chapters that panic a task on purpose.
//!
//! Rust prints a panic as a multi-line report (with a backtrace when
//! `RUST_BACKTRACE` is set), written for a developer chasing a bug. When a
//! chapter panics a task *to show* that the pool or runtime contains it,
//! that report buries the output; one line says the same. The panic still
//! unwinds as before: the pool or runtime catches it and hands it to the
//! task's handle, which is the lesson.

use std::any::Any;
use std::panic::PanicHookInfo;

/// What a panic said, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanicReport {
    /// The panicking thread's label (`common::clock::thread_label`).
    pub thread: String,
    /// The panic's message.
    pub message: String,
    /// `file:line` of the `panic!`, when known.
    pub place: Option<String>,
}

impl std::fmt::Display for PanicReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "panic in {}: {}", self.thread, self.message)?;
        if let Some(place) = &self.place {
            write!(f, " at {place}")?;
        }
        Ok(())
    }
}

/// The text of a panic's payload (`panic!("...")` gives a `&str` or a
/// `String`; anything else has no text).
pub fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|text| (*text).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

impl PanicReport {
    /// The report of the panic the hook was called for.
    pub fn from_info(info: &PanicHookInfo<'_>) -> Self {
        Self {
            thread: common::clock::thread_label(),
            message: payload_text(info.payload()),
            place: info
                .location()
                .map(|place| format!("{}:{}", place.file(), place.line())),
        }
    }
}

/// Replaces the panic report with `report(&PanicReport)`: a chapter prints
/// it as one of its labelled lines, or wherever it likes.
pub fn install(report: impl Fn(&PanicReport) + Send + Sync + 'static) {
    std::panic::set_hook(Box::new(move |info| report(&PanicReport::from_info(info))));
}

/// Replaces the panic report with one line on stderr:
/// `panic in worker-1: boom at src/tasks.rs:12 (<note>)`.
pub fn one_line(note: &'static str) {
    install(move |report| eprintln!("{report} ({note})"));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text payloads give their text, others a placeholder.
    #[test]
    fn payload_text_of_every_kind() {
        assert_eq!(payload_text(&"static"), "static");
        assert_eq!(payload_text(&String::from("owned")), "owned");
        assert_eq!(payload_text(&7_u8), "a panic without a message");
    }

    /// The report reads as one line.
    #[test]
    fn report_is_one_line() {
        let report = PanicReport {
            thread: "worker-1".into(),
            message: "boom".into(),
            place: Some("src/a.rs:3".into()),
        };
        assert_eq!(report.to_string(), "panic in worker-1: boom at src/a.rs:3");
    }
}
