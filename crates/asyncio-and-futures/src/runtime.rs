//! Three async runtimes behind one small trait: tokio, async-std, smol.
//!
//! Python has one event loop per thread and `asyncio` is it. Rust has no
//! built-in runtime: a library chooses one. The experiment in
//! `experiment.rs` is written once, against [`AsyncRuntime`], which asks a
//! runtime for exactly what the chapter needs:
//!
//! | need                      | tokio                         | async-std                        | smol                      |
//! |---------------------------|-------------------------------|----------------------------------|---------------------------|
//! | run a task                | `tokio::spawn`                | `async_std::task::spawn`         | `Executor::spawn`         |
//! | run blocking code         | `tokio::task::spawn_blocking` | `async_std::task::spawn_blocking`| `smol::unblock`           |
//! | open a TCP connection     | `tokio::net::TcpStream`       | `async_std::net::TcpStream`      | `smol::net::TcpStream`    |
//! | sleep                     | `tokio::time::sleep`          | `async_std::task::sleep`         | `smol::Timer::after`      |
//! | how many worker threads   | `worker_threads(n)`           | `ASYNC_STD_THREAD_COUNT` (env)   | you run `n` threads       |
//!
//! **async-std is discontinued** (advisory RUSTSEC-2025-0052): its authors
//! point to smol, which is why smol sits beside it here. It stays because
//! the chapter compares the two `spawn_blocking`s; do not start new code
//! on it.
//!
//! hyper speaks its own I/O traits (`hyper::rt::Read`/`Write`). hyper-util's
//! `TokioIo` adapts tokio's sockets to them; async-std's and smol's sockets
//! implement the `futures` I/O traits instead, so they go through
//! `tokio_util::compat` first (futures-io to tokio-io), then `TokioIo`.
//! Two adapters from well-kept crates, no hand-written glue.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use hyper_util::rt::TokioIo;
use tokio_util::compat::{Compat, FuturesAsyncReadCompatExt};

/// A task died instead of returning (it panicked or was cancelled).
#[derive(Debug, thiserror::Error)]
#[error("a task did not finish: {0}")]
pub struct TaskError(pub String);

/// Which runtime runs the client side (`--runtime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RuntimeKind {
    /// tokio's multi-threaded runtime with `--workers` worker threads.
    Tokio,
    /// async-std's global executor (discontinued upstream: RUSTSEC-2025-0052).
    AsyncStd,
    /// smol: an `Executor` run on `--workers` threads of our own.
    Smol,
}

impl RuntimeKind {
    /// The name used on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            RuntimeKind::Tokio => "tokio",
            RuntimeKind::AsyncStd => "async-std",
            RuntimeKind::Smol => "smol",
        }
    }
}

/// What the experiment needs from a runtime.
///
/// Every spawned task comes back as a future of its result, so the caller
/// can (and always does) join it: nothing is left running.
pub trait AsyncRuntime: Clone + Send + Sync + 'static {
    /// The connection type hyper reads and writes.
    type Io: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static;

    /// Runs `future` as a task of its own on the runtime's workers.
    fn spawn<F>(&self, future: F) -> BoxFuture<'static, Result<F::Output, TaskError>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// Runs a blocking function on the runtime's pool for blocking work.
    fn spawn_blocking<R, F>(&self, function: F) -> BoxFuture<'static, Result<R, TaskError>>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static;

    /// Opens a TCP connection to `addr`.
    fn connect(&self, addr: SocketAddr) -> BoxFuture<'static, std::io::Result<Self::Io>>;

    /// Sleeps for `duration`.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

// ---------------------------------------------------------------- tokio --

/// tokio, through a handle to a runtime built by [`with_tokio`].
#[derive(Debug, Clone)]
pub struct Tokio {
    /// Where tasks are spawned (a handle: the runtime itself is owned by
    /// [`with_tokio`], which shuts it down).
    handle: tokio::runtime::Handle,
}

impl AsyncRuntime for Tokio {
    type Io = TokioIo<tokio::net::TcpStream>;

    fn spawn<F>(&self, future: F) -> BoxFuture<'static, Result<F::Output, TaskError>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let task = self.handle.spawn(future);
        Box::pin(async move { task.await.map_err(|e| TaskError(e.to_string())) })
    }

    fn spawn_blocking<R, F>(&self, function: F) -> BoxFuture<'static, Result<R, TaskError>>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        // Not `spawn`: a blocking function inside a task would hold a
        // worker. The blocking pool is a separate set of threads (up to
        // 512 by default) made for exactly this.
        let task = self.handle.spawn_blocking(function);
        Box::pin(async move { task.await.map_err(|e| TaskError(e.to_string())) })
    }

    fn connect(&self, addr: SocketAddr) -> BoxFuture<'static, std::io::Result<Self::Io>> {
        Box::pin(async move { Ok(TokioIo::new(tokio::net::TcpStream::connect(addr).await?)) })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// What a runtime left behind after the experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leftovers {
    /// Whether every spawned task had finished once the experiment
    /// returned: `Some(true)` is the goal; `None` when the runtime cannot
    /// tell (async-std).
    pub all_tasks_finished: Option<bool>,
}

thread_local! {
    /// This thread's label for the output, when its name does not say
    /// enough (set on tokio's worker threads, see [`tokio_runtime`]).
    static LABEL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Who is running: the label set for this thread, or else its name
/// (`rayon-0`, `smol-1`, `blocking-2`, `tokio-block-3`, ...).
pub fn thread_label() -> String {
    LABEL
        .with(|label| label.borrow().clone())
        .unwrap_or_else(common::clock::thread_label)
}

/// Builds a multi-threaded tokio runtime with `workers` worker threads whose
/// output labels tell workers from blocking threads: `tokio-worker-<k>`
/// versus `tokio-block-<i>`.
///
/// tokio starts both kinds of thread through the same pool and gives them
/// the same name (by default `tokio-runtime-worker`), in no fixed order.
/// What tells them apart: only a *worker* ever parks (waits for tasks)
/// and so only a worker calls the `on_thread_park` hook. So every thread
/// is named `tokio-block-<i>`, and the park hook labels the thread it runs
/// on `tokio-worker-<k>` the first time. Workers park as soon as they find
/// nothing to do, so we wait (at most a second) until all of them have,
/// before handing the runtime out: from then on every label is right.
pub fn tokio_runtime(workers: usize) -> std::io::Result<tokio::runtime::Runtime> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let started = AtomicUsize::new(0);
    let parked = Arc::new(AtomicUsize::new(0));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name_fn(move || format!("tokio-block-{}", started.fetch_add(1, Ordering::SeqCst)))
        .on_thread_park({
            let parked = Arc::clone(&parked);
            move || {
                LABEL.with(|label| {
                    let mut label = label.borrow_mut();
                    if label.is_none() {
                        let k = parked.fetch_add(1, Ordering::SeqCst);
                        *label = Some(format!("tokio-worker-{k}"));
                    }
                });
            }
        })
        .enable_all()
        .build()?;
    for _ in 0..1000 {
        if parked.load(Ordering::SeqCst) >= workers {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(runtime)
}

/// Builds a multi-threaded tokio runtime with `workers` worker threads,
/// runs `body` on it, counts the tasks left alive, and shuts it down.
///
/// `body` runs inside `block_on`, on the calling thread; only the tasks it
/// spawns run on the workers. That matters for the experiment: everything
/// that should compete for the workers (jobs, client lanes, ticker) is
/// spawned.
pub fn with_tokio<T, Fut>(
    workers: usize,
    body: impl FnOnce(Tokio) -> Fut,
) -> std::io::Result<(T, Leftovers)>
where
    Fut: Future<Output = T>,
{
    let runtime = tokio_runtime(workers)?;
    let output = runtime.block_on(body(Tokio {
        handle: runtime.handle().clone(),
    }));
    // A task whose JoinHandle has resolved may need a moment to be
    // released by its worker; give it up to 100 ms, then count.
    let metrics = runtime.metrics();
    for _ in 0..100 {
        if metrics.num_alive_tasks() == 0 {
            break;
        }
        // (inside `block_on`: the timer needs the runtime's context)
        runtime.block_on(async { tokio::time::sleep(Duration::from_millis(1)).await });
    }
    let leftovers = Leftovers {
        all_tasks_finished: Some(metrics.num_alive_tasks() == 0),
    };
    // Dropping the runtime stops its workers and waits for every blocking
    // thread to finish.
    drop(runtime);
    Ok((output, leftovers))
}

// ------------------------------------------------------------ async-std --

/// async-std's global runtime (discontinued upstream: RUSTSEC-2025-0052).
#[derive(Debug, Clone, Copy)]
pub struct AsyncStd;

impl AsyncRuntime for AsyncStd {
    type Io = TokioIo<Compat<async_std::net::TcpStream>>;

    fn spawn<F>(&self, future: F) -> BoxFuture<'static, Result<F::Output, TaskError>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // async-std's JoinHandle yields the output itself (a panic in the
        // task is resumed in whoever awaits it).
        let task = async_std::task::spawn(future);
        Box::pin(async move { Ok(task.await) })
    }

    fn spawn_blocking<R, F>(&self, function: F) -> BoxFuture<'static, Result<R, TaskError>>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let task = async_std::task::spawn_blocking(function);
        Box::pin(async move { Ok(task.await) })
    }

    fn connect(&self, addr: SocketAddr) -> BoxFuture<'static, std::io::Result<Self::Io>> {
        Box::pin(async move {
            let stream = async_std::net::TcpStream::connect(addr).await?;
            Ok(TokioIo::new(stream.compat()))
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(async_std::task::sleep(duration))
    }
}

/// Runs `body` on async-std: `block_on` on the calling thread, spawned
/// tasks on the global executor.
///
/// async-std's executor is global and lives as long as the program; its
/// size comes from the environment variable `ASYNC_STD_THREAD_COUNT`
/// (default: one thread per CPU), read once, so `--workers` cannot change
/// it. Nothing here can count its tasks either: `all_tasks_finished` is
/// `None`.
pub fn with_async_std<T, Fut>(body: impl FnOnce(AsyncStd) -> Fut) -> (T, Leftovers)
where
    Fut: Future<Output = T>,
{
    let output = async_std::task::block_on(body(AsyncStd));
    (
        output,
        Leftovers {
            all_tasks_finished: None,
        },
    )
}

// ----------------------------------------------------------------- smol --

/// smol: an executor we own, run on threads we start and join.
#[derive(Debug, Clone)]
pub struct Smol {
    /// The executor every task is spawned on; `workers` threads run it
    /// (see [`with_smol`]).
    executor: Arc<smol::Executor<'static>>,
}

impl AsyncRuntime for Smol {
    type Io = TokioIo<Compat<smol::net::TcpStream>>;

    fn spawn<F>(&self, future: F) -> BoxFuture<'static, Result<F::Output, TaskError>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // Careful with smol: dropping a `Task` *cancels* it (tokio and
        // async-std detach instead). We always await, so it never happens.
        let task = self.executor.spawn(future);
        Box::pin(async move { Ok(task.await) })
    }

    fn spawn_blocking<R, F>(&self, function: F) -> BoxFuture<'static, Result<R, TaskError>>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        // `unblock` runs the function on the `blocking` crate's thread pool.
        let task = smol::unblock(function);
        Box::pin(async move { Ok(task.await) })
    }

    fn connect(&self, addr: SocketAddr) -> BoxFuture<'static, std::io::Result<Self::Io>> {
        Box::pin(async move {
            let stream = smol::net::TcpStream::connect(addr).await?;
            Ok(TokioIo::new(stream.compat()))
        })
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            smol::Timer::after(duration).await;
        })
    }
}

/// Runs `body` with a smol executor served by `workers` threads of our
/// own (`smol-0`, `smol-1`, ...), then stops and joins those threads.
///
/// smol gives you the parts (an `Executor`, `block_on`) and lets you
/// decide how many threads run it: here, a scoped thread per worker, each
/// running the executor until a shutdown channel closes.
pub fn with_smol<T, Fut>(
    workers: usize,
    body: impl FnOnce(Smol) -> Fut,
) -> std::io::Result<(T, Leftovers)>
where
    Fut: Future<Output = T>,
{
    let executor = Arc::new(smol::Executor::new());
    // Nobody ever sends on this channel: dropping the sender closes it,
    // which ends every `recv()` and so every `executor.run(...)`.
    let (stop, stopped) = smol::channel::bounded::<()>(1);
    std::thread::scope(|scope| {
        let started = (0..workers).try_for_each(|i| {
            let executor = Arc::clone(&executor);
            let stopped = stopped.clone();
            std::thread::Builder::new()
                .name(format!("smol-{i}"))
                .spawn_scoped(scope, move || {
                    smol::block_on(executor.run(async move {
                        let _ = stopped.recv().await;
                    }))
                })
                .map(drop)
        });
        let result = started.map(|()| {
            let output = smol::block_on(body(Smol {
                executor: Arc::clone(&executor),
            }));
            let leftovers = Leftovers {
                all_tasks_finished: Some(executor.is_empty()),
            };
            (output, leftovers)
        });
        // Also on error: the threads already started must be told to stop,
        // or leaving the scope (which joins them) would wait forever.
        drop(stop);
        result
    })
}
