//! The executor's API, one call at a time (`--part api`): each step calls
//! a `ProcessPoolExecutor` method as Python's would be called, and prints
//! what it did and what came back (the page's table pairs the names). The
//! sleeps (100-300 ms of `ChapterTask::Sleep` in a worker) only make
//! "still running" visible. Ctrl-C stops the pool in use and the tour at
//! the next step.

use std::time::Duration;

use process_pool::{PoolError, ProcessPoolExecutor, ReturnWhen, TaskError, as_completed, wait};

use super::tasks::{ChapterTask, TaskOutput, describe};
use super::{Run, StepError, pid_list, plural, stop_on_ctrl_c, submit, until_running};

fn number(outcome: Result<TaskOutput, TaskError<String>>) -> Result<i64, StepError> {
    match outcome {
        Ok(TaskOutput::Number(n)) => Ok(n),
        other => Err(StepError::Task(describe(&other))),
    }
}

/// `1 task`, `3 tasks`.
fn tasks(n: usize) -> String {
    plural(n, "task", "tasks")
}

/// Runs the tour, printing each step.
pub fn run(run: &Run) -> Result<(), StepError> {
    // Each step says what it saw, then stops here if Ctrl-C came meanwhile.
    let say = |msg: String| {
        run.out.say("main", msg);
        run.interrupt.check()
    };

    // submit / done / result
    let pool = ProcessPoolExecutor::<ChapterTask>::new(2)?;
    let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
    say(format!(
        "ProcessPoolExecutor(max_workers=2): worker pids {}",
        pid_list(&pool.worker_pids())
    ))?;
    let future = submit(run, &pool, ChapterTask::Cube(3), "cube(3)")?;
    let done_before = future.done();
    future.wait();
    let done_after = future.done();
    let pid = future.worker_pid().unwrap_or(0);
    let cube = number(future.result())?;
    say(format!(
        "submit(cube, 3): done() = {done_before} at once, {done_after} after wait; \
         result() = {cube} (computed by pid {pid})"
    ))?;

    // map with chunksize
    let mapped: Vec<i64> = pool
        .map([2, 4, 6, 8].map(ChapterTask::Cube), 2)?
        .map(number)
        .collect::<Result<_, _>>()?;
    // A `Vec<i64>`'s debug form is Python's list: `[8, 64, 216, 512]`.
    say(format!(
        "map(cube, [2, 4, 6, 8], chunksize=2) = {mapped:?} (input order; 2 requests of 2 tasks)"
    ))?;

    // result with a timeout
    let sleep = ChapterTask::Sleep { millis: 300 };
    let mut slow = submit(run, &pool, sleep, "sleep 300 ms")?;
    let first = slow.result_timeout(Duration::from_millis(50));
    let first = match first {
        Err(TaskError::Timeout(_)) => format!("raised TimeoutError: {}", describe(&first)),
        other => return Err(StepError::Task(describe(&other))),
    };
    say(format!("result(timeout=0.05) on a 300 ms task: {first}"))?;
    let second = slow.result_timeout(Duration::from_secs(60));
    say(format!(
        "asked again with a longer timeout: {}",
        describe(&second)
    ))?;

    // as_completed and wait, then map, with timeouts
    let timeout = Duration::from_millis(100);
    let handles = vec![
        pool.submit(ChapterTask::Sleep { millis: 300 })?,
        pool.submit(ChapterTask::Cube(2))?,
    ];
    let mut finished = Vec::new();
    let mut gave_up = Vec::new();
    for item in as_completed(handles).timeout(timeout) {
        match item {
            Ok(done) => finished.push(format!("task {} {}", done.index, describe(&done.outcome))),
            Err(not_done) => {
                gave_up.push(format!("TimeoutError: {not_done}"));
                // They still run: wait, so that the next step has both
                // workers free.
                not_done
                    .pending
                    .iter()
                    .for_each(|(_, handle)| handle.wait());
            }
        }
    }
    finished.extend(gave_up);
    say(format!(
        "as_completed([sleep 300 ms, cube 2], timeout=0.1): {}",
        finished.join(", then ")
    ))?;
    for (return_when, name) in [
        (ReturnWhen::FirstCompleted, "FIRST_COMPLETED"),
        (ReturnWhen::FirstException, "FIRST_EXCEPTION"),
        (ReturnWhen::AllCompleted, "ALL_COMPLETED"),
    ] {
        // For FIRST_EXCEPTION the second task fails: its cube overflows.
        let fails = return_when == ReturnWhen::FirstException;
        let (second, what) = match fails {
            true => (ChapterTask::Cube(3_000_000), "a failing cube"),
            false => (ChapterTask::Cube(4), "cube 4"),
        };
        let handles = vec![
            pool.submit(ChapterTask::Sleep { millis: 200 })?,
            pool.submit(second)?,
        ];
        let split = wait(&handles, None, return_when);
        say(format!(
            "wait([sleep 200 ms, {what}], return_when={name}): {} done, {} not done",
            tasks(split.done.len()),
            tasks(split.not_done.len())
        ))?;
        // Both workers free again before the next step.
        handles.iter().for_each(|handle| handle.wait());
    }
    let tasks_in_order = [
        ChapterTask::Cube(1),
        ChapterTask::Sleep { millis: 300 },
        ChapterTask::Cube(3),
    ];
    let outcomes: Vec<String> = pool
        .map(tasks_in_order, 1)?
        .timeout(timeout)
        .map(|outcome| match outcome {
            Ok(output) => output.to_string(),
            Err(error @ TaskError::Timeout(_)) => format!("TimeoutError ({error})"),
            Err(error) => error.to_string(),
        })
        .collect();
    say(format!(
        "map(fn, [cube 1, sleep 300 ms, cube 3], timeout=0.1): {}; the iterator \
         ends there, and cancels the tasks no worker has started",
        outcomes.join(", then ")
    ))?;
    drop(pool);
    say("pool dropped: shut down, both workers reaped".into())?;

    // cancel: one worker, so the second task waits in the queue
    let pool = ProcessPoolExecutor::<ChapterTask>::new(1)?;
    let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
    let running = submit(
        run,
        &pool,
        ChapterTask::Sleep { millis: 200 },
        "sleep 200 ms",
    )?;
    let queued = pool.submit(ChapterTask::Cube(5))?;
    let cancelled_queued = queued.cancel();
    until_running(&running);
    let cancelled_running = running.cancel();
    say(format!(
        "one worker busy: cancel() on the queued task = {cancelled_queued}, \
         on the running one = {cancelled_running}"
    ))?;
    say(format!(
        "queued task: {}; running task: {}",
        describe(&queued.result()),
        describe(&running.result())
    ))?;

    // shutdown without and with cancel_futures
    for cancel_futures in [false, true] {
        let pool = ProcessPoolExecutor::<ChapterTask>::new(1)?;
        let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
        let first = pool.submit(ChapterTask::Sleep { millis: 100 })?;
        let rest = (1..=3)
            .map(|x| pool.submit(ChapterTask::Cube(x)))
            .collect::<Result<Vec<_>, _>>()?;
        until_running(&first);
        pool.shutdown(true, cancel_futures);
        let mut ran = usize::from(first.result().is_ok());
        let mut cancelled = 0;
        for handle in rest {
            match handle.result() {
                Ok(_) => ran += 1,
                Err(TaskError::Cancelled) => cancelled += 1,
                Err(other) => return Err(StepError::Task(other.to_string())),
            }
        }
        let refused = matches!(pool.submit(ChapterTask::Cube(1)), Err(PoolError::ShutDown));
        say(format!(
            "shutdown(wait=True, cancel_futures={}): {} ran, {cancelled} cancelled; \
             submit afterwards refused: {refused}",
            if cancel_futures { "True" } else { "False" },
            tasks(ran)
        ))?;
    }

    // initializer and max_tasks_per_child
    let pool = ProcessPoolExecutor::builder(1)
        .initializer(ChapterTask::Initialize)
        .max_tasks_per_child(2)
        .build()?;
    let _stop = stop_on_ctrl_c(&run.interrupt, &pool);
    let mut pids = Vec::new();
    let mut initialized_once = true;
    for outcome in pool.map((0..6).map(|_| ChapterTask::WhoAmI), 1)? {
        match outcome {
            Ok(TaskOutput::Worker { pid, initialized }) => {
                initialized_once &= initialized == 1;
                pids.push(pid);
            }
            other => return Err(StepError::Task(describe(&other))),
        }
    }
    pids.dedup();
    say(format!(
        "initializer + max_tasks_per_child=2, 6 tasks on 1 worker: ran in pids {}, \
         each worker initialized once: {initialized_once}",
        pid_list(&pids)
    ))?;
    Ok(())
}
