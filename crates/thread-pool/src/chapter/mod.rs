//! The chapter's three parts, in the order `cargo run -p thread-pool` runs
//! them, one idea each:
//! - [`threads`]: part 1, plain threads (`threading.Thread`);
//! - [`executor_demo`]: part 2, the executor program of `thread_pool.py`
//!   on the library's `ThreadPoolExecutor`;
//! - [`compare`]: part 3, `concurrent_futures_pooling.py`, sequential
//!   against pooled.

pub mod compare;
pub mod executor_demo;
pub mod threads;
