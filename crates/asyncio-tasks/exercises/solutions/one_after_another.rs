//! Exercise 2, solved: the three coroutines awaited one after the other,
//! as Python's `await factorial(10); await fibonacci(10); ...` would. Each
//! `.await` runs its coroutine to the end before the next one starts, so
//! nothing overlaps: 9 + 10 + 10 steps take 29 delays, not 10.
//!
//! Check: `cargo test -p asyncio-tasks --features solutions --test exercises one_after_another`

use asyncio_tasks::Config;
use asyncio_tasks::pause::Ctx;
use asyncio_tasks::port;
use asyncio_tasks::run::Steps;
use common::{BigUint, WorkloadError};

/// The three coroutines, awaited one after the other (no `spawn`).
pub async fn one_after_another(ctx: Ctx, config: &Config) -> Result<[BigUint; 3], WorkloadError> {
    let steps = Steps::new(config)?;
    // Awaiting a future runs it here, in this task: a sleep inside it
    // pauses this task, and no other task of ours exists to run meanwhile.
    let factorial = port::factorial(ctx.clone(), config.factorial_n, steps.factorial).await;
    let fibonacci = port::fibonacci(ctx.clone(), config.fibonacci_n, steps.fibonacci).await;
    let (n, k) = (config.binomial_n, config.binomial_k);
    let binomial = port::binomial_coefficient(ctx, n, k, steps.binomial).await;
    Ok([factorial, fibonacci, binomial])
}
