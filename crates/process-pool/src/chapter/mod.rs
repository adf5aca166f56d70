//! The chapter's parts beyond the direct port (`src/port.rs`), run by
//! `cargo run -p process-pool`, one idea each:
//! - [`tasks`]: what the chapter's workers know how to do;
//! - [`compare`]: `concurrent_futures_pooling.py` sequentially, on the
//!   thread pool and on this process pool, repeated, with [`verdict`]
//!   saying what the speedups mean;
//! - [`api_tour`]: the executor's API, one call at a time;
//! - [`faults`]: what happens when tasks fail, crash, are killed or hang;
//! - [`progress`]: the progress bar the long phases show on a terminal.
//!
//! Every part gets a [`Run`]: where its lines go, the Ctrl-C flag (which
//! stops each pool through [`stop_on_ctrl_c`]) and the tally the Ctrl-C
//! summary is made of.

pub mod api_tour;
pub mod compare;
pub mod faults;
pub mod progress;
pub mod tasks;
pub mod verdict;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::WorkloadError;
use process_pool::{PoolError, ProcessPoolExecutor, TaskError, TaskHandle};
use runner::interrupt::Registration;
use runner::{Interrupt, Interrupted, Recorder, SpanId, SpanKind, Tally};

use progress::Screen;
use tasks::ChapterTask;

/// What every part of a run shares (clones share the same four).
#[derive(Debug, Clone)]
pub struct Run {
    /// Prints (above the progress bar, if one is shown) and keeps the
    /// labelled lines, and the spans a timeline is drawn from.
    pub out: Recorder,
    /// Where the progress bar goes.
    pub screen: Screen,
    /// Raised by Ctrl-C.
    pub interrupt: Interrupt,
    /// Counts finished items for the Ctrl-C summary.
    pub tally: Tally,
}

impl Run {
    /// A run with a fresh recorder on `screen`, stopped by `interrupt`.
    pub fn new(screen: Screen, interrupt: Interrupt) -> Self {
        Self {
            out: screen.recorder(),
            screen,
            interrupt,
            tally: Tally::new(),
        }
    }
}

/// What can stop the pooling program's phases: the port's and the
/// comparison's (Python would print a traceback).
#[derive(Debug, thiserror::Error)]
pub enum PhaseError {
    /// `--items` x `--iterations` overflows.
    #[error(transparent)]
    Workload(#[from] WorkloadError),
    /// The thread pool could not start.
    #[error("thread pool: {0}")]
    ThreadPool(#[from] thread_pool::ExecutorError),
    /// An item failed on the thread pool (or was cancelled by Ctrl-C).
    #[error("thread pool: {0}")]
    Threads(#[from] thread_pool::TaskError<WorkloadError>),
    /// The process pool could not start or take the tasks.
    #[error("process pool: {0}")]
    Pool(#[from] PoolError),
    /// An item failed on the process pool (the port's).
    #[error("process pool: {0}")]
    Task(#[from] TaskError<String>),
    /// An item failed on the process pool (the comparison's).
    #[error("process pool: item {item}: {error}")]
    Item {
        /// Which item.
        item: u64,
        /// Why.
        error: TaskError<String>,
    },
    /// Ctrl-C.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

/// What can stop the API tour and the faults: the pool, a task that did
/// not do what the step shows, or Ctrl-C.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// Creating or using the pool failed.
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// A task of the API tour failed where it should not have.
    #[error("unexpected task outcome: {0}")]
    Task(String),
    /// A task meant to fail did not, or a sound one failed (the faults).
    #[error("unexpected outcome: {0}")]
    Unexpected(String),
    /// Ctrl-C.
    #[error(transparent)]
    Interrupted(#[from] Interrupted),
}

/// Ctrl-C stops `pool` while the returned registration lives: queued tasks
/// are cancelled, the workers killed (and reaped when the pool is dropped),
/// so every pending result resolves at once.
#[must_use = "the pool is only stopped by Ctrl-C while the registration lives"]
pub fn stop_on_ctrl_c(
    interrupt: &Interrupt,
    pool: &ProcessPoolExecutor<ChapterTask>,
) -> Registration {
    let stopper = pool.stopper();
    interrupt.on_interrupt(move || stopper.stop())
}

/// The lane of worker process `pid` on a timeline, and the label of the
/// lines it computed: `pid 4242`.
pub fn lane(pid: u32) -> String {
    format!("pid {pid}")
}

/// `4242, 4243`: a list of pids for a sentence.
pub fn pid_list(pids: &[u32]) -> String {
    let pids: Vec<String> = pids.iter().map(u32::to_string).collect();
    pids.join(", ")
}

/// `1 core`, `2 cores`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Waits until a worker holds `handle`'s task (or it is done).
pub fn until_running(handle: &TaskHandle<ChapterTask>) {
    while !handle.running() && !handle.done() {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Submits `task` and draws it on the timeline as a bar called `what`, on
/// the lane of the worker that runs it, from when a worker takes it to when
/// its outcome is back. The task runs in another process, where the
/// recorder is not: the pool's callbacks tell this one when (the running
/// callback, on the pool's writer thread; the done callback, on its reader
/// thread). Drawing costs nothing unless a timeline or trace was asked for.
pub fn submit(
    run: &Run,
    pool: &ProcessPoolExecutor<ChapterTask>,
    task: ChapterTask,
    what: &str,
) -> Result<TaskHandle<ChapterTask>, PoolError> {
    let handle = pool.submit(task)?;
    if !run.out.keeps_spans() {
        return Ok(handle);
    }
    // Started by one callback, ended by the other: the running callback
    // always comes first, and never comes for a task cancelled first.
    let bar: Arc<Mutex<Option<SpanId>>> = Arc::default();
    let (starts, what) = (run.out.clone(), what.to_owned());
    let started = Arc::clone(&bar);
    handle.add_running_callback(move |pid| {
        let id = starts.start(&lane(pid), what, SpanKind::Work);
        *started.lock().unwrap_or_else(|p| p.into_inner()) = Some(id);
    });
    let ends = run.out.clone();
    handle.add_done_callback(move || {
        if let Some(id) = bar.lock().unwrap_or_else(|p| p.into_inner()).take() {
            ends.end(id);
        }
    });
    Ok(handle)
}
