//! Exercise: the `select!` loop of the cancel-safety pitfall, fixed the
//! other way: keep the half-finished future instead of dropping it.
//!
//! `--part cancel-safety` shows a loop that waits for the next message or
//! a tick, and loses the bytes a message had so far each time the tick
//! wins, because `select!` drops the `read_message` future. Its fix there
//! keeps the bytes in the loop. Here, keep `read_message` as it is (not
//! cancel-safe) and never drop it before it is done: create it once, before
//! the loop, pinned (`Box::pin`), and race `&mut` it against the tick, so
//! that a tick only pauses it; create the next one when it has returned a
//! message. `read_message` takes the receiver and hands it back, so that
//! the next one can have it.
//!
//! Count the ticks, and return every message (all four arrive whole) with
//! the number of ticks, when the channel closes.
//!
//! Check it: `cargo test -p task-manipulation --features exercises --test exercises cancel_safe_reader`

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
    // Your code here: a loop of `tokio::select!` over a pinned
    // `read_message` future (`&mut` it) and `tick.tick()`.
    let _ = (rx, &mut tick, read_message);
    (Vec::new(), 0)
}
