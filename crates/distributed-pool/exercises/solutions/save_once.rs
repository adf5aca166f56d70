//! Exercise 1, solved: `create` writes the key only if it is new, and its
//! `AlreadyExists` error is the "a run before us saved it" answer.

use async_nats::jetstream::kv::{self, CreateErrorKind};
use bytes::Bytes;

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// The key was new: this value is the result.
    First,
    /// The key was there already: the earlier value stays.
    AlreadyThere,
}

/// Saves `value` under `key` unless a value is there already.
pub async fn save_result(results: &kv::Store, key: &str, value: Bytes) -> Result<Saved, String> {
    match results.create(key, value).await {
        Ok(_revision) => Ok(Saved::First),
        // Not a failure: the task is done, by an earlier run.
        Err(error) if error.kind() == CreateErrorKind::AlreadyExists => Ok(Saved::AlreadyThere),
        Err(error) => Err(error.to_string()),
    }
}
