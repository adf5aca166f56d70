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
//! In reading order:
//! - [`job`]: what crosses the network (a job, a worker's events, an
//!   outcome), as JSON;
//! - [`queue`]: the queue's parts on the server (the jobs stream, the
//!   workers' consumer, the results bucket, the dead letters) and their
//!   settings: acknowledgement deadline, deliveries, back-pressure;
//! - [`worker`]: take one job, run it, save the result once, acknowledge;
//! - [`client`]: Dask's `Client`: `submit`, `map`, `gather`,
//!   `as_completed`, timeouts, cancelling; `collector.rs`, its task that
//!   answers the handles;
//! - [`error`]: the pool's errors and each task's;
//! - [`server`] and [`cluster`]: a local `nats-server` and worker
//!   processes, Dask's `LocalCluster`; [`launch`], a worker process: its
//!   flags, its command line, its role (and how another program can be
//!   that worker); [`args`], the flags every role shares;
//! - [`bench`](mod@bench): the queue's per-task overhead and its throughput with 1, 2
//!   and 4 workers.
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
