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
//! It ports the *process-pool* section of the chapter: the pooling
//! workload (items 1..=10, `evaluate_item`) run sequentially, on the
//! thread pool of the `thread-pool` crate and on this process pool, each
//! phase timed; then the executor's API and what happens when tasks fail.
//!
//! ```text
//! cargo run -p process-pool                    # every part
//! cargo run -p process-pool -- --part compare  # sequential / threads / processes
//! cargo run -p process-pool -- --part faults --workers 2
//! ```
//!
//! What to look for: in `compare`, the `pid` column (each item ran in
//! another process) and the speedup of the process phase (about the number
//! of cores); in `faults`, the pool carrying on after a panic, an abort and
//! a `kill -9`, with new worker pids.
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
//! (frames on the socket), [`handle`] (where results wait), [`pool`] (the
//! executor and its fault policy), then the chapter's own [`tasks`] and
//! parts ([`compare`], [`api_tour`], [`faults`]) with [`progress`].

pub mod api_tour;
pub mod compare;
pub mod faults;
pub mod handle;
pub mod pool;
pub mod progress;
pub mod protocol;
pub mod task;
pub mod tasks;
pub mod worker;

pub use handle::{
    AsCompleted, Completed, MapResults, Outcome, TaskError, TaskHandle, as_completed,
};
pub use pool::{MAX_WORKERS, PoolBuilder, PoolError, PoolStopper, ProcessPoolExecutor};
pub use task::Task;
pub use worker::{is_worker, worker_entry};
