//! Exercise 1: save a result once.
//!
//! A job can run twice: its first worker saved the result and died before
//! acknowledging the job, so the queue gave it to a second worker. Write
//! `save_result` so that the second save keeps the first result and says
//! so, as `worker.rs` does: the key-value store's `create` writes a key
//! only if it is not there (`put` always writes).
//!
//! Check it: `cargo test -p distributed-pool --features exercises --test exercises save_once`

use async_nats::jetstream::kv;
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
    // Your code here: `put` overwrites the first result and never notices
    // that there was one.
    results
        .put(key, value)
        .await
        .map_err(|error| error.to_string())?;
    Ok(Saved::First)
}
