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
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    format!("{value:.decimals$} {unit}")
}

/// A ratio such as a speedup: `141x`, `2.0x`, `0.53x`.
pub fn ratio(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}x")
    } else if value >= 10.0 {
        format!("{value:.1}x")
    } else {
        format!("{value:.2}x")
    }
}
