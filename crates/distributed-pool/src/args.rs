//! The value parsers of the flags every role shares (`--server`, and
//! `--ack-wait`, one of the queue's [`Settings`](crate::Settings), which
//! are flags too), defined once in the library so that `worker`, `submit`,
//! `run` and a worker started by another program ([`launch`](crate::launch))
//! accept the same values with the same messages.

use std::time::Duration;

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
