//! The submitter's collector: one task that answers every handle of a
//! [`Client`](crate::Client) and reports what the workers and the server
//! say, until the client closes.
//!
//! It listens to four things at once (one `select!`): the results bucket's
//! keys of this client's batch (each new key answers its task's handle,
//! the first time only: a task has one key, however many times it ran),
//! the workers' events (a line and a timeline bar per job taken and
//! finished), the server's advisory that it gave a job up after
//! `max_deliver` deliveries (which fails that task), and the dead letters.

use std::pin::pin;
use std::sync::Arc;

use async_nats::jetstream::kv;
use common::ItemResult;
use futures::StreamExt as _;
use runner::{Recorder, SpanKind};
use tokio_util::sync::CancellationToken;

use crate::client::{Done, Shared};
use crate::job::{Event, Failure, Happened, Outcome};
use crate::{TaskError, lock};

/// The collector task's state.
pub(crate) struct Collector {
    /// What it shares with the client (see `client.rs`).
    pub(crate) shared: Arc<Shared>,
    /// The jobs stream, to take given-up jobs off it.
    pub(crate) jobs: async_nats::jetstream::stream::Stream,
    /// Lines and the timeline.
    pub(crate) out: Recorder,
}

impl Collector {
    /// Answers handles from the results, and reports events, until `stop`.
    pub(crate) async fn run(
        self,
        results: kv::Watch,
        events: async_nats::Subscriber,
        gave_up: async_nats::Subscriber,
        dead: async_nats::Subscriber,
        stop: CancellationToken,
    ) {
        let (mut results, mut events) = (pin!(results), pin!(events));
        let (mut gave_up, mut dead) = (pin!(gave_up), pin!(dead));
        loop {
            tokio::select! {
                () = stop.cancelled() => break,
                Some(Ok(entry)) = results.next() => self.on_result(&entry.value),
                Some(message) = events.next() => self.on_event(&message.payload),
                Some(message) = gave_up.next() => self.on_gave_up(&message.payload).await,
                Some(message) = dead.next() => self.on_dead_letter(&message),
                else => break,
            }
        }
        // Whoever still waits gets `Closed` as their senders drop here.
        lock(&self.shared.pending).clear();
    }

    /// A result was saved: answer its handle (the first time only).
    fn on_result(&self, value: &[u8]) {
        let Ok(outcome) = serde_json::from_slice::<Outcome>(value) else {
            return;
        };
        let Some(pending) = lock(&self.shared.pending).remove(&outcome.task.number) else {
            return; // answered already, or cancelled
        };
        let worker = outcome.worker.clone();
        let reply = match outcome.result {
            Ok(result) => Ok(Done {
                result: ItemResult {
                    item: outcome.item,
                    result,
                },
                worker,
                delivery: outcome.delivery,
            }),
            Err(Failure::Failed(message)) => Err(TaskError::Failed { worker, message }),
            Err(Failure::Panicked(message)) => Err(TaskError::Panicked { worker, message }),
        };
        let _ = pending.reply.send(reply);
    }

    /// A worker's event: a line, and a timeline bar opened or closed.
    fn on_event(&self, payload: &[u8]) {
        let Ok(Event {
            task,
            item,
            worker,
            delivery,
            what,
        }) = serde_json::from_slice(payload)
        else {
            return;
        };
        let lane = worker.to_string();
        let run = (task.number, worker);
        match what {
            Happened::Started => {
                let mut again = String::new();
                if delivery > 1 {
                    let redelivered = format!("item {item} redelivered (delivery {delivery})");
                    self.out.mark(&lane, redelivered);
                    again = format!(" (delivery {delivery}: redelivered)");
                }
                self.out.say(&lane, format!("took item {item}{again}"));
                let span = self
                    .out
                    .start(&lane, format!("item {item}"), SpanKind::Work);
                lock(&self.shared.running).insert(run, span);
            }
            Happened::Finished { kept } => {
                if let Some(span) = lock(&self.shared.running).remove(&run) {
                    self.out.end(span);
                }
                if !kept {
                    self.out.say(
                        &lane,
                        format!("ran item {item} again (delivery {delivery}) and found its result saved: counted once"),
                    );
                }
            }
        }
    }

    /// The server gave a job up after `max_deliver` deliveries: fail its
    /// handle and take the job off the queue (it would sit there forever).
    async fn on_gave_up(&self, payload: &[u8]) {
        let Ok(advisory) = serde_json::from_slice::<serde_json::Value>(payload) else {
            return;
        };
        let sequence = advisory["stream_seq"].as_u64().unwrap_or(0);
        let deliveries = advisory["deliveries"].as_u64().unwrap_or(0);
        let task = lock(&self.shared.pending)
            .extract_if(|_, pending| pending.sequence == Some(sequence))
            .next();
        if let Some((number, pending)) = task {
            let _ = self.jobs.delete_message(sequence).await;
            self.out.say(
                "queue",
                format!(
                    "gave task {number} up after {deliveries} deliveries; took it off the queue"
                ),
            );
            let _ = pending.reply.send(Err(TaskError::GaveUp { deliveries }));
        }
    }

    /// A worker sent a message it could not read to the dead letters.
    fn on_dead_letter(&self, message: &async_nats::Message) {
        let header = |name: &str| {
            message
                .headers
                .as_ref()
                .and_then(|headers| headers.get(name))
                .map_or_else(|| "?".to_owned(), |value| value.to_string())
        };
        self.out.say(
            "queue",
            format!(
                "dead letter: message #{} was not a job ({}); delivered {} time(s), not retried",
                header("Pool-Stream-Sequence"),
                header("Pool-Error"),
                header("Pool-Delivery"),
            ),
        );
    }
}
