//! The flags every role shares (`--server`, the queue's settings), defined
//! once, in the library, so that the binary's `worker`, `submit` and `run`
//! and a worker started by another program ([`launch`](crate::launch))
//! accept the same values with the same messages.

use std::time::Duration;

use clap::Args;

use crate::Settings;

/// The queue's settings, the same flags for every role.
#[derive(Debug, Clone, Copy, Args)]
pub struct QueueArgs {
    /// Seconds a worker may hold a job without a word before the queue offers it again.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_ack_wait)]
    ack_wait: Duration,

    /// Deliveries of one job before the queue gives it up.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(i64).range(1..=100))]
    max_deliver: i64,

    /// Jobs the queue holds at most; a full queue makes submitters wait (back-pressure).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(i64).range(1..=1_000_000))]
    max_queued: i64,
}

impl QueueArgs {
    /// The settings these flags describe (the rest are the defaults).
    pub fn settings(&self) -> Settings {
        Settings {
            ack_wait: self.ack_wait,
            max_deliver: self.max_deliver,
            max_queued: self.max_queued,
            ..Settings::default()
        }
    }
}

/// `--ack-wait`: seconds, at least 0.05 (the worker says "still working"
/// every third of it).
pub fn parse_ack_wait(text: &str) -> Result<Duration, String> {
    let wait = common::cli::parse_seconds(text)?;
    if wait < Duration::from_millis(50) {
        return Err(format!(
            "`{}` is below the shortest ack deadline, 0.05 s",
            common::cli::echo(text)
        ));
    }
    Ok(wait)
}

/// `--server`: an address the client understands (`nats://HOST:PORT`).
pub fn parse_server(text: &str) -> Result<String, String> {
    text.parse::<async_nats::ServerAddr>()
        .map(|_| text.to_owned())
        .map_err(|_| {
            format!(
                "`{}` is not a server address (nats://HOST:PORT)",
                common::cli::echo(text)
            )
        })
}
