//! The three coroutines: each step prints a line, then awaits a sleep.
//!
//! Python's versions (the chapter's `asyncio.Task` program) look like
//!
//! ```python
//! async def factorial(number):            # was @asyncio.coroutine
//!     result = 1
//!     for i in range(2, number + 1):
//!         print("Asyncio.Task: Compute factorial(%s)" % i)
//!         await asyncio.sleep(1)          # was `yield from`
//!         result *= i
//!     print("Asyncio.Task - factorial(%s) = %s" % (number, result))
//! ```
//!
//! The arithmetic is not ours to write: `common`'s step iterators
//! ([`FactorialSteps`], [`FibonacciSteps`], [`BinomialSteps`]) perform one
//! step of the exact (big-integer) computation per `next()` and return the
//! step's index `i`. What this module adds is the *async* part: between two
//! steps the coroutine awaits [`Runtime::sleep`], and that `.await` is the
//! point where the executor switches to another task. Without an `.await`
//! inside the loop, one task would run all its steps before the others got
//! a turn.
//!
//! The multiplication happens at the start of a step rather than after the
//! sleep as in Python; nothing can observe the difference, since the value
//! is only printed at the end.

use std::time::Duration;

use common::{BigUint, BinomialSteps, FactorialSteps, FibonacciSteps};
use runner::Recorder;
use runtimes::Runtime;

/// What every task needs besides its numbers: where to print, how to sleep.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The runtime whose `sleep` the task awaits.
    pub runtime: Runtime,
    /// Where the task prints its labelled lines.
    pub recorder: Recorder,
    /// How long each step waits (`--delay`; the chapter's 1 s).
    pub delay: Duration,
}

impl Ctx {
    /// One step's wait: `await asyncio.sleep(delay)`. The executor runs the
    /// other tasks meanwhile.
    async fn pause(&self) {
        self.runtime.sleep(self.delay).await;
    }
}

/// Label of the factorial task's lines.
pub const FACTORIAL: &str = "factorial";
/// Label of the Fibonacci task's lines.
pub const FIBONACCI: &str = "fibonacci";
/// Label of the binomial task's lines.
pub const BINOMIAL: &str = "binomial";

/// `factorial(n)`: for i in 2..=n print `Compute factorial(i)`, wait.
///
/// Takes the already validated steps (see [`FactorialSteps::new`]) so that
/// bad input is refused before any task starts.
pub async fn factorial(ctx: Ctx, n: u64, mut steps: FactorialSteps) -> BigUint {
    for i in steps.by_ref() {
        ctx.recorder
            .say(FACTORIAL, format!("Compute factorial({i})"));
        ctx.pause().await;
    }
    let result = steps.into_value();
    ctx.recorder
        .say(FACTORIAL, format!("factorial({n}) = {result}"));
    result
}

/// `fibonacci(n)`: for i in 0..n print `Compute fibonacci(i)`, wait.
pub async fn fibonacci(ctx: Ctx, n: u64, mut steps: FibonacciSteps) -> BigUint {
    for i in steps.by_ref() {
        ctx.recorder
            .say(FIBONACCI, format!("Compute fibonacci({i})"));
        ctx.pause().await;
    }
    let result = steps.into_value();
    ctx.recorder
        .say(FIBONACCI, format!("fibonacci({n}) = {result}"));
    result
}

/// `binomial_coefficient(n, k)`: for i in 1..=k update the value to
/// C(n, i), print `Compute binomial_coefficient(i)`, wait.
///
/// Python computed `result * (n - i + 1) / i` with float division and
/// printed `184756.0`; C(n, i) is always an integer, and the steps divide
/// exactly, so we print `184756`, exact for any size.
pub async fn binomial(ctx: Ctx, n: u64, k: u64, mut steps: BinomialSteps) -> BigUint {
    for i in steps.by_ref() {
        ctx.recorder
            .say(BINOMIAL, format!("Compute binomial_coefficient({i})"));
        ctx.pause().await;
    }
    let result = steps.into_value();
    ctx.recorder.say(
        BINOMIAL,
        format!("binomial_coefficient({n}, {k}) = {result}"),
    );
    result
}
