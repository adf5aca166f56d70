//! The pooling comparison of `concurrent_futures_pooling.py`, beyond the
//! direct port: items 1..=10 through Python's `evaluate(item)` (here
//! `common::evaluate_item`) sequentially, on the `thread-pool` crate's
//! `ThreadPoolExecutor` and on this process pool; every line labelled with
//! who computed it, the three phases run `--rounds` times in turn, so that
//! the speedups are medians with a spread ([`super::verdict`] says what
//! they show). In Python only the process pool speeds the loop up (the
//! GIL); in Rust both pools can, and processes win for other reasons
//! (`faults`; the page says when).
//!
//! With `--timeline`: a bar per phase on the `phases` lane, a bar per item
//! on `main`, on the thread's lane (`worker-0`, ...) or on the worker
//! process's (`pid 4242`). Ctrl-C kills the process pool's workers at
//! once; the thread pool cancels what has not started, the loop stops
//! after its item.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::clock::thread_label;
use common::workloads::Workload;
use common::{ItemResult, evaluate_item};
use process_pool::{PoolError, ProcessPoolExecutor, TaskError, as_completed};
use runner::{Interrupted, SpanKind};
use thread_pool::ThreadPoolExecutor;

use super::tasks::{ChapterTask, TaskOutput};
use super::verdict::{seconds, summarize};
use super::{PhaseError, Run, lane, pid_list, stop_on_ctrl_c, submit};

/// The phases, as the Ctrl-C summary names them.
pub const PHASES: [&str; 3] = [SEQUENTIAL, THREADS, PROCESSES];
const SEQUENTIAL: &str = "sequential";
const THREADS: &str = "thread pool";
/// The process pool's phase (alone, it is `--part pool`).
pub const PROCESSES: &str = "process pool";
/// Rounds 2 and later, as the Ctrl-C summary names them.
const MORE_ROUNDS: &str = "timing rounds";

/// An item as computed on the process pool, with the worker that ran it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PooledItem {
    /// The item and its result.
    pub result: ItemResult,
    /// The pid of the worker process that computed it.
    pub pid: u32,
}

/// The process-pool phase's results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessPhase {
    /// Results in item order, with the worker pid of each.
    pub items: Vec<PooledItem>,
    /// Time of the phase, starting and reaping the workers included (as in
    /// Python's `with` block).
    pub time: Duration,
    /// The workers' pids.
    pub worker_pids: Vec<u32>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareReport {
    /// Sequential results of the first round, in item order.
    pub sequential: Vec<ItemResult>,
    /// Thread-pool results of the first round, in item order.
    pub threads: Vec<ItemResult>,
    /// The first round's process-pool phase.
    pub processes: ProcessPhase,
    /// Each phase's time in every round, in round order.
    pub times: Times,
}

/// Each phase's time, round by round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Times {
    /// The loop's.
    pub sequential: Vec<Duration>,
    /// The thread pool's.
    pub threads: Vec<Duration>,
    /// The process pool's (start and reap included).
    pub processes: Vec<Duration>,
}

/// The timeline's lane of the phases themselves, above the workers' lanes.
const PHASES_LANE: &str = "phases";

/// Runs `work` as phase `name` of `round` (from 1), timed, as a bar on the
/// phases' lane. Round 1 prints every item and is the tally's phase; later
/// rounds only time the phases (their bars are still drawn).
fn timed<T, E>(
    run: &Run,
    round: u32,
    name: &str,
    items: u64,
    work: impl FnOnce() -> Result<T, E>,
) -> Result<(T, Duration), E> {
    let what = match round {
        1 => name.to_owned(),
        n => format!("{name}, round {n}"),
    };
    let _bar = run.out.span(PHASES_LANE, what, SpanKind::Work);
    if round == 1 {
        return run.tally.phase(name, items, work);
    }
    let started = Instant::now();
    let value = work()?;
    Ok((value, started.elapsed()))
}

/// Sequential phase: Python's `for item in number_list: evaluate(item)`.
fn run_sequential(
    run: &Run,
    workload: Workload,
    round: u32,
) -> Result<(Vec<ItemResult>, Duration), PhaseError> {
    timed(run, round, SEQUENTIAL, workload.items, || {
        workload
            .numbers()
            .map(|item| {
                let bar = run.out.span("main", format!("item {item}"), SpanKind::Work);
                let result = evaluate_item(item, workload.iterations)?;
                drop(bar);
                if round == 1 {
                    run.out.say("main", result);
                    run.tally.item_done();
                }
                run.interrupt.check()?;
                Ok(result)
            })
            .collect()
    })
}

/// The thread phase: the same items on `workers` threads of the
/// thread-pool chapter's `ThreadPoolExecutor`, read back with `map`
/// (Python: `executor.map(evaluate, number_list)`).
fn run_thread_phase(
    run: &Run,
    workload: Workload,
    workers: usize,
    round: u32,
) -> Result<(Vec<ItemResult>, Duration), PhaseError> {
    timed(run, round, THREADS, workload.items, || {
        let (out, tally, iterations) = (run.out.clone(), run.tally.clone(), workload.iterations);
        let pool = ThreadPoolExecutor::new(workers)?;
        let results = pool.map(
            move |item| {
                let bar = out.span(&thread_label(), format!("item {item}"), SpanKind::Work);
                let result = evaluate_item(item, iterations)?;
                drop(bar);
                if round == 1 {
                    out.say_here(result);
                    tally.item_done();
                }
                Ok(result)
            },
            workload.numbers(),
        );
        // Every item is queued now; while they are read back, Ctrl-C cancels
        // the ones no thread has started.
        let stopper = pool.stopper();
        let _stop = run.interrupt.on_interrupt(move || stopper.stop());
        Ok(results.collect::<Result<Vec<_>, _>>()?)
    })
}

/// The process-pool phase (alone: `--part pool`, round 1): starts
/// `workers` worker processes, submits every item, prints each result as
/// it arrives (labelled with the worker's pid); in item order.
pub fn run_process_phase(
    run: &Run,
    workload: Workload,
    workers: usize,
    round: u32,
) -> Result<ProcessPhase, PhaseError> {
    workload.check()?;
    let ((items, worker_pids), time) = timed(run, round, PROCESSES, workload.items, || {
        // Python: `with ProcessPoolExecutor(max_workers=5) as executor:`
        let pool = ProcessPoolExecutor::new(workers)?;
        let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
        let worker_pids = pool.worker_pids();
        let bar = run.screen.bar(workload.items, "process pool");
        if round == 1 {
            let pids = pid_list(&worker_pids);
            run.out.say(
                "main",
                format!("process pool: {workers} worker processes, pids {pids}"),
            );
        }
        // Python: `executor.submit(evaluate, item)` for each item.
        let iterations = workload.iterations;
        let handles = workload
            .numbers()
            .map(|item| {
                let task = ChapterTask::Evaluate { item, iterations };
                submit(run, &pool, task, &format!("item {item}"))
            })
            .collect::<Result<Vec<_>, PoolError>>()?;
        let mut by_item = BTreeMap::new();
        // Python's `as_completed`: results in the order they finish.
        for done in as_completed(handles) {
            let item = done.index as u64 + 1;
            let pid = done.worker_pid.unwrap_or(0);
            let result = match done.outcome {
                Ok(TaskOutput::Item { item, result }) => ItemResult { item, result },
                Ok(other) => {
                    let error = TaskError::Protocol(format!("unexpected output: {other}"));
                    return Err(PhaseError::Item { item, error });
                }
                Err(_) if run.interrupt.raised() => return Err(Interrupted.into()),
                Err(error) => return Err(PhaseError::Item { item, error }),
            };
            if round == 1 {
                run.out.say(&lane(pid), result);
                bar.inc();
                run.tally.item_done();
            }
            by_item.insert(item, PooledItem { result, pid });
        }
        drop(bar);
        // Leaving the `with` block: shut down, wait, reap. Part of the phase.
        drop(pool);
        Ok::<_, PhaseError>((by_item.into_values().collect(), worker_pids))
    })?;
    Ok(ProcessPhase {
        items,
        time,
        worker_pids,
    })
}

/// The full comparison (`--part compare`): sequential, thread pool,
/// process pool, each timed, `rounds` times in turn; then each pool's
/// median speedup, its spread, and what it means.
pub fn run(
    run: &Run,
    workload: Workload,
    workers: usize,
    rounds: u32,
) -> Result<CompareReport, PhaseError> {
    let say = |message: String| run.out.say("main", message);
    workload.check()?;
    say(format!(
        "sequential: items 1..={} with count({} iterations)",
        workload.items, workload.iterations
    ));
    let (sequential, sequential_time) = run_sequential(run, workload, 1)?;
    say(format!("sequential phase: {}", seconds(sequential_time)));
    say(format!("thread pool: {workers} worker threads"));
    let (threads, threads_time) = run_thread_phase(run, workload, workers, 1)?;
    say(format!("thread pool phase: {}", seconds(threads_time)));
    let processes = run_process_phase(run, workload, workers, 1)?;
    say(format!("process pool phase: {}", seconds(processes.time)));

    let mut times = Times {
        sequential: vec![sequential_time],
        threads: vec![threads_time],
        processes: vec![processes.time],
    };
    if rounds > 1 {
        run.tally.start(MORE_ROUNDS, 0);
        for round in 2..=rounds {
            let (_, s) = run_sequential(run, workload, round)?;
            let (_, t) = run_thread_phase(run, workload, workers, round)?;
            let p = run_process_phase(run, workload, workers, round)?.time;
            say(format!(
                "round {round} of {rounds}: sequential {}, thread pool {}, process pool {}",
                seconds(s),
                seconds(t),
                seconds(p)
            ));
            times.sequential.push(s);
            times.threads.push(t);
            times.processes.push(p);
        }
        run.tally.finish();
    }
    summarize(run, &times, workers);
    Ok(CompareReport {
        sequential,
        threads,
        processes,
        times,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::chapter::progress::Screen;
    use runner::Interrupt;

    /// An overflowing workload is refused before any process starts.
    #[test]
    fn overflow_is_refused_up_front() {
        let workload = Workload {
            items: 3,
            iterations: u64::MAX / 2,
        };
        let run = Run::new(Screen::default(), Interrupt::new());
        let err = run_process_phase(&run, workload, 2, 1).unwrap_err();
        assert!(err.to_string().contains("overflows u64"), "{err}");
        assert!(run.out.lines().is_empty());
    }

    /// The three phases agree, item by item; the process phase's items
    /// were computed by the pool's worker processes, not by this one.
    #[test]
    fn three_phases_agree() {
        let workload = Workload {
            items: 4,
            iterations: 1_000,
        };
        let run = Run::new(Screen::default(), Interrupt::new());
        let report = super::run(&run, workload, 2, 1).unwrap();
        assert_eq!(report.sequential, report.threads);
        let processed: Vec<ItemResult> = report.processes.items.iter().map(|p| p.result).collect();
        assert_eq!(processed, report.sequential);
        for item in &report.processes.items {
            assert!(report.processes.worker_pids.contains(&item.pid), "{item:?}");
        }
        assert_eq!(
            run.tally.summary(),
            "sequential done (4 items); thread pool done (4 items); process pool done (4 items)"
        );
    }

    /// Rounds after the first time every phase again without printing its
    /// items: one time per phase per round, one line per later round, and
    /// a verdict for each pool.
    #[test]
    fn later_rounds_time_every_phase_quietly() {
        let workload = Workload {
            items: 3,
            iterations: 1_000,
        };
        let run = Run::new(Screen::default(), Interrupt::new());
        let report = super::run(&run, workload, 2, 3).unwrap();
        for times in [
            &report.times.sequential,
            &report.times.threads,
            &report.times.processes,
        ] {
            assert_eq!(times.len(), 3);
        }
        let lines = run.out.messages_of("main");
        let items = run
            .out
            .lines()
            .iter()
            .filter(|l| l.message.starts_with("Item "))
            .count();
        assert_eq!(items, 3 * 3, "round 1 only prints its items");
        assert_eq!(lines.iter().filter(|l| l.starts_with("round ")).count(), 2);
        for pool in [THREADS, PROCESSES] {
            let verdicts = lines
                .iter()
                .filter(|l| l.starts_with(&format!("{pool}: ")))
                .filter(|l| !l.contains(" worker threads") && !l.contains(" worker processes"))
                .count();
            assert_eq!(verdicts, 2, "{pool}: a times line and a verdict: {lines:?}");
        }
        assert!(run.tally.summary().ends_with("timing rounds done"));
    }
}
