//! The submitter's side: Dask's `Client`, on the queue (each method names
//! its Dask counterpart; the page puts them side by side in a table).
//!
//! `submit` publishes the job on the jobs stream with the task's key as
//! its message id, and waits for the stream's acknowledgement (the job is
//! then on the server's disk). If the stream refuses it (the queue is
//! full: back-pressure) or the acknowledgement does not come (the server
//! is restarting), it offers the same job again, under the same id, so a
//! job that did arrive the first time is dropped as a duplicate: once in
//! the queue, however many times it was sent.
//!
//! Results come back through the results bucket: a *collector* task
//! (`collector.rs`) watches the batch's keys and hands each result to its
//! task's handle (the first one: a task has one key, however many times
//! it ran). It also listens to the workers' events (lines and timeline
//! bars) and to the server's advisory that it gave a job up, which fails
//! that task's handle with [`TaskError::GaveUp`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use async_nats::jetstream::context::PublishErrorKind;
use async_nats::jetstream::message::PublishMessage;
use bytes::Bytes;
use common::ItemResult;
use futures::stream::{FuturesUnordered, Stream, StreamExt as _};
use runner::{Recorder, SpanId};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;

use crate::job::{Job, TaskId, WorkerId};
use crate::queue::{self, JOBS_SUBJECT, Queue, Settings};
use crate::{PoolError, TaskError, lock};

/// How long `submit` keeps offering a job the queue refuses (full, or the
/// server away) before it reports an error.
const PUBLISH_PATIENCE: Duration = Duration::from_secs(30);

/// A task's result, as its handle gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The item and `count`'s result: `Item 3, result 30000000`.
    pub result: ItemResult,
    /// Who ran it.
    pub worker: WorkerId,
    /// Which delivery of the job ran it (2 or more: it was redelivered).
    pub delivery: u64,
}

/// What a handle is waiting for.
pub(crate) type Reply = Result<Done, TaskError>;

/// The caller's side of one task: Dask's `Future`.
#[derive(Debug)]
pub struct TaskHandle {
    /// The task.
    pub task: TaskId,
    /// Its item.
    pub item: u64,
    /// Where the collector sends the result.
    reply: oneshot::Receiver<Reply>,
}

impl TaskHandle {
    /// Waits for the result: `future.result()`.
    pub async fn result(self) -> Reply {
        self.reply.await.unwrap_or(Err(TaskError::Closed))
    }

    /// Waits at most `limit`: `future.result(timeout=limit)`. On a timeout
    /// the handle stays usable, as Dask's future does.
    pub async fn result_timeout(&mut self, limit: Duration) -> Reply {
        match tokio::time::timeout(limit, &mut self.reply).await {
            Ok(reply) => reply.unwrap_or(Err(TaskError::Closed)),
            Err(_) => Err(TaskError::Timeout(limit)),
        }
    }
}

/// The results of `handles` as they complete, each with its task and item:
/// `distributed.as_completed(futures)`.
pub fn as_completed(
    handles: impl IntoIterator<Item = TaskHandle>,
) -> impl Stream<Item = (TaskId, u64, Reply)> {
    handles
        .into_iter()
        .map(|handle| async move {
            let (task, item) = (handle.task.clone(), handle.item);
            (task, item, handle.result().await)
        })
        .collect::<FuturesUnordered<_>>()
}

/// A submitted task the collector has not answered yet.
#[derive(Debug)]
pub(crate) struct Pending {
    /// The job's sequence number in the stream, once the stream said it.
    pub(crate) sequence: Option<u64>,
    /// Where its answer goes.
    pub(crate) reply: oneshot::Sender<Reply>,
}

/// What `submit`, the collector and `cancel_unfinished` share. Each field
/// is behind a `std::sync::Mutex`, held only to insert, remove or copy,
/// never across an `.await`.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Unanswered tasks by number: inserted by `submit` before it
    /// publishes, removed by whoever answers (the collector, a cancel).
    pub(crate) pending: Mutex<HashMap<u64, Pending>>,
    /// The timeline bar of each run under way, by task number and worker:
    /// opened on a `Started` event, closed on its `Finished` (or when the
    /// worker is killed). Written by the collector and `worker_lost`.
    pub(crate) running: Mutex<HashMap<(u64, WorkerId), SpanId>>,
}

/// A connection to the pool, submitting under a batch of its own.
#[derive(Debug)]
pub struct Client {
    /// The queue's parts.
    queue: Queue,
    /// This client's batch: the first part of every task id.
    batch: String,
    /// The last task number given out.
    numbered: AtomicU64,
    /// See [`Shared`].
    shared: Arc<Shared>,
    /// Stops the collector.
    stop: CancellationToken,
    /// The collector task: joined by `close`; aborted if the client is
    /// dropped unclosed (an early return), so that it never outlives it.
    collector: AbortOnDropHandle<()>,
    /// Lines and the timeline.
    out: Recorder,
}

impl Client {
    /// Dask's `Client(address)`: connects to the server at `address`,
    /// opens the queue, and starts the collector. Lines (workers' events, dead letters) go to `out`.
    pub async fn connect(
        address: &str,
        settings: &Settings,
        out: Recorder,
    ) -> Result<Self, PoolError> {
        let nats = queue::connect(address, "distributed-pool submitter").await?;
        let queue = Queue::open(nats.clone(), settings).await?;
        let batch = new_batch();
        // Subscribed before the first job goes out, so nothing is missed.
        let results = queue
            .results
            .watch(format!("{batch}.>"))
            .await
            .map_err(PoolError::nats("watching the results"))?;
        let (events, gave_up, dead) = futures::try_join!(
            nats.subscribe(queue::events_subject(&batch)),
            nats.subscribe(queue::gave_up_subject()),
            nats.subscribe(queue::DEAD_SUBJECT),
        )
        .map_err(PoolError::nats("subscribing"))?;
        let shared = Arc::new(Shared::default());
        let stop = CancellationToken::new();
        let collector = crate::collector::Collector {
            shared: Arc::clone(&shared),
            jobs: queue.jobs.clone(),
            out: out.clone(),
        };
        let collector = collector.run(results, events, gave_up, dead, stop.clone());
        Ok(Self {
            queue,
            batch,
            numbered: AtomicU64::new(0),
            shared,
            stop,
            collector: AbortOnDropHandle::new(tokio::spawn(collector)),
            out,
        })
    }

    /// This client's batch (the prefix of its task ids).
    pub fn batch(&self) -> &str {
        &self.batch
    }

    /// The queue this client submits to.
    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    /// Puts `common::evaluate_item(item, iterations)` on the queue: Dask's
    /// `client.submit(evaluate, item)`. Returns once the job is on
    /// the server's disk; waits while the queue is full.
    pub async fn submit(&self, item: u64, iterations: u64) -> Result<TaskHandle, PoolError> {
        let number = self.numbered.fetch_add(1, Ordering::Relaxed) + 1;
        let task = TaskId {
            batch: self.batch.clone(),
            number,
        };
        let job = Job {
            task: task.clone(),
            item,
            iterations,
        };
        let payload = Bytes::from(serde_json::to_vec(&job).expect("a job is plain data"));
        let (reply, receiver) = oneshot::channel();
        // Registered before publishing: the result may come back before
        // `publish` returns.
        let pending = Pending {
            sequence: None,
            reply,
        };
        lock(&self.shared.pending).insert(number, pending);
        let published = self.publish(&task.key(), payload).await;
        // Not queued: forgotten. Queued: its sequence noted, for a cancel.
        let mut pending = lock(&self.shared.pending);
        let sequence = published.inspect_err(|_| drop(pending.remove(&number)))?;
        if let Some(pending) = pending.get_mut(&number) {
            pending.sequence = Some(sequence);
        }
        Ok(TaskHandle {
            task,
            item,
            reply: receiver,
        })
    }

    /// Publishes one job under message id `id`, offering it again while
    /// the stream refuses it; its sequence number in the stream.
    async fn publish(&self, id: &str, payload: Bytes) -> Result<u64, PoolError> {
        let deadline = Instant::now() + PUBLISH_PATIENCE;
        let mut pause = Duration::from_millis(5);
        loop {
            let message = PublishMessage::build()
                .message_id(id)
                .payload(payload.clone());
            let acked = match self.queue.js.send_publish(JOBS_SUBJECT, message).await {
                Ok(ack) => ack.await,
                Err(error) => Err(error),
            };
            match acked {
                Ok(ack) => return Ok(ack.sequence),
                Err(error) => {
                    let hopeless = matches!(
                        error.kind(),
                        PublishErrorKind::StreamNotFound | PublishErrorKind::MaxPayloadExceeded
                    );
                    if hopeless || Instant::now() > deadline {
                        return Err(PoolError::nats("queueing a job")(error));
                    }
                }
            }
            // The queue is full (back-pressure) or the server is away:
            // wait, a little longer each time, and offer it again.
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(200));
        }
    }

    /// Submits every item, in order: Dask's `client.map(evaluate, items)`.
    /// Up to 64 jobs are on their way at once (waiting for each
    /// acknowledgement in turn would cost a round trip per job).
    pub async fn map(
        &self,
        items: impl IntoIterator<Item = u64>,
        iterations: u64,
    ) -> Result<Vec<TaskHandle>, PoolError> {
        futures::stream::iter(items)
            .map(|item| self.submit(item, iterations))
            .buffered(64)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect()
    }

    /// Every result, in the handles' order: Dask's `client.gather(futures)`.
    pub async fn gather(handles: Vec<TaskHandle>) -> Vec<Reply> {
        futures::future::join_all(handles.into_iter().map(TaskHandle::result)).await
    }

    /// Dask's `client.cancel(futures)`, for every task not answered yet:
    /// deletes its job from the stream (a job a worker is running finishes
    /// unseen) and fails its handle with [`TaskError::Cancelled`]. How many
    /// were withdrawn.
    pub async fn cancel_unfinished(&self) -> usize {
        let withdrawn: Vec<Pending> = lock(&self.shared.pending).drain().map(|(_, p)| p).collect();
        let count = withdrawn.len();
        for pending in withdrawn {
            if let Some(sequence) = pending.sequence {
                let _ = self.queue.jobs.delete_message(sequence).await;
            }
            let _ = pending.reply.send(Err(TaskError::Cancelled));
        }
        count
    }

    /// The worker `worker` was killed: its lane ends with a mark, and the
    /// bar of the job it was running ends there.
    pub fn worker_lost(&self, worker: &WorkerId, what: &str) {
        let lane = worker.to_string();
        self.out.mark(&lane, what);
        let mut running = lock(&self.shared.running);
        running.retain(|(_, who), span| {
            if who == worker {
                self.out.end(*span);
            }
            who != worker
        });
    }

    /// Dask's `client.close()`: stops the collector and waits for it;
    /// unanswered handles get [`TaskError::Closed`].
    pub async fn close(self) {
        self.stop.cancel();
        let _ = self.collector.await;
    }
}

/// A batch name no other submitter has: the time in milliseconds and this
/// process's id (a key in the bucket: letters, digits and `-` only).
fn new_batch() -> String {
    let millis = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis());
    format!("{millis:x}-{}", std::process::id())
}
