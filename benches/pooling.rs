//! Sequential against the thread pool on the chapter's count workload.
//!
//! `cargo bench --bench pooling`. Both run items 1..=10 through
//! `evaluate_item`, the same code `cargo run -p thread-pool -- --part compare`
//! runs. Criterion alternates nothing by itself, so the two functions sit in
//! one group and are measured back to back in the same run; compare their
//! medians (the ratio is the speedup), not their absolute times, on a shared
//! machine.

// criterion_group! generates undocumented public functions.
#![allow(missing_docs)]

use benchmarks::CHAPTER_ITEMS;
use common::evaluate_item;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use thread_pool::ThreadPoolExecutor;

/// The chapter's count size.
const ITERATIONS: u64 = 10_000_000;

fn sequential(iterations: u64) -> u64 {
    CHAPTER_ITEMS
        .map(|item| {
            evaluate_item(black_box(item), black_box(iterations))
                .expect("the chapter's workload does not overflow")
                .result
        })
        .sum()
}

fn pooled(pool: &ThreadPoolExecutor, iterations: u64) -> u64 {
    pool.map(
        move |item| evaluate_item(black_box(item), black_box(iterations)),
        CHAPTER_ITEMS,
    )
    .map(|result| {
        result
            .expect("the chapter's workload does not overflow")
            .result
    })
    .sum()
}

fn pooling(c: &mut Criterion) {
    let mut group = c.benchmark_group("pooling/count-10M");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4));
    let expected: u64 = CHAPTER_ITEMS.map(|item| item * ITERATIONS).sum();
    group.bench_function("sequential", |b| {
        b.iter(|| assert_eq!(sequential(ITERATIONS), expected))
    });
    for workers in [2usize, 5] {
        let pool = ThreadPoolExecutor::new(workers).expect("start the pool");
        group.bench_with_input(
            BenchmarkId::new("thread-pool", workers),
            &workers,
            |b, _| b.iter(|| assert_eq!(pooled(&pool, ITERATIONS), expected)),
        );
    }
    group.finish();
}

criterion_group!(benches, pooling);
criterion_main!(benches);
