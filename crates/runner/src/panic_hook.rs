//! One panic hook for the chapters that panic a task on purpose: one line
//! instead of Rust's multi-line report, which would bury the output. The
//! panic still unwinds as before, to the pool or runtime that contains it
//! and hands it to the task's handle, which is the lesson.

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
