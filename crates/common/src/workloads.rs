//! The workloads of the Python chapter, exact like Python's integers.
//!
//! | Python (the chapter)                      | Rust (here)                          |
//! |-------------------------------------------|--------------------------------------|
//! | `cube(x)` in `thread_pool.py`             | [`cube`] (checked `i64`)             |
//! | `count(number)` in the pooling examples   | [`count`] (checked `u64`, real loop) |
//! | `evaluate(item)` (prints the result)      | [`evaluate_item`] + [`ItemResult`]   |
//! | `factorial(n)` in `asyncio_tasks.py`      | [`factorial`], [`FactorialSteps`]    |
//! | `fibonacci(n)`                            | [`fibonacci`], [`FibonacciSteps`]    |
//! | `binomial_coefficient(n, k)`              | [`binomial`], [`BinomialSteps`]      |
//! | "sum of N integers" in `basic_coroutines` | [`sum_to`]                           |
//!
//! The `*Steps` types are the same computations one step at a time, for the
//! async chapters, which print `Compute factorial(i)` and sleep between
//! steps: each call to `next()` performs one step and returns its index.

use num_bigint::BigUint;
use num_traits::{One, Zero};
use std::fmt;

/// Limits that keep an exact computation within a second or two.
///
/// Python would compute `factorial(10**7)` too, given minutes; these
/// programs are for reading and running, so they refuse with the limit
/// named instead of appearing to hang.
pub mod limits {
    /// Largest `n` accepted by [`factorial`](super::factorial) (456,574 digits).
    pub const FACTORIAL_MAX_N: u64 = 100_000;
    /// Largest `n` accepted by [`fibonacci`](super::fibonacci) (208,988 digits).
    pub const FIBONACCI_MAX_N: u64 = 1_000_000;
    /// Largest number of steps accepted by [`FibonacciSteps`](super::FibonacciSteps),
    /// which adds one step at a time like the Python loop.
    pub const FIBONACCI_STEPS_MAX_N: u64 = 100_000;
    /// Largest `min(k, n - k)` accepted by [`binomial`](super::binomial),
    /// and largest `k` accepted by [`BinomialSteps`](super::BinomialSteps).
    pub const BINOMIAL_MAX_K: u64 = 100_000;
    /// Largest `|x|` whose cube fits in an `i64`.
    pub const CUBE_MAX_ABS: i64 = 2_097_151;
}

/// What can go wrong in a workload: never a wrapped number, never a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkloadError {
    /// A machine-integer result would not fit; the message names the limit.
    #[error("{expression} overflows {ty} (limit: {limit})")]
    Overflow {
        /// The computation that overflowed, e.g. `cube(3000000)`.
        expression: String,
        /// The integer type, e.g. `i64`.
        ty: &'static str,
        /// The limit that was passed, in words.
        limit: String,
    },
    /// An exact result that would take too long to compute here.
    #[error("{function}({n}) is above this program's limit: {what} must be at most {limit}")]
    TooLarge {
        /// The function, e.g. `factorial`.
        function: &'static str,
        /// The argument given.
        n: u64,
        /// Which quantity is limited, e.g. `n`.
        what: &'static str,
        /// The largest accepted value.
        limit: u64,
    },
}

/// Python's `cube(x)`: `x ** 3`, refusing what does not fit in an `i64`.
///
/// ```
/// assert_eq!(common::cube(3), Ok(27));
/// assert!(common::cube(3_000_000).is_err());
/// ```
pub fn cube(x: i64) -> Result<i64, WorkloadError> {
    x.checked_mul(x)
        .and_then(|sq| sq.checked_mul(x))
        .ok_or_else(|| WorkloadError::Overflow {
            expression: format!("cube({x})"),
            ty: "i64",
            limit: format!("|x| <= {}", limits::CUBE_MAX_ABS),
        })
}

/// The chapter's CPU-bound loop: `iterations` increments, then
/// `iterations * number`.
///
/// The Python original is
/// `for i in range(0, 10000000): i += 1` followed by `return i * number`.
/// A plain Rust port of that loop compiles to a single multiply: the
/// optimizer sees that the loop only counts and replaces it by its result.
/// Passing *each iteration's value* through [`std::hint::black_box`] makes
/// the counter opaque to the optimizer, so every iteration really runs
/// (about one per clock cycle). A `black_box` on only the bound or only the
/// result is not enough: the loop is still reduced to a formula.
///
/// The product is checked before the loop starts, so an overflow is
/// reported at once instead of after seconds of counting.
///
/// ```
/// assert_eq!(common::count(3, 1_000), Ok(3_000));
/// ```
pub fn count(number: u64, iterations: u64) -> Result<u64, WorkloadError> {
    let product = iterations
        .checked_mul(number)
        .ok_or_else(|| WorkloadError::Overflow {
            expression: format!("count({number}, iterations = {iterations})"),
            ty: "u64",
            limit: format!("iterations * number <= {}", u64::MAX),
        })?;
    let mut i: u64 = 0;
    while i < iterations {
        // black_box on every value: see the doc comment above.
        i = std::hint::black_box(i + 1);
    }
    debug_assert_eq!(i * number, product);
    Ok(product)
}

/// One item of the pooling example: which item, and what `count` returned.
///
/// Its `Display` is the Python program's line, `Item 3, result 30000000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemResult {
    /// The item (1..=10 in the chapter).
    pub item: u64,
    /// `count(item, iterations)`.
    pub result: u64,
}

impl fmt::Display for ItemResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Item {}, result {}", self.item, self.result)
    }
}

/// Python's `evaluate(item)`: run [`count`] for one item.
///
/// Python's version prints the line itself; here the caller prints the
/// returned [`ItemResult`], so that it can label the line with the time and
/// the thread or process that computed it.
pub fn evaluate_item(item: u64, iterations: u64) -> Result<ItemResult, WorkloadError> {
    Ok(ItemResult {
        item,
        result: count(item, iterations)?,
    })
}

/// The pooling example's workload: items `1..=items` (Python's
/// `number_list`), each counting `iterations` times (Python's loop of
/// 10,000,000 in `count`). The thread-pool and process-pool chapters run it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Workload {
    /// How many items (the chapter: 10).
    pub items: u64,
    /// The count loop's size (the chapter: 10,000,000).
    pub iterations: u64,
}

impl Workload {
    /// Checks, before any counting starts, that the largest item's result
    /// fits in a `u64`, so an overflow is reported at once instead of after
    /// the earlier items have run.
    pub fn check(&self) -> Result<(), WorkloadError> {
        match self.items.checked_mul(self.iterations) {
            Some(_) => Ok(()),
            None => Err(WorkloadError::Overflow {
                expression: format!("count({}, iterations = {})", self.items, self.iterations),
                ty: "u64",
                limit: format!("items * iterations <= {}", u64::MAX),
            }),
        }
    }

    /// The items, `1..=items`.
    pub fn numbers(&self) -> std::ops::RangeInclusive<u64> {
        1..=self.items
    }

    /// Python's `for item in number_list: evaluate(item)`: every item
    /// in turn, each result handed to `each` (which prints it, and may stop
    /// the loop by returning an error, e.g. after Ctrl-C).
    pub fn run_sequential<E: From<WorkloadError>>(
        &self,
        mut each: impl FnMut(ItemResult) -> Result<(), E>,
    ) -> Result<Vec<ItemResult>, E> {
        self.numbers()
            .map(|item| {
                let result = evaluate_item(item, self.iterations)?;
                each(result)?;
                Ok(result)
            })
            .collect()
    }
}

/// The sum 1 + 2 + ... + n, exactly (`u128` holds it for every `u64` n).
///
/// ```
/// assert_eq!(common::sum_to(100), 5050);
/// ```
pub fn sum_to(n: u64) -> u128 {
    let n = u128::from(n);
    // One of n and n + 1 is even, so the division is exact; n * (n + 1)
    // is below 2^128 for every n < 2^64.
    n * (n + 1) / 2
}

/// The error of an argument above the limit that keeps a run short.
fn too_large(function: &'static str, n: u64, what: &'static str, limit: u64) -> WorkloadError {
    WorkloadError::TooLarge {
        function,
        n,
        what,
        limit,
    }
}

/// `n!`, exactly.
///
/// ```
/// assert_eq!(common::factorial(20).unwrap().to_string(), "2432902008176640000");
/// ```
pub fn factorial(n: u64) -> Result<BigUint, WorkloadError> {
    let mut steps = FactorialSteps::new(n)?;
    steps.by_ref().for_each(drop);
    Ok(steps.into_value())
}

/// `factorial(n)` one multiplication at a time, like the Python loop
/// `for i in range(2, n + 1): result *= i`.
///
/// Each `next()` multiplies by the next `i` and returns that `i`.
#[derive(Debug, Clone)]
pub struct FactorialSteps {
    n: u64,
    next_i: u64,
    value: BigUint,
}

impl FactorialSteps {
    /// Start computing `n!`; refuses `n` above [`limits::FACTORIAL_MAX_N`].
    pub fn new(n: u64) -> Result<Self, WorkloadError> {
        if n > limits::FACTORIAL_MAX_N {
            return Err(too_large("factorial", n, "n", limits::FACTORIAL_MAX_N));
        }
        Ok(Self {
            n,
            next_i: 2,
            value: BigUint::one(),
        })
    }

    /// The final or partial product.
    pub fn into_value(self) -> BigUint {
        self.value
    }
}

impl Iterator for FactorialSteps {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.next_i > self.n {
            return None;
        }
        let i = self.next_i;
        self.value *= i;
        self.next_i += 1;
        Some(i)
    }
}

/// The `n`-th Fibonacci number (`F(0) = 0`, `F(1) = 1`), exactly.
///
/// Computed by "fast doubling" (about log2(n) big multiplications):
/// `F(2k) = F(k) * (2 F(k+1) - F(k))` and `F(2k+1) = F(k)^2 + F(k+1)^2`.
/// [`FibonacciSteps`] is the chapter's step-by-step loop.
///
/// ```
/// assert_eq!(common::fibonacci(10).unwrap().to_string(), "55");
/// ```
pub fn fibonacci(n: u64) -> Result<BigUint, WorkloadError> {
    if n > limits::FIBONACCI_MAX_N {
        return Err(too_large("fibonacci", n, "n", limits::FIBONACCI_MAX_N));
    }
    // Walk the bits of n from the most significant, keeping (F(k), F(k+1)).
    let mut a = BigUint::zero(); // F(k)
    let mut b = BigUint::one(); // F(k + 1)
    for bit in (0..u64::BITS - n.leading_zeros()).rev() {
        let two_b_minus_a = (&b << 1u32) - &a; // never negative: F(k+1) >= F(k)
        let f2k = &a * &two_b_minus_a;
        let f2k1 = &a * &a + &b * &b;
        if (n >> bit) & 1 == 0 {
            (a, b) = (f2k, f2k1);
        } else {
            let f2k2 = &f2k + &f2k1;
            (a, b) = (f2k1, f2k2);
        }
    }
    Ok(a)
}

/// `fibonacci(n)` one addition at a time, like the Python loop
/// `a, b = 0, 1; for i in range(n): a, b = b, a + b`.
///
/// Each `next()` performs step `i` (0-based) and returns `i`.
#[derive(Debug, Clone)]
pub struct FibonacciSteps {
    n: u64,
    next_i: u64,
    a: BigUint,
    b: BigUint,
}

impl FibonacciSteps {
    /// Start computing `F(n)`; refuses `n` above [`limits::FIBONACCI_STEPS_MAX_N`].
    pub fn new(n: u64) -> Result<Self, WorkloadError> {
        let max = limits::FIBONACCI_STEPS_MAX_N;
        if n > max {
            return Err(too_large("fibonacci", n, "n", max));
        }
        Ok(Self {
            n,
            next_i: 0,
            a: BigUint::zero(),
            b: BigUint::one(),
        })
    }

    /// `F(i)` after `i` steps (`F(n)` once the iterator is exhausted).
    pub fn value(&self) -> &BigUint {
        &self.a
    }

    /// The final or partial value.
    pub fn into_value(self) -> BigUint {
        self.a
    }
}

impl Iterator for FibonacciSteps {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.next_i >= self.n {
            return None;
        }
        let i = self.next_i;
        let next = &self.a + &self.b;
        self.a = std::mem::replace(&mut self.b, next);
        self.next_i += 1;
        Some(i)
    }
}

/// The binomial coefficient C(n, k), exactly (0 when `k > n`).
///
/// Uses the smaller of `k` and `n - k` (C(n, k) = C(n, n - k)), so
/// `binomial(10^18, 10^18 - 2)` is instant; refuses when even that is above
/// [`limits::BINOMIAL_MAX_K`].
///
/// ```
/// assert_eq!(common::binomial(20, 10).unwrap().to_string(), "184756");
/// ```
pub fn binomial(n: u64, k: u64) -> Result<BigUint, WorkloadError> {
    if k > n {
        return Ok(BigUint::zero());
    }
    let small_k = k.min(n - k);
    let max = limits::BINOMIAL_MAX_K;
    if small_k > max {
        return Err(too_large("binomial", n, "min(k, n - k)", max));
    }
    let mut steps = BinomialSteps::new(n, small_k)?;
    steps.by_ref().for_each(drop);
    Ok(steps.into_value())
}

/// `binomial(n, k)` one step at a time, like the Python loop
/// `for i in range(1, k + 1): result = result * (n - i + 1) / i`.
///
/// After step `i` the value is C(n, i), an integer, so the division is
/// always exact: the Python original printed `184756.0` only because `/` is
/// float division; here it is exact integer division.
#[derive(Debug, Clone)]
pub struct BinomialSteps {
    n: u64,
    k: u64,
    next_i: u64,
    value: BigUint,
}

impl BinomialSteps {
    /// Start computing C(n, k); refuses `k` above [`limits::BINOMIAL_MAX_K`].
    /// With `k > n` the steps run into a zero factor and the result is 0.
    pub fn new(n: u64, k: u64) -> Result<Self, WorkloadError> {
        if k > limits::BINOMIAL_MAX_K {
            return Err(too_large("binomial", k, "k", limits::BINOMIAL_MAX_K));
        }
        Ok(Self {
            n,
            k,
            next_i: 1,
            value: BigUint::one(),
        })
    }

    /// C(n, i) after `i` steps (C(n, k) once the iterator is exhausted).
    pub fn value(&self) -> &BigUint {
        &self.value
    }

    /// The final or partial value.
    pub fn into_value(self) -> BigUint {
        self.value
    }
}

impl Iterator for BinomialSteps {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        if self.next_i > self.k {
            return None;
        }
        let i = self.next_i;
        // n - i + 1, computed in u128 so that n = u64::MAX cannot overflow;
        // it would go below zero once i > n + 1, but by then step n + 1 has
        // already multiplied by zero, so saturating keeps the value at 0.
        let factor = (u128::from(self.n) + 1).saturating_sub(u128::from(i));
        self.value = &self.value * factor / i;
        self.next_i += 1;
        Some(i)
    }
}
