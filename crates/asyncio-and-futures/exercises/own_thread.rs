//! Exercise 3 of docs/asyncio-and-futures.md: `loop.run_in_executor` by
//! hand, on a thread of your own.
//!
//! `on_own_thread(name, work)` must run `work` on a new thread called
//! `name`, and give back its value without holding the loop's thread while
//! it runs; the thread is joined before it returns.
//!
//! Check it: `cargo test -p asyncio-and-futures --features exercises --test exercises own_thread`

/// Runs `work` on a new thread named `name` and awaits its value.
pub async fn on_own_thread<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<T> {
    // Your code here: start the thread with `std::thread::Builder` (it takes
    // a name and returns an error instead of panicking), send the value
    // back on a `tokio::sync::oneshot` channel, await the receiver, then
    // join the thread. As it stands `work` runs right here, on the loop.
    let _ = name;
    Ok(work())
}
