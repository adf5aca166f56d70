//! The HTTP client: one keep-alive connection per "lane", requests sent
//! one after another on it, each request's latency measured.
//!
//! Python's example uses aiohttp (`await session.get(url)`, `await
//! response.text()`). Here each lane is hyper's low-level client
//! connection (`hyper::client::conn::http1`): a handshake gives a
//! `SendRequest` (what we send with) and a `Connection` (the future that
//! reads and writes the socket), which the lane drives itself instead of
//! spawning it: one task per lane, nothing detached. It takes any socket
//! that speaks hyper's I/O traits, so it does not know the runtime.
//!
//! ## How latency is measured
//! From the moment a request was *due* to the moment its response was
//! read: a lane's first request is due when the load started, each later
//! one when the previous response was read. So if the lane's task is not
//! polled for 200 ms because a runtime worker is stuck in CPU work, the
//! request waiting then shows 200 ms: the stall is measured, not hidden
//! (a clock started only when the task finally runs would hide it).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::client::conn::http1;
use hyper::rt::{Read, Write};
use runner::{Recorder, SpanKind};

/// What can go wrong for a lane.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Connecting to the server failed.
    #[error("{lane}: could not connect: {source}")]
    Connect {
        /// Which lane (`lane 3`).
        lane: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// hyper reported an error (handshake, request, body).
    #[error("{lane}: HTTP error: {source}")]
    Http {
        /// Which lane.
        lane: String,
        /// hyper's error.
        source: hyper::Error,
    },
    /// The server answered something other than what was asked.
    #[error("{lane}: request {request}: expected `echo {request}`, got {status} `{body}`")]
    WrongAnswer {
        /// Which lane.
        lane: String,
        /// Which request.
        request: u64,
        /// The status received.
        status: u16,
        /// The body received (lossy UTF-8).
        body: String,
    },
}

impl ClientError {
    /// What `map_err` makes of lane `lane`'s failed connect.
    pub fn connect(lane: &str) -> impl FnOnce(std::io::Error) -> Self + use<> {
        let lane = lane.to_owned();
        move |source| ClientError::Connect { lane, source }
    }
}

/// What one lane did.
#[derive(Debug, Clone, Default)]
pub struct LaneReport {
    /// The latency of each request, in the order sent.
    pub latencies: Vec<Duration>,
    /// How many responses matched their request (all of them, or the lane
    /// returns an error instead).
    pub answered: u64,
    /// The body of the last response (empty if no request was sent).
    pub last_body: Bytes,
}

/// Sends the requests numbered `requests` over one connection on `io`,
/// measuring each one's latency from `due` (see the module doc).
///
/// `lane` names the lane in errors and on the timeline, where each request
/// is a bar (a wait: the task awaits the answer, its thread is free) from
/// its sending to the end of its answer. Each response is checked: status
/// 200 and body `echo <n>`.
pub async fn run_lane<IO>(
    lane: &str,
    io: IO,
    requests: std::ops::Range<u64>,
    load_started: Instant,
    out: &Recorder,
) -> Result<LaneReport, ClientError>
where
    IO: Read + Write + Unpin + Send + 'static,
{
    let http = |source| ClientError::Http {
        lane: lane.to_owned(),
        source,
    };
    // The handshake returns the sending half and the connection future.
    let (mut sender, connection) = http1::handshake::<_, Empty<Bytes>>(io)
        .await
        .map_err(http)?;

    let requests_done = async move {
        let mut report = LaneReport::default();
        let mut due = load_started;
        for n in requests {
            let bar = out.span(lane, format!("request {n}"), SpanKind::Wait);
            let request = Request::get(format!("/echo/{n}"))
                .header(hyper::header::HOST, "127.0.0.1")
                .body(Empty::new())
                .expect("a path of digits and a fixed header make a valid request");
            let response = sender.send_request(request).await.map_err(http)?;
            let status = response.status();
            // Read the whole body, as aiohttp's `await response.text()`.
            let body = response
                .into_body()
                .collect()
                .await
                .map_err(http)?
                .to_bytes();
            drop(bar);
            let now = Instant::now();
            report.latencies.push(now - due);
            due = now;
            if status != hyper::StatusCode::OK || body != format!("echo {n}").as_bytes() {
                return Err(ClientError::WrongAnswer {
                    lane: lane.to_owned(),
                    request: n,
                    status: status.as_u16(),
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
            }
            report.answered += 1;
            report.last_body = body;
        }
        // Dropping the sender tells the connection we are done: it closes
        // the socket and the connection future below completes.
        drop(sender);
        Ok(report)
    };

    // Drive the connection and our requests together, in this one task.
    // If the requests fail, the connection is dropped (socket closed) when
    // this function returns.
    let (report, connection_result) = futures::join!(requests_done, connection);
    let report = report?;
    connection_result.map_err(http)?;
    Ok(report)
}

/// Splits `total` requests over `lanes` lanes as evenly as possible:
/// lane `i` gets a contiguous range of request numbers.
pub fn split_requests(total: u64, lanes: usize) -> Vec<std::ops::Range<u64>> {
    let lanes = lanes.max(1) as u64;
    let (base, extra) = (total / lanes, total % lanes);
    // The first `extra` lanes take one request more than the others.
    let start = |i: u64| i * base + i.min(extra);
    (0..lanes).map(|i| start(i)..start(i + 1)).collect()
}
