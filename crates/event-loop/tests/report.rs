//! How the program writes its numbers.

use std::time::Duration;

use event_loop::report::secs;

/// Whole seconds print bare, fractions without trailing zeros, tiny
/// waits still show.
#[test]
fn seconds_read_as_the_chapter_writes_them() {
    assert_eq!(secs(Duration::from_secs(60)), "60");
    assert_eq!(secs(Duration::from_millis(100)), "0.1");
    assert_eq!(secs(Duration::from_millis(2500)), "2.5");
    assert_eq!(secs(Duration::ZERO), "0");
    assert_eq!(secs(Duration::from_micros(100)), "0.0001");
}
