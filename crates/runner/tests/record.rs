//! The recorder: lines with their (virtual) times, spans kept only when
//! asked for, custom clocks and printers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use runner::{Recorder, SpanKind};

/// Lines keep their order, speaker and virtual time.
#[tokio::test(start_paused = true)]
async fn records_virtual_time() {
    let recorder = Recorder::quiet();
    recorder.say("a", "first");
    tokio::time::sleep(Duration::from_secs(3)).await;
    recorder.say("b", 2);
    let lines = recorder.lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].at, Duration::ZERO);
    assert_eq!(lines[1].at, Duration::from_secs(3));
    assert_eq!(recorder.messages_of("b"), ["2"]);
    assert_eq!(recorder.when("b", "2"), Some(Duration::from_secs(3)));
    assert_eq!(recorder.when("a", "2"), None);
}

/// Spans are kept only when asked for, and a guard ends its span when
/// dropped, at the time of the drop.
#[tokio::test(start_paused = true)]
async fn spans_only_when_kept_and_guards_end_them() {
    let recorder = Recorder::quiet();
    drop(recorder.span("lane", "ignored", SpanKind::Work));
    assert!(recorder.spans().is_empty(), "spans are off by default");

    recorder.keep_spans();
    let open = recorder.start("w-1", "item 1", SpanKind::Work);
    {
        let _guard = recorder.span("w-2", "nap", SpanKind::Wait);
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    recorder.end(open);
    recorder.end(open); // a second end changes nothing
    let spans = recorder.spans();
    assert_eq!(spans.len(), 2);
    assert_eq!(
        (spans[0].lane.as_str(), spans[0].what.as_str()),
        ("w-1", "item 1")
    );
    assert_eq!(spans[0].end, Some(Duration::from_secs(3)));
    assert_eq!(spans[1].kind, SpanKind::Wait);
    assert_eq!(spans[1].end, Some(Duration::from_secs(2)));
}

/// A span reported after the fact (a worker process's job) starts `ago`
/// before now and ends when ended.
#[tokio::test(start_paused = true)]
async fn a_span_can_start_earlier() {
    let recorder = Recorder::quiet();
    recorder.keep_spans();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let id = recorder.start_earlier("pid 1", "job 1", SpanKind::Work, Duration::from_secs(2));
    recorder.end(id);
    let far = recorder.start_earlier("pid 1", "job 2", SpanKind::Work, Duration::from_secs(60));
    recorder.end(far);
    let spans = recorder.spans();
    assert_eq!(spans[0].start, Duration::from_secs(3));
    assert_eq!(spans[0].end, Some(Duration::from_secs(5)));
    assert_eq!(spans[1].start, Duration::ZERO, "never before the start");
}

/// A custom clock and printer are used for every line.
#[test]
fn custom_clock_and_printer() {
    let printed = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&printed);
    let recorder = Recorder::with_printer(move |line| {
        sink.lock().expect("not poisoned").push(line.to_owned());
    });
    recorder.say("main", "hello");
    let printed = printed.lock().expect("not poisoned").clone();
    assert_eq!(printed.len(), 1);
    assert!(
        printed[0].ends_with("main           | hello"),
        "{printed:?}"
    );

    let fixed = Recorder::with_clock(false, || Duration::from_millis(1500));
    fixed.say("x", "y");
    assert_eq!(fixed.lines()[0].at, Duration::from_millis(1500));
}
