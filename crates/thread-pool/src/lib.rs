//! # thread-pool: Python's `ThreadPoolExecutor` in Rust, on rayon
//!
//! The library half of the thread-pool chapter: [`ThreadPoolExecutor`],
//! with a handle per task, errors and panics kept per task, and a shutdown
//! that joins its worker threads (module [`executor`], which maps Python's
//! calls to ours). The process-pool chapter compares with it and the
//! benchmarks measure it.
//!
//! The chapter itself, threads, the executor program of `thread_pool.py`
//! and the pooling comparison of `concurrent_futures_pooling.py`, is the
//! binary (`src/main.rs` and `src/chapter/`): `cargo run -p thread-pool`.

pub mod executor;

pub use executor::{
    ExecutorError, MapResults, PoolStopper, ShutdownReport, TaskError, TaskHandle,
    ThreadPoolExecutor,
};
