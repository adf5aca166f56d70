//! Command-line flags that several chapters share, defined once so that
//! each accepts the same values with the same messages.
//!
//! A chapter takes them into its own clap parser with
//! `#[command(flatten)] workload: WorkloadArgs`.

use common::cli::MAX_WORKERS;
use common::workloads::Workload;

/// The pooling workload's flags (`--workers`, `--items`, `--iterations`),
/// shared by the `thread-pool` and `process-pool` chapters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct WorkloadArgs {
    /// Workers in the comparison's pool (threads; in process-pool, processes too).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=MAX_WORKERS))]
    pub workers: u64,

    /// Items 1..=ITEMS in the comparison.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub items: u64,

    /// Iterations of the count loop per item (the chapter's size is 10,000,000).
    #[arg(long, default_value_t = 10_000_000, value_parser = clap::value_parser!(u64).range(0..=10_000_000_000))]
    pub iterations: u64,
}

impl WorkloadArgs {
    /// The workload these flags describe.
    pub fn workload(&self) -> Workload {
        Workload {
            items: self.items,
            iterations: self.iterations,
        }
    }

    /// `--workers` as a `usize` (at most [`MAX_WORKERS`]).
    pub fn workers(&self) -> usize {
        usize::try_from(self.workers).expect("--workers is at most MAX_WORKERS")
    }
}

/// `T::parse()`, except that a bad value which clap repeats in its error
/// is cut to a readable length (`common::cli::echo`): a 100,000-character
/// value still gives a one-line error and exit status 2.
pub fn parse<T: clap::Parser>() -> T {
    T::try_parse().unwrap_or_else(|error| readable(error).exit())
}

/// `error` with the bad value it repeats cut (see [`parse`]).
pub fn readable(mut error: clap::Error) -> clap::Error {
    use clap::error::{ContextKind, ContextValue};
    if let Some(ContextValue::String(value)) = error.get(ContextKind::InvalidValue) {
        let cut = common::cli::echo(value);
        error.insert(ContextKind::InvalidValue, ContextValue::String(cut));
    }
    error
}

/// Ends the program as clap ends it for a usage error: `error: WHY` and
/// the usage on stderr, exit status 2. For conflicts between flags that
/// clap's parser cannot see (`T` is the binary's parser, for its usage).
pub fn conflict<T: clap::CommandFactory>(why: impl std::fmt::Display) -> ! {
    T::command()
        .error(clap::error::ErrorKind::ArgumentConflict, why)
        .exit()
}
