//! The CPU-bound jobs and the ways to run them from async code (the
//! page's table of the four `--mode`s sets them beside Python's).
//!
//! A job is `common::count(number, iterations)`: a real CPU loop that
//! returns `number * iterations`. It never awaits: once started it holds
//! its thread until it is done. Where that thread comes from is the whole
//! question of this chapter, so a job says where it ran
//! ([`JobOutcome::ran_on`]: `tokio-worker-0`, `tokio-block-0`, `rayon-0`,
//! `pid 12345`), and with `--timeline` it is a bar on that lane.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::WorkloadError;
use process_pool::ProcessPoolExecutor;
use runner::{Recorder, SpanKind};
use serde::{Deserialize, Serialize};

/// Which way the jobs are run (`--mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Mode {
    /// Call the CPU-bound function right inside an async task: it blocks
    /// the runtime worker that polls the task (the mistake to recognise).
    Direct,
    /// The runtime's own pool for blocking work: tokio's
    /// `spawn_blocking`, async-std's `spawn_blocking`, smol's `unblock`
    /// (Python: `loop.run_in_executor(None, f)`).
    SpawnBlocking,
    /// A rayon thread pool, the result sent back on a oneshot channel
    /// (Python: `run_in_executor` with a `ThreadPoolExecutor`).
    Rayon,
    /// The `process-pool` crate's pool, its task handle awaited (Python:
    /// `run_in_executor` with a `ProcessPoolExecutor`).
    ProcessPool,
}

impl Mode {
    /// Every mode, in the order the table shows them.
    pub const ALL: [Mode; 4] = [
        Mode::Direct,
        Mode::SpawnBlocking,
        Mode::Rayon,
        Mode::ProcessPool,
    ];

    /// The name used on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Direct => "direct",
            Mode::SpawnBlocking => "spawn-blocking",
            Mode::Rayon => "rayon",
            Mode::ProcessPool => "process-pool",
        }
    }
}

/// What went wrong running a job.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The workload refused its input (an overflow, named).
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// The process pool refused the task or lost it (the message says
    /// which: shut down, a worker that died, ...).
    #[error("job {job} on the process pool: {what}")]
    Pool {
        /// Which job.
        job: u64,
        /// The pool's error, in words.
        what: String,
    },
    /// The rayon thread running job `.0` died before sending a result.
    #[error("job {0}: the rayon thread dropped the result (it panicked)")]
    Lost(u64),
}

/// One finished job (also the reply of a worker process, hence serde).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobOutcome {
    /// The job's number (1-based): it computes `count(job, iterations)`.
    pub job: u64,
    /// What `count` returned.
    pub result: u64,
    /// The thread (or process) it ran on.
    pub ran_on: String,
    /// How long the loop itself took.
    pub took: Duration,
}

/// Counts the jobs running right now, for the ticker and the Ctrl-C
/// summary (`progress`): a `Running` guard adds one while it lives.
/// Written by every job, on whatever thread it runs, read by the ticker
/// task and the summary: an atomic, since they are on different threads.
#[derive(Debug, Clone, Default)]
pub struct RunningJobs(Arc<AtomicUsize>);

impl RunningJobs {
    /// How many jobs are inside their CPU loop now.
    pub fn now(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    /// Marks one job as running until the guard is dropped.
    pub fn enter(&self) -> Running {
        self.0.fetch_add(1, Ordering::SeqCst);
        Running(Arc::clone(&self.0))
    }
}

/// Held while one job runs; dropping it (also on panic) counts it out.
#[derive(Debug)]
pub struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What the jobs of one run share. Cheap to clone into every job.
#[derive(Debug, Clone)]
pub struct Jobs {
    /// The jobs inside their loop (see [`RunningJobs`]).
    pub running: RunningJobs,
    /// Where the jobs' lines and bars go.
    pub out: Recorder,
}

impl Jobs {
    /// No job running yet; lines and bars go to `out`.
    pub fn new(out: &Recorder) -> Self {
        Self {
            running: RunningJobs::default(),
            out: out.clone(),
        }
    }
}

/// Runs one job right here, on the calling thread: the Python's
/// `count_job`, which every mode calls somewhere. Its bar is `Block`
/// where it holds a runtime worker, `Work` on a thread made for it.
pub fn run_job(
    job: u64,
    iterations: u64,
    jobs: &Jobs,
    kind: SpanKind,
) -> Result<JobOutcome, JobError> {
    let _running = jobs.running.enter();
    let ran_on = crate::runtime::thread_label();
    let _bar = jobs.out.span(&ran_on, format!("job {job}"), kind);
    Ok(count_here(job, iterations, ran_on)?)
}

/// `count(job, iterations)` on this thread, timed, said to run on `ran_on`.
fn count_here(job: u64, iterations: u64, ran_on: String) -> Result<JobOutcome, WorkloadError> {
    let started = Instant::now();
    let result = common::count(job, iterations)?;
    Ok(JobOutcome {
        job,
        result,
        ran_on,
        took: started.elapsed(),
    })
}

/// Mode `rayon`: hands `work` (job `job`) to a rayon pool now (like
/// `executor.submit`) and returns a future of its result.
///
/// rayon knows nothing of async: `pool.spawn` takes a closure and returns
/// nothing. The bridge, `asyncio.wrap_future` written out, is a oneshot
/// channel: the closure sends the result, the async side awaits the
/// receiver, which never blocks a worker (tokio's `oneshot` is just a
/// waker: it works under async-std and smol too).
pub fn on_rayon(
    pool: &rayon::ThreadPool,
    job: u64,
    work: impl FnOnce() -> Result<JobOutcome, JobError> + Send + 'static,
) -> impl Future<Output = Result<JobOutcome, JobError>> + Send + 'static {
    let (send, receive) = tokio::sync::oneshot::channel();
    pool.spawn(move || {
        // If the receiver is gone (the awaiting task was cancelled) the
        // result has no one to go to: dropping it is right.
        let _ = send.send(work());
    });
    async move { receive.await.map_err(|_| JobError::Lost(job))? }
}

/// Builds the rayon pool for mode `rayon`, its threads named `rayon-<i>`.
/// rayon does not join its threads when a pool is dropped (they exit a
/// moment later), so each reports its exit: see [`RayonPool`].
pub fn rayon_pool(threads: usize) -> Result<RayonPool, rayon::ThreadPoolBuildError> {
    let (exited_send, exited) = std::sync::mpsc::channel();
    let exited_send = std::sync::Mutex::new(exited_send);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("rayon-{i}"))
        .exit_handler(move |i| {
            // A std Mutex around the Sender: exit handlers run on many
            // threads and nothing is awaited while it is held.
            if let Ok(send) = exited_send.lock() {
                let _ = send.send(i);
            }
        })
        .build()?;
    Ok(RayonPool { pool, exited })
}

/// A rayon pool that can be shut down and waited for.
#[derive(Debug)]
pub struct RayonPool {
    /// The pool itself (jobs are spawned on it).
    pub pool: rayon::ThreadPool,
    /// One message per thread that has exited (sent by the exit handler).
    exited: std::sync::mpsc::Receiver<usize>,
}

impl RayonPool {
    /// Drops the pool and waits until each of its threads has exited.
    /// Returns how many did (all of them, unless one hangs for 10 s).
    pub fn shutdown(self) -> usize {
        let threads = self.pool.current_num_threads();
        drop(self.pool);
        (0..threads)
            .take_while(|_| self.exited.recv_timeout(Duration::from_secs(10)).is_ok())
            .count()
    }
}

/// The job as a process-pool task: *data* naming the work, since a closure
/// cannot travel to another process (Python pickles a reference to the
/// function and its arguments; serde and postcard play pickle's part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountTask {
    /// The job's number: the task computes `count(job, iterations)`.
    pub job: u64,
    /// Steps of the loop.
    pub iterations: u64,
}

impl process_pool::Task for CountTask {
    /// Its `ran_on` is the worker's process id: proof it ran elsewhere.
    type Output = JobOutcome;
    /// The workload's error, as text (it only has to cross the pipe and
    /// be shown).
    type Error = String;

    fn run(self) -> Result<JobOutcome, String> {
        let pid = format!("pid {}", std::process::id());
        count_here(self.job, self.iterations, pid).map_err(|e| e.to_string())
    }
}

/// Mode `process-pool`: submits the job to the process pool now and
/// returns a future of its result: the pool's `TaskHandle` (its
/// `concurrent.futures.Future`) is itself a `Future`, woken by the pool's
/// reader thread, so awaiting it blocks no worker, under any runtime.
///
/// The job counts as running (for the ticker) from submission until its
/// result is back: its loop runs in another process we cannot watch. For
/// the same reason its bar is drawn once the reply is here: ending now,
/// as long as the worker says the loop took.
pub fn on_process_pool(
    pool: &ProcessPoolExecutor<CountTask>,
    job: u64,
    iterations: u64,
    jobs: Jobs,
) -> Result<impl Future<Output = Result<JobOutcome, JobError>> + Send + 'static, JobError> {
    let pool_error = move |what: String| JobError::Pool { job, what };
    let handle = pool
        .submit(CountTask { job, iterations })
        .map_err(|e| pool_error(e.to_string()))?;
    let in_flight = jobs.running.enter();
    Ok(async move {
        let reply = handle.await;
        drop(in_flight);
        let outcome = reply.map_err(|e| pool_error(e.to_string()))?;
        let (lane, took) = (&outcome.ran_on, outcome.took);
        let bar = jobs
            .out
            .start_earlier(lane, format!("job {job}"), SpanKind::Work, took);
        jobs.out.end(bar);
        Ok(outcome)
    })
}
