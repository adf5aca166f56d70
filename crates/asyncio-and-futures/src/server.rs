//! The HTTP server the client talks to: hyper 1 on `127.0.0.1:0`, in its
//! own thread with its own tokio runtime, standing for the remote site of
//! the Python example. Being on a runtime of its own, it is not blocked
//! when the *client's* loop is (mode `direct`): the latency the client
//! measures is then the client's own fault, which is the point.
//!
//! `GET /echo/<n>` is answered `200 OK`, `echo <n>`, so the client can
//! check each response. [`Server::stop`] cancels the accept loop, closes
//! every connection after its current request (hyper's
//! `graceful_shutdown`), joins every connection task, drops the listener
//! (the port is closed) and joins the thread.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use runtimes::{TokioFlavor, build_tokio};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// What went wrong starting or stopping the server.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The runtime, the listener or the thread could not be created.
    #[error("could not start the HTTP server: {0}")]
    Start(#[source] std::io::Error),
    /// The server thread panicked.
    #[error("the HTTP server thread panicked")]
    Panicked,
}

/// What the server did, reported once it has stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerStats {
    /// Connections accepted over the server's life.
    pub connections: u64,
    /// Requests answered.
    pub requests: u64,
    /// Connection tasks joined, while serving or at shutdown (equals
    /// `connections` when none is left running).
    pub connections_joined: u64,
}

/// A running server: its address and the means to stop it.
#[derive(Debug)]
pub struct Server {
    /// Where it listens (`127.0.0.1:<port the OS chose>`).
    addr: SocketAddr,
    /// Cancelled by [`Server::stop`]; watched by the accept loop and by
    /// every connection task.
    shutdown: CancellationToken,
    /// The server's thread, which returns how many connections it accepted
    /// and how many connection tasks it joined.
    thread: JoinHandle<(u64, u64)>,
    /// Requests answered (any path): counted by the connection tasks (on
    /// whichever thread), read by [`Server::stop`] once they are joined.
    requests: Arc<AtomicU64>,
}

impl Server {
    /// Binds `127.0.0.1:0` and starts serving in a new thread.
    pub fn start() -> Result<Self, ServerError> {
        // Build the runtime and bind here, in the caller's thread, so that
        // errors come back as values and `addr` is known before we return.
        let runtime = build_tokio(TokioFlavor::CurrentThread).map_err(ServerError::Start)?;
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .map_err(ServerError::Start)?;
        let addr = listener.local_addr().map_err(ServerError::Start)?;
        let shutdown = CancellationToken::new();
        let requests = Arc::new(AtomicU64::new(0));
        let serve = accept_loop(listener, shutdown.clone(), Arc::clone(&requests));
        let thread = std::thread::Builder::new()
            .name("http-server".into())
            .spawn(move || runtime.block_on(serve))
            .map_err(ServerError::Start)?;
        Ok(Self {
            addr,
            shutdown,
            thread,
            requests,
        })
    }

    /// The address to connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, closes every connection after its current request,
    /// joins every task and the thread. When this returns the port is
    /// closed.
    pub fn stop(self) -> Result<ServerStats, ServerError> {
        self.shutdown.cancel();
        let (connections, connections_joined) =
            self.thread.join().map_err(|_| ServerError::Panicked)?;
        Ok(ServerStats {
            connections,
            requests: self.requests.load(Ordering::SeqCst),
            connections_joined,
        })
    }
}

/// Accepts connections until `shutdown` is cancelled, then joins every
/// connection task. Returns how many it accepted and how many it joined.
async fn accept_loop(
    listener: TcpListener,
    shutdown: CancellationToken,
    requests: Arc<AtomicU64>,
) -> (u64, u64) {
    // A JoinSet owns every connection task: nothing is detached, so at
    // shutdown we can wait for each one (and count them).
    let mut connections = JoinSet::new();
    // Connections accepted; connection tasks joined (while serving and at
    // shutdown).
    let (mut accepted, mut joined) = (0, 0);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            connection = listener.accept() => {
                // An accept error (e.g. too many open files) concerns one
                // connection, not the server: skip it and go on.
                let Ok((stream, _peer)) = connection else { continue };
                accepted += 1;
                connections.spawn(serve_connection(stream, shutdown.clone(), Arc::clone(&requests)));
            }
            // Reap finished connection tasks as we go, so the set does not
            // grow with every connection ever made.
            Some(_) = connections.join_next(), if !connections.is_empty() => joined += 1,
        }
    }
    // Dropping the listener closes the port: from here on a connect fails.
    drop(listener);
    // Each task sees the cancelled token and closes its connection.
    while connections.join_next().await.is_some() {
        joined += 1;
    }
    (accepted, joined)
}

/// Serves one keep-alive connection until the client closes it or the
/// server shuts down.
async fn serve_connection(
    stream: tokio::net::TcpStream,
    shutdown: CancellationToken,
    requests: Arc<AtomicU64>,
) {
    let service = service_fn(move |request: Request<Incoming>| {
        requests.fetch_add(1, Ordering::SeqCst);
        async move { Ok::<_, Infallible>(answer(&request)) }
    });
    let connection = http1::Builder::new()
        // hyper's 30 s header-read timeout needs a timer to work.
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        // The client closed the connection (or it failed: nothing to do
        // about a broken loopback connection but stop serving it).
        _ = connection.as_mut() => {}
        _ = shutdown.cancelled() => {
            // Finish the request in flight, then close.
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}

/// The handler: `GET /echo/<n>` -> `echo <n>`; anything else -> 404.
fn answer(request: &Request<Incoming>) -> Response<Full<Bytes>> {
    let reply = |status: StatusCode, body: String| {
        let mut response = Response::new(Full::new(Bytes::from(body)));
        *response.status_mut() = status;
        response
    };
    match request.uri().path().strip_prefix("/echo/") {
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            reply(StatusCode::OK, format!("echo {n}"))
        }
        _ => reply(StatusCode::NOT_FOUND, "not found".into()),
    }
}
