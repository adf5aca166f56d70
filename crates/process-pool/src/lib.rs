//! # process-pool: a real `ProcessPoolExecutor` for Rust
//!
//! Python's `concurrent.futures.ProcessPoolExecutor` runs functions in
//! other processes. In Python that is how CPU-bound work escapes the GIL;
//! in Rust threads already run in parallel, so a process pool is for what
//! only separate processes give: a task that crashes (aborts, segfaults, is
//! killed) takes down its worker, not the program; each task runs in its
//! own memory, which the OS reclaims when the worker is recycled. Rust has
//! no process pool in its standard library, so this crate is one, written
//! to be read.
//!
//! This is the library half of the process-pool chapter; other crates use
//! it (asyncio-and-futures awaits its handles, the benchmarks measure it).
//! The chapter itself, `process_pool.py` and `concurrent_futures_pooling.py`
//! on this pool, is the binary (`src/main.rs` and `src/chapter/`):
//! `cargo run -p process-pool`.
//!
//! ## Using the pool
//!
//! ```rust,standalone_crate
//! use process_pool::{ProcessPoolExecutor, Task};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct Cube(i64);
//!
//! impl Task for Cube {
//!     type Output = i64;
//!     type Error = String;
//!     fn run(self) -> Result<i64, String> {
//!         common::cube(self.0).map_err(|e| e.to_string())
//!     }
//! }
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // Every program that creates a pool makes this call first.
//!     process_pool::worker_entry::<Cube>();
//!
//!     let pool = ProcessPoolExecutor::new(2)?;
//!     let handle = pool.submit(Cube(3))?;
//!     assert_eq!(handle.result()?, 27);
//!     let cubes: Vec<i64> = pool
//!         .map([2, 4, 6, 8].map(Cube), 2)?
//!         .collect::<Result<_, _>>()?;
//!     assert_eq!(cubes, [8, 64, 216, 512]);
//!     Ok(()) // dropping the pool shuts it down and reaps the workers
//! }
//! ```
//!
//! The modules, in reading order: [`task`] (what a task is), [`worker`]
//! (the worker process and the hook every executable needs), [`protocol`]
//! (frames on the socket), [`error`] (how a task can fail), `slot.rs`
//! (where a result waits, and the states of a request), [`handle`] (the
//! caller's side of a slot), `as_completed.rs`, `wait.rs` and `map.rs`
//! (the results of many tasks), and [`pool`] (the executor, its fault
//! policy, and the bounds on its waits).

mod as_completed;
pub mod error;
pub mod handle;
mod map;
pub mod pool;
pub mod protocol;
mod slot;
pub mod task;
mod wait;
pub mod worker;

pub use as_completed::{AsCompleted, AsCompletedWithin, Completed, NotCompleted, as_completed};
pub use error::{Outcome, TaskError};
pub use handle::TaskHandle;
pub use map::MapResults;
pub use pool::{MAX_WORKERS, PoolBuilder, PoolError, PoolStopper, ProcessPoolExecutor};
pub use task::Task;
pub use wait::{DoneAndNotDone, ReturnWhen, wait};
pub use worker::{is_worker, worker_entry};
