//! What `--timeline` and `--trace` cost: benchmark 5 (`recording`).
//!
//! Every chapter binary records its units of work through one
//! `runner::Recorder`, which keeps spans only after `keep_spans()` (what
//! `--timeline` or `--trace` turns on); without them `span` checks one flag
//! and returns a guard that records nothing. Measured here in the three
//! states a chapter runs in: **off**, **timeline** (spans kept in memory)
//! and **trace** (also handed to `tracing`, which `tracing-chrome` writes
//! as JSON; its layer is the process's global subscriber, so a benchmark
//! installs it once, last). Two workloads: [`spans`], units that do
//! nothing, for the cost of one span; and [`count_on_thread_pool`], the
//! pooling workload with a span per item as the chapters open it, against
//! the same workload without a recorder ([`crate::cpu`]).

use crate::{BenchError, check};
use common::clock::thread_label;
use common::evaluate_item;
use runner::{Recorder, SpanKind};
use std::hint::black_box;
use thread_pool::ThreadPoolExecutor;

/// A recorder as a chapter's run has it: spans kept only if a timeline or
/// a trace was asked for (`keep_spans`). It prints nothing: what is
/// measured is the spans, not the printing of lines.
pub fn recorder(keep_spans: bool) -> Recorder {
    let recorder = Recorder::quiet();
    if keep_spans {
        recorder.keep_spans();
    }
    recorder
}

/// `n` units that do nothing but open and close a span each on one lane
/// (`recorder.spans()` has them afterwards, unless it keeps none).
pub fn spans(recorder: &Recorder, n: usize) {
    for i in 0..n {
        // The unit's name is made only if it is kept: `span` takes any
        // `Display`, and an integer costs nothing to pass.
        let _bar = recorder.span("main", black_box(i), SpanKind::Work);
    }
}

/// The count workload on `pool`, `count(item, iterations)` for every item,
/// each inside a span on its worker's lane, as the chapters record it;
/// results in item order, checked.
pub fn count_on_thread_pool(
    pool: &ThreadPoolExecutor,
    recorder: &Recorder,
    items: &[u64],
    iterations: u64,
) -> Result<Vec<u64>, BenchError> {
    let iterations = black_box(iterations);
    let out = recorder.clone();
    let results = pool
        .map(
            move |item: u64| {
                let _bar = out.span(&thread_label(), format!("item {item}"), SpanKind::Work);
                Ok::<_, common::WorkloadError>(evaluate_item(black_box(item), iterations)?.result)
            },
            items.to_vec(),
        )
        .collect::<Result<_, _>>()
        .map_err(BenchError::task)?;
    check(
        "thread-pool with spans",
        results,
        items.iter().map(|&item| item * iterations).collect(),
    )
}
