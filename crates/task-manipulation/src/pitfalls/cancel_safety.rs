//! Pitfall: a `select!` loop that drops a half-finished future loses what
//! that future had already taken (async-book#227).
//!
//! ```text
//! loop {
//!     tokio::select! {
//!         message = read_message(&mut rx) => ...,   // four awaits inside
//!         _ = tick.tick() => ...,
//!     }
//! }
//! ```
//!
//! Every time the tick wins, `select!` **drops** `read_message`, and the
//! bytes it had taken go with it. `mpsc::Receiver::recv` is *cancel-safe*
//! (a message is either returned or left in the channel); four of them in
//! a row are not, nor are tokio's `read_exact` and `write_all`. The fix:
//! await only cancel-safe operations in the loop, and keep the partial
//! message in the loop's own variables.

use std::cell::Cell;
use std::time::Duration;

use tokio::sync::mpsc::{Receiver, channel};
use tokio::time::{Instant, interval_at};

use crate::Error;
use crate::work::{Pace, say, shown};
use runner::{Recorder, SpanGuard, SpanKind};

/// What the producer sends, one byte at a time: four messages of four.
pub const TEXT: &[u8; 16] = b"msg1msg2msg3msg4";
const MESSAGE: usize = 4;

/// What the part observed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Messages the `select!` over `read_message` received (garbled ones too).
    pub unsafe_messages: Vec<String>,
    /// Bytes it lost: taken by a `read_message` that was then dropped.
    pub unsafe_lost: usize,
    /// Messages the loop over `recv` received.
    pub safe_messages: Vec<String>,
    /// How many ticks each loop saw.
    pub ticks: [usize; 2],
}

/// Sends [`TEXT`] into a channel, a byte every `every`, then closes it.
fn producer(log: &Recorder, lane: &'static str, every: Duration) -> Receiver<u8> {
    let (tx, rx) = channel(TEXT.len());
    let log = log.clone();
    tokio::spawn(async move {
        let _bar = log.span(lane, "sends 16 bytes", SpanKind::Wait);
        // An interval, not a sleep after each send: the bytes keep to their
        // schedule (0.35, 0.70, ...) on the real clock too, without drifting.
        let mut next = interval_at(Instant::now() + every, every);
        for &byte in TEXT {
            next.tick().await;
            // The reader is gone (the part was cancelled): stop sending.
            if tx.send(byte).await.is_err() {
                return;
            }
        }
    });
    rx
}

/// Reads one message: four `recv`s into a local buffer. Not cancel-safe:
/// dropped after two `recv`s, it takes those two bytes with it. `taken`
/// counts every byte it took, so the caller can tell what was lost.
async fn read_message(
    rx: &mut Receiver<u8>,
    taken: &Cell<usize>,
    log: &Recorder,
) -> Option<String> {
    let _bar = log.span("select-loop", "read_message", SpanKind::Wait);
    let mut bytes = Vec::with_capacity(MESSAGE);
    while bytes.len() < MESSAGE {
        bytes.push(rx.recv().await?);
        taken.set(taken.get() + 1);
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The two loops, each against a producer (a byte every 0.35 demo
/// seconds) and a tick every 1.2: first over `read_message`, then over
/// `recv` with the message's bytes kept in the loop.
pub async fn run(log: &Recorder, pace: Pace) -> Result<Report, Error> {
    let (every, period) = (pace.secs(0.35), pace.secs(1.2));
    let (text, byte_every, tick_every) =
        (String::from_utf8_lossy(TEXT), shown(every), shown(period));
    say!(
        log,
        "a producer sends \"{text}\" a byte every {byte_every}; the loops tick every {tick_every}"
    );

    say!(log, "select! {{ read_message(), tick }} in a loop");
    let mut rx = producer(log, "producer", every);
    let mut tick = interval_at(Instant::now() + period, period);
    let (taken, mut accounted) = (Cell::new(0), 0);
    let (mut unsafe_messages, mut ticks) = (Vec::new(), [0, 0]);
    loop {
        tokio::select! {
            message = read_message(&mut rx, &taken, log) => match message {
                Some(message) => {
                    accounted += MESSAGE;
                    log.say("select-loop", format!("message \"{message}\""));
                    unsafe_messages.push(message);
                }
                None => break, // the channel is closed: the producer is done
            },
            _ = tick.tick() => {
                // `select!` has dropped `read_message`, and what it had taken.
                let lost = taken.get() - accounted;
                accounted = taken.get();
                ticks[0] += 1;
                log.mark("select-loop", format!("tick: {} dropped", bytes(lost)));
                log.say("select-loop", format!("tick: read_message dropped, and {} it had read", bytes(lost)));
            }
        }
    }
    let unsafe_lost = TEXT.len() - MESSAGE * unsafe_messages.len();
    let (n, all) = (unsafe_messages.len(), TEXT.len());
    let got = quoted(&unsafe_messages);
    say!(
        log,
        "{n} of 4 messages arrived ({got}), {unsafe_lost} of {all} bytes were lost"
    );

    say!(
        log,
        "select! {{ rx.recv(), tick }}: the bytes so far kept in the loop"
    );
    let mut rx = producer(log, "producer-2", every);
    let mut tick = interval_at(Instant::now() + period, period);
    let (mut bytes, mut safe_messages) = (Vec::with_capacity(MESSAGE), Vec::new());
    // The bar of the message being received: started at its first byte.
    let mut bar: Option<SpanGuard> = None;
    loop {
        tokio::select! {
            byte = rx.recv() => {
                let Some(byte) = byte else { break };
                bar.get_or_insert_with(|| log.span("safe-loop", "a message", SpanKind::Wait));
                bytes.push(byte);
                if bytes.len() == MESSAGE {
                    bar = None; // ends the message's bar
                    let message = String::from_utf8_lossy(&bytes).into_owned();
                    bytes.clear();
                    log.say("safe-loop", format!("message \"{message}\""));
                    safe_messages.push(message);
                }
            }
            _ = tick.tick() => {
                // Only `recv` was dropped: it had taken nothing.
                ticks[1] += 1;
                log.mark("safe-loop", "tick: nothing lost");
                log.say("safe-loop", format!("tick: {} of the next message kept", self::bytes(bytes.len())));
            }
        }
    }
    let (n, got) = (safe_messages.len(), quoted(&safe_messages));
    say!(log, "{n} of 4 messages arrived ({got}), nothing lost");
    Ok(Report {
        unsafe_messages,
        unsafe_lost,
        safe_messages,
        ticks,
    })
}

/// `1 byte`, `3 bytes`.
fn bytes(n: usize) -> String {
    match n {
        1 => "1 byte".to_owned(),
        n => format!("{n} bytes"),
    }
}

/// Messages as the program prints them: `"msg1", "msg2"` (or `none`).
fn quoted(messages: &[String]) -> String {
    if messages.is_empty() {
        return "none".to_owned();
    }
    let quoted: Vec<String> = messages.iter().map(|m| format!("\"{m}\"")).collect();
    quoted.join(", ")
}
