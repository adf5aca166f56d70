//! The pooling workload (`Workload`): its items in order, the results
//! handed over one by one, the loop stopped on request, and an
//! overflowing size refused up front.
#![allow(clippy::unwrap_used)]

use common::workloads::Workload;
use common::{WorkloadError, cube};

/// A workload runs its items in order, hands each result over, stops
/// at the first error `each` returns, and refuses an overflowing size
/// up front.
#[test]
fn workload_runs_in_order_and_stops_when_asked() {
    let workload = Workload {
        items: 4,
        iterations: 10,
    };
    let mut seen = Vec::new();
    let results = workload.run_sequential(|result| {
        seen.push(result.item);
        Ok::<_, WorkloadError>(())
    });
    assert_eq!(seen, [1, 2, 3, 4]);
    assert_eq!(results.unwrap()[3].result, 40);
    let mut calls = 0;
    let stopped = workload.run_sequential(|_| {
        calls += 1;
        if calls == 2 {
            Err(cube(i64::MAX).unwrap_err())
        } else {
            Ok(())
        }
    });
    assert!(stopped.is_err());
    assert_eq!(calls, 2, "no item runs after the error");
    let huge = Workload {
        items: 3,
        iterations: u64::MAX / 2,
    };
    let err = huge.check().unwrap_err();
    assert!(err.to_string().contains("overflows u64"), "{err}");
}
