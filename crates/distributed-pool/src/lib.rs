//! # distributed-pool: the pooling workload on a distributed work queue
//!
//! The process pool ends where one machine ends. Past it, Python reaches
//! for Dask (`distributed.Client` is a `concurrent.futures` executor:
//! `client.submit`, `client.map`, `as_completed`); Rust services reach for
//! a message broker with work-queue semantics. This crate runs the
//! chapter's pooling workload (`common::evaluate_item`) on NATS JetStream,
//! a real, widely deployed engine, through async-nats, the NATS
//! maintainers' Rust client. The engine does the distributing; this is a
//! thin client of it, to be read beside docs/distributed-pool.md.
//!
//! In reading order: [`job`] (what crosses the network, as JSON),
//! [`queue`] (the queue's parts on the server and their settings),
//! [`worker`] (take one job, run it, save the result once, acknowledge),
//! [`client`] (Dask's `Client`; `collector.rs` is its task that answers
//! the handles), [`error`], then the machinery of a local run: [`server`]
//! and [`cluster`] (Dask's `LocalCluster`), [`launch`] (a worker process,
//! which another program can also be), [`args`] (the value parsers of the
//! flags every role shares), and [`bench`](mod@bench) (what the queue costs).
//!
//! Run it: `cargo run -p distributed-pool` (a local server, five worker
//! processes, items 1..=10; a few seconds). Each line says which worker
//! process (`pid N@host`) took and ran which item.

pub mod args;
pub mod bench;
pub mod client;
pub mod cluster;
mod collector;
pub mod error;
pub mod job;
pub mod launch;
pub mod queue;
pub mod server;
pub mod worker;

pub use client::{Client, Done, TaskHandle, as_completed};
pub use cluster::LocalCluster;
pub use error::{PoolError, TaskError};
pub use job::{Event, Job, Outcome, TaskId, WorkerId};
pub use queue::{Queue, Settings};
pub use server::LocalServer;

/// Locks `mutex`, poisoned or not: every update under the crate's locks
/// leaves the data consistent, so a panic elsewhere does not spoil it.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
