//! # thread-pool: Python's `ThreadPoolExecutor` in Rust, on rayon
//!
//! The library half of the thread-pool chapter: [`ThreadPoolExecutor`],
//! with a handle per task, errors and panics kept per task, and a shutdown
//! that joins its worker threads (module [`executor`], which maps Python's
//! calls to ours). The process-pool chapter compares with it and the
//! benchmarks measure it.
//!
//! The chapter itself is the binary: the direct port of `thread_pool.py`'s
//! executor and pooling parts (`src/port.rs`), its threads part and what
//! the Rust run adds (`src/chapter/`), run by `src/main.rs`:
//! `cargo run -p thread-pool`.

pub mod executor;

pub use executor::{
    ExecutorError, MapResults, PoolStopper, ShutdownReport, TaskError, TaskHandle,
    ThreadPoolExecutor,
};
