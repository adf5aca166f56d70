//! What a task is: a named, typed, serializable value that a worker process
//! knows how to run.
//!
//! Python's `ProcessPoolExecutor.submit(fn, *args)` pickles a *reference to a
//! function* (its module and name) together with the arguments, and the
//! worker imports the module to find the function again. Rust cannot send a
//! function pointer or a closure to another process: an address means
//! nothing in another address space, and a closure's captured state has no
//! serialized form. So a task here is *data*: usually an enum with one
//! variant per kind of job, which the worker matches on. That enum is the
//! Rust counterpart of "the function and its arguments", and serde (with
//! postcard on the wire) plays the part of pickle.
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

/// A job a worker process can run: the Rust counterpart of Python's
/// "function plus pickled arguments".
///
/// The value is serialized in the parent, sent down a socket, deserialized
/// in the worker and run there with [`Task::run`]; the `Result` travels back
/// the same way. Every type involved must therefore be serde-serializable.
pub trait Task: Serialize + DeserializeOwned + Send + 'static {
    /// What a successful run returns (Python: the function's return value).
    type Output: Serialize + DeserializeOwned + Send + 'static;
    /// What a failed run returns (Python: the exception it raised).
    type Error: Serialize + DeserializeOwned + Send + Debug + Display + 'static;

    /// Runs the task, in a worker process.
    fn run(self) -> Result<Self::Output, Self::Error>;
}
