//! Exercise 1, solved: schedule first, then block (see
//! `exercises/schedule_first.rs` for the question, and ANSWERS.md).
//!
//! Each callback now asks for the next one 1 s from the moment it starts,
//! and then holds the loop for its block: the next one falls due while the
//! loop is held and runs when the block ends, late by the block less 1 s
//! (when the block is longer than 1 s).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use event_loop::callbacks::NAMES;
use event_loop::{Called, Loop, StopReason};
use futures::future::BoxFuture;

/// The block times still to come, in whole seconds, one per callback: the
/// chain stops when they run out.
pub type Blocks = Arc<Mutex<VecDeque<u64>>>;

/// Callback `NAMES[index]`: takes the next block time, schedules the next
/// callback 1 s later, then blocks the loop; stops the loop when no block
/// time is left.
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
        // Python: loop.call_later(1, task_B, ...) moved above time.sleep.
        let next = (index + 1) % NAMES.len();
        let me = lp.clone();
        lp.call_later(
            Duration::from_secs(1),
            NAMES[next],
            NAMES[next],
            move |called| task(me, blocks, next, called),
        );
        lp.block(name, Duration::from_secs(seconds));
    })
}
