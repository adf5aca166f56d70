//! Benchmark 4: the async machinery: concurrent timers, and spawn storms.
//!
//! `cargo bench --bench machinery`.
//! - `machinery/timers-10ms`: 1,000 and 10,000 tasks each sleeping 10 ms,
//!   all at once, on tokio (current-thread and multi-thread), async-std and
//!   smol. The ideal is 10 ms whatever the count; the target is
//!   <= 13 ms for 1,000 on tokio (asyncio measured 17-23 ms here).
//! - `machinery/spawn-noop`: 100,000 tasks that do nothing, spawned and
//!   joined: the bare cost of a task on each runtime.
//!
//! The functions are in `benches/support/machinery.rs`; the runtimes are
//! the workspace's one runtime layer (see the runtime table in
//! `crates/runtimes/src/lib.rs`).

use benchmarks::batch::On;
use benchmarks::cores;
use benchmarks::machinery::{TIMER, noop_tasks, timers};
use benchmarks::overhead::{tokio_current_thread, tokio_multi_thread};
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use std::hint::black_box;
use std::time::Duration;

/// Tasks per spawn storm.
const NOOP_TASKS: usize = 100_000;

fn machinery(c: &mut Criterion) {
    let current = tokio_current_thread().expect("start tokio");
    let multi = tokio_multi_thread(cores()).expect("start tokio");
    let runtimes = [
        ("tokio-current-thread", On::Tokio(&current)),
        ("tokio-multi-thread", On::Tokio(&multi)),
        ("async-std", On::AsyncStd),
        ("smol", On::Smol),
    ];
    let mut group = c.benchmark_group("machinery/timers-10ms");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(200))
        .measurement_time(Duration::from_secs(1));
    for (name, on) in runtimes {
        for n in [1_000, 10_000] {
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, &n| {
                b.iter(|| black_box(timers(on, black_box(n), TIMER).expect("every timer fires")))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("machinery/spawn-noop-100k");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .throughput(Throughput::Elements(NOOP_TASKS as u64));
    for (name, on) in runtimes {
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(noop_tasks(on, black_box(NOOP_TASKS)).expect("every task completes"))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(benchmarks::BOOTSTRAP_RESAMPLES);
    targets = machinery
}
criterion_main!(benches);
