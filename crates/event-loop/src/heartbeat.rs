//! Beyond the Python program: a heartbeat, a callback due every second on
//! the same loop (`loop.call_at(start + n - 0.5, tick)`), standing for
//! everything else a loop serves (sockets, other tasks). It ticks on the
//! half seconds (0.5 s, 1.5 s, ...) because the chain's callbacks fall on
//! whole seconds (whole-second blocks, 1 s apart): a tick is never due at
//! the same moment as a callback, so which of the two runs first is never
//! a question.
//!
//! The A, B, C chain schedules each next callback *after* its own block, so
//! the chain itself is never late; the heartbeat is, by as much as the loop
//! was blocked. That is the damage `time.sleep` in a callback does.
//!
//! On the timeline each tick is a mark where it was due and a thin bar
//! where it ran: on time, the bar sits under its mark; after a block, the
//! overdue ticks' bars bunch up where the block ended.

use runner::SpanKind;

use crate::Pace;
use crate::event_loop::{Called, Loop};
use crate::report::Tick;

/// The heartbeat's name and timeline lane.
pub const HEARTBEAT: &str = "heartbeat";

/// `loop.call_at(start + n - 0.5, tick)`: heartbeat `n`, which schedules
/// `n + 1`. Due at exactly `n - 0.5` seconds (scaled by `pace`), however
/// late the ones before it ran: `call_at`, not `call_later`, so lateness
/// does not add up.
pub(crate) fn schedule(lp: &Loop, pace: Pace, n: u32) {
    let due = pace.secs(f64::from(n) - 0.5);
    let me = lp.clone();
    lp.call_at(
        due,
        HEARTBEAT,
        &format!("heartbeat {n}"),
        move |called| async move {
            let _bar = me
                .out()
                .span(HEARTBEAT, format!("tick {n}"), SpanKind::Work);
            let Called { due, ran } = called;
            me.record().ticks.push(Tick { n, due, ran });
            let late = called.lateness().as_secs_f64();
            me.say(
                HEARTBEAT,
                format!("tick {n}: due {:.3} s, late {late:.3} s", due.as_secs_f64()),
            );
            if !me.is_stopping() {
                schedule(&me, pace, n + 1);
            }
        },
    );
}
