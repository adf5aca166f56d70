//! Benchmark 1: the chapter's CPU-bound workload on every executor.
//!
//! `cargo bench --bench pooling`. Items 1..=10 through `common::evaluate_item`
//! (the code `cargo run -p thread-pool -- --part compare` runs), at the
//! chapter's size (count(10,000,000)) and at 10x, on: sequential,
//! `std::thread::scope`, the `thread-pool` crate, rayon `par_iter`, tokio
//! and async-std `spawn_blocking`, and the `process-pool` crate (started
//! beforehand, and including start-up and shutdown). Pools have one
//! worker per core.
//!
//! All functions of a size sit in one group, measured back to back in the
//! same run: compare their medians (the ratio to `sequential` is the
//! speedup; the target on 2 cores is >= 1.8x for threads, rayon and
//! the started process pool, >= 1.5x including start-up), not absolute
//! times, on a shared machine. The executors themselves are in
//! `benches/support/cpu.rs`.

use benchmarks::cpu::Executor;
use benchmarks::{CHAPTER_ITEMS, CHAPTER_ITERATIONS, cores};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group};
use std::hint::black_box;
use std::time::Duration;

fn pooling(c: &mut Criterion) {
    let items: Vec<u64> = CHAPTER_ITEMS.collect();
    let workers = cores();
    // (label, iterations, samples, seconds of measurement). The chapter's
    // size gets 20 samples over 5 s: on a shared machine whose cores slow
    // down for a second or so at a time, a median over more, shorter
    // samples is less often decided by one slow spell.
    for (label, iterations, samples, measure) in [
        ("count-10M", CHAPTER_ITERATIONS, 20, 5),
        ("count-100M", 10 * CHAPTER_ITERATIONS, 10, 6),
    ] {
        let mut group = c.benchmark_group(format!("pooling/{label}"));
        // A run takes 14 ms to 0.3 s: the same number of runs per sample
        // (flat sampling) instead of criterion's growing counts, which
        // would need minutes at these sizes.
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(samples)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(measure));
        for executor in Executor::ALL {
            // Start the pool or runtime outside the measurement (the
            // `+startup` variant starts its pool inside `run`).
            let started = executor.start(workers).expect("start the executor");
            let id = match executor {
                Executor::Sequential => BenchmarkId::from_parameter("sequential"),
                other => BenchmarkId::new(other.name(), workers),
            };
            group.bench_function(id, |b| {
                b.iter(|| {
                    black_box(
                        started
                            .run(black_box(&items), iterations)
                            .expect("the workload runs and gives the right results"),
                    )
                })
            });
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(benchmarks::BOOTSTRAP_RESAMPLES);
    targets = pooling
}

// Not criterion_main!: the process pool's workers are this executable
// started again, and the worker hook must run before criterion does.
fn main() {
    benchmarks::worker_hook();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
