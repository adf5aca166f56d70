//! # basic-coroutines: coroutines, futures and done-callbacks
//!
//! Ports the chapter's first asyncio program (its "asyncio and futures"
//! recipe): two coroutines run concurrently on one event loop. The first
//! computes the sum 1 + ... + num1, the second num2!; each then waits
//! `--delay` seconds (the chapter's 4) and delivers its result through a
//! future that it completes (Python's `asyncio.Future` and `set_result`),
//! and a done-callback prints each result as it arrives. Because the two
//! waits overlap, the whole run takes about one delay, not two.
//!
//! Run it:
//!
//! ```text
//! cargo run -p basic-coroutines -- 5 10
//! cargo run -p basic-coroutines -- 100 100 --delay 1       # 5050 and all 158 digits of 100!
//! cargo run -p basic-coroutines -- 5 10 --runtime smol
//! cargo run -p basic-coroutines -- 5 10 --part basics --delay 0.5
//! ```
//!
//! What to look for: both `set_result` lines and both `callback` lines at
//! about the same time (one delay in), and the last line saying both
//! futures were done after one delay, not two. With `--part basics`: a
//! future whose body has *not* run before it is awaited, and a spawned task
//! whose body has run although nobody awaited it.
//!
//! The modules, one idea each:
//! - [`futures_and_callbacks`]: the chapter's program (`asyncio.Future`,
//!   `set_result`, `add_done_callback`, `asyncio.wait`);
//! - [`basics`]: an async fn awaiting another, and why a Rust future is
//!   lazy while a Python Task is not;
//! - [`runtime`]: tokio, async-std and smol side by side (how each runs,
//!   spawns and sleeps); used by every async chapter of the workspace;
//! - [`transcript`]: the labelled, timed output lines, kept for tests.

pub mod basics;
pub mod futures_and_callbacks;
pub mod runtime;
pub mod transcript;

pub use runtime::{JoinHandle, Runtime};
pub use transcript::{Line, Transcript};
