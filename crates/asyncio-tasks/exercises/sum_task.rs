//! Exercise 1, a fourth task: `sum_to(n)`, 1 + 2 + ... + n, in steps of
//! [`STEP`] numbers. At each step print `Compute sum_to(i)` (i: the last
//! number the step added) with `ctx.say(SUM, ..)`, then wait with
//! `ctx.pause(SUM, ..).await`, as the port's three tasks do; at the end
//! print `sum_to(n) = total` with `ctx.finish(SUM, ..)`.
//!
//! Check: `cargo test -p asyncio-tasks --features exercises --test exercises sum_task`

use asyncio_tasks::pause::Ctx;

/// The task's label and timeline lane.
pub const SUM: &str = "sum_to";

/// How many numbers one step adds.
pub const STEP: u64 = 1000;

/// `sum_to(n)` as a task that takes turns with the others.
pub async fn sum_to(ctx: Ctx, n: u64) -> u128 {
    // Your code here: add 1..=n, STEP numbers per step, printing and
    // pausing at each step, and return the total.
    let _ = (ctx, n, STEP);
    0
}
