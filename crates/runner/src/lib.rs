//! # runner: the plumbing every chapter binary runs on
//!
//! What each chapter needs around its lesson, written once: [`record`], the
//! output recorder (labelled lines, and the spans of work a timeline is
//! drawn from); [`interrupt`], the Ctrl-C policy; [`panic_hook`], one line
//! instead of a panic report; [`tally`], how far a run got; [`flags`],
//! flags several chapters share; [`output`], `--timeline` ([`timeline`])
//! and `--trace` ([`trace`]), checked before a run starts. The async
//! runtimes have a crate of their own, `runtimes`; the workloads live in
//! `common`.

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
