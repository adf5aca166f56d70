//! The client's runtime, built on the shared `runtimes` layer (its one
//! `--runtime` type and join handle). What this chapter needs beyond it
//! lives here, because the lesson is what a CPU loop does to the threads
//! that poll tasks: how many there are (`--flavor`, `--workers`), which
//! one a job ran on, a TCP stream for hyper, the tasks left afterwards.
//! The page's table (docs/asyncio-and-futures.md) sets the three runtimes
//! side by side; mini is refused: it has no sockets.
//!
//! hyper speaks its own I/O traits: hyper-util's `TokioIo` adapts tokio's
//! sockets; async-std's and smol's implement the `futures` I/O traits, so
//! they go through `tokio_util::compat` first.
//!
//! Ctrl-C: [`ClientRuntime::run`] races the experiment against it. A CPU
//! loop cannot be stopped mid-way, so the threads that may be inside one
//! are then *not* waited for: they end with the process.

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
    /// executor threads (not tokio's current-thread runtime, nor async-std).
    pub workers: usize,
}

/// What the experiment spawns on, inside [`ClientRuntime::run`]. Cheap to
/// clone into tasks.
#[derive(Debug, Clone)]
pub struct Client {
    /// Which runtime. tokio's spawn goes to the runtime `run` built (the
    /// current one inside its `block_on`), async-std's to its global one.
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
        // Not `spawn`: a blocking function inside a task would hold a
        // worker. tokio's `spawn_blocking`, async-std's `spawn_blocking`
        // and smol's `unblock` use separate threads made for exactly this.
        self.runtime.spawn_blocking(work)
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

impl ClientRuntime {
    /// Builds the runtime, runs `body` on it (in `block_on`, on the calling
    /// thread: only what `body` spawns runs on the workers), and shuts the
    /// runtime down, joining its threads. Gives `body`'s output and whether
    /// every task it spawned had finished (`None`: async-std cannot tell).
    ///
    /// If Ctrl-C comes first, `body` is dropped, the runtime is shut down
    /// *without* waiting for threads that may be in a CPU loop, and the
    /// result is `Ok(None)`. An error: the runtime (or a thread of it)
    /// could not start, or `--runtime mini`, which has no sockets.
    pub fn run<T, Fut>(
        self,
        interrupt: &Interrupt,
        body: impl FnOnce(Client) -> Fut,
    ) -> std::io::Result<Option<(T, Option<bool>)>>
    where
        Fut: Future<Output = T>,
    {
        let client = |smol| Client {
            runtime: self.runtime,
            smol,
        };
        let raced = |smol| or_interrupt(interrupt, body(client(smol)));
        let (output, all_tasks_finished) = match self.runtime {
            Runtime::Tokio => with_tokio(self.flavor, self.workers, interrupt, raced(None))?,
            // async-std's own `block_on`; its executor is global and lives
            // as long as the program: nothing to shut, no tasks to count.
            Runtime::AsyncStd => (async_std::task::block_on(raced(None)), None),
            Runtime::Smol => with_smol(self.workers, interrupt, |executor| raced(Some(executor)))?,
            Runtime::Mini => return Err(no_tcp()),
        };
        let output = output.filter(|_| !interrupt.raised());
        Ok(output.map(|output| (output, all_tasks_finished)))
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
/// thread through one pool, with one name, in no fixed order; only a
/// *worker* ever parks (waits for tasks), so every thread is named
/// `tokio-block-<i>` and the `on_thread_park` hook relabels the thread it
/// runs on `tokio-worker-<k>`. Workers park as soon as they find nothing
/// to do: we wait (at most a second) until all have, so that from then on
/// every label is right. `current-thread` has no worker thread: the thread
/// that calls `block_on` (here `main`) polls every task, like asyncio's.
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
        (0..1000)
            .take_while(|_| parked.load(Ordering::SeqCst) < workers)
            .for_each(|_| std::thread::sleep(Duration::from_millis(1)));
    }
    Ok(runtime)
}

/// `--runtime tokio`: `body` in the `block_on` of [`tokio_runtime`]; its
/// output, and whether every task had finished.
fn with_tokio<T>(
    flavor: TokioFlavor,
    workers: usize,
    interrupt: &Interrupt,
    body: impl Future<Output = Option<T>>,
) -> std::io::Result<(Option<T>, Option<bool>)> {
    let runtime = tokio_runtime(flavor, workers)?;
    let output = runtime.block_on(body);
    if output.is_none() || interrupt.raised() {
        // Dropping the runtime would wait for every thread, and one may be
        // inside a job's loop: leave those to end with the process.
        runtime.shutdown_background();
        return Ok((None, None));
    }
    // A task whose JoinHandle has resolved may need a moment to be
    // released by its worker; give it up to 100 ms, then count. (The
    // timer is made inside `block_on`: a tokio timer needs the runtime's
    // context when it is made, not only when it is polled.)
    let metrics = runtime.metrics();
    (0..100)
        .take_while(|_| metrics.num_alive_tasks() > 0)
        .for_each(|_| {
            runtime.block_on(async { tokio::time::sleep(Duration::from_millis(1)).await })
        });
    let all_tasks_finished = Some(metrics.num_alive_tasks() == 0);
    // Dropping the runtime stops its workers and waits for every blocking
    // thread to finish.
    drop(runtime);
    Ok((output, all_tasks_finished))
}

/// `--runtime smol`: an `Executor` served by `workers` threads of our own
/// (`smol-0`, `smol-1`, ...), `body` in smol's `block_on`, then those
/// threads stopped and joined. smol gives you the parts (an `Executor`,
/// `block_on`) and lets you decide how many threads run it.
fn with_smol<T, Fut>(
    workers: usize,
    interrupt: &Interrupt,
    body: impl FnOnce(Arc<smol::Executor<'static>>) -> Fut,
) -> std::io::Result<(Option<T>, Option<bool>)>
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
    Ok((output, all_tasks_finished))
}

/// Joins a smol thread. Tasks run inside `catch_unwind` (the shared
/// layer's `spawn_on_smol`), so the thread itself does not panic.
fn join(thread: std::thread::JoinHandle<()>) {
    let _ = thread.join();
}
