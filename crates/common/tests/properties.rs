//! Property tests: the workloads against the identities they must obey.

use common::{BigUint, binomial, factorial, fibonacci, sum_to};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Pascal's rule: C(n, k) = C(n-1, k-1) + C(n-1, k).
    #[test]
    fn pascals_rule(n in 1u64..400, k in 1u64..400) {
        prop_assert_eq!(
            binomial(n, k).unwrap(),
            binomial(n - 1, k - 1).unwrap() + binomial(n - 1, k).unwrap()
        );
    }

    /// Symmetry: C(n, k) = C(n, n - k).
    #[test]
    fn binomial_symmetry(n in 0u64..2_000, k in 0u64..2_000) {
        prop_assume!(k <= n);
        prop_assert_eq!(binomial(n, k).unwrap(), binomial(n, n - k).unwrap());
    }

    /// n! / (n-1)! = n.
    #[test]
    fn factorial_ratio(n in 1u64..600) {
        prop_assert_eq!(factorial(n).unwrap() / factorial(n - 1).unwrap(), BigUint::from(n));
    }

    /// Fibonacci addition: F(m + n) = F(m) F(n + 1) + F(m - 1) F(n).
    #[test]
    fn fibonacci_addition(m in 1u64..3_000, n in 0u64..3_000) {
        prop_assert_eq!(
            fibonacci(m + n).unwrap(),
            fibonacci(m).unwrap() * fibonacci(n + 1).unwrap()
                + fibonacci(m - 1).unwrap() * fibonacci(n).unwrap()
        );
    }

    /// The binomial row sums to 2^n.
    #[test]
    fn binomial_row_sum(n in 0u64..200) {
        let sum: BigUint = (0..=n).map(|k| binomial(n, k).unwrap()).sum();
        prop_assert_eq!(sum, BigUint::from(1u8) << n);
    }

    /// sum_to(n) - sum_to(n - 1) = n, for any u64.
    #[test]
    fn sum_to_difference(n in 1u64..) {
        prop_assert_eq!(sum_to(n) - sum_to(n - 1), u128::from(n));
    }
}
