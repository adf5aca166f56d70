//! A worker: take one job from the queue, run it, save its result under
//! the task's key, acknowledge the job; again, until told to stop.
//!
//! The order of those steps is the whole of at-least-once delivery:
//! 1. **take** one job (a pull request for one message), so that a job
//!    waits in the queue, free for any worker, until someone is ready;
//! 2. **run** it off the async thread (`spawn_blocking`: the count loop is
//!    CPU-bound), telling the server "still working" every third of the
//!    ack deadline, so that a slow job is not mistaken for a dead worker;
//! 3. **save** the result with `create`, which writes a key only if it is
//!    not there yet: if an earlier run of the same job already saved it
//!    (that worker died before step 4), this run's result is dropped and
//!    the task still counts once;
//! 4. **acknowledge**, and only now: a worker that dies at any step before
//!    this leaves the job unacknowledged, and the server offers it again
//!    after the deadline. Acknowledging first would lose the job with the
//!    worker (at-most-once).
//!
//! A message that is not a job is not retried (another worker would fail
//! the same way): it goes to the dead letters with the reason, and is
//! terminated (`AckKind::Term`: "never deliver this again").
//!
//! Python's `ProcessPoolExecutor` worker does steps 1, 2 and 4 over a pipe
//! from its parent; a Dask worker gets its tasks pushed by the scheduler,
//! which keeps them in memory.

use std::time::{Duration, Instant};

use async_nats::HeaderMap;
use async_nats::jetstream::AckKind;
use async_nats::jetstream::kv::CreateErrorKind;
use async_nats::jetstream::message::Message;
use futures::StreamExt as _;
use runner::{Recorder, SpanKind};
use tokio_util::sync::CancellationToken;

use crate::PoolError;
use crate::job::{Event, Failure, Happened, Job, Outcome, WorkerId};
use crate::queue::{DEAD_SUBJECT, Queue, events_subject};

/// Faults a worker can be told to have, for the chapter's demonstrations
/// (the `worker` subcommand's flags).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::Args)]
pub struct Faults {
    /// Panic on this item (caught: the item fails, the worker goes on).
    #[arg(long, value_name = "ITEM")]
    pub panic_on: Option<u64>,
    /// Exit after saving this item's result, before acknowledging it (first delivery only).
    #[arg(long, value_name = "ITEM")]
    pub exit_before_ack: Option<u64>,
}

/// What a worker did, for its last line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Jobs run and acknowledged.
    pub done: u64,
    /// Of those, jobs whose result an earlier run had already saved.
    pub duplicates: u64,
    /// Messages that were not jobs, sent to the dead letters.
    pub dead: u64,
}

/// How long one pull request waits for a job before asking again (the
/// loop checks `stop` in between anyway).
const PULL_WAIT: Duration = Duration::from_secs(2);

/// Serves the queue until `stop` is cancelled. Lines and spans go to `out`
/// on this worker's lane (`pid N@host`).
pub async fn serve(
    queue: &Queue,
    faults: Faults,
    out: &Recorder,
    stop: &CancellationToken,
) -> Result<Tally, PoolError> {
    let me = WorkerId::this_process();
    let lane = me.to_string();
    let say = |line: String| out.say(&lane, line);
    let ack_wait = queue.ack_wait();
    let deadline = ack_wait.as_secs_f64();
    say(format!(
        "ready: pulling one job at a time (ack deadline {deadline:.1} s)"
    ));
    let mut tally = Tally::default();
    let mut offline = false;
    loop {
        let taken = tokio::select! {
            () = stop.cancelled() => break,
            taken = take_one(queue) => taken,
        };
        let message = match taken {
            Ok(Some(message)) => message,
            Ok(None) => continue, // no job within the wait: ask again
            Err(error) => {
                // The server is gone (restarting?): the client reconnects
                // by itself; wait a moment and ask again.
                if !std::mem::replace(&mut offline, true) {
                    say(format!("cannot reach the queue ({error}): retrying"));
                }
                tokio::select! {
                    () = stop.cancelled() => break,
                    () = tokio::time::sleep(Duration::from_millis(200)) => continue,
                }
            }
        };
        offline = false;
        let (sequence, delivery) = message.info().map_or((0, 0), |info| {
            let delivered = u64::try_from(info.delivered).unwrap_or(0);
            (info.stream_sequence, delivered)
        });
        let job: Job = match serde_json::from_slice(&message.payload) {
            Ok(job) => job,
            Err(error) => {
                dead_letter(queue, &message, sequence, delivery, &error.to_string()).await;
                say(format!(
                    "message #{sequence} is not a job ({error}): sent to {DEAD_SUBJECT}, not redelivered"
                ));
                tally.dead += 1;
                continue;
            }
        };
        let item = job.item;
        let event = |what| Event {
            task: job.task.clone(),
            item,
            worker: me.clone(),
            delivery,
            what,
        };
        publish_event(queue, &event(Happened::Started)).await;
        let again = match delivery {
            0 | 1 => String::new(),
            n => format!(" (delivery {n})"),
        };
        say(format!("took item {item}{again}"));
        let span = out.span(&lane, format!("item {item}"), SpanKind::Work);
        let Some((result, took)) = run(&message, &job, faults, ack_wait, stop).await else {
            // Stopped mid-job: hand it back at once (a NAK) rather than
            // make the queue wait out the deadline.
            let _ = message.ack_with(AckKind::Nak(None)).await;
            say(format!("stopped during item {item}: handed it back"));
            break;
        };
        drop(span);
        let saved = match &result {
            Ok(result) => format!("item {item} saved: Item {item}, result {result}"),
            Err(failure) => format!("item {item} saved: failed: {failure}"),
        };
        let outcome = Outcome {
            task: job.task.clone(),
            item,
            worker: me.clone(),
            delivery,
            result,
            micros: u64::try_from(took.as_micros()).unwrap_or(u64::MAX),
        };
        let payload = serde_json::to_vec(&outcome).expect("an outcome is plain data");
        let kept = match queue.results.create(job.task.key(), payload.into()).await {
            Ok(_) => {
                say(saved);
                true
            }
            Err(error) if error.kind() == CreateErrorKind::AlreadyExists => {
                say(format!(
                    "item {item}: an earlier run already saved its result; this one is dropped (counted once)"
                ));
                tally.duplicates += 1;
                false
            }
            Err(error) => {
                // Not saved, so not acknowledged: the job comes back.
                say(format!(
                    "cannot save item {item}'s result ({error}): the queue will offer it again"
                ));
                continue;
            }
        };
        publish_event(queue, &event(Happened::Finished { kept })).await;
        if faults.exit_before_ack == Some(item) && delivery == 1 {
            say(format!(
                "item {item} saved; exiting before the acknowledgement (--exit-before-ack)"
            ));
            // Published messages wait in the client's buffer: send the
            // event before the process goes.
            let _ = queue.js.client().flush().await;
            std::process::exit(3);
        }
        // `double_ack` waits for the server to confirm: after it, the job
        // is gone from the queue for good.
        if let Err(error) = message.double_ack().await {
            say(format!(
                "item {item}'s acknowledgement was lost ({error}): it will run again, and count once"
            ));
        }
        tally.done += 1;
    }
    Ok(tally)
}

/// Asks the queue for one job, waiting up to [`PULL_WAIT`]; `None` if
/// none came.
async fn take_one(queue: &Queue) -> Result<Option<Message>, PoolError> {
    let mut batch = queue
        .consumer
        .batch()
        .max_messages(1)
        .expires(PULL_WAIT)
        .messages()
        .await
        .map_err(PoolError::nats("asking for a job"))?;
    let taken = batch.next().await.transpose();
    taken.map_err(PoolError::nats("asking for a job"))
}

/// Runs the job's work on a blocking thread, telling the server "still
/// working" (`AckKind::Progress`) every third of `ack_wait`. `None` if
/// `stop` came first (the blocking thread finishes its loop unwatched).
async fn run(
    message: &Message,
    job: &Job,
    faults: Faults,
    ack_wait: Duration,
    stop: &CancellationToken,
) -> Option<(Result<u64, Failure>, Duration)> {
    let (item, iterations) = (job.item, job.iterations);
    let started = Instant::now();
    let mut work = tokio::task::spawn_blocking(move || {
        if faults.panic_on == Some(item) {
            panic!("told to panic on item {item} (--panic-on)");
        }
        common::evaluate_item(item, iterations)
    });
    // The first "still working" a third of the deadline from now. (Not
    // `interval`, whose first tick is "now": a timer that fires on the
    // time driver's next millisecond, which was half of a trivial job's
    // whole cost.)
    let every = (ack_wait / 3).max(Duration::from_millis(10));
    let mut progress = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        tokio::select! {
            joined = &mut work => {
                let result = match joined {
                    Ok(Ok(done)) => Ok(done.result),
                    Ok(Err(error)) => Err(Failure::Failed(error.to_string())),
                    Err(error) if error.is_panic() => {
                        Err(Failure::Panicked(runner::panic_hook::payload_text(&*error.into_panic())))
                    }
                    Err(error) => Err(Failure::Failed(error.to_string())),
                };
                return Some((result, started.elapsed()));
            }
            _ = progress.tick() => {
                let _ = message.ack_with(AckKind::Progress).await;
            }
            () = stop.cancelled() => return None,
        }
    }
}

/// Publishes `event` for its task's submitter; a lost event loses a line,
/// never a result, so errors are ignored.
async fn publish_event(queue: &Queue, event: &Event) {
    let payload = serde_json::to_vec(event).expect("an event is plain data");
    let subject = events_subject(&event.task.batch);
    let _ = queue.js.client().publish(subject, payload.into()).await;
}

/// Puts an unreadable message on the dead-letter stream, with why, and
/// terminates it on the jobs stream.
async fn dead_letter(queue: &Queue, message: &Message, sequence: u64, delivery: u64, why: &str) {
    let mut headers = HeaderMap::new();
    headers.insert("Pool-Error", why);
    headers.insert("Pool-Stream-Sequence", sequence.to_string().as_str());
    headers.insert("Pool-Delivery", delivery.to_string().as_str());
    if let Ok(ack) = queue
        .js
        .publish_with_headers(DEAD_SUBJECT, headers, message.payload.clone())
        .await
    {
        let _ = ack.await;
    }
    let _ = message.ack_with(AckKind::Term).await;
}
