//! # process-pool: a real `ProcessPoolExecutor` for Rust
//!
//! Python's `concurrent.futures.ProcessPoolExecutor`, for what only separate
//! processes give in Rust (where threads already run in parallel): a task
//! that aborts, segfaults or is killed takes down its worker, not the
//! program, and each task runs in memory the OS reclaims. The library half
//! of the process-pool chapter (the binary, `cargo run -p process-pool`, is
//! the other); `docs/process-pool.md` explains it, in reading order.
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
