//! Four pitfalls of tasks in Rust, each a part that runs to its end and
//! says what happened (`--part pitfalls` runs them in order; the page's
//! `## Pitfalls` explains each). `cancel-blocking` and `mutex` block a
//! thread on purpose, so `--clock virtual` refuses them.

pub mod cancel_blocking;
pub mod cancel_safety;
pub mod mutexes;
pub mod select_fairness;
