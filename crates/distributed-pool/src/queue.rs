//! The queue's parts on the server, named and configured once: what a
//! worker and a submitter both open.
//!
//! Everything that makes this a pool is configuration of the engine, not
//! code of ours:
//! - the **jobs stream** `POOL_JOBS` (subject `pool.jobs`) keeps every job
//!   on disk until a worker acknowledges it. Its *work-queue* retention
//!   removes a job once acknowledged, so each job is done by one worker;
//!   its `max_messages` with `DiscardPolicy::New` refuses jobs when the
//!   queue is full, which is the back-pressure a submitter feels; and its
//!   duplicate window drops a job published twice under one message id.
//! - the **consumer** `workers`, one durable pull consumer that every
//!   worker pulls from, so the server spreads the jobs over them. Its
//!   `ack_wait` is how long a worker may hold a job without a word before
//!   the server offers it to another (a dead worker's job comes back after
//!   it); `max_deliver` stops offering a job that no worker ever finishes;
//!   `max_ack_pending` caps the jobs out at once.
//! - the **results bucket** `POOL_RESULTS`, a key-value store (itself a
//!   stream underneath), one key per task: a result written twice is one
//!   key, which is what makes a job that ran twice count once.
//! - the **dead letters** `POOL_DEAD` (subject `pool.dead`): where a worker
//!   puts a message it could not read, with the reason, for a person to see.
//!
//! Python's `multiprocessing` queues live in the parent process and die
//! with it; these live in the server, on disk, and outlive every client.

use std::time::Duration;

use async_nats::jetstream::{self, consumer, kv, stream};

use crate::PoolError;

/// The stream that holds the jobs.
pub const JOBS_STREAM: &str = "POOL_JOBS";
/// The subject jobs are published on.
pub const JOBS_SUBJECT: &str = "pool.jobs";
/// The one durable consumer all workers pull from.
pub const CONSUMER: &str = "workers";
/// The key-value bucket of results, keyed by task.
pub const RESULTS_BUCKET: &str = "POOL_RESULTS";
/// Where unreadable messages go, with the reason in a header.
pub const DEAD_SUBJECT: &str = "pool.dead";
/// The stream that keeps the dead letters for a day.
pub const DEAD_STREAM: &str = "POOL_DEAD";

/// The subject a worker announces what it took and finished on, for the
/// submitter of `batch` (core NATS: fire and forget).
pub fn events_subject(batch: &str) -> String {
    format!("pool.events.{batch}")
}

/// The server's advisory, published when the consumer gives a job up
/// after `max_deliver` deliveries (JetStream's own dead-letter signal).
pub fn gave_up_subject() -> String {
    format!("$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.{JOBS_STREAM}.{CONSUMER}")
}

/// The queue's knobs, and the flags that set them (the same for every
/// role). The first process to create the queue on a server sets them;
/// later ones use what is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct Settings {
    /// Seconds a worker may hold a job without a word before the queue offers it again.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = crate::args::parse_ack_wait)]
    pub ack_wait: Duration,
    /// Deliveries of one job before the queue gives it up.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(i64).range(1..=100))]
    pub max_deliver: i64,
    /// Jobs the queue holds at most; a full queue makes submitters wait (back-pressure).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
    pub max_queued: i64,
    /// How many jobs may be out with workers, unacknowledged, at once.
    #[arg(skip = 1_000)]
    pub max_in_flight: i64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            ack_wait: Duration::from_secs(5),
            max_deliver: 3,
            max_queued: 10_000,
            max_in_flight: 1_000,
        }
    }
}

/// The queue's parts, open.
#[derive(Debug, Clone)]
pub struct Queue {
    /// The JetStream context: publishing, and the API requests.
    pub js: jetstream::Context,
    /// The jobs stream.
    pub jobs: stream::Stream,
    /// The workers' consumer.
    pub consumer: consumer::PullConsumer,
    /// The results bucket.
    pub results: kv::Store,
}

/// Connects to the server at `address` (`nats://HOST:PORT`), as `name`
/// (the server lists its clients by name).
///
/// The first connection fails fast (a few seconds at most) with the
/// address named; once connected, the client reconnects by itself after a
/// lost connection (a restarted server), retrying every 100 ms at first.
pub async fn connect(address: &str, name: &str) -> Result<async_nats::Client, PoolError> {
    let client = async_nats::ConnectOptions::new()
        .name(name)
        .connection_timeout(Duration::from_secs(3))
        .reconnect_delay_callback(|attempts| Duration::from_millis(100 * attempts.min(10) as u64))
        .connect(address)
        .await
        .map_err(|error| PoolError::Unreachable {
            address: address.to_owned(),
            reason: error.to_string(),
        })?;
    let version = client.server_info().version;
    if !crate::server::recent_enough(&version) {
        return Err(PoolError::TooOld {
            what: format!("the server at {address}"),
            version,
        });
    }
    Ok(client)
}

impl Queue {
    /// Opens the queue on `client`'s server, creating what is missing.
    pub async fn open(client: async_nats::Client, settings: &Settings) -> Result<Self, PoolError> {
        let js = jetstream::new(client);
        let jobs = js
            .get_or_create_stream(stream::Config {
                name: JOBS_STREAM.to_owned(),
                subjects: vec![JOBS_SUBJECT.to_owned()],
                retention: stream::RetentionPolicy::WorkQueue,
                storage: stream::StorageType::File,
                max_messages: settings.max_queued,
                discard: stream::DiscardPolicy::New,
                duplicate_window: Duration::from_secs(120),
                ..Default::default()
            })
            .await
            .map_err(PoolError::nats("opening the jobs stream"))?;
        let consumer = jobs
            .get_or_create_consumer(
                CONSUMER,
                consumer::pull::Config {
                    durable_name: Some(CONSUMER.to_owned()),
                    ack_policy: consumer::AckPolicy::Explicit,
                    ack_wait: settings.ack_wait,
                    max_deliver: settings.max_deliver,
                    max_ack_pending: settings.max_in_flight,
                    ..Default::default()
                },
            )
            .await
            .map_err(PoolError::nats("opening the workers' consumer"))?;
        js.get_or_create_stream(stream::Config {
            name: DEAD_STREAM.to_owned(),
            subjects: vec![DEAD_SUBJECT.to_owned()],
            storage: stream::StorageType::File,
            max_age: Duration::from_secs(24 * 3600),
            ..Default::default()
        })
        .await
        .map_err(PoolError::nats("opening the dead-letter stream"))?;
        let results = open_results(&js).await?;
        Ok(Self {
            js,
            jobs,
            consumer,
            results,
        })
    }

    /// Waits until the jobs stream holds no job (every one acknowledged,
    /// or withdrawn), at most `limit`; how many are left (the count the
    /// stream last gave, if it could not be asked).
    pub async fn drained(&self, limit: Duration) -> u64 {
        let deadline = tokio::time::Instant::now() + limit;
        let mut jobs = self.jobs.clone();
        let mut left = u64::MAX;
        loop {
            if let Ok(info) = jobs.info().await {
                left = info.state.messages;
            }
            if left == 0 || tokio::time::Instant::now() >= deadline {
                return left;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How long the consumer lets a worker hold a job (as the server has it).
    pub fn ack_wait(&self) -> Duration {
        self.consumer.cached_info().config.ack_wait
    }
}

/// The results bucket: opened if it exists, created if not (and opened
/// after all if another process created it in between).
async fn open_results(js: &jetstream::Context) -> Result<kv::Store, PoolError> {
    if let Ok(store) = js.get_key_value(RESULTS_BUCKET).await {
        return Ok(store);
    }
    let created = js
        .create_key_value(kv::Config {
            bucket: RESULTS_BUCKET.to_owned(),
            history: 1,
            storage: stream::StorageType::File,
            // Results nobody collects (a submitter that gave up) expire.
            max_age: Duration::from_secs(3600),
            ..Default::default()
        })
        .await;
    match created {
        Ok(store) => Ok(store),
        Err(_) => js
            .get_key_value(RESULTS_BUCKET)
            .await
            .map_err(PoolError::nats("opening the results bucket")),
    }
}
