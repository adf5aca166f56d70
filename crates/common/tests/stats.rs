//! The one median, of numbers and of durations.

use std::time::Duration;

use common::stats::{median, median_duration};

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
