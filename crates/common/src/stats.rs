//! The median, defined once for every figure the workspace reports (the
//! chapters' `--part compare`, distributed-pool's `bench`, the benchmarks'
//! `compare`): the middle value, or the mean of the two middle values of
//! an even count, so that "median" means the same number everywhere.
//!
//! Why a median: on a shared machine a few runs are slowed by whatever
//! else runs, and the median ignores them where a mean would not.

use std::time::Duration;

/// The median of `samples`; `None` for no samples. NaNs are not expected
/// (the samples are times and ratios of times).
pub fn median(samples: &[f64]) -> Option<f64> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    middle(&sorted, |a, b| (a + b) / 2.0)
}

/// The median of `times`; `None` for none.
pub fn median_duration(times: &[Duration]) -> Option<Duration> {
    let mut sorted = times.to_vec();
    sorted.sort();
    middle(&sorted, |a, b| (a + b) / 2)
}

/// The middle of `sorted`, or the `mean` of its two middle values.
fn middle<T: Copy>(sorted: &[T], mean: impl Fn(T, T) -> T) -> Option<T> {
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => sorted.get(mid).copied(),
        _ => Some(mean(*sorted.get(mid - 1)?, *sorted.get(mid)?)),
    }
}
