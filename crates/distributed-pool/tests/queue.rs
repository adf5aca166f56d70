//! The library against a real server (started here on a free loopback
//! port, stopped at the end of each test): `submit`/`map`/`gather` in
//! input order, a timeout that leaves the handle usable, back-pressure
//! from a full queue, and a job no worker ever acknowledges given up
//! after `max_deliver` deliveries. The worker here is `worker::serve` on
//! a task of the test's own runtime.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::{Duration, Instant};

use distributed_pool::worker::{self, Faults};
use distributed_pool::{Client, LocalServer, Queue, Settings, TaskError, queue};
use futures::StreamExt as _;
use runner::Recorder;
use support::have_nats;
use tokio_util::sync::CancellationToken;

/// A current-thread runtime, as the binary uses.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Starts `worker::serve` on the queue at `address`; cancel the token to stop it.
async fn start_worker(
    address: &str,
    settings: &Settings,
) -> (CancellationToken, tokio::task::JoinHandle<worker::Tally>) {
    let nats = queue::connect(address, "test worker").await.unwrap();
    let queue = Queue::open(nats, settings).await.unwrap();
    let stop = CancellationToken::new();
    let token = stop.clone();
    let served = tokio::spawn(async move {
        worker::serve(&queue, Faults::default(), &Recorder::quiet(), &token)
            .await
            .unwrap()
    });
    (stop, served)
}

/// `map` then `gather`: results in input order, whatever order they were
/// done in; `result_timeout` before any worker exists gives `Timeout` and
/// the handle still gives the result once a worker comes.
#[test]
fn gather_is_in_input_order_and_a_timeout_keeps_the_handle() {
    if !have_nats() {
        return;
    }
    let server = LocalServer::start().unwrap();
    let settings = Settings::default();
    runtime().block_on(async {
        let client = Client::connect(&server.address(), &settings, Recorder::quiet())
            .await
            .unwrap();
        let mut early = client.submit(7, 1000).await.unwrap();
        let waited = early.result_timeout(Duration::from_millis(100)).await;
        assert_eq!(waited, Err(TaskError::Timeout(Duration::from_millis(100))));
        let (stop, served) = start_worker(&server.address(), &settings).await;
        assert_eq!(early.result().await.unwrap().result.result, 7000);
        let items = [5, 3, 9, 1, 4];
        let handles = client.map(items, 1000).await.unwrap();
        let results: Vec<u64> = Client::gather(handles)
            .await
            .into_iter()
            .map(|reply| reply.unwrap().result.item)
            .collect();
        assert_eq!(results, items);
        stop.cancel();
        assert_eq!(served.await.unwrap().done, 6);
        client.close().await;
    });
}

/// Back-pressure: a queue that holds two jobs refuses the third until a
/// worker has taken one off. With one worker doing them in turn, job k
/// can only be queued once k - 2 are acknowledged, and a job is
/// acknowledged after its result is saved: so when `map` of six returns,
/// at least four results are saved. All six arrive, in order.
#[test]
fn a_full_queue_makes_submit_wait() {
    if !have_nats() {
        return;
    }
    let server = LocalServer::start().unwrap();
    let settings = Settings {
        max_queued: 2,
        ..Settings::default()
    };
    runtime().block_on(async {
        let client = Client::connect(&server.address(), &settings, Recorder::quiet())
            .await
            .unwrap();
        let (stop, served) = start_worker(&server.address(), &settings).await;
        let handles = client.map(1..=6, 2_000_000).await.unwrap();
        let saved = client.queue().results.keys().await.unwrap().count().await;
        assert!(
            saved >= 4,
            "only {saved} results saved when the sixth job was queued"
        );
        let items: Vec<u64> = Client::gather(handles)
            .await
            .into_iter()
            .map(|r| r.unwrap().result.item)
            .collect();
        assert_eq!(items, [1, 2, 3, 4, 5, 6]);
        stop.cancel();
        served.await.unwrap();
        client.close().await;
    });
}

/// A job that no worker acknowledges (each one that takes it dies, here a
/// consumer that takes it and says nothing) is delivered `max_deliver`
/// times, then the server gives it up: the handle says so, and the client
/// takes the job off the queue.
#[test]
fn a_job_nobody_acknowledges_is_given_up_after_max_deliver() {
    if !have_nats() {
        return;
    }
    let server = LocalServer::start().unwrap();
    let settings = Settings {
        ack_wait: Duration::from_millis(200),
        max_deliver: 2,
        ..Settings::default()
    };
    runtime().block_on(async {
        let client = Client::connect(&server.address(), &settings, Recorder::quiet())
            .await
            .unwrap();
        let handle = client.submit(1, 1000).await.unwrap();
        let nats = queue::connect(&server.address(), "a worker that dies")
            .await
            .unwrap();
        let queue = Queue::open(nats, &settings).await.unwrap();
        let taker = tokio::spawn(async move {
            let mut deliveries = 0;
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                let mut batch = queue
                    .consumer
                    .batch()
                    .max_messages(1)
                    .expires(Duration::from_millis(300))
                    .messages()
                    .await
                    .unwrap();
                if let Some(Ok(_message)) = batch.next().await {
                    deliveries += 1; // taken, never acknowledged
                }
            }
            deliveries
        });
        let reply = tokio::time::timeout(Duration::from_secs(5), handle.result())
            .await
            .unwrap();
        assert_eq!(reply, Err(TaskError::GaveUp { deliveries: 2 }));
        assert_eq!(
            client.queue().drained(Duration::from_secs(1)).await,
            0,
            "the job is off the queue"
        );
        taker.abort();
        client.close().await;
    });
}

/// Connecting to an address where nothing listens fails at once, naming it.
#[test]
fn an_unreachable_server_fails_within_seconds() {
    runtime().block_on(async {
        let started = Instant::now();
        let error = queue::connect("nats://127.0.0.1:1", "test")
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(4));
        assert!(
            error
                .to_string()
                .starts_with("cannot reach the NATS server at nats://127.0.0.1:1: "),
            "{error}"
        );
    });
}

/// Which servers the client accepts.
#[test]
fn servers_from_2_10_on_are_recent_enough() {
    use distributed_pool::server::recent_enough;
    assert!(recent_enough("2.10.26") && recent_enough("v2.15.1") && recent_enough("3.0.0"));
    assert!(!recent_enough("2.9.10") && !recent_enough("v2.2.0") && !recent_enough("junk"));
}
