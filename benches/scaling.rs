//! Benchmark 3: scaling with 1, 2, 4 and 8 workers on the count workload.
//!
//! `cargo bench --bench scaling`. The chapter's workload (items 1..=10,
//! count(10,000,000)) on every executor whose worker count can be set:
//! `std::thread::scope`, the `thread-pool` crate, rayon, tokio's
//! `spawn_blocking` (blocking pool capped at `w` threads) and the
//! `process-pool` crate (started beforehand), plus `sequential` as the
//! baseline.
//!
//! What to read in the report (criterion draws one line per executor
//! across worker counts): the time halves from 1 to 2 workers on 2 cores
//! (efficiency = speedup / cores, the target is >= 90%), then stays flat:
//! 4 or 8 workers on 2 cores only take turns. What oversubscription costs
//! is the difference between 2 and 8 workers: context switches, and 10
//! items that do not divide evenly into 4 or 8 equal shares.

use benchmarks::cpu::Executor;
use benchmarks::{CHAPTER_ITEMS, CHAPTER_ITERATIONS, SCALING_WORKERS};
use criterion::{BenchmarkId, Criterion, SamplingMode, criterion_group};
use std::hint::black_box;
use std::time::Duration;

fn scaling(c: &mut Criterion) {
    let items: Vec<u64> = CHAPTER_ITEMS.collect();
    let mut group = c.benchmark_group("scaling/count-10M");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    let mut run = |executor: Executor, workers: usize| {
        let started = executor.start(workers).expect("start the executor");
        group.bench_with_input(
            BenchmarkId::new(executor.name(), workers),
            &workers,
            |b, _| {
                b.iter(|| {
                    black_box(
                        started
                            .run(black_box(&items), CHAPTER_ITERATIONS)
                            .expect("the workload runs and gives the right results"),
                    )
                })
            },
        );
    };
    run(Executor::Sequential, 1);
    for executor in Executor::SCALABLE {
        for workers in SCALING_WORKERS {
            run(executor, workers);
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(benchmarks::BOOTSTRAP_RESAMPLES);
    targets = scaling
}

// Not criterion_main!: the process pool's workers are this executable
// started again, and the worker hook must run before criterion does.
fn main() {
    benchmarks::worker_hook();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
