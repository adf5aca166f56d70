//! Exercise 2 of docs/asyncio-and-futures.md: a `direct` job that gives
//! the loop back.
//!
//! `count_cooperatively(number, iterations, chunk)` must return what
//! `common::count(number, iterations)` returns, but run the loop in chunks
//! of at most `chunk` steps, with `tokio::task::yield_now().await` after
//! each one, so that the other tasks on the same thread get a turn.
//!
//! Check it: `cargo test -p asyncio-and-futures --features exercises --test exercises cooperative`

use common::WorkloadError;

/// `count(number, iterations)`, handing the thread back every `chunk` steps
/// (a `chunk` of 0 counts as 1).
pub async fn count_cooperatively(
    number: u64,
    iterations: u64,
    chunk: u64,
) -> Result<u64, WorkloadError> {
    // Your code here: count in chunks (`common::count(number, steps)` for
    // each chunk, summed), with `tokio::task::yield_now().await` between
    // them. As it stands the loop runs in one go: nothing else runs meanwhile.
    let _ = chunk;
    common::count(number, iterations)
}
