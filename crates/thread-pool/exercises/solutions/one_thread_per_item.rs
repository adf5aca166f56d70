//! Exercise 3, solved: part 3's pooled phase without a pool, one thread
//! per item.

use std::thread;

use common::workloads::Workload;
use common::{ItemResult, evaluate_item};
use runner::Recorder;

/// Anything that can go wrong: a thread that cannot start, an overflow.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Every item on a thread of its own; the results in item order.
pub fn evaluate_scoped(out: &Recorder, work: Workload) -> Result<Vec<ItemResult>, Error> {
    thread::scope(|scope| {
        // Start them all first, then join: joining each right after
        // starting it would run the items one after another.
        let mut handles = Vec::new();
        for item in work.numbers() {
            let handle = thread::Builder::new()
                .name(format!("item-{item}"))
                .spawn_scoped(scope, move || {
                    let result = evaluate_item(item, work.iterations)?;
                    out.say_here(result); // `out` is borrowed: the scope outlives it
                    Ok::<_, common::WorkloadError>(result)
                })?;
            handles.push(handle);
        }
        // If a spawn fails above, `?` returns from the closure and the
        // scope still joins the threads already started.
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(result) => Ok(result?),
                Err(_) => Err("an item's thread panicked".into()),
            })
            .collect()
    })
}
