//! Pitfall: when several branches of `select!` are ready, it takes one *at
//! random* (tokio#2181); with `biased;` the first ready one, in the order
//! written, so a branch that is always ready starves the ones after it
//! (tokio#3603). Python's `asyncio.wait(FIRST_COMPLETED)` returns *every*
//! finished task: there is no pick to be unfair.
//!
//! Every branch is ready at once, so the part takes no time, and its
//! counts are whatever the random picks gave this run.

use futures::StreamExt;
use futures::stream;
use tokio::sync::oneshot;

use crate::Error;
use crate::work::say;
use runner::Recorder;

/// How many rounds each loop runs.
pub const ROUNDS: usize = 1000;

/// What the part observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Rounds won by branch a and branch b, both always ready, unbiased.
    pub random: [usize; 2],
    /// The same with `biased;`.
    pub biased: [usize; 2],
    /// The round the stop signal was taken in, if ever: unbiased, biased
    /// with the busy branch first, biased with the stop branch first.
    pub stop_taken: [Option<usize>; 3],
}

/// Who wins [`ROUNDS`] rounds of two branches that are always ready.
async fn shares(biased: bool) -> [usize; 2] {
    let mut wins = [0, 0];
    for _ in 0..ROUNDS {
        // Two futures that are ready the first time they are polled.
        let (a, b) = (std::future::ready(0), std::future::ready(1));
        let winner = if biased {
            tokio::select! { biased; w = a => w, w = b => w }
        } else {
            tokio::select! { w = a => w, w = b => w }
        };
        wins[winner] += 1;
    }
    wins
}

/// Where the stop branch sits: no bias (a random branch polled first), or
/// `biased;` with the busy branch or the stop branch written first.
#[derive(Debug, Clone, Copy)]
enum Order {
    Random,
    BusyFirst,
    StopFirst,
}

/// A loop over an endless, always ready stream of messages and a stop
/// signal sent before the loop started: the round in which the stop was
/// taken, or `None` if it never was in [`ROUNDS`] rounds.
async fn stop_taken(order: Order) -> Option<usize> {
    let mut busy = stream::iter(1u64..); // always has a next message
    let (send, mut stop) = oneshot::channel::<()>();
    // Sent before the loop: the stop branch is ready from round 1 on.
    send.send(()).ok()?;
    for round in 1..=ROUNDS {
        let stopped = match order {
            Order::Random => tokio::select! {
                _ = busy.next() => false,
                _ = &mut stop => true,
            },
            Order::BusyFirst => tokio::select! {
                biased;
                _ = busy.next() => false,
                _ = &mut stop => true,
            },
            Order::StopFirst => tokio::select! {
                biased;
                _ = &mut stop => true,
                _ = busy.next() => false,
            },
        };
        if stopped {
            return Some(round);
        }
    }
    None
}

/// The shares of two always-ready branches, then a stop signal behind a
/// busy branch, three ways.
pub async fn run(log: &Recorder) -> Result<Report, Error> {
    say!(
        log,
        "{ROUNDS} rounds of select! over two branches, a and b, both always ready"
    );
    let random @ [a, b] = shares(false).await;
    say!(
        log,
        "select!: a won {a}, b won {b} (a random pick each round)"
    );
    let biased @ [a, b] = shares(true).await;
    say!(log, "select! {{ biased; ... }}: a won {a}, b won {b}");

    say!(
        log,
        "a busy stream (always a message ready) and a stop signal, sent before the loop"
    );
    let mut stop = [None; 3];
    let orders = [
        (Order::Random, "select!"),
        (Order::BusyFirst, "biased, busy branch first"),
        (Order::StopFirst, "biased, stop branch first"),
    ];
    for (taken, (order, how)) in stop.iter_mut().zip(orders) {
        *taken = stop_taken(order).await;
        let line = match *taken {
            Some(round) => format!("the stop signal was taken in round {round}"),
            None => format!("the stop signal was never taken in {ROUNDS} rounds: starved"),
        };
        say!(log, "{how}: {line}");
    }
    Ok(Report {
        random,
        biased,
        stop_taken: stop,
    })
}
