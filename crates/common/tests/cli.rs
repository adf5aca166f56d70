//! The shared value parsers: what they accept, what they refuse, and how
//! a refused value is repeated; the pace a `--speed` sets.

use std::time::Duration;

use common::cli::{Pace, parse_seconds, parse_speed};

/// Delays: fractions and zero accepted, junk and out-of-range refused.
#[test]
fn seconds() {
    assert_eq!(parse_seconds("4"), Ok(Duration::from_secs(4)));
    assert_eq!(parse_seconds("0"), Ok(Duration::ZERO));
    assert_eq!(parse_seconds("0.001"), Ok(Duration::from_millis(1)));
    for bad in ["-0.5", "abc", "", "NaN", "inf", "3601"] {
        assert!(parse_seconds(bad).is_err(), "{bad:?} accepted");
    }
}

/// A pace scales demo time down by its speed; bad speeds mean real time.
#[test]
fn pace_scales() {
    let pace = Pace::new(4.0);
    assert_eq!(pace.secs(2.0), Duration::from_millis(500));
    assert_eq!(
        pace.scale(Duration::from_secs(1)),
        Duration::from_millis(250)
    );
    assert_eq!(Pace::new(0.0), Pace::default());
    assert_eq!(Pace::new(f64::NAN).speed(), 1.0);
}

/// A huge bad value is repeated cut, once, whatever its characters.
#[test]
fn huge_values_are_echoed_cut() {
    let huge = "é".repeat(100_000);
    for error in [
        parse_speed(&huge),
        parse_seconds(&huge).map(|d| d.as_secs_f64()),
    ] {
        let message = error.expect_err("not a number");
        assert!(message.len() < 200, "{message}");
        assert!(message.contains("(100000 characters)"), "{message}");
    }
    let long_number = "9".repeat(100);
    let message = parse_speed(&long_number).expect_err("out of range");
    assert!(message.contains("(100 characters)"), "{message}");
}

/// Speeds: above zero and finite.
#[test]
fn speeds() {
    assert_eq!(parse_speed("2.5"), Ok(2.5));
    for bad in ["0", "-1", "x", "inf", "1e9"] {
        assert!(parse_speed(bad).is_err(), "{bad:?} accepted");
    }
}
