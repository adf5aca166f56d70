//! The direct port of `python/asyncio_tasks.py`, read beside it line by
//! line: the Python lines are the comments. Three coroutines, each a loop
//! of "print, then await a sleep", run as three tasks; `main` creates them
//! and waits for all three. At each step's `.await` a task gives the loop
//! back and another one runs: the lines interleave, and the run takes the
//! longest task's time.
//!
//! What differs from the Python, on purpose: the arithmetic is `common`'s
//! step iterators ([`FactorialSteps`], [`FibonacciSteps`],
//! [`BinomialSteps`]), one exact big-integer step per `next()`, so the
//! binomial prints `184756` where Python's `/` printed `184756.0` (and the
//! multiplication comes before the sleep, not after: nothing can tell);
//! `print` is [`Ctx::say`], `asyncio.sleep` is [`Ctx::pause`], which also
//! records the step for `--timeline`; a first Ctrl-C cancels the tasks.

use common::{BigUint, BinomialSteps, FactorialSteps, FibonacciSteps};
use runner::{Interrupt, SpanKind};
use runtimes::TaskError;

use crate::pause::Ctx;
use crate::run::{Config, MAIN, Steps};

/// Label (and timeline lane) of the factorial task.
pub const FACTORIAL: &str = "factorial";
/// Label of the Fibonacci task.
pub const FIBONACCI: &str = "fibonacci";
/// Label of the binomial task.
pub const BINOMIAL: &str = "binomial";

// async def factorial(number, delay):
/// `factorial(number)`: for i in 2..=number print `Compute factorial(i)`, wait.
pub async fn factorial(ctx: Ctx, number: u64, mut fact: FactorialSteps) -> BigUint {
    //     fact = 1
    //     for i in range(2, number + 1):
    for i in fact.by_ref() {
        //         print("Compute factorial(%s)" % i)
        ctx.say(FACTORIAL, format!("Compute factorial({i})"));
        //         await asyncio.sleep(delay)
        ctx.pause(FACTORIAL, format!("i={i}")).await;
        //         fact *= i                  (done by the step, above)
    }
    let fact = fact.into_value();
    //     print("factorial(%s) = %s" % (number, fact))
    ctx.finish(FACTORIAL, format!("factorial({number}) = {fact}"));
    fact
}

// async def fibonacci(number, delay):
/// `fibonacci(number)`: for i in 0..number print `Compute fibonacci(i)`, wait.
pub async fn fibonacci(ctx: Ctx, number: u64, mut a: FibonacciSteps) -> BigUint {
    //     a, b = 0, 1
    //     for i in range(number):
    for i in a.by_ref() {
        //         print("Compute fibonacci(%s)" % i)
        ctx.say(FIBONACCI, format!("Compute fibonacci({i})"));
        //         await asyncio.sleep(delay)
        ctx.pause(FIBONACCI, format!("i={i}")).await;
        //         a, b = b, a + b            (done by the step, above)
    }
    let a = a.into_value();
    //     print("fibonacci(%s) = %s" % (number, a))
    ctx.finish(FIBONACCI, format!("fibonacci({number}) = {a}"));
    a
}

// async def binomial_coefficient(n, k, delay):
/// `binomial_coefficient(n, k)`: for i in 1..=k update the value to
/// C(n, i), print `Compute binomial_coefficient(i)`, wait.
pub async fn binomial_coefficient(ctx: Ctx, n: u64, k: u64, mut result: BinomialSteps) -> BigUint {
    //     result = 1
    //     for i in range(1, k + 1):
    //         result = result * (n - i + 1) / i   (exactly, by the step)
    for i in result.by_ref() {
        //         print("Compute binomial_coefficient(%s)" % i)
        ctx.say(BINOMIAL, format!("Compute binomial_coefficient({i})"));
        //         await asyncio.sleep(delay)
        ctx.pause(BINOMIAL, format!("i={i}")).await;
    }
    let result = result.into_value();
    //     print("binomial_coefficient(%s, %s) = %s" % (n, k, result))
    ctx.finish(
        BINOMIAL,
        format!("binomial_coefficient({n}, {k}) = {result}"),
    );
    result
}

// async def main(args):
/// Creates the three tasks and waits until all three are done (or, on a
/// first Ctrl-C, cancelled): each task's value, or why it has none.
pub async fn main(
    ctx: Ctx,
    args: &Config,
    steps: Steps,
    interrupt: &Interrupt,
) -> [Result<BigUint, TaskError>; 3] {
    let runtime = ctx.runtime;
    // The whole wait, on main's lane: as long as the longest task.
    let _wait = ctx
        .recorder
        .span(MAIN, "asyncio.wait(tasks)", SpanKind::Wait);
    //     tasks = [
    //         asyncio.create_task(factorial(args.factorial, args.delay)),
    let fact = runtime.spawn(factorial(ctx.clone(), args.factorial_n, steps.factorial));
    //         asyncio.create_task(fibonacci(args.fibonacci, args.delay)),
    let fib = runtime.spawn(fibonacci(ctx.clone(), args.fibonacci_n, steps.fibonacci));
    //         asyncio.create_task(binomial_coefficient(args.binomial_n, args.binomial_k, args.delay)),
    let (n, k) = (args.binomial_n, args.binomial_k);
    let binom = runtime.spawn(binomial_coefficient(ctx, n, k, steps.binomial));
    //     ]
    //     await asyncio.wait(tasks)
    // (`cancel_on`: a first Ctrl-C cancels a task at its next `.await`, as
    // Python's `task.cancel()` does, and waits until it has stopped.)
    let stop = || interrupt.cancelled();
    let (fact, fib, binom) = futures::join!(
        fact.cancel_on(stop()),
        fib.cancel_on(stop()),
        binom.cancel_on(stop())
    );
    [fact, fib, binom]
}
