//! # runner: the plumbing every chapter binary runs on
//!
//! What each chapter needs around its lesson, written once:
//! - [`record`]: the output recorder, labelled lines (`[elapsed] who |
//!   message`) printed and kept for tests, and the spans of work a
//!   timeline is drawn from;
//! - [`interrupt`]: the Ctrl-C policy (first Ctrl-C stops gracefully and
//!   prints a summary, a second one or a short grace period ends the
//!   process, exit status 130, no child process left behind);
//! - [`panic_hook`]: one line instead of a panic report, for the chapters
//!   that panic a task on purpose;
//! - [`tally`]: how far a run got, for the summary an interrupted run prints;
//! - [`flags`]: command-line flags several chapters share;
//! - [`timeline`]: a picture of the run (SVG) from the recorder's spans,
//!   and [`output`], the checks of such output files before a run starts.
//!
//! The async runtimes have a crate of their own, `runtimes`; the workloads
//! themselves live in `common`.

pub mod flags;
pub mod interrupt;
pub mod output;
pub mod panic_hook;
pub mod record;
pub mod tally;
pub mod timeline;
pub mod trace;

pub use interrupt::{Interrupt, Interrupted};
pub use record::{Line, Mark, Recorder, Span, SpanGuard, SpanId, SpanKind};
pub use tally::Tally;
