//! Beyond the Python program: a heartbeat, a callback due every second on
//! the same loop (`loop.call_at(start + n, tick)`), standing for everything
//! else a loop serves (sockets, other tasks).
//!
//! The A, B, C chain schedules each next callback *after* its own block, so
//! the chain itself is never late; the heartbeat is, by as much as the loop
//! was blocked. That is the damage `time.sleep` in a callback does.

use std::sync::Arc;

use crate::callbacks::State;
use crate::report::Tick;

/// `loop.call_at(start + n, tick)`: heartbeat `n`, which schedules `n + 1`.
pub(crate) fn schedule(state: &Arc<State>, n: u32) {
    let due = state.settings.pace.secs(f64::from(n));
    let st = Arc::clone(state);
    state.spawn(async move {
        if !st.wait_until(due).await {
            st.cancelled(format!("heartbeat {n} (due {:.3} s)", due.as_secs_f64()));
            return;
        }
        let ran = st.lp.time();
        st.record().ticks.push(Tick { n, due, ran });
        st.out.say(
            "heartbeat",
            format!(
                "tick {n}: due {:.3} s, late {:.3} s",
                due.as_secs_f64(),
                ran.saturating_sub(due).as_secs_f64()
            ),
        );
        if !st.stop.is_cancelled() {
            schedule(&st, n + 1);
        }
    });
}
