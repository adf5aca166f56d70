//! The direct port of `python/concurrent_futures_pooling.py` (`--part
//! port`), to read beside it line by line: the same three phases, each
//! timed, printing the same lines. Python's lines are in the comments.
//!
//! What had to change, and why:
//! - `executor.submit(evaluate, item)` hands the pool a *function*. The
//!   thread pool takes a closure just as well; a worker process cannot
//!   receive a Rust function at all, so the process pool gets a task
//!   *value*, `ChapterTask::PrintEvaluate { item, iterations }`, which the
//!   worker matches on to call the same `evaluate` (`chapter/tasks.rs`).
//! - `ITERATIONS` is a global in Python (set in the workers by the pool's
//!   initializer); here it is a parameter, carried inside each task.
//! - `count` is `common::count`: the same loop, checked, so that an
//!   overflowing `item * iterations` is an error instead of a wrapped number.
//! - Python throws every future away, and with it any exception; here each
//!   handle is read, so that a failed item fails the run.
//! - Ctrl-C: one line per pool (`stop_on_ctrl_c`), beyond the Python
//!   program, so that an interrupted port leaves no worker behind.
//!
//! Everything else in the crate (labelled lines, repeated timing, the
//! timeline, the API tour, the faults) is beyond the Python program.

use std::time::Instant;

use common::{WorkloadError, count};
use process_pool::ProcessPoolExecutor;
use runner::Interrupt;
use thread_pool::ThreadPoolExecutor;

use crate::chapter::tasks::ChapterTask;
use crate::chapter::{PhaseError, stop_on_ctrl_c};

/// `def evaluate(item):`, run in the main thread, in a pool thread, or in
/// a worker process: wherever it runs, it prints its own line.
pub fn evaluate(item: u64, iterations: u64) -> Result<(), WorkloadError> {
    let result_item = count(item, iterations)?; // result_item = count(item)
    // print("Item %s, result %s" % (item, result_item))
    println!("Item {item}, result {result_item}");
    Ok(())
}

/// `def main(items, workers):` (`iterations` is Python's `ITERATIONS`).
pub fn main(
    items: u64,
    iterations: u64,
    workers: usize,
    interrupt: &Interrupt,
) -> Result<(), PhaseError> {
    // number_list = list(range(1, items + 1))
    let number_list: Vec<u64> = (1..=items).collect();

    // Sequential execution
    let start_time = Instant::now(); // start_time = time.perf_counter()
    for &item in &number_list {
        // for item in number_list:
        evaluate(item, iterations)?; //     evaluate(item)
    }
    // print("Sequential Execution in %s seconds" % (time.perf_counter() - start_time))
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Sequential Execution in {seconds} seconds");

    // Thread pool execution
    let start_time = Instant::now();
    {
        // with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as executor:
        let executor = ThreadPoolExecutor::new(workers)?;
        let stopper = executor.stopper();
        let _stop = interrupt.on_interrupt(move || stopper.stop());
        let futures: Vec<_> = number_list
            .iter()
            .map(|&item| {
                // for item in number_list: executor.submit(evaluate, item)
                executor.submit(move || evaluate(item, iterations))
            })
            .collect();
        for future in futures {
            future.result()?;
        }
    } // the end of the `with` block: shut down, join the threads
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Thread Pool Execution in {seconds} seconds");

    // Process pool execution
    let start_time = Instant::now();
    {
        // with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as executor:
        let executor = ProcessPoolExecutor::<ChapterTask>::new(workers)?;
        let _stop = stop_on_ctrl_c(interrupt, &executor);
        let futures = number_list
            .iter()
            .map(|&item| {
                // for item in number_list: executor.submit(evaluate, item)
                executor.submit(ChapterTask::PrintEvaluate { item, iterations })
            })
            .collect::<Result<Vec<_>, _>>()?;
        for future in futures {
            future.result()?;
        }
    } // the end of the `with` block: shut down, reap the workers
    let seconds = start_time.elapsed().as_secs_f64();
    println!("Process Pool Execution in {seconds} seconds");
    Ok(())
}
