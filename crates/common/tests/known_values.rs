//! The workloads' known values, their limits, and the count loop that
//! really runs.
#![allow(clippy::unwrap_used)]

use common::workloads::{BinomialSteps, FibonacciSteps, limits};
use common::{BigUint, binomial, count, cube, evaluate_item, factorial, fibonacci, sum_to};

fn big(n: u64) -> BigUint {
    BigUint::from(n)
}

/// Small factorials, including the empty product 0! = 1.
#[test]
fn factorial_known_values() {
    assert_eq!(factorial(0).unwrap(), big(1));
    assert_eq!(factorial(1).unwrap(), big(1));
    assert_eq!(factorial(10).unwrap(), big(3_628_800));
    assert_eq!(factorial(20).unwrap(), big(2_432_902_008_176_640_000));
}

/// 100! has 158 digits, begins 93326215443944... and ends in 24 zeros.
#[test]
fn factorial_of_100_has_all_158_digits() {
    let digits = factorial(100).unwrap().to_string();
    assert_eq!(digits.len(), 158);
    assert_eq!(
        digits,
        "93326215443944152681699238856266700490715968264381621468592963895217599993229915608941463976156518286253697920827223758251185210916864000000000000000000000000"
    );
}

/// Above the limit, factorial refuses and names the limit.
#[test]
fn factorial_refuses_above_limit() {
    let err = factorial(limits::FACTORIAL_MAX_N + 1).unwrap_err();
    assert!(err.to_string().contains("at most 100000"), "{err}");
}

/// F(0..=90) against the u128 recurrence, and a large one.
#[test]
fn fibonacci_known_values() {
    let (mut a, mut b) = (0u128, 1u128);
    for n in 0..=90 {
        assert_eq!(fibonacci(n).unwrap(), BigUint::from(a), "F({n})");
        let mut steps = FibonacciSteps::new(n).unwrap();
        assert_eq!(steps.by_ref().count() as u64, n);
        assert_eq!(steps.value(), &BigUint::from(a), "steps F({n})");
        (a, b) = (b, a + b);
    }
    assert_eq!(
        fibonacci(300).unwrap().to_string(),
        "222232244629420445529739893461909967206666939096499764990979600"
    );
}

/// The chapter's values: factorial(10), fibonacci(10), binomial(20, 10).
#[test]
fn chapter_values() {
    assert_eq!(factorial(10).unwrap(), big(3_628_800));
    assert_eq!(fibonacci(10).unwrap(), big(55));
    assert_eq!(binomial(20, 10).unwrap(), big(184_756));
}

/// C(n, 0) = C(n, n) = 1, k > n gives 0, and symmetry is used for huge n.
#[test]
fn binomial_edges() {
    for n in 0..30 {
        assert_eq!(binomial(n, 0).unwrap(), big(1));
        assert_eq!(binomial(n, n).unwrap(), big(1));
        assert_eq!(binomial(n, n + 1).unwrap(), big(0));
    }
    assert_eq!(binomial(u64::MAX, 1).unwrap(), big(u64::MAX));
    assert_eq!(
        binomial(1_000_000_000_000_000_000, 999_999_999_999_999_998).unwrap(),
        BigUint::from(1_000_000_000_000_000_000u128 * 999_999_999_999_999_999u128 / 2)
    );
    assert!(binomial(1_000_000, 500_000).is_err());
}

/// The step-by-step binomial passes through C(n, i) at each step, and
/// runs to 0 when k > n, as the Python loop does.
#[test]
fn binomial_steps_pass_through_each_coefficient() {
    let mut steps = BinomialSteps::new(20, 10).unwrap();
    while let Some(i) = steps.next() {
        assert_eq!(steps.value(), &binomial(20, i).unwrap());
    }
    assert_eq!(steps.into_value(), big(184_756));
    let mut over = BinomialSteps::new(3, 5).unwrap();
    assert_eq!(over.by_ref().count(), 5);
    assert_eq!(over.into_value(), big(0));
}

/// sum_to is the real sum, up to the largest u64.
#[test]
fn sum_to_known_values() {
    assert_eq!(sum_to(0), 0);
    assert_eq!(sum_to(5), 15);
    assert_eq!(sum_to(100), 5050);
    let n = u128::from(u64::MAX);
    // u64::MAX is odd, so (n + 1) is the even factor.
    assert_eq!(sum_to(u64::MAX), n.div_ceil(2) * n);
}

/// cube is exact up to the limit and refuses one past it.
#[test]
fn cube_checks_overflow() {
    assert_eq!(cube(3), Ok(27));
    assert_eq!(cube(-4), Ok(-64));
    let max = limits::CUBE_MAX_ABS;
    assert_eq!(cube(max), Ok(max * max * max));
    assert_eq!(cube(-max), Ok(-max * max * max));
    let err = cube(max + 1).unwrap_err();
    assert!(err.to_string().contains("2097151"), "{err}");
    assert!(cube(i64::MIN).is_err());
}

/// count returns iterations * number, and refuses an overflowing product
/// at once (before looping).
#[test]
fn count_results_and_overflow() {
    assert_eq!(count(0, 1_000), Ok(0));
    assert_eq!(count(7, 0), Ok(0));
    assert_eq!(count(10, 12_345), Ok(123_450));
    let err = count(u64::MAX, u64::MAX).unwrap_err();
    assert!(err.to_string().contains("overflows u64"), "{err}");
    assert_eq!(
        evaluate_item(3, 100).unwrap().to_string(),
        "Item 3, result 300"
    );
}

/// The count loop really runs: 64x the iterations takes clearly longer.
///
/// A loop the optimizer had reduced to a multiply would take the same
/// (near zero) time for both. Timing in a test is normally a flake
/// source, so this compares two runs made back to back with a factor of
/// 64 between them and asks only for a factor of 4; the benchmark
/// `benches/pooling.rs` measures the real slope.
#[test]
fn count_time_grows_with_iterations() {
    use std::time::Instant;
    let time = |iterations| {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(count(1, std::hint::black_box(iterations)).unwrap());
                start.elapsed()
            })
            .min()
            .unwrap()
    };
    let small = time(200_000);
    let large = time(12_800_000);
    assert!(
        large > small * 4,
        "count(12.8M) took {large:?}, count(200k) took {small:?}: the loop looks optimized away"
    );
}
