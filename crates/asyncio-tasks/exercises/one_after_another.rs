//! Exercise 2, no tasks: Python's
//! `await factorial(10); await fibonacci(10); await binomial_coefficient(20, 10)`
//! awaits each coroutine to its end before the next one starts. Write it:
//! await `port::factorial`, then `port::fibonacci`, then
//! `port::binomial_coefficient`, with the steps of `Steps::new(config)`,
//! and return the three results in that order. (The check measures how
//! long that takes, and in which order the lines come.)
//!
//! Check: `cargo test -p asyncio-tasks --features exercises --test exercises one_after_another`

use asyncio_tasks::Config;
use asyncio_tasks::pause::Ctx;
use asyncio_tasks::run::Steps;
use common::{BigUint, WorkloadError};

/// The three coroutines, awaited one after the other (no `spawn`).
pub async fn one_after_another(ctx: Ctx, config: &Config) -> Result<[BigUint; 3], WorkloadError> {
    let steps = Steps::new(config)?;
    // Your code here: await the three port coroutines one after the other.
    let _ = (ctx, steps);
    Ok([BigUint::default(), BigUint::default(), BigUint::default()])
}
