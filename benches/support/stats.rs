//! Medians and human-readable times.
//!
//! The `compare` driver repeats every measurement and reports the median:
//! on a shared machine a few runs are slowed by whatever else runs, and
//! the median ignores them where a mean would not.

/// The median of `samples` (the mean of the two middle ones for an even
/// count); `None` for no samples: the workspace's one median.
pub use common::stats::median;

/// A time in seconds, in the unit that suits it: `1.23 s`, `45.6 ms`,
/// `7.89 us`, `120 ns`, with three significant digits.
pub fn human(seconds: f64) -> String {
    let (value, unit) = if seconds >= 1.0 {
        (seconds, "s")
    } else if seconds >= 1e-3 {
        (seconds * 1e3, "ms")
    } else if seconds >= 1e-6 {
        (seconds * 1e6, "us")
    } else {
        (seconds * 1e9, "ns")
    };
    format!("{} {unit}", three_digits(value))
}

/// A ratio such as a speedup: `141x`, `14.1x`, `0.53x`.
pub fn ratio(value: f64) -> String {
    format!("{}x", three_digits(value))
}

/// `value` with three significant digits (for values under 1000), or none
/// after the point from 100 on.
fn three_digits(value: f64) -> String {
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$}")
}
