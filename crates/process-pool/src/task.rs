//! What a task is: a serializable value that a worker process knows how
//! to run.
//!
//! Python's `submit(fn, *args)` pickles a *reference to a function* and its
//! arguments. A Rust function or closure cannot be sent to another process
//! (an address means nothing in another address space), so a task here is
//! *data*: usually an enum with one variant per kind of job, which the
//! worker matches on; serde (postcard on the wire) plays pickle's part.
//!
//! ```
//! use process_pool::Task;
//! use serde::{Deserialize, Serialize};
//!
//! /// Everything this program's workers know how to do.
//! #[derive(Serialize, Deserialize)]
//! enum Job {
//!     Cube(i64),
//!     Shout(String),
//! }
//!
//! impl Task for Job {
//!     type Output = String;
//!     type Error = String;
//!     fn run(self) -> Result<String, String> {
//!         match self {
//!             Job::Cube(x) => common::cube(x).map(|c| c.to_string()).map_err(|e| e.to_string()),
//!             Job::Shout(s) => Ok(s.to_uppercase()),
//!         }
//!     }
//! }
//! assert_eq!(Job::Cube(3).run(), Ok("27".to_owned()));
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt::{Debug, Display};

/// A job a worker process can run (Python: "function plus pickled
/// arguments"): encoded in the parent, run in the worker by [`Task::run`],
/// its `Result` encoded back, hence serde on every type.
pub trait Task: Serialize + DeserializeOwned + Send + 'static {
    /// What a successful run returns (Python: the function's return value).
    type Output: Serialize + DeserializeOwned + Send + 'static;
    /// What a failed run returns (Python: the exception it raised).
    type Error: Serialize + DeserializeOwned + Send + Debug + Display + 'static;

    /// Runs the task, in a worker process.
    fn run(self) -> Result<Self::Output, Self::Error>;
}
