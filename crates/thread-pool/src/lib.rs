//! # thread-pool: threads, a ThreadPoolExecutor, and why pools pay off in Rust
//!
//! Ports the chapter's thread-pool section: `threading.Thread` (seed 002),
//! `concurrent.futures.ThreadPoolExecutor` (seed 000) and the pooling
//! comparison (seeds 003 and 004).
//!
//! Run it all with `cargo run -p thread-pool` (a few seconds), or one part:
//!
//! ```text
//! cargo run -p thread-pool -- --part threads
//! cargo run -p thread-pool -- --part executor
//! cargo run -p thread-pool --release -- --part compare --workers 5
//! ```
//!
//! What to look for in the output: every line starts with the time since
//! the start and the thread that printed it. In `threads`, `is_finished`
//! before and after `join` and a detached thread ticking on its own; in
//! `executor`, results read back in input order while the work ran on
//! `worker-0` and `worker-1`, and one failing and one panicking task that
//! leave the others alone; in `compare`, items finishing out of order on
//! several workers and a speedup near the number of cores, which Python's
//! threads cannot give this loop because of the GIL.
//!
//! The modules, one idea each:
//! - [`threads`]: part 1, plain threads;
//! - [`executor`]: the [`ThreadPoolExecutor`] itself, built on rayon;
//! - [`executor_demo`]: part 2, the chapter's executor program;
//! - [`compare`]: part 3, sequential against pooled.

pub mod compare;
pub mod executor;
pub mod executor_demo;
pub mod threads;

pub use executor::{
    ExecutorError, MapResults, ShutdownReport, TaskError, TaskHandle, ThreadPoolExecutor,
};
