//! Helpers shared by the criterion benchmarks in `benches/`.
//!
//! The benchmarks themselves are the files beside this folder; run them
//! with `cargo bench` from the repository root.

/// The chapter's items: 1..=10.
pub const CHAPTER_ITEMS: std::ops::RangeInclusive<u64> = 1..=10;
