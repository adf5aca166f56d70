//! Beyond the Python program: the all-in-one run with the faults a
//! network adds, each switched on by a flag, and the run's timeline.
//!
//! The run is the port's (`port.rs`); beside it runs a small "chaos" task
//! that watches the workers' events and, when asked, kills the worker that
//! takes an item (SIGKILL, mid-task) or kills and restarts the server
//! after some results. The other faults are the workers' own
//! (`--panic-on`, `--exit-before-ack`) or a bad message put on the queue
//! first (`--malformed`). In every case the last line still counts each
//! item once.

use std::collections::HashMap;
use std::convert::Infallible;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use clap::Args;
use distributed_pool::job::Happened;
use distributed_pool::queue::{JOBS_SUBJECT, events_subject};
use distributed_pool::worker::Faults;
use distributed_pool::{Client, Event, LocalCluster, PoolError, WorkerId};
use futures::StreamExt as _;
use runner::{Interrupt, Recorder, SpanId, SpanKind};

use crate::RunArgs;
use crate::port;
use crate::report::conclude;

/// The faults the all-in-one run can show.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct FaultArgs {
    /// Kill (SIGKILL) the worker that takes this item, mid-task; the queue redelivers it.
    #[arg(long, value_name = "ITEM")]
    kill_worker_on: Option<u64>,

    /// Workers panic on this item (each catches it: the item fails, the worker goes on).
    #[arg(long, value_name = "ITEM")]
    panic_on: Option<u64>,

    /// The worker that first runs this item exits after saving its result, before acknowledging it.
    #[arg(long, value_name = "ITEM")]
    exit_before_ack: Option<u64>,

    /// Kill the server after this many results and start it again on the same port and store.
    #[arg(long, value_name = "RESULTS")]
    restart_server_after: Option<u64>,

    /// Put a message that is not a job on the queue before the items.
    #[arg(long)]
    malformed: bool,
}

/// The all-in-one run: a local cluster, the items, the faults asked for.
pub async fn run(args: RunArgs, interrupt: &Interrupt) -> Result<ExitCode, PoolError> {
    let out = Recorder::printing();
    let settings = args.queue;
    let workers = args.workload.workers();
    let title = title(&args);
    let outputs = args
        .output
        .start(&title, &out, interrupt)
        .map_err(PoolError::io("opening the output files"))?;
    let faults = Faults {
        panic_on: args.faults.panic_on,
        exit_before_ack: args.faults.exit_before_ack,
    };
    let (cluster, client) = port::start(workers, &settings, faults, &out).await?;
    // Ctrl-C kills every process of the cluster at once; the way out
    // below (or the cluster's Drop) reaps them.
    let _kill_on_interrupt = interrupt.on_interrupt(cluster.killer());
    // A forced exit skips the cluster's Drop: remove the server's folder.
    let store = cluster.store();
    interrupt.at_forced_exit(move || {
        let _ = std::fs::remove_dir_all(&store);
    });
    interrupt.set_summary(|| "the local cluster was killed; its queue went with it".to_owned());
    if args.faults.malformed {
        let js = &client.queue().js;
        // Queued once the stream acknowledges it (the second `.await`).
        let sent = async {
            js.publish(JOBS_SUBJECT, "this is not a job".into())
                .await?
                .await
        };
        sent.await
            .map_err(PoolError::nats("queueing a malformed message"))?;
        out.say("main", "put a message that is not a job on the queue");
    }
    let work = args.workload.workload();
    let chaos = chaos(args.faults, &cluster, &client, &out, settings.ack_wait);
    let stop = interrupt.token();
    let report = tokio::select! {
        report = port::evaluate_all(&client, work, args.timeout, &out, &stop) => report,
        Err(error) = chaos => Err(error),
    };
    if let Ok(report) = &report
        && report.stopped.is_none()
    {
        // Every result is in; a job may still be out (a second run of a
        // job whose first worker died after saving): wait for the queue to
        // empty, so that what the queue does is seen to the end.
        let limit = settings.ack_wait * u32::try_from(settings.max_deliver).unwrap_or(1)
            + Duration::from_secs(2);
        match client.queue().drained(limit).await {
            0 => out.say("main", "the queue is empty: every job acknowledged"),
            left => out.say(
                "main",
                format!(
                    "{left} jobs still unacknowledged after {:.1} s",
                    limit.as_secs_f64()
                ),
            ),
        }
    }
    client.close().await;
    // Stopping the server waits for it (up to 2 s): off the async thread.
    let stopping = Arc::clone(&cluster);
    let _ = tokio::task::spawn_blocking(move || stopping.shutdown()).await;
    outputs
        .finish()
        .map_err(PoolError::io("writing the output files"))?;
    let report = report?;
    let rest = match report.withdrawn {
        0 => "the local cluster was stopped, its queue with it".to_owned(),
        withdrawn => {
            format!("withdrew {withdrawn} unfinished tasks; the local cluster was stopped")
        }
    };
    Ok(conclude(&report, &rest))
}

/// The timeline's title: what ran, and which faults.
fn title(args: &RunArgs) -> String {
    let mut title = format!(
        "distributed-pool: {} items of count({}) on {} worker processes",
        args.workload.items, args.workload.iterations, args.workload.workers
    );
    if let Some(item) = args.faults.kill_worker_on {
        title.push_str(&format!(", the worker of item {item} killed"));
    }
    if let Some(results) = args.faults.restart_server_after {
        title.push_str(&format!(", the server restarted after {results} results"));
    }
    title
}

/// How far into its item the worker of `--kill-worker-on` is killed when
/// no item has finished yet to say how long one takes (otherwise: half
/// the mean time of those finished).
const KILL_AFTER: Duration = Duration::from_millis(100);

/// Watches the workers' events and does what the fault flags ask; never
/// returns, but for an error.
async fn chaos(
    faults: FaultArgs,
    cluster: &Arc<LocalCluster>,
    client: &Client,
    out: &Recorder,
    ack_wait: Duration,
) -> Result<Infallible, PoolError> {
    let watching = faults.kill_worker_on.is_some()
        || faults.exit_before_ack.is_some()
        || faults.restart_server_after.is_some();
    if watching {
        let nats = client.queue().js.client();
        let mut events = nats
            .subscribe(events_subject(client.batch()))
            .await
            .map_err(PoolError::nats("watching the workers"))?;
        let mut chaos = Chaos {
            faults,
            cluster,
            client,
            out,
            ack_wait,
            started: HashMap::new(),
            took: Vec::new(),
            results: 0,
            victim: None,
            waiting: None,
        };
        let kill_at = tokio::time::sleep(Duration::MAX);
        tokio::pin!(kill_at);
        loop {
            tokio::select! {
                message = events.next() => {
                    let Some(message) = message else { break };
                    let Ok(event) = serde_json::from_slice::<Event>(&message.payload) else {
                        continue;
                    };
                    match event.what {
                        Happened::Started => {
                            if let Some(when) = chaos.on_started(event) {
                                kill_at.as_mut().reset(when);
                            }
                        }
                        Happened::Finished { kept } => chaos.on_finished(event, kept).await?,
                    }
                }
                () = &mut kill_at, if chaos.victim.is_some() => chaos.kill(),
            }
        }
    }
    std::future::pending().await
}

/// What the chaos task keeps between the workers' events.
struct Chaos<'a> {
    /// The faults still to cause: a kill and a restart are taken out once done.
    faults: FaultArgs,
    cluster: &'a Arc<LocalCluster>,
    client: &'a Client,
    out: &'a Recorder,
    ack_wait: Duration,
    /// When each run under way started, by item and worker.
    started: HashMap<(u64, WorkerId), Instant>,
    /// How long the runs finished so far took.
    took: Vec<Duration>,
    /// Results saved so far.
    results: u64,
    /// The worker to kill, its item, and how far into it.
    victim: Option<(WorkerId, u64, Duration)>,
    /// The killed job's wait in the queue, ended when it is redelivered.
    waiting: Option<(u64, SpanId)>,
}

impl Chaos<'_> {
    /// A worker took `item`: notes when; if it is the item of
    /// `--kill-worker-on`, returns when to kill the worker.
    fn on_started(&mut self, event: Event) -> Option<Instant> {
        let Event {
            item,
            worker,
            delivery,
            ..
        } = event;
        // The killed job is back: its wait in the queue ends.
        if delivery > 1
            && self.waiting.as_ref().is_some_and(|(of, _)| *of == item)
            && let Some((_, span)) = self.waiting.take()
        {
            self.out.end(span);
        }
        let now = Instant::now();
        self.started.insert((item, worker.clone()), now);
        if self.faults.kill_worker_on != Some(item) {
            return None;
        }
        self.faults.kill_worker_on = None;
        // Halfway through, judged by the items done so far.
        let delay = match u32::try_from(self.took.len()) {
            Ok(count) if count > 0 => self.took.iter().sum::<Duration>() / count / 2,
            _ => KILL_AFTER,
        };
        self.victim = Some((worker, item, delay));
        Some(now + delay)
    }

    /// Kills the victim (SIGKILL), marks its lane, and starts the bar of
    /// its job's wait in the queue.
    fn kill(&mut self) {
        let Some((worker, item, delay)) = self.victim.take() else {
            return;
        };
        if !self.cluster.kill_worker(worker.pid) {
            return;
        }
        self.client
            .worker_lost(&worker, &format!("killed (SIGKILL) during item {item}"));
        self.out.say(
            "main",
            format!(
                "killed {worker} (SIGKILL) {:.2} s into item {item}: its job is not acknowledged, so the queue offers it again after the ack deadline ({:.1} s)",
                delay.as_secs_f64(),
                self.ack_wait.as_secs_f64()
            ),
        );
        // The job waits in the queue until the deadline passes: a bar of
        // its own, ended by the redelivery.
        let span = self.out.start(
            "queue",
            format!("item {item}: ack deadline"),
            SpanKind::Wait,
        );
        self.waiting = Some((item, span));
    }

    /// A worker finished `item`: learns how long it took, and does what
    /// `--exit-before-ack` and `--restart-server-after` ask.
    async fn on_finished(&mut self, event: Event, kept: bool) -> Result<(), PoolError> {
        let Event {
            item,
            worker,
            delivery,
            ..
        } = event;
        if let Some(started) = self.started.remove(&(item, worker.clone())) {
            self.took.push(started.elapsed());
        }
        if self
            .victim
            .as_ref()
            .is_some_and(|(who, of, _)| *who == worker && *of == item)
        {
            self.victim = None;
            self.out.say(
                "main",
                format!("item {item} was done before the planned kill: give it more --iterations"),
            );
        }
        if !kept {
            return Ok(());
        }
        self.results += 1;
        if self.faults.exit_before_ack == Some(item) && delivery == 1 {
            self.client
                .worker_lost(&worker, &format!("exited before acknowledging item {item}"));
            self.out.say(
                "main",
                format!("{worker} saved item {item}'s result and exits before acknowledging it: the queue offers the job again after the ack deadline ({:.1} s)", self.ack_wait.as_secs_f64()),
            );
        }
        if self.faults.restart_server_after == Some(self.results) {
            self.faults.restart_server_after = None;
            self.out.mark("nats-server", "killed and restarted");
            let restarting = Arc::clone(self.cluster);
            tokio::task::spawn_blocking(move || restarting.restart_server())
                .await
                .map_err(|error| PoolError::ServerStart(error.to_string()))??;
            self.out.say(
                "main",
                format!("killed the server (SIGKILL) after {} results and started it again on the same port: the clients reconnect, the jobs are still on its disk", self.results),
            );
        }
        Ok(())
    }
}
