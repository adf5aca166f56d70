//! One batch of async tasks, the shape of every async figure: spawn one
//! task per input, then await each in turn (Python: `await
//! asyncio.gather(*(asyncio.create_task(f(i)) for i in ...))`), on the
//! workspace's one runtime layer (its table of each runtime's own calls is
//! in `crates/runtimes/src/lib.rs`).

use crate::BenchError;
use runtimes::{JoinHandle, Runtime};

/// The async runtime a batch runs on.
#[derive(Debug, Clone, Copy)]
pub enum On<'a> {
    /// A tokio runtime the benchmark built (current-thread, or
    /// multi-thread), kept from batch to batch: building one per batch
    /// would be measured with it.
    Tokio(&'a tokio::runtime::Runtime),
    /// async-std's global executor (discontinued upstream: see the
    /// runtime table in `crates/runtimes/src/lib.rs`).
    AsyncStd,
    /// smol's global executor.
    Smol,
}

/// Spawns one task per input with `spawn(runtime, input)`, all before the
/// first is awaited (so they run meanwhile), then awaits each in order and
/// folds its value into `init` with `fold`. A task that panics, or a
/// `fold` that refuses a value, ends the batch with an error.
///
/// The batch itself runs as a task on the runtime, as the code of an async
/// program (and asyncio's) does: on tokio's multi-thread runtime a spawn
/// from a worker thread goes to that worker's own queue, while a spawn from
/// outside (the thread in `block_on`) goes through the shared injection
/// queue and may wake a parked worker every time, several microseconds
/// each.
pub fn spawn_join<I, T, A>(
    on: On<'_>,
    inputs: I,
    spawn: impl Fn(Runtime, I::Item) -> JoinHandle<T> + Send + 'static,
    init: A,
    mut fold: impl FnMut(A, T) -> Result<A, BenchError> + Send + 'static,
) -> Result<A, BenchError>
where
    I: IntoIterator + Send + 'static,
    T: Send + 'static,
    A: Send + 'static,
{
    // Inside the batch, tokio's own calls (`tokio::spawn`, `time::sleep`)
    // run on the tokio runtime of the calling task, whichever flavour.
    let runtime = match on {
        On::Tokio(_) => Runtime::Tokio,
        On::AsyncStd => Runtime::AsyncStd,
        On::Smol => Runtime::Smol,
    };
    let batch = async move {
        let handles: Vec<JoinHandle<T>> = inputs
            .into_iter()
            .map(|input| spawn(runtime, input))
            .collect();
        let mut folded = init;
        for handle in handles {
            folded = fold(folded, handle.await.map_err(BenchError::task)?)?;
        }
        Ok(folded)
    };
    let done = match on {
        // Spawned on the runtime the benchmark keeps, not a fresh one.
        On::Tokio(tokio) => tokio.block_on(JoinHandle::from(tokio.spawn(batch))),
        On::AsyncStd | On::Smol => runtime.block_on(runtime.spawn(batch)),
    };
    done.map_err(BenchError::task)?
}
