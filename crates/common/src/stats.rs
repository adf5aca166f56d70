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
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => sorted.get(mid).copied(),
        _ => Some((sorted.get(mid - 1)? + sorted.get(mid)?) / 2.0),
    }
}

/// The median of `times`; `None` for none.
pub fn median_duration(times: &[Duration]) -> Option<Duration> {
    let mut sorted = times.to_vec();
    sorted.sort();
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => sorted.get(mid).copied(),
        _ => Some((*sorted.get(mid - 1)? + *sorted.get(mid)?) / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[]), None);
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            median_duration(&ms(&[30, 10, 20])),
            Some(Duration::from_millis(20))
        );
        assert_eq!(
            median_duration(&ms(&[40, 10, 30, 20])),
            Some(Duration::from_millis(25))
        );
        assert_eq!(median_duration(&[]), None);
    }
}
