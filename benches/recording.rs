//! Benchmark 5: what `--timeline` and `--trace` cost.
//!
//! `cargo bench --bench recording`. Two groups, each in the three states a
//! chapter's recorder can be in (see `benches/support/recording.rs`):
//! `off` (neither flag: no span kept), `timeline` (spans kept) and `trace`
//! (spans kept and written by `tracing-chrome`, here into `/dev/null`).
//! - `recording/span`: batches of 1,000 units that do nothing but open and
//!   close a span: criterion's time per element is the cost of one span.
//! - `recording/pooling-count-10M`: the chapter's pooling workload (items
//!   1..=10, count(10,000,000)) on the thread pool with one worker per
//!   core, with a span per item as the chapters record it, and `none`, the
//!   same workload with no recorder at all (the `pooling` benchmark's
//!   `thread-pool` figure). What to read: the four medians are the same to
//!   within the noise, since ten spans of a microsecond or less are lost in
//!   14 ms of counting.

use benchmarks::cpu::{Executor, Started};
use benchmarks::recording::{count_on_thread_pool, recorder, spans};
use benchmarks::{CHAPTER_ITEMS, CHAPTER_ITERATIONS, cores};
use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;
use thread_pool::ThreadPoolExecutor;

/// Units per batch of the per-span group.
const UNITS: usize = 1_000;

/// `recording/span`: one batch of [`UNITS`] spans per iteration, for each
/// of `states` (`"off"`, `"timeline"`, `"trace"`).
fn per_span(c: &mut Criterion, states: &[&str]) {
    let mut group = c.benchmark_group("recording/span");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(1))
        .throughput(Throughput::Elements(UNITS as u64));
    for &state in states {
        group.bench_function(state, |b| {
            // A fresh recorder per batch, dropped outside the measurement:
            // a kept span stays in memory until the run ends, and a
            // recorder that grew for seconds would measure its own size.
            b.iter_batched(
                || recorder(state != "off"),
                |recorder| {
                    spans(&recorder, black_box(UNITS));
                    recorder
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// `recording/pooling-count-10M`: the pooling workload on the thread pool
/// with a span per item, for each of `states`; with `"none"`, the same
/// workload without a recorder.
fn pooling(c: &mut Criterion, pool: &ThreadPoolExecutor, plain: &Started, states: &[&str]) {
    let items: Vec<u64> = CHAPTER_ITEMS.collect();
    let mut group = c.benchmark_group("recording/pooling-count-10M");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for &state in states {
        if state == "none" {
            group.bench_function(state, |b| {
                b.iter(|| {
                    black_box(
                        plain
                            .run(black_box(&items), CHAPTER_ITERATIONS)
                            .expect("the workload runs and gives the right results"),
                    )
                })
            });
            continue;
        }
        group.bench_function(state, |b| {
            b.iter_batched(
                || recorder(state != "off"),
                |recorder| {
                    let results = count_on_thread_pool(
                        pool,
                        &recorder,
                        black_box(&items),
                        CHAPTER_ITERATIONS,
                    )
                    .expect("the workload runs and gives the right results");
                    (results, recorder)
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

fn recording(c: &mut Criterion) {
    let workers = cores();
    let pool = ThreadPoolExecutor::new(workers).expect("start the thread pool");
    let plain = Executor::ThreadPool
        .start(workers)
        .expect("start the thread pool");
    per_span(c, &["off", "timeline"]);
    pooling(c, &pool, &plain, &["none", "off", "timeline"]);
    // `--trace` last: it installs tracing's global subscriber, which stays
    // for the rest of the process (a `timeline` measured after it would
    // be writing a trace too). The groups are opened a second time for it.
    let trace = runner::trace::to_file(Path::new("/dev/null")).expect("a trace into /dev/null");
    per_span(c, &["trace"]);
    pooling(c, &pool, &plain, &["trace"]);
    // Joins tracing-chrome's writer thread, once it has written everything.
    drop(trace);
}

criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(benchmarks::BOOTSTRAP_RESAMPLES);
    targets = recording
}
criterion_main!(benches);
