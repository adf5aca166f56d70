//! Benchmark 2: what one trivial task (`cube`) costs on each executor.
//!
//! `cargo bench --bench overhead`. Every benchmark runs a batch: all tasks
//! submitted, then all results collected (and checked). Criterion reports
//! the batch's time and, as throughput, tasks per second: the cost of one
//! task is the time divided by the batch size (the `thrpt` line, inverted).
//!
//! The targets on 2 cores, per task in a batch: tokio, async-std
//! and smol spawn + await <= 0.5 us; rayon <= 0.3 us; spawn_blocking <= 10
//! us; process pool <= 5 us per item with 2 workers, and <= 0.2 us per item
//! at chunksize >= 64. `ping-pong` measures the hand-off every
//! one-at-a-time pool pays: waking a sleeping thread on the other core.
//! The functions are in `benches/support/overhead.rs`.

use benchmarks::batch::On;
use benchmarks::overhead as o;
use benchmarks::task::BenchTask;
use benchmarks::{BenchError, cores};
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group,
};
use process_pool::ProcessPoolExecutor;
use std::hint::black_box;
use std::time::Duration;
use thread_pool::ThreadPoolExecutor;

/// Tasks per batch for the cheap executors.
const TASKS: usize = 10_000;
/// Tasks per batch where each task costs microseconds (a thread each, the
/// blocking pools, the process pool one request at a time).
const SLOW_TASKS: usize = 1_000;

/// Benchmarks `run` as a batch of `n` elements under `id`.
fn batch<T>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: BenchmarkId,
    n: usize,
    run: impl Fn(usize) -> Result<T, BenchError>,
) {
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(id, |b| {
        b.iter(|| black_box(run(black_box(n)).expect("the batch runs and sums correctly")))
    });
}

fn overhead(c: &mut Criterion) {
    let workers = cores();
    let mut group = c.benchmark_group("overhead/cube");
    group
        // Batches take 1 to 80 ms: the same number of batches per sample
        // (flat sampling) keeps the slow ones within the measurement time.
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    let id = |name: &str| BenchmarkId::new(name, workers);
    // A figure with no worker count: its id is the name alone.
    let one = BenchmarkId::from_parameter::<&str>;

    // Threads: one OS thread per task, then pools of `workers` threads.
    batch(
        &mut group,
        one("thread-spawn-join"),
        SLOW_TASKS,
        o::thread_spawn_join,
    );
    let rayon = rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("start a rayon pool");
    batch(&mut group, id("rayon-par_iter"), TASKS, |n| {
        o::rayon_par_iter(&rayon, n)
    });
    batch(&mut group, id("rayon-scope-spawn"), TASKS, |n| {
        o::rayon_scope_spawn(&rayon, n)
    });
    let pool = ThreadPoolExecutor::new(workers).expect("start the thread pool");
    batch(&mut group, id("thread-pool-submit"), TASKS, |n| {
        o::thread_pool_submit(&pool, n)
    });
    batch(&mut group, id("thread-pool-map"), TASKS, |n| {
        o::thread_pool_map(&pool, n)
    });
    drop(pool);

    // Async tasks (spawn + await), and the blocking pools.
    let current = o::tokio_current_thread().expect("start tokio");
    let multi = o::tokio_multi_thread(workers).expect("start tokio");
    batch(&mut group, one("tokio-spawn/current-thread"), TASKS, |n| {
        o::spawn(On::Tokio(&current), n)
    });
    batch(&mut group, id("tokio-spawn/multi-thread"), TASKS, |n| {
        o::spawn(On::Tokio(&multi), n)
    });
    batch(&mut group, one("async-std-spawn"), TASKS, |n| {
        o::spawn(On::AsyncStd, n)
    });
    batch(&mut group, one("smol-spawn"), TASKS, |n| {
        o::spawn(On::Smol, n)
    });
    batch(&mut group, one("tokio-spawn_blocking"), SLOW_TASKS, |n| {
        o::spawn_blocking(On::Tokio(&multi), n)
    });
    batch(
        &mut group,
        one("async-std-spawn_blocking"),
        SLOW_TASKS,
        |n| o::spawn_blocking(On::AsyncStd, n),
    );

    // The process pool: one request per task, then map in chunks.
    let processes = ProcessPoolExecutor::<BenchTask>::new(workers).expect("start the process pool");
    batch(&mut group, id("process-pool-submit"), SLOW_TASKS, |n| {
        o::process_pool_submit(&processes, n)
    });
    for chunksize in [1, 64, 1024] {
        batch(
            &mut group,
            BenchmarkId::new(
                format!("process-pool-map/{workers}-workers/chunksize"),
                chunksize,
            ),
            if chunksize == 1 { SLOW_TASKS } else { TASKS },
            |n| o::process_pool_map(&processes, n, chunksize),
        );
    }
    drop(processes);

    // The wake-up under all of the above: two threads, one hand-off at a time.
    batch(&mut group, one("ping-pong-hand-off"), 2 * SLOW_TASKS, |n| {
        o::ping_pong(n / 2)
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().nresamples(benchmarks::BOOTSTRAP_RESAMPLES);
    targets = overhead
}

// Not criterion_main!: the process pool's workers are this executable
// started again, and the worker hook must run before criterion does.
fn main() {
    benchmarks::worker_hook();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
