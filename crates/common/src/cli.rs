//! Value parsers shared by every chapter's command line: plain
//! `fn(&str) -> Result<T, String>`s for `#[arg(value_parser = ...)]`, whose
//! errors clap prints as one line with exit code 2, like every usage error.
//! Integer flags use clap's ranged parsers instead
//! (`clap::value_parser!(u64).range(1..=MAX)`), refusing alike everywhere.

use std::time::Duration;

/// The longest delay any chapter accepts: one hour.
pub const MAX_SECONDS: f64 = 3600.0;

/// Largest `--workers` any chapter accepts.
pub const MAX_WORKERS: u64 = 256;

/// How many characters of a bad value an error message repeats.
pub const ECHO_CHARS: usize = 40;

/// `text` as an error message repeats it: whole when short, otherwise its
/// first [`ECHO_CHARS`] characters and its length, so that a 100,000-character
/// value still gives a one-line message.
///
/// ```
/// assert_eq!(common::cli::echo("abc"), "abc");
/// assert_eq!(common::cli::echo(&"x".repeat(50)), format!("{}... (50 characters)", "x".repeat(40)));
/// ```
pub fn echo(text: &str) -> String {
    let length = text.chars().count();
    if length <= ECHO_CHARS {
        return text.to_owned();
    }
    let start: String = text.chars().take(ECHO_CHARS).collect();
    format!("{start}... ({length} characters)")
}

/// Parses a delay in seconds: fractions allowed, 0 allowed, at most
/// [`MAX_SECONDS`]; negative, NaN and infinite values refused.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(common::cli::parse_seconds("0.25"), Ok(Duration::from_millis(250)));
/// assert!(common::cli::parse_seconds("-1").is_err());
/// ```
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let value = number(text, " of seconds")?;
    if !value.is_finite() || !(0.0..=MAX_SECONDS).contains(&value) {
        return Err(format!(
            "`{}` seconds is out of range (0 to {MAX_SECONDS})",
            echo(text)
        ));
    }
    Ok(Duration::from_secs_f64(value))
}

/// Parses a speed-up factor for `--speed`: a finite number above 0 and at
/// most 1,000,000.
///
/// ```
/// assert_eq!(common::cli::parse_speed("10"), Ok(10.0));
/// assert!(common::cli::parse_speed("0").is_err());
/// ```
pub fn parse_speed(text: &str) -> Result<f64, String> {
    let value = number(text, "")?;
    if !value.is_finite() || value <= 0.0 || value > 1_000_000.0 {
        return Err(format!(
            "speed `{}` is out of range (above 0, at most 1000000)",
            echo(text)
        ));
    }
    Ok(value)
}

/// `text` as a number, or "`text` is not a number`what`".
fn number(text: &str, what: &str) -> Result<f64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("`{}` is not a number{what}", echo(text)))
}

/// How fast a demo runs: `--speed 10` divides every wait and every block
/// by ten, so a reader can watch a 60 s program in 6 s.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    /// The factor: finite and above 0 (see [`parse_speed`]).
    speed: f64,
}

impl Default for Pace {
    /// Real time: a speed of 1.
    fn default() -> Self {
        Self { speed: 1.0 }
    }
}

impl Pace {
    /// A pace `speed` times faster than real time; anything not finite and
    /// above 0 falls back to real time (1.0). [`parse_speed`] refuses such
    /// values on the command line before they get here.
    pub fn new(speed: f64) -> Self {
        Self {
            speed: Some(speed)
                .filter(|s| s.is_finite() && *s > 0.0)
                .unwrap_or(1.0),
        }
    }

    /// The factor.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// `seconds` of demo time as a real (scaled) duration.
    pub fn secs(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64(seconds / self.speed)
    }

    /// A demo duration as a real (scaled) duration.
    pub fn scale(&self, duration: Duration) -> Duration {
        duration.div_f64(self.speed)
    }
}
