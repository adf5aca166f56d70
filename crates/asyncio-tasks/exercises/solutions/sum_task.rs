//! Exercise 1, solved: `sum_to(n)` as a fourth task, one step per
//! [`STEP`] numbers, printing and pausing like the port's three tasks.
//!
//! Check: `cargo test -p asyncio-tasks --features solutions --test exercises sum_task`

use asyncio_tasks::pause::Ctx;

/// The task's label and timeline lane.
pub const SUM: &str = "sum_to";

/// How many numbers one step adds.
pub const STEP: u64 = 1000;

/// `sum_to(n)` as a task that takes turns with the others.
pub async fn sum_to(ctx: Ctx, n: u64) -> u128 {
    let mut total: u128 = 0;
    let mut first = 1;
    while first <= n {
        let last = first.saturating_add(STEP - 1).min(n);
        total += (first..=last).map(u128::from).sum::<u128>();
        ctx.say(SUM, format!("Compute sum_to({last})"));
        // The `.await` is the whole point: here the other tasks get their
        // turn. Without it this task would run all its steps at once.
        ctx.pause(SUM, format!("i={last}")).await;
        match last.checked_add(1) {
            Some(next) => first = next,
            None => break, // n was u64::MAX: nothing is left to add
        }
    }
    ctx.finish(SUM, format!("sum_to({n}) = {total}"));
    total
}
