//! The panic hook's one line: a payload's text, the report's format.

use runner::panic_hook::{PanicReport, payload_text};

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
