//! Worked solution of exercise 3 of docs/asyncio-and-futures.md:
//! `loop.run_in_executor` by hand, on a thread of your own.

/// Runs `work` on a new thread named `name` and awaits its value.
pub async fn on_own_thread<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<T> {
    let (send, receive) = tokio::sync::oneshot::channel();
    let thread = std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            // The receiver is gone only if the awaiting task was dropped.
            let _ = send.send(work());
        })?;
    // Awaiting the receiver holds no thread: the loop runs other tasks
    // until the sender wakes this one.
    let value = receive.await;
    // The thread has sent its value (or panicked) and is ending: this join
    // blocks for microseconds at most, and leaves no thread behind.
    let joined = thread.join();
    match (value, joined) {
        (Ok(value), Ok(())) => Ok(value),
        _ => Err(std::io::Error::other(format!("the thread {name} panicked"))),
    }
}
