//! The client's runtime, as this chapter builds it on the shared layer.
//!
//! `runtimes::Runtime` is the one `--runtime` type of the workspace; its
//! spawn and `spawn_blocking` give a `runtimes::JoinHandle` whose `.await`
//! is the task's value or a `runtimes::TaskError` (see the runtime table in
//! `crates/runtimes/src/lib.rs`). What this chapter needs beyond that lives
//! here, because the lesson is what a CPU loop does to the threads that
//! poll tasks:
//!
//! | need here                 | tokio                                          | async-std                          | smol                            |
//! |---------------------------|------------------------------------------------|------------------------------------|---------------------------------|
//! | how many threads poll     | `--flavor multi-thread`: `worker_threads(n)`; `current-thread`: one | `ASYNC_STD_THREAD_COUNT` (env, global) | an `Executor` on `n` threads of ours |
//! | a TCP stream for hyper    | `TokioIo<TcpStream>`                           | `TokioIo<Compat<TcpStream>>`       | `TokioIo<Compat<TcpStream>>`    |
//! | tasks left afterwards     | `metrics().num_alive_tasks()`                  | cannot tell (global executor)      | `Executor::is_empty()`          |
//!
//! `--runtime tokio` is tokio's current-thread runtime in the other
//! chapters. Here the flavour is part of the lesson, so `--flavor` says it,
//! and its default is `multi-thread`: `--workers` worker threads, so that a
//! worker stuck in a CPU loop leaves the others serving (the `direct` row).
//! The mini executor is refused: it has no sockets.
//!
//! hyper speaks its own I/O traits (`hyper::rt::Read`/`Write`). hyper-util's
//! `TokioIo` adapts tokio's sockets to them; async-std's and smol's sockets
//! implement the `futures` I/O traits instead, so they go through
//! `tokio_util::compat` first (futures-io to tokio-io), then `TokioIo`.
//!
//! Ctrl-C: [`ClientRuntime::run`] races the experiment against the first
//! Ctrl-C. A CPU loop cannot be stopped mid-way, so when Ctrl-C wins, the
//! threads that may be inside one are *not* waited for: they are left to
//! end with the process.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hyper_util::rt::TokioIo;
use runner::Interrupt;
use runtimes::{JoinHandle, Runtime, TokioFlavor};
use tokio_util::compat::FuturesAsyncReadCompatExt;

/// Why `--runtime mini` is refused.
pub const NO_TCP: &str = "--runtime mini: the std-only teaching executor has no sockets, \
     and this chapter's client speaks HTTP; choose tokio, async-std or smol";

/// A connection hyper can read and write, from any runtime's TCP stream.
pub trait HyperIo: hyper::rt::Read + hyper::rt::Write + Unpin + Send {}
impl<T: hyper::rt::Read + hyper::rt::Write + Unpin + Send> HyperIo for T {}

/// One client connection, whichever runtime opened it: boxed, because
/// each runtime's stream is a type of its own and the lanes are written
/// once (a virtual call per read or write costs nothing next to a syscall).
pub type Connection = Box<dyn HyperIo>;

/// The client runtime as `--runtime`, `--flavor` and `--workers` chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientRuntime {
    /// Which library (never `Mini`: refused, it has no sockets).
    pub runtime: Runtime,
    /// tokio only: which tokio runtime.
    pub flavor: TokioFlavor,
    /// Threads that poll tasks: tokio's multi-thread workers, smol's
    /// executor threads. (tokio's current-thread runtime has one;
    /// async-std's size comes from its environment.)
    pub workers: usize,
}

/// What the experiment spawns on, inside [`ClientRuntime::run`]. Cheap to
/// clone into tasks.
#[derive(Debug, Clone)]
pub struct Client {
    /// Which runtime. tokio's spawn goes to the runtime `run` built (it is
    /// the current one inside its `block_on`), async-std's to its global
    /// executor.
    runtime: Runtime,
    /// smol only: the executor our threads run (`smol::spawn` would use
    /// smol's global executor, on threads we did not choose).
    smol: Option<Arc<smol::Executor<'static>>>,
}

impl Client {
    /// Starts `future` as a task: `asyncio.create_task(coro)`.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        match &self.smol {
            Some(executor) => JoinHandle::spawn_on_smol(executor, future),
            None => self.runtime.spawn(future),
        }
    }

    /// Runs blocking `work` on the runtime's pool for blocking work:
    /// `await loop.run_in_executor(None, work)`.
    pub fn spawn_blocking<R, F>(&self, work: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        match self.runtime {
            // Not `spawn`: a blocking function inside a task would hold a
            // worker. The blocking pool is a separate set of threads (up to
            // 512 by default) made for exactly this.
            Runtime::Tokio => JoinHandle::from(tokio::task::spawn_blocking(work)),
            // async-std's `task::spawn_blocking`, smol's `unblock`.
            other => other.spawn_blocking(work),
        }
    }

    /// Waits without holding the thread: `await asyncio.sleep(s)`.
    pub async fn sleep(&self, duration: Duration) {
        self.runtime.sleep(duration).await;
    }

    /// Opens a TCP connection to `addr` with this runtime's own socket type.
    pub async fn connect(&self, addr: SocketAddr) -> std::io::Result<Connection> {
        Ok(match self.runtime {
            Runtime::Tokio => Box::new(TokioIo::new(tokio::net::TcpStream::connect(addr).await?)),
            Runtime::AsyncStd => {
                let stream = async_std::net::TcpStream::connect(addr).await?;
                Box::new(TokioIo::new(stream.compat()))
            }
            Runtime::Smol => {
                let stream = smol::net::TcpStream::connect(addr).await?;
                Box::new(TokioIo::new(stream.compat()))
            }
            Runtime::Mini => return Err(no_tcp()),
        })
    }
}

/// The error of `--runtime mini`.
fn no_tcp() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Unsupported, NO_TCP)
}

/// What a runtime left behind after the experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leftovers {
    /// Whether every spawned task had finished once the experiment
    /// returned: `Some(true)` is the goal; `None` when the runtime cannot
    /// tell (async-std).
    pub all_tasks_finished: Option<bool>,
}

impl ClientRuntime {
    /// Builds the runtime, runs `body` on it (in `block_on`, on the calling
    /// thread: only what `body` spawns runs on the workers), counts the
    /// tasks left, and shuts the runtime down, joining its threads.
    ///
    /// If Ctrl-C comes first, `body` is dropped, the runtime is shut down
    /// *without* waiting for threads that may be in a CPU loop, and the
    /// result is `Ok(None)`. An error: the runtime (or a thread of it)
    /// could not start, or `--runtime mini`, which has no sockets.
    pub fn run<T, Fut>(
        self,
        interrupt: &Interrupt,
        body: impl FnOnce(Client) -> Fut,
    ) -> std::io::Result<Option<(T, Leftovers)>>
    where
        Fut: Future<Output = T>,
    {
        let client = |smol| Client {
            runtime: self.runtime,
            smol,
        };
        let raced = |smol| or_interrupt(interrupt, body(client(smol)));
        match self.runtime {
            Runtime::Tokio => with_tokio(self.flavor, self.workers, interrupt, raced(None)),
            Runtime::AsyncStd => {
                // async-std's own `block_on`; its executor is global and
                // lives as long as the program, so there is nothing to shut.
                let output = async_std::task::block_on(raced(None));
                Ok(finished(output, interrupt, None))
            }
            Runtime::Smol => with_smol(self.workers, interrupt, |executor| raced(Some(executor))),
            Runtime::Mini => Err(no_tcp()),
        }
    }
}

/// `future`'s output, or `None` if Ctrl-C comes first (checked first, so
/// a run that ends *because* Ctrl-C killed its workers counts as stopped).
async fn or_interrupt<T>(interrupt: &Interrupt, future: impl Future<Output = T>) -> Option<T> {
    tokio::select! {
        biased;
        () = interrupt.cancelled() => None,
        output = future => Some(output),
    }
}

/// The body's output with its leftovers, or `None` if Ctrl-C came.
fn finished<T>(
    output: Option<T>,
    interrupt: &Interrupt,
    all_tasks_finished: Option<bool>,
) -> Option<(T, Leftovers)> {
    let output = output.filter(|_| !interrupt.raised())?;
    Some((output, Leftovers { all_tasks_finished }))
}

thread_local! {
    /// This thread's label for the output, when its name does not say
    /// enough (set on tokio's worker threads, see [`tokio_runtime`]).
    static LABEL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Who is running: the label set for this thread, or else its name
/// (`main`, `rayon-0`, `smol-1`, `tokio-block-3`, ...).
pub fn thread_label() -> String {
    LABEL
        .with(|label| label.borrow().clone())
        .unwrap_or_else(common::clock::thread_label)
}

/// Builds a tokio runtime of `flavor` whose output labels tell workers from
/// blocking threads: `tokio-worker-<k>` versus `tokio-block-<i>`.
///
/// `multi-thread` has `workers` worker threads. tokio starts both kinds of
/// thread through the same pool and gives them the same name, in no fixed
/// order. What tells them apart: only a *worker* ever parks (waits for
/// tasks) and so only a worker calls the `on_thread_park` hook. So every
/// thread is named `tokio-block-<i>`, and the park hook labels the thread
/// it runs on `tokio-worker-<k>` the first time. Workers park as soon as
/// they find nothing to do, so we wait (at most a second) until all of them
/// have, before handing the runtime out: from then on every label is right.
///
/// `current-thread` has no worker thread: the thread that calls `block_on`
/// (here `main`) polls every task, like asyncio's one loop.
pub fn tokio_runtime(
    flavor: TokioFlavor,
    workers: usize,
) -> std::io::Result<tokio::runtime::Runtime> {
    let started = AtomicUsize::new(0);
    let parked = Arc::new(AtomicUsize::new(0));
    let mut builder = match flavor {
        TokioFlavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        TokioFlavor::MultiThread => {
            let mut builder = tokio::runtime::Builder::new_multi_thread();
            let parked = Arc::clone(&parked);
            builder.worker_threads(workers).on_thread_park(move || {
                LABEL.with(|label| {
                    let mut label = label.borrow_mut();
                    if label.is_none() {
                        let k = parked.fetch_add(1, Ordering::SeqCst);
                        *label = Some(format!("tokio-worker-{k}"));
                    }
                });
            });
            builder
        }
    };
    let runtime = builder
        .thread_name_fn(move || format!("tokio-block-{}", started.fetch_add(1, Ordering::SeqCst)))
        .enable_all()
        .build()?;
    if flavor == TokioFlavor::MultiThread {
        for _ in 0..1000 {
            if parked.load(Ordering::SeqCst) >= workers {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    Ok(runtime)
}

/// `--runtime tokio`: the runtime of [`tokio_runtime`], `body` in its
/// `block_on`.
fn with_tokio<T>(
    flavor: TokioFlavor,
    workers: usize,
    interrupt: &Interrupt,
    body: impl Future<Output = Option<T>>,
) -> std::io::Result<Option<(T, Leftovers)>> {
    let runtime = tokio_runtime(flavor, workers)?;
    let output = runtime.block_on(body);
    if output.is_none() || interrupt.raised() {
        // Dropping the runtime would wait for every thread, and one may be
        // inside a job's loop: leave those to end with the process.
        runtime.shutdown_background();
        return Ok(None);
    }
    // A task whose JoinHandle has resolved may need a moment to be
    // released by its worker; give it up to 100 ms, then count.
    let metrics = runtime.metrics();
    for _ in 0..100 {
        if metrics.num_alive_tasks() == 0 {
            break;
        }
        // Created inside `block_on`: a tokio timer needs the runtime's
        // context when it is made, not only when it is polled.
        runtime.block_on(async { tokio::time::sleep(Duration::from_millis(1)).await });
    }
    let all_tasks_finished = Some(metrics.num_alive_tasks() == 0);
    // Dropping the runtime stops its workers and waits for every blocking
    // thread to finish.
    drop(runtime);
    Ok(finished(output, interrupt, all_tasks_finished))
}

/// `--runtime smol`: an `Executor` served by `workers` threads of our own
/// (`smol-0`, `smol-1`, ...), `body` in smol's `block_on`, then those
/// threads stopped and joined.
///
/// smol gives you the parts (an `Executor`, `block_on`) and lets you decide
/// how many threads run it: here, a thread per worker, each running the
/// executor until a shutdown channel closes.
fn with_smol<T, Fut>(
    workers: usize,
    interrupt: &Interrupt,
    body: impl FnOnce(Arc<smol::Executor<'static>>) -> Fut,
) -> std::io::Result<Option<(T, Leftovers)>>
where
    Fut: Future<Output = Option<T>>,
{
    let executor = Arc::new(smol::Executor::new());
    // Nobody ever sends on this channel: dropping the sender closes it,
    // which ends every `recv()` and so every `executor.run(...)`.
    let (stop, stopped) = smol::channel::bounded::<()>(1);
    let mut threads = Vec::with_capacity(workers);
    for i in 0..workers {
        let (executor, stopped) = (Arc::clone(&executor), stopped.clone());
        let thread = std::thread::Builder::new()
            .name(format!("smol-{i}"))
            .spawn(move || {
                smol::block_on(executor.run(async move {
                    let _ = stopped.recv().await;
                }));
            });
        match thread {
            Ok(thread) => threads.push(thread),
            Err(error) => {
                // The threads already started must be told to stop too.
                drop(stop);
                threads.into_iter().for_each(join);
                return Err(error);
            }
        }
    }
    let output = smol::block_on(body(Arc::clone(&executor)));
    let all_tasks_finished = Some(executor.is_empty());
    drop(stop);
    if output.is_some() && !interrupt.raised() {
        threads.into_iter().for_each(join);
    }
    // Else a thread may be inside a job's loop, and cannot be joined before
    // it ends: the threads are left to end with the process.
    Ok(finished(output, interrupt, all_tasks_finished))
}

/// Joins a smol thread. Tasks run inside `catch_unwind` (the shared
/// layer's `spawn_on_smol`), so the thread itself does not panic.
fn join(thread: std::thread::JoinHandle<()>) {
    let _ = thread.join();
}
