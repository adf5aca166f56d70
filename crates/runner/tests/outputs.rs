//! `--timeline` and `--trace` end to end on a recorded run: the SVG has a
//! lane per lane used and a bar per span, the trace a begin and an end per
//! span, named after the unit, and the threads' names.

use std::time::Duration;

use runner::output::OutputArgs;
use runner::{Interrupt, Recorder, SpanKind};

/// Counts `needle` in `text`.
fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn timeline_and_trace_show_every_unit_of_work() {
    let dir = std::env::temp_dir().join(format!("runner-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let args = OutputArgs {
        timeline: Some(dir.join("run.svg")),
        trace: Some(dir.join("run.json")),
    };
    let recorder = Recorder::quiet();
    let outputs = args
        .start("a test run", &recorder, &Interrupt::new())
        .expect("outputs open");
    // Two lanes: one on this thread, one on a named thread of its own.
    let item = recorder.start("worker-1", "item 1", SpanKind::Work);
    let other = recorder.clone();
    std::thread::Builder::new()
        .name("worker-2".into())
        .spawn(move || {
            let _nap = other.span("worker-2", "nap <&>", SpanKind::Wait);
            std::thread::sleep(Duration::from_millis(2));
            let _held = other.span("worker-2", "held", SpanKind::Block);
        })
        .expect("a thread")
        .join()
        .expect("no panic");
    recorder.mark("worker-1", "due");
    recorder.end(item);
    outputs.finish().expect("written");

    let svg = std::fs::read_to_string(dir.join("run.svg")).expect("the SVG");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(count(&svg, r#"<g class="lane""#), 2, "{svg}");
    assert_eq!(count(&svg, r#"<rect class="bar "#), 3, "{svg}");
    assert_eq!(count(&svg, r#"class="bar wait""#), 1);
    assert_eq!(count(&svg, r#"class="bar block""#), 1);
    assert_eq!(count(&svg, r#"<path class="mark""#), 1);
    assert!(svg.contains("nap &lt;&amp;&gt;"), "escaped names");

    let json = std::fs::read_to_string(dir.join("run.json")).expect("the trace");
    let events: Vec<serde_json::Value> = serde_json::from_str(&json).expect("valid JSON");
    let named = |ph: &str, name: &str| {
        events
            .iter()
            .filter(|e| e["ph"] == ph && e["name"] == name)
            .count()
    };
    for unit in ["item 1", "nap <&>", "held"] {
        assert_eq!(named("b", unit), 1, "{unit} begins once: {json}");
        assert_eq!(named("e", unit), 1, "{unit} ends once: {json}");
    }
    let threads: Vec<&str> = events
        .iter()
        .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
        .filter_map(|e| e["args"]["name"].as_str())
        .collect();
    assert!(threads.contains(&"worker-2"), "thread names: {threads:?}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}
