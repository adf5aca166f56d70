//! Exercise 1: schedule first, then block.
//!
//! The chapter's callbacks block the loop first and schedule the next one
//! after (in `asyncio_event_loop.py`, `time.sleep` comes before
//! `loop.call_later`), so the chain itself is never late: nothing of its
//! own is due while it blocks. Swap the two lines: schedule the next
//! callback 1 s from *now*, then block. Which callbacks run late now, and
//! by how much?
//!
//! Check: `cargo test -p event-loop --features exercises --test exercises schedule_first`

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use event_loop::callbacks::NAMES;
use event_loop::{Called, Loop, StopReason};
use futures::future::BoxFuture;

/// The block times still to come, in whole seconds, one per callback: the
/// chain stops when they run out.
pub type Blocks = Arc<Mutex<VecDeque<u64>>>;

/// Callback `NAMES[index]`: takes the next block time, blocks the loop for
/// it and schedules the next callback 1 s later; stops the loop when no
/// block time is left.
pub fn task(lp: Loop, blocks: Blocks, index: usize, called: Called) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        let name = NAMES[index];
        let next_block = blocks.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
        let Some(seconds) = next_block else {
            return lp.stop(name, StopReason::EndTime);
        };
        lp.say(
            name,
            format!("called: {called}; blocks the loop for {seconds} s"),
        );
        // Your code here: the chapter's order, block then schedule. Move
        // the scheduling (the four lines after the block) above it.
        lp.block(name, Duration::from_secs(seconds));
        let next = (index + 1) % NAMES.len();
        let me = lp.clone();
        lp.call_later(
            Duration::from_secs(1),
            NAMES[next],
            NAMES[next],
            move |called| task(me, blocks, next, called),
        );
    })
}
