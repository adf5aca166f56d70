//! # asyncio-tasks: three math functions as concurrent tasks
//!
//! Ports the chapter's `asyncio.Task` program (`python/asyncio_tasks.py`):
//! `factorial(10)`, `fibonacci(10)` and `binomial_coefficient(20, 10)` run
//! as three tasks on one event loop. Each step prints `Compute ...(i)` and
//! then *awaits* a one-second sleep, and while one task sleeps the others
//! run. So the three tasks' lines interleave, and the whole run takes as
//! long as the longest task (10 steps, 10 s), not the sum of all steps
//! (29 s).
//!
//! Run it:
//!
//! ```text
//! cargo run -p asyncio-tasks
//! cargo run -p asyncio-tasks -- --runtime smol --delay 0.2
//! cargo run -p asyncio-tasks -- --factorial 30 --binomial-n 100 --binomial-k 50 --delay 0
//! cargo run -p asyncio-tasks -- --runtime mini --clock virtual --timeline run.svg
//! ```
//!
//! What to look for: the elapsed-time column advances in steps of
//! `--delay`, and at each step all three labels (`factorial`, `fibonacci`,
//! `binomial`) appear; the last lines are the exact results `3628800`, `55`
//! and `184756` (the Python original printed `184756.0`, a float), and the
//! last line sets the time taken beside the longest task's and the sum's.
//! Ctrl-C cancels the three tasks and says how far each had got.
//!
//! The modules: [`port`], the direct port of the Python program, line by
//! line; [`pause`], one step's wait; [`mod@run`], around the port. The
//! runtimes themselves are the workspace's `runtimes` crate (its runtime
//! table, `crates/runtimes/src/lib.rs`, shows each one's own calls).

pub mod pause;
pub mod port;
pub mod run;

pub use run::{Config, Results, RunError, interrupted_summary, run};
