//! The direct port of `python/thread_pool.py`'s executor (part 2) and
//! pooling program (part 3, `concurrent_futures_pooling.py`), the Python
//! lines as comments. Part 1 is in `chapter/threads.rs`; the rest of the
//! run, beyond the Python program, in `chapter/`.

use std::sync::mpsc;

use common::{ItemResult, WorkloadError, cube, evaluate_item, workloads::Workload};
use thread_pool::ThreadPoolExecutor;

use crate::chapter::{ChapterError, PHASES, Run};

// def part_executor():
pub fn part_executor(run: &Run) -> Result<(), ChapterError> {
    //     executor = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    let executor = ThreadPoolExecutor::new(2)?;
    //     future = executor.submit(cube, 3)
    let future = executor.submit(|| cube(3));
    //     say("submit(cube, 3).result() = %s" % future.result())
    run.say(format!("submit(cube, 3).result() = {}", future.result()?));
    //     gate = threading.Event()
    let (gate, gate_is_set) = mpsc::channel::<()>();
    //     held = executor.submit(wait_then_cube, gate, 5)
    let held = executor.submit(move || {
        let _ = gate_is_set.recv(); // gate.wait()
        cube(5)
    });
    //     before = held.done()
    let before = held.done();
    //     gate.set()
    let _ = gate.send(());
    //     result = held.result()   (Rust's result() consumes the handle: wait, look, take)
    held.wait();
    let (after, result) = (held.done(), held.result()?);
    //     say("done() while held: %s; after it ran: %s; result %s" % (before, held.done(), result))
    run.say(format!(
        "done() while held: {before}; after it ran: {after}; result {result}"
    ));
    //     say("map(cube, [2, 4, 6, 8]) = %s (input order)" % list(executor.map(cube, [2, 4, 6, 8])))
    let mapped: Vec<_> = executor.map(cube, [2, 4, 6, 8]).collect::<Result<_, _>>()?;
    run.say(format!(
        "map(cube, [2, 4, 6, 8]) = {mapped:?} (input order)"
    ));
    //     around = [executor.submit(cube, 7), executor.submit(cube, 3_000_000),
    //               executor.submit(fail), executor.submit(cube, 9)]
    let first = executor.submit(|| cube(7));
    let failing = executor.submit(|| cube(3_000_000)); // an i64 overflows: an Err
    let panicking = executor.submit(|| -> Result<i64, WorkloadError> {
        panic!("this task panicked on purpose") // Rust's uncaught exception
    });
    let last = executor.submit(|| cube(9));
    //     say("cube(3000000) -> %s (a Python int does not overflow)" % around[1].result())
    let failed = failing.result().expect_err("3000000³ overflows an i64");
    run.say(format!("failing task -> {failed}"));
    //     say("raising task -> exception(): %r" % around[2].exception())
    let panicked = panicking.result().expect_err("the task panics");
    run.say(format!("panicking task -> {panicked}"));
    //     say("the tasks around them still finished: %s" % [around[0].result(), around[3].result()])
    let around = [first.result()?, last.result()?];
    run.say(format!("the tasks around them still finished: {around:?}"));
    //     executor.shutdown(wait=True)
    let report = executor.shutdown();
    //     say("shutdown(): every task done: %s" % all(f.done() for f in [future, held, *around]))
    run.say(format!("shutdown(): {report}")); // N tasks completed, N workers joined
    Ok(())
}

// def evaluate(item):
fn evaluate(run: &Run, item: u64, iterations: u64) -> Result<ItemResult, WorkloadError> {
    let _bar = run.work_bar(format!("item {item}"));
    //     result_item = count(item)
    let result_item = evaluate_item(item, iterations)?;
    //     say("Item %s, result %s" % (item, result_item))
    run.say(result_item);
    run.tally.item_done();
    Ok(result_item)
}

// def part_compare(items, workers):
pub fn part_compare(run: &Run, work: Workload, workers: usize) -> Result<(), ChapterError> {
    //     number_list = list(range(1, items + 1))
    let number_list = work.numbers();
    //     start_time = time.perf_counter()
    let start_time = run.phase(PHASES[0], work.items);
    //     for item in number_list:
    for item in number_list.clone() {
        //         evaluate(item)
        evaluate(run, item, work.iterations)?;
        run.interrupt.check()?; // Ctrl-C stops between items
    }
    //     say("Sequential Execution in %s seconds" % (time.perf_counter() - start_time))
    let seconds = run.phase_done(start_time);
    run.say(format!("sequential phase: {seconds:.3} s"));
    //     start_time = time.perf_counter()
    let start_time = run.phase(PHASES[1], work.items);
    //     with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
    let executor = ThreadPoolExecutor::new(workers)?;
    let stopper = executor.stopper(); // Ctrl-C: what has not started is cancelled
    let _on_ctrl_c = run.interrupt.on_interrupt(move || stopper.stop());
    let mut futures = Vec::new();
    //         for item in number_list:
    for item in number_list {
        let run = run.clone();
        //             executor.submit(evaluate, item)
        futures.push(executor.submit(move || evaluate(&run, item, work.iterations)));
    }
    // (the `with` block's end: wait for every task, then shut down)
    let waiting = run.block_bar("waits for the pool");
    for future in futures {
        future.result()?;
    }
    executor.shutdown();
    drop(waiting);
    //     say("Thread Pool Execution in %s seconds" % (time.perf_counter() - start_time))
    let seconds = run.phase_done(start_time);
    run.say(format!("thread pool phase: {seconds:.3} s"));
    Ok(())
}

#[cfg(test)]
mod tests;
