//! `--timeline` and `--trace` end to end on a recorded run: the SVG has a
//! lane per lane used and a bar per span, the trace a begin and an end per
//! span, named after the unit, and the threads' names. Also the files'
//! checks before a run, and tokio-console's conditions.

use std::path::PathBuf;
use std::time::Duration;

use runner::output::{OutputArgs, json_file, svg_file};
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

/// Wrong names, directories, missing folders and unwritable places are
/// refused; a writable new name is accepted and left absent.
#[test]
fn checks_before_the_run() {
    let dir = std::env::temp_dir().join(format!("runner-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let ok = dir.join("run.svg");
    assert_eq!(svg_file(ok.to_str().expect("utf-8")), Ok(ok.clone()));
    assert!(!ok.exists(), "the check leaves no empty file behind");
    let refused = [
        (dir.join("run.png"), "must be a file name ending in .svg"),
        (dir.join("x.svg"), "is a directory"),
        (dir.join("missing/run.svg"), "does not exist"),
        (PathBuf::from("/proc/run.svg"), "cannot write"),
    ];
    std::fs::create_dir_all(dir.join("x.svg")).expect("a folder named like a file");
    for (path, expected) in refused {
        let error = svg_file(path.to_str().expect("utf-8")).expect_err("refused");
        assert!(error.contains(expected), "{path:?}: {error}");
    }
    assert!(json_file("trace.svg").is_err());
    let long = format!("{}.png", "a".repeat(10_000));
    assert!(svg_file(&long).expect_err("refused").len() < 200);
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// tokio-console needs tokio and the `tracing` subscriber to itself.
#[test]
fn console_needs_tokio_and_no_trace() {
    let mut args = OutputArgs::default();
    assert_eq!(args.console_conflict(true), None);
    let no_tokio = args.console_conflict(false).unwrap_or_default();
    assert!(no_tokio.ends_with("run with --runtime tokio"), "{no_tokio}");
    args.trace = Some(PathBuf::from("run.json"));
    let trace = args.console_conflict(true).unwrap_or_default();
    assert!(trace.ends_with("run without --trace"), "{trace}");
    let both = args.console_conflict(false).unwrap_or_default();
    assert!(
        both.ends_with("--runtime tokio and without --trace"),
        "{both}"
    );
}
