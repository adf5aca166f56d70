//! Four pitfalls of tasks in Rust, each a part of the program that runs to
//! its end and says what happened (`--part pitfalls` runs them in order):
//!
//! | `--part`          | module               | the pitfall                                                  |
//! |-------------------|----------------------|--------------------------------------------------------------|
//! | `cancel-blocking` | [`cancel_blocking`]  | `abort()` does not stop `spawn_blocking` work; a token does  |
//! | `cancel-safety`   | [`cancel_safety`]    | a `select!` loop drops a half-finished future, and its data  |
//! | `select-fairness` | [`select_fairness`]  | `select!` picks a ready branch at random; `biased;` starves  |
//! | `mutex`           | [`mutexes`]          | `std::sync::Mutex` or `tokio::sync::Mutex`, and a deadlock   |
//!
//! `cancel-blocking` and `mutex` block a thread on purpose, so they need
//! the real clock (`--clock virtual` refuses them: tokio's paused clock
//! stands still while a thread blocks).

pub mod cancel_blocking;
pub mod cancel_safety;
pub mod mutexes;
pub mod select_fairness;
