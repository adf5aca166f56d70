//! Pitfall: when several branches of `select!` are ready, it takes one *at
//! random*; with `biased;` it takes the first ready one, in the order
//! written, and a branch that is always ready starves the ones after it.
//!
//! | Python                                                 | Rust (tokio)                         |
//! |--------------------------------------------------------|--------------------------------------|
//! | `done, _ = await asyncio.wait(ts, return_when=FIRST_COMPLETED)`: *every* finished one, in a set | `select!`: *one* ready branch, picked at random |
//! | (no counterpart)                                       | `select! { biased; ... }`: the first ready branch |
//!
//! `select!` starts polling at a random branch each time it runs, so a loop
//! over branches that are all ready gives each a share (tokio#2181).
//! `biased;` polls them top to bottom: cheaper, and predictable, which is
//! why it is used where order matters (a shutdown signal checked first).
//! Its trap (tokio#3603): a busy branch above a rare one wins every round
//! while it is ready, and the rare one, here a stop signal sent before
//! the loop even started, is never taken. Put the branch that must not
//! wait first, or leave `select!` unbiased.
//!
//! Nothing here waits: every branch is ready at once, so the part takes no
//! time, and its counts are whatever the random picks gave this run.

use futures::StreamExt;
use futures::stream;
use tokio::sync::oneshot;

use crate::Error;
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
    /// In which round the stop signal was taken, if ever in [`ROUNDS`]:
    /// unbiased, then biased with the busy branch first, then biased with
    /// the stop branch first.
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

/// Where the stop branch sits in a biased `select!`, or no bias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// `select!` as it comes: a random branch first.
    Random,
    /// `biased;`, the busy branch written first.
    BusyFirst,
    /// `biased;`, the stop branch written first.
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

/// Says in which round the stop was taken.
fn stop_line(taken: Option<usize>) -> String {
    match taken {
        Some(round) => format!("the stop signal was taken in round {round}"),
        None => format!("the stop signal was never taken in {ROUNDS} rounds: starved"),
    }
}

/// The shares of two always-ready branches, then a stop signal behind a
/// busy branch, three ways.
pub async fn run(log: &Recorder) -> Result<Report, Error> {
    log.say(
        "main",
        format!("{ROUNDS} rounds of select! over two branches, a and b, both always ready"),
    );
    let random = shares(false).await;
    log.say(
        "main",
        format!(
            "select!: a won {}, b won {} (a random pick each round)",
            random[0], random[1]
        ),
    );
    let biased = shares(true).await;
    log.say(
        "main",
        format!(
            "select! {{ biased; ... }}: a won {}, b won {}",
            biased[0], biased[1]
        ),
    );

    log.say(
        "main",
        "a busy stream (always a message ready) and a stop signal, sent before the loop",
    );
    let mut stop = [None; 3];
    for (i, (order, how)) in [
        (Order::Random, "select!"),
        (Order::BusyFirst, "biased, busy branch first"),
        (Order::StopFirst, "biased, stop branch first"),
    ]
    .into_iter()
    .enumerate()
    {
        stop[i] = stop_taken(order).await;
        log.say("main", format!("{how}: {}", stop_line(stop[i])));
    }
    Ok(Report {
        random,
        biased,
        stop_taken: stop,
    })
}
