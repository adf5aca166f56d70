//! # basic-coroutines (work in progress)
//!
//! The runtime and transcript helpers every async chapter uses.

pub mod runtime;
pub mod transcript;

pub use runtime::{JoinHandle, Runtime};
pub use transcript::{Line, Transcript};
