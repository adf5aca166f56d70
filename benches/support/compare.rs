//! Python and Rust side by side, in one run: the `compare` binary's parts.
//!
//! Each *round* runs the three Python programs in `benches/python/`
//! (`pooling.py`, `overhead.py`, `asyncio_costs.py`, each a fresh
//! `python3` process that times itself and prints `name<TAB>seconds`
//! lines) and the same figures on the Rust side, in this process (a Rust
//! run is about 100 times shorter than Python's, so each figure is the mean
//! of back-to-back runs filling `--span`, 1 s by default, at least
//! [`rust::MIN_RUNS`] of them: averaged over the machine's fast and slow
//! spells as a seconds-long Python run is; see [`rust`]). Rounds
//! alternate which side goes first, so a slow spell on the machine hits
//! both; every figure is the **median** over the rounds. After both
//! sides, a round runs the count workload in pairs with Python
//! ([`paired`]) and, on the Rust side, once more with its loop lengthened
//! so that it lasts as long as Python's ([`equal_time`]: the speedups at
//! equal wall time). At the end the tables go to stdout and
//! `<out-dir>/table.md`, every sample to `<out-dir>/samples.tsv`, the
//! chart to `<out-dir>/speedup.svg` (or `--chart`).
//!
//! The modules: [`sizes`] (what both sides run), [`python`] (running the
//! Python side), [`rust`] (the Rust side), [`paired`] (Python and Rust run
//! by run), [`equal_time`], [`queue`], [`table`] and [`chart`].

pub mod chart;
pub mod equal_time;
pub mod paired;
pub mod python;
pub mod queue;
pub mod rust;
pub mod sizes;
pub mod table;

use crate::BenchError;
use crate::stats::median;
use std::collections::BTreeMap;

/// Which side a sample comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The Python programs in `benches/python/`.
    Python,
    /// This crate's library.
    Rust,
}

impl Side {
    /// "Python" or "Rust".
    pub fn name(self) -> &'static str {
        match self {
            Side::Python => "Python",
            Side::Rust => "Rust",
        }
    }
}

/// Every sample of a run: for each side, figure id -> one value per round
/// (seconds, or seconds per task for the `task/`, `handoff/` and
/// `async/spawn-cube` figures, or a ratio for the `speedup/` figures).
#[derive(Debug, Clone, Default)]
pub struct Samples {
    by_side: BTreeMap<Side, BTreeMap<String, Vec<f64>>>,
}

impl Samples {
    /// Records one value.
    pub fn push(&mut self, side: Side, id: impl Into<String>, seconds: f64) {
        self.by_side
            .entry(side)
            .or_default()
            .entry(id.into())
            .or_default()
            .push(seconds);
    }

    /// The median of a figure, if it was measured.
    pub fn median(&self, side: Side, id: &str) -> Option<f64> {
        median(self.by_side.get(&side)?.get(id)?)
    }

    /// Every sample as `side<TAB>id<TAB>round<TAB>seconds` lines.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from("side\tfigure\tround\tseconds\n");
        for (side, figures) in &self.by_side {
            for (id, values) in figures {
                for (round, value) in values.iter().enumerate() {
                    out.push_str(&format!(
                        "{}\t{id}\t{}\t{value:e}\n",
                        side.name(),
                        round + 1
                    ));
                }
            }
        }
        out
    }
}

/// Writes `contents` to `path`, creating its folder.
pub fn write_file(path: &std::path::Path, contents: &str) -> Result<(), BenchError> {
    let fail = |e: std::io::Error| BenchError::Write {
        path: path.display().to_string(),
        why: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    std::fs::write(path, contents).map_err(fail)
}
