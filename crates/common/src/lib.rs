//! # common: the chapter's shared workloads and helpers
//!
//! The few things every chapter computes (a cube, factorials, Fibonacci
//! numbers, binomial coefficients, the sum 1 + ... + n, the pooling
//! examples' CPU-bound `count` loop), once, used by path dependency.
//!
//! Python's integers are unbounded, so the Python chapter never overflows.
//! Ours must not either:
//! - [`factorial`], [`fibonacci`], [`binomial`] return arbitrary-precision
//!   [`BigUint`]s (from `num-bigint`), exact for every input up to a named
//!   limit that keeps a run within seconds ([`limits`]);
//! - [`sum_to`] returns a `u128`, which holds the sum for every `u64` input;
//! - [`cube`] and [`count`] work on machine integers, as the chapter's
//!   benchmarks need, and return [`WorkloadError::Overflow`] naming the limit
//!   instead of wrapping or panicking.
//!
//! Beside the workloads: [`clock`], the labelled line every chapter prints,
//! [`cli`], the value parsers that make every chapter's flags behave alike,
//! and [`stats`], the one median every reported figure uses.

pub mod cli;
pub mod clock;
pub mod stats;
pub mod workloads;

pub use num_bigint::BigUint;
pub use workloads::{
    BinomialSteps, FactorialSteps, FibonacciSteps, ItemResult, WorkloadError, binomial, count,
    cube, evaluate_item, factorial, fibonacci, limits, sum_to,
};
