//! Exercise 3: part 3's pooled phase without a pool, one thread per item.
//!
//! Write `evaluate_scoped`: start one thread per item with
//! `std::thread::scope`, named `item-<i>`
//! (`thread::Builder::new().name(...).spawn_scoped(scope, ...)`), each
//! computing `common::evaluate_item(i, work.iterations)` and saying its
//! `Item <i>, result <r>` line on `out` (`out.say_here(result)`); return
//! the results in item order. A scoped thread may borrow `out` and `work`:
//! the scope joins every thread before it returns.
//!
//! Check it with
//! `cargo test -p thread-pool --features exercises --test exercises one_thread_per_item`.
//! Then: what changes in the code against the pool, and in the time, with
//! 10 items on 2 cores? And with 10,000 items?

use common::ItemResult;
use common::workloads::Workload;
use runner::Recorder;

/// Anything that can go wrong: a thread that cannot start, an overflow.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Every item on a thread of its own; the results in item order.
pub fn evaluate_scoped(out: &Recorder, work: Workload) -> Result<Vec<ItemResult>, Error> {
    // Your code here: `std::thread::scope(|scope| ...)`, one named thread
    // per item, then join each handle in item order.
    let _ = out;
    Ok(work.run_sequential(|_| Ok::<_, common::WorkloadError>(()))?)
}
