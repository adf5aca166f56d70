//! Worked solution: the `select!` loop of the cancel-safety pitfall, fixed
//! by keeping the half-finished future instead of dropping it.

use tokio::sync::mpsc::Receiver;
use tokio::time::Interval;

/// The length of a message.
pub const MESSAGE: usize = 4;

/// Reads one message of [`MESSAGE`] bytes; `None` if the channel closed
/// first. Hands the receiver back. Not cancel-safe: dropped half-way, it
/// takes the bytes it had with it.
pub async fn read_message(mut rx: Receiver<u8>) -> (Option<String>, Receiver<u8>) {
    let mut bytes = Vec::with_capacity(MESSAGE);
    while bytes.len() < MESSAGE {
        match rx.recv().await {
            Some(byte) => bytes.push(byte),
            None => return (None, rx),
        }
    }
    (Some(String::from_utf8_lossy(&bytes).into_owned()), rx)
}

/// Every message from `rx` until it closes, and how many times `tick`
/// ticked meanwhile.
pub async fn read_all(rx: Receiver<u8>, mut tick: Interval) -> (Vec<String>, usize) {
    let (mut messages, mut ticks) = (Vec::new(), 0);
    // Created once and pinned, so that `select!` can poll it through
    // `&mut` without owning it: when the tick wins, `select!` drops only
    // the reference, and the future keeps the bytes it has read.
    let mut reading = Box::pin(read_message(rx));
    loop {
        tokio::select! {
            (message, rx) = &mut reading => match message {
                Some(message) => {
                    messages.push(message);
                    // Done: the next message gets a new future.
                    reading = Box::pin(read_message(rx));
                }
                None => break, // the channel closed
            },
            _ = tick.tick() => ticks += 1,
        }
    }
    (messages, ticks)
}
