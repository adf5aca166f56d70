//! Beyond one machine: the NATS JetStream work queue of
//! `crates/distributed-pool` against the process pool and, when
//! `dask.distributed` imports, Dask, in compare's rounds.
//!
//! Every engine has worker processes on this machine (loopback: what is
//! measured is the engine's own cost, not a network's). Three figures: a
//! trivial task (`count` of 0 iterations) one at a time, the same tasks
//! many in flight (1 worker each), and the throughput of
//! [`Sizes::queue_items`] items of the count workload on 1, 2 and 4
//! workers, one item per message, against the same items one after
//! another in this process. Dask runs in `benches/python/dask_costs.py`;
//! its items are Python's, so their loop is shortened (once, before the
//! first round) until one lasts as long as one of Rust's: a speedup
//! depends on the items' duration.
//!
//! The queue's workers are this executable started again (`main` calls
//! [`worker_hook`] first). Without `nats-server` (2.10 or newer) the
//! section is skipped, without Dask its column, each with one line saying
//! how to get what is missing.
//! Ctrl-C kills the server, the workers and the Python program at once;
//! the section returns `Interrupted`, and dropping the cluster and the pool
//! reaps them.

use super::Side;
use super::python;
use super::sizes::Sizes;
use crate::stats::{human, ratio};
use crate::task::BenchTask;
use crate::{BenchError, check};
use distributed_pool::worker::Faults;
use distributed_pool::{Client, LocalCluster, Settings};
use process_pool::ProcessPoolExecutor;
use runner::interrupt::Registration;
use runner::{Interrupt, Interrupted, Recorder};
use std::future::Future;
use std::path::PathBuf;
use std::time::Instant;

/// The worker counts of the throughput figures.
pub const WORKERS: [usize; 3] = [1, 2, 4];

/// The hook that lets this executable be a queue worker: call it first in
/// `main`. Returns at once unless started by a `LocalCluster`.
pub fn worker_hook() {
    distributed_pool::launch::worker_entry();
}

/// The three engines, in the table's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// distributed-pool on NATS JetStream.
    Nats,
    /// The process-pool crate.
    ProcessPool,
    /// Dask's `LocalCluster` (the Python side).
    Dask,
}

impl Engine {
    /// Every engine.
    pub const ALL: [Engine; 3] = [Engine::Nats, Engine::ProcessPool, Engine::Dask];

    /// The part of its figure ids.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Nats => "nats",
            Engine::ProcessPool => "process-pool",
            Engine::Dask => "dask",
        }
    }

    /// Which side of the samples its figures go to.
    pub fn side(self) -> Side {
        match self {
            Engine::Dask => Side::Python,
            _ => Side::Rust,
        }
    }
}

/// Seconds per task, one at a time.
pub fn single_id(engine: Engine) -> String {
    format!("queue/{}/single", engine.name())
}

/// Seconds per task, many in flight.
pub fn in_flight_id(engine: Engine) -> String {
    format!("queue/{}/in-flight", engine.name())
}

/// Seconds of the throughput items one after another (the Rust engines
/// share one: `queue/sequential`).
pub fn sequential_id(engine: Engine) -> String {
    match engine {
        Engine::Dask => "queue/dask/sequential".to_owned(),
        _ => "queue/sequential".to_owned(),
    }
}

/// Seconds of the throughput items on `workers` workers.
pub fn count_id(engine: Engine, workers: usize) -> String {
    format!("queue/{}/count/{workers}", engine.name())
}

/// The round's sequential time over its time on `workers` workers.
pub fn speedup_id(engine: Engine, workers: usize) -> String {
    format!("queue/{}/speedup/{workers}", engine.name())
}

/// The loop length of Dask's items (a number, not seconds).
pub const DASK_ITERATIONS: &str = "queue/dask/iterations";

/// The section, ready to measure: what it found before round 1.
#[derive(Debug)]
pub struct Section {
    /// This executable: the queue's workers.
    binary: PathBuf,
    /// The Python interpreter that runs Dask.
    python: String,
    /// Dask's loop length, or why Dask is skipped.
    dask_loop: Result<u64, String>,
    /// The runtime the queue's client runs on (async-nats needs tokio).
    runtime: tokio::runtime::Runtime,
}

/// What [`Section::prepare`] found: the section, ready to measure, or (no
/// usable `nats-server`) the sentence saying so and how to get one.
pub type Prepared = Result<Box<Section>, String>;

impl Section {
    /// Finds `nats-server` and Dask, warms the count loop up and, if Dask
    /// is there, chooses its loop length. Not measured.
    pub fn prepare(
        python: &str,
        sizes: &Sizes,
        interrupt: &Interrupt,
    ) -> Result<Prepared, BenchError> {
        if let Err(missing) = distributed_pool::server::available() {
            return Ok(Err(format!("The queue section is skipped: {missing}")));
        }
        let binary =
            std::env::current_exe().map_err(|e| BenchError::start("finding this executable", e))?;
        let runtime = runtimes::build_tokio(runtimes::TokioFlavor::CurrentThread)
            .map_err(|e| BenchError::start("the tokio runtime", e))?;
        // One item of Rust's, as it lasts warm: what Dask's items match.
        let items = sizes.queue_items;
        sequential(items, sizes.iterations, interrupt)?;
        let item_seconds = sequential(items, sizes.iterations, interrupt)? / items as f64;
        let args = format!(
            "--tsv calibrate --item-seconds {:e}",
            item_seconds.max(1e-7)
        );
        let said = python::run_with(python, "dask_costs.py", args.split_whitespace(), interrupt)?;
        let value = |id: &str| said.iter().find(|(name, _)| name == id).map(|(_, v)| *v);
        let available = value("queue/dask/available").is_some_and(|v| v > 0.5);
        let dask_loop = match value(DASK_ITERATIONS) {
            Some(n) if available => Ok(n as u64),
            _ => Err(format!(
                "Dask is skipped: {python} cannot import dask.distributed \
                 (pip install \"dask[distributed]\")"
            )),
        };
        Ok(Ok(Box::new(Section {
            binary,
            python: python.to_owned(),
            dask_loop,
            runtime,
        })))
    }

    /// Why Dask is skipped, if it is.
    pub fn dask_skipped(&self) -> Option<&str> {
        self.dask_loop.as_ref().err().map(String::as_str)
    }

    /// Round `round`'s figures, as (side, id, value); the engines' order
    /// turns by one each round. `progress` hears each engine's start.
    pub fn measure(
        &self,
        round: u64,
        sizes: &Sizes,
        interrupt: &Interrupt,
        mut progress: impl FnMut(&str),
    ) -> Result<Vec<(Side, String, f64)>, BenchError> {
        let mut out = Vec::new();
        progress("sequential, in this process");
        let base = sequential(sizes.queue_items, sizes.iterations, interrupt)?;
        out.push((Side::Rust, sequential_id(Engine::Nats), base));
        // Round 1: NATS, the pool, Dask; round 2: the pool, Dask, NATS; ...
        let turn = usize::try_from(round.saturating_sub(1)).unwrap_or(0) % Engine::ALL.len();
        let mut order = Engine::ALL;
        order.rotate_left(turn);
        for engine in order {
            let figures = match engine {
                Engine::Nats => {
                    progress("NATS JetStream");
                    self.nats(sizes, interrupt)?
                }
                Engine::ProcessPool => {
                    progress("process pool");
                    process_pool(sizes, interrupt)?
                }
                Engine::Dask => match &self.dask_loop {
                    Ok(iterations) => {
                        progress("Dask");
                        self.dask(sizes, *iterations, interrupt)?
                    }
                    Err(_) => Vec::new(),
                },
            };
            let base = match engine {
                Engine::Dask => figures
                    .iter()
                    .find(|(id, _)| *id == sequential_id(Engine::Dask))
                    .map(|(_, seconds)| *seconds),
                _ => Some(base),
            };
            for &w in &WORKERS {
                let time = figures.iter().find(|(id, _)| *id == count_id(engine, w));
                if let (Some(base), Some((_, time))) = (base, time) {
                    out.push((engine.side(), speedup_id(engine, w), base / time));
                }
            }
            out.extend(figures.into_iter().map(|(id, v)| (engine.side(), id, v)));
        }
        Ok(out)
    }

    /// Runs `work` on the section's runtime until it ends or Ctrl-C.
    fn block_on<T>(
        &self,
        interrupt: &Interrupt,
        work: impl Future<Output = Result<T, BenchError>>,
    ) -> Result<T, BenchError> {
        self.runtime.block_on(async {
            tokio::select! {
                biased;
                () = interrupt.cancelled() => Err(Interrupted.into()),
                done = work => done,
            }
        })
    }

    /// A local server and `workers` worker processes, killed by Ctrl-C.
    fn cluster(
        &self,
        workers: usize,
        interrupt: &Interrupt,
    ) -> Result<(LocalCluster, Registration), BenchError> {
        interrupt.check()?;
        let settings = Settings::default();
        let cluster =
            LocalCluster::start(self.binary.clone(), workers, &settings, Faults::default())?;
        let kill = interrupt.on_interrupt(cluster.killer());
        Ok((cluster, kill))
    }

    /// The queue's figures (Rust side).
    fn nats(&self, sizes: &Sizes, interrupt: &Interrupt) -> Result<Vec<(String, f64)>, BenchError> {
        let mut out = Vec::new();
        let (single, tasks) = (sizes.queue_single, sizes.queue_tasks);
        {
            // Dropped in reverse: the Ctrl-C action goes before the cluster.
            let (cluster, _kill) = self.cluster(1, interrupt)?;
            let (one, many) = self.block_on(interrupt, async {
                let client = connect(&cluster).await?;
                all_done(&client, 20, 0).await?; // the worker is connected and warm
                let start = Instant::now();
                for item in 1..=single as u64 {
                    let handle = client.submit(item, 0).await?;
                    let done = handle.result().await.map_err(BenchError::task)?;
                    check("a queue task", done.result.result, 0)?;
                }
                let one = start.elapsed().as_secs_f64() / single as f64;
                let start = Instant::now();
                all_done(&client, tasks as u64, 0).await?;
                let many = start.elapsed().as_secs_f64() / tasks as f64;
                client.close().await;
                Ok((one, many))
            })?;
            out.push((single_id(Engine::Nats), one));
            out.push((in_flight_id(Engine::Nats), many));
        }
        for &w in &WORKERS {
            let (cluster, _kill) = self.cluster(w, interrupt)?;
            let (items, n) = (sizes.queue_items, sizes.iterations);
            let seconds = self.block_on(interrupt, async {
                let client = connect(&cluster).await?;
                all_done(&client, 4 * w as u64, 0).await?;
                let start = Instant::now();
                all_done(&client, items, n).await?;
                let seconds = start.elapsed().as_secs_f64();
                client.close().await;
                Ok(seconds)
            })?;
            out.push((count_id(Engine::Nats, w), seconds));
        }
        Ok(out)
    }

    /// Dask's figures: one run of `dask_costs.py`.
    fn dask(
        &self,
        sizes: &Sizes,
        iterations: u64,
        interrupt: &Interrupt,
    ) -> Result<Vec<(String, f64)>, BenchError> {
        let (single, tasks, items) = (sizes.queue_single, sizes.queue_tasks, sizes.queue_items);
        let workers = WORKERS.map(|w| w.to_string()).join(" ");
        let args = format!(
            "--tsv --single {single} --tasks {tasks} --items {items} \
             --iterations {iterations} --workers {workers}"
        );
        let script = "dask_costs.py";
        let mut figures =
            python::run_with(&self.python, script, args.split_whitespace(), interrupt)?;
        figures.push((DASK_ITERATIONS.to_owned(), iterations as f64));
        Ok(figures)
    }
}

/// The throughput items one after another in this process; seconds.
/// Ctrl-C stops it between two items.
fn sequential(items: u64, iterations: u64, interrupt: &Interrupt) -> Result<f64, BenchError> {
    timed(|| {
        for item in 1..=items {
            interrupt.check()?;
            let got = common::evaluate_item(std::hint::black_box(item), iterations)?.result;
            check("a sequential item", got, item * iterations)?;
        }
        Ok(())
    })
}

/// The seconds `work` takes.
fn timed(work: impl FnOnce() -> Result<(), BenchError>) -> Result<f64, BenchError> {
    let start = Instant::now();
    work()?;
    Ok(start.elapsed().as_secs_f64())
}

/// A client of `cluster`'s server.
async fn connect(cluster: &LocalCluster) -> Result<Client, BenchError> {
    Ok(Client::connect(&cluster.address(), &Settings::default(), Recorder::quiet()).await?)
}

/// Items `1..=items` of `count(iterations)` on the queue (`map`, then
/// `gather`), every result checked.
async fn all_done(client: &Client, items: u64, iterations: u64) -> Result<(), BenchError> {
    let handles = client.map(1..=items, iterations).await?;
    for (item, reply) in (1..).zip(Client::gather(handles).await) {
        let done = reply.map_err(BenchError::task)?;
        check("a queue task", done.result.result, item * iterations)?;
    }
    Ok(())
}

/// The process pool's figures: `submit` + `result` one at a time and
/// `map` on 1 worker, then the throughput items on each worker count.
fn process_pool(sizes: &Sizes, interrupt: &Interrupt) -> Result<Vec<(String, f64)>, BenchError> {
    let evaluate = |item, iterations| BenchTask::Evaluate { item, iterations };
    let mut out = Vec::new();
    {
        let (pool, _stop) = pool(1, interrupt)?;
        run_all(&pool, 20, 0, interrupt)?;
        let single = sizes.queue_single;
        let one = timed(|| {
            for item in 1..=single as u64 {
                interrupt.check()?;
                let done = pool.submit(evaluate(item, 0))?.result();
                interrupt.check()?;
                check("a pool task", done.map_err(BenchError::task)?.count()?, 0)?;
            }
            Ok(())
        })?;
        out.push((single_id(Engine::ProcessPool), one / single as f64));
        let tasks = sizes.queue_tasks;
        let many = timed(|| run_all(&pool, tasks as u64, 0, interrupt))?;
        out.push((in_flight_id(Engine::ProcessPool), many / tasks as f64));
    }
    for &w in &WORKERS {
        let (pool, _stop) = pool(w, interrupt)?;
        run_all(&pool, 4 * w as u64, 0, interrupt)?;
        let seconds = timed(|| run_all(&pool, sizes.queue_items, sizes.iterations, interrupt))?;
        out.push((count_id(Engine::ProcessPool, w), seconds));
    }
    Ok(out)
}

type Pool = ProcessPoolExecutor<BenchTask>;

/// A process pool of `workers`, stopped (its workers killed) by Ctrl-C.
fn pool(workers: usize, interrupt: &Interrupt) -> Result<(Pool, Registration), BenchError> {
    interrupt.check()?;
    let pool = Pool::new(workers)?;
    let stopper = pool.stopper();
    let stop = interrupt.on_interrupt(move || stopper.stop());
    Ok((pool, stop))
}

/// Items `1..=items` of `count(iterations)` with the pool's `map`
/// (chunksize 1: one item per request, as the queue sends one per
/// message), every result checked. After Ctrl-C, `Interrupted` rather
/// than the errors of the killed workers.
fn run_all(
    pool: &Pool,
    items: u64,
    iterations: u64,
    interrupt: &Interrupt,
) -> Result<(), BenchError> {
    let tasks = (1..=items).map(|item| BenchTask::Evaluate { item, iterations });
    let outcomes: Vec<_> = pool.map(tasks, 1)?.collect();
    interrupt.check()?;
    for (item, outcome) in (1..).zip(outcomes) {
        let got = outcome.map_err(BenchError::task)?.count()?;
        check("a pool task", got, item * iterations)?;
    }
    Ok(())
}

/// The section's table: figure | NATS queue | process pool | Dask, with
/// the queue's cost over the pool's and Dask's over the queue's.
pub fn markdown(samples: &super::Samples, sizes: &Sizes, dask_skipped: Option<&str>) -> String {
    let med = |engine: Engine, id: &str| samples.median(engine.side(), id);
    let cell = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), human);
    let over = |a: Option<f64>, b: Option<f64>| {
        a.zip(b)
            .map_or_else(|| "-".to_owned(), |(a, b)| ratio(a / b))
    };
    let mut out = String::from(
        "| Figure | NATS queue | process pool | Dask | NATS / process pool | Dask / NATS |\n\
         |---|---:|---:|---:|---:|---:|\n",
    );
    let mut row = |figure: String, values: [Option<f64>; 3], shown: [String; 3]| {
        out.push_str(&format!(
            "| {figure} | {} | {} | {} | {} | {} |\n",
            shown[0],
            shown[1],
            shown[2],
            over(values[0], values[1]),
            over(values[2], values[0]),
        ));
    };
    let (tasks, items) = (sizes.queue_tasks, sizes.queue_items);
    for (figure, id) in [
        (
            "Per task, one at a time: submit, wait for the result (1 worker)".to_owned(),
            single_id as fn(Engine) -> String,
        ),
        (
            format!("Per task, {tasks} in flight: map, then gather (1 worker)"),
            in_flight_id,
        ),
        (
            format!("Throughput: {items} items one after another in one process (no pool)"),
            sequential_id,
        ),
    ] {
        let values = Engine::ALL.map(|e| med(e, &id(e)));
        row(figure, values, values.map(cell));
    }
    for w in WORKERS {
        let values = Engine::ALL.map(|e| med(e, &count_id(e, w)));
        let speedups = Engine::ALL.map(|e| med(e, &speedup_id(e, w)));
        let shown = std::array::from_fn(|i| match (values[i], speedups[i]) {
            (Some(t), Some(s)) => format!("{} ({})", human(t), ratio(s)),
            (t, _) => cell(t),
        });
        let plural = if w == 1 { "" } else { "s" };
        row(
            format!("Throughput on {w} worker{plural} (speedup over one process)"),
            values,
            shown,
        );
    }
    let dask = match (dask_skipped, samples.median(Side::Python, DASK_ITERATIONS)) {
        (Some(why), _) => format!("{why}."),
        (None, Some(n)) => format!(
            "Dask's items are Python's, each count({n:.0}): a loop that lasts as long in \
             Python as count({}) in Rust, so that its speedups are over items of the same \
             duration; its times are Python's.",
            sizes.iterations
        ),
        (None, None) => "Dask: not measured.".to_owned(),
    };
    format!(
        "Every engine with worker processes on this machine (loopback). Per task: a \
         trivial task (count of 0 iterations). Throughput: items of count({}) in Rust, \
         one item per message or request; speedups are over the same items one after \
         another in one process, measured in the same round. {dask}\n\n{out}",
        sizes.iterations
    )
}
