//! What part 3's measured speedup means: the "why" chosen from the
//! numbers ([`Measured::verdict`], said by [`Measured::why`]), never from
//! the number hoped for.
//!
//! Why the speedup exists at all: Rust's threads run `count` on every core
//! at once. In Python, the GIL lets one thread at a time run bytecode, so
//! the same pool gives about 1x there.

use std::time::Duration;

/// Rounds whose middle half spreads wider than this fraction of their
/// median speedup disagree too much to tell a speedup.
const NOISY_SPREAD: f64 = 0.4;
/// Counting that takes less than this many times the pool's own cost is
/// too little to tell a speedup by.
const SHORT_FACTOR: f64 = 10.0;

/// The measured rounds of both phases.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// Each round's sequential time.
    pub sequential: Vec<Duration>,
    /// Each round's pooled time (pool start and shutdown included).
    pub pooled: Vec<Duration>,
    /// What the pool itself costs (starting its threads, handing out the
    /// items, taking the results, joining the threads): the median of a
    /// pooled round with no counting at all, one per round.
    pub pool_overhead: Duration,
    /// The cores the sequential rounds kept busy on average: this
    /// process's CPU time over the wall time (`None` if the operating
    /// system would not say).
    pub sequential_cores: Option<f64>,
    /// The same for the pooled rounds: the cores the pool's threads got.
    pub pooled_cores: Option<f64>,
    /// The pool's workers.
    pub workers: usize,
    /// The cores this process may use.
    pub cores: usize,
    /// The items per phase.
    pub items: u64,
}

/// What the measured speedup says, chosen from the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The pool's start and shutdown are a large part of a pooled round.
    TooShort,
    /// The rounds disagree too much.
    TooNoisy,
    /// One worker, one core or one item: nothing runs side by side.
    OneAtATime,
    /// Near what the cores allow.
    Parallel,
    /// Faster, but clearly below what the cores allow.
    Partial,
    /// About as fast as one thread, though the cores allow more.
    NoSpeedup,
}

impl Measured {
    /// The median speedup and the middle half of the rounds' speedups
    /// (each round's sequential time over its pooled time).
    pub fn speedup(&self) -> Spread {
        let speedups: Vec<f64> = (self.sequential.iter().zip(&self.pooled))
            .map(|(s, p)| common::clock::speedup(*s, *p))
            .collect();
        Spread::of(&speedups)
    }

    /// The median sequential round: the counting the pool shares out.
    fn counting(&self) -> Duration {
        common::stats::median_duration(&self.sequential).unwrap_or_default()
    }

    /// The best speedup these items allow on `min(workers, cores)`
    /// threads running at once: 10 items on 2 give 2x, on 3 give 2.5x
    /// (the slowest thread has 4 items to do).
    pub fn ideal(&self) -> f64 {
        let side_by_side = self.workers.min(self.cores).max(1) as u64;
        let rows = self.items.div_ceil(side_by_side).max(1);
        self.items as f64 / rows as f64
    }

    /// The verdict on these numbers.
    pub fn verdict(&self) -> Verdict {
        let speedup = self.speedup();
        let (ideal, median) = (self.ideal(), speedup.median);
        if self.counting().as_secs_f64() < SHORT_FACTOR * self.pool_overhead.as_secs_f64() {
            Verdict::TooShort
        } else if (speedup.high - speedup.low) > NOISY_SPREAD * median {
            Verdict::TooNoisy
        } else if ideal <= 1.0 {
            Verdict::OneAtATime
        } else if median >= 1.0 + 0.6 * (ideal - 1.0) {
            Verdict::Parallel
        } else if median >= 1.15 {
            Verdict::Partial
        } else {
            Verdict::NoSpeedup
        }
    }

    /// The "why" line: what the measured numbers mean.
    pub fn why(&self) -> String {
        let speedup = self.speedup();
        let (median, ideal) = (speedup.median, self.ideal());
        let (workers, cores) = (self.workers, self.cores);
        let at_once = plural(workers.min(cores), "thread at once", "threads at once");
        match self.verdict() {
            Verdict::TooShort => format!(
                "too short to tell: the pool's own work (starting {}, handing out {} and \
                 joining the threads) takes {}, against {} for the whole sequential round, so \
                 {median:.2}x says more about the pool than about running items side by \
                 side; give the items more work (--iterations)",
                plural(workers, "thread", "threads"),
                plural(self.items as usize, "item", "items"),
                millis(self.pool_overhead),
                millis(self.counting())
            ),
            Verdict::TooNoisy => format!(
                "too noisy to tell: the middle half of the rounds spread from {:.2}x to {:.2}x \
                 ({}); run it again, or with more --rounds",
                speedup.low,
                speedup.high,
                match self.pooled_cores {
                    Some(used) if used < 0.8 * workers.min(cores) as f64 => format!(
                        "the pool's threads got {used:.2} cores between them: the other cores \
                         were busy with other work part of the time"
                    ),
                    Some(used) => format!(
                        "the pool's threads got {used:.2} cores between them, so it is the \
                         speed of the rounds that varied, not the cores they got"
                    ),
                    None => "were other programs using the cores?".to_owned(),
                }
            ),
            Verdict::OneAtATime => format!(
                "{median:.2}x, as expected: with {} there is nothing to run side by side, \
                 so the pool takes about as long as one thread (as Python's pool does for \
                 any number of threads)",
                if workers == 1 {
                    "1 worker"
                } else if cores == 1 {
                    "1 core"
                } else {
                    "1 item"
                }
            ),
            Verdict::Parallel => format!(
                "{median:.2}x {} the {ideal:.1}x that {at_once} allow{}: Rust's threads ran the \
                 count loop on {} at once; in Python the GIL lets one thread at a time run \
                 bytecode, so the same pool gives about 1x there{}",
                if median > ideal { "against" } else { "of" },
                if median > 1.05 * ideal {
                    // More than the cores can give: the sequential rounds
                    // were slowed by something the pooled ones escaped.
                    " (more than that means some sequential rounds ran slower than the \
                     pooled ones' items: the machine's speed varied during the run)"
                } else {
                    ""
                },
                self.pooled_cores.map_or_else(
                    || plural(workers.min(cores), "core", "cores"),
                    |used| format!("{used:.2} cores")
                ),
                if workers > cores {
                    format!(
                        " ({workers} workers on {cores} cores: the extra workers only take turns \
                         on the same cores)"
                    )
                } else {
                    String::new()
                }
            ),
            Verdict::Partial => format!(
                "faster, but {median:.2}x is clearly below the {ideal:.1}x that {at_once} \
                 allow: {}",
                self.why_slower()
            ),
            Verdict::NoSpeedup => format!(
                "no real speedup ({median:.2}x), though {} could run {} items at once: {}",
                plural(cores, "core", "cores"),
                workers.min(cores),
                self.why_slower()
            ),
        }
    }

    /// Why the pool fell short, from the cores its threads got.
    fn why_slower(&self) -> String {
        match self.pooled_cores {
            Some(used) if used < 0.8 * self.workers.min(self.cores) as f64 => format!(
                "the pool's threads got only {used:.2} cores between them (CPU time over wall \
                 time): the other cores were busy with other work"
            ),
            Some(used) => format!(
                "the pool's threads got {used:.2} cores between them, yet each item ran slower \
                 than alone (the cores shared something: a cache, a clock slowed by heat?)"
            ),
            None => "the threads did not get to run side by side (were other programs using \
                     the cores?)"
                .to_owned(),
        }
    }
}

/// `n` and the right word for it.
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A short duration, as `12.3 ms` or `45.6 µs`.
fn millis(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1e3;
    if ms >= 1.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.1} µs", ms * 1e3)
    }
}

/// The median of some measurements (`common::stats`'s, the one every
/// reported figure uses) and the middle half of them (nearest-rank
/// quartiles).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// The lower quartile.
    pub low: f64,
    /// The median.
    pub median: f64,
    /// The upper quartile.
    pub high: f64,
}

impl Spread {
    /// Of at least one value (`--rounds` is at least 1).
    pub fn of(values: &[f64]) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let at = |fraction: f64| sorted[((sorted.len() - 1) as f64 * fraction).round() as usize];
        Self {
            low: at(0.25),
            median: common::stats::median(values).unwrap_or(f64::NAN),
            high: at(0.75),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    /// Rounds with these sequential and pooled times (in ms), 10 items.
    fn measured(pairs: &[(u64, u64)], workers: usize, cores: usize) -> Measured {
        Measured {
            sequential: pairs.iter().map(|(s, _)| MS * *s as u32).collect(),
            pooled: pairs.iter().map(|(_, p)| MS * *p as u32).collect(),
            pool_overhead: MS / 4,
            sequential_cores: Some(1.0),
            pooled_cores: Some(1.9),
            workers,
            cores,
            items: 10,
        }
    }

    /// The median and the middle half, of odd and even counts.
    #[test]
    fn spread_is_median_and_quartiles() {
        let spread = Spread::of(&[5.0, 1.0, 4.0, 2.0, 3.0]);
        assert_eq!((spread.low, spread.median, spread.high), (2.0, 3.0, 4.0));
        assert_eq!(Spread::of(&[7.0]).median, 7.0);
        // An even count: the mean of the two middle values, as
        // `common::stats::median` takes it.
        assert_eq!(Spread::of(&[4.0, 1.0, 3.0, 2.0]).median, 2.5);
    }

    /// The best speedup the items allow.
    #[test]
    fn ideal_counts_the_slowest_thread() {
        assert_eq!(measured(&[(1, 1)], 5, 2).ideal(), 2.0);
        assert_eq!(measured(&[(1, 1)], 3, 8).ideal(), 2.5);
        assert_eq!(measured(&[(1, 1)], 1, 8).ideal(), 1.0);
    }

    /// Each verdict from the numbers that call for it, and a why that
    /// says the measured number, never a speedup that did not happen.
    #[test]
    fn the_why_follows_the_number() {
        let steady = |s, p| vec![(s, p); 5];
        let parallel = measured(&steady(60, 31), 5, 2);
        assert_eq!(parallel.verdict(), Verdict::Parallel);
        let why = parallel.why();
        assert!(
            why.starts_with("1.94x of the 2.0x that 2 threads at once allow"),
            "{why}"
        );
        assert!(
            why.contains("GIL") && why.contains("5 workers on 2 cores"),
            "{why}"
        );

        let none = measured(&steady(60, 63), 5, 2);
        assert_eq!(none.verdict(), Verdict::NoSpeedup);
        assert!(
            none.why().starts_with("no real speedup (0.95x)"),
            "{}",
            none.why()
        );
        assert!(!none.why().contains("GIL"), "no speedup is explained away");
        // Why, from the cores the pool's threads got: few, as many as the
        // cores allow, or unknown.
        let mut crowded = none.clone();
        crowded.pooled_cores = Some(1.04);
        assert!(
            crowded.why().ends_with(
                "the pool's threads got only 1.04 cores between them (CPU time over wall \
                 time): the other cores were busy with other work"
            ),
            "{}",
            crowded.why()
        );
        assert!(
            none.why().contains("got 1.90 cores between them, yet"),
            "{}",
            none.why()
        );
        let mut unknown = none.clone();
        unknown.pooled_cores = None;
        assert!(
            unknown.why().contains("(were other programs using"),
            "{}",
            unknown.why()
        );
        assert!(
            parallel
                .why()
                .contains("the count loop on 1.90 cores at once")
        );

        let partial = measured(&steady(60, 45), 2, 2);
        assert_eq!(partial.verdict(), Verdict::Partial);
        assert!(partial.why().contains("1.33x is clearly below the 2.0x"));

        let one = measured(&steady(60, 61), 1, 2);
        assert_eq!(one.verdict(), Verdict::OneAtATime);
        assert!(one.why().starts_with("0.98x, as expected: with 1 worker"));

        let noisy = measured(&[(60, 30), (60, 60), (60, 31), (60, 58), (60, 45)], 2, 2);
        assert_eq!(noisy.verdict(), Verdict::TooNoisy);
        assert!(
            noisy.why().contains("from 1.03x to 1.94x"),
            "{}",
            noisy.why()
        );
        assert!(
            noisy
                .why()
                .contains("it is the speed of the rounds that varied")
        );
        let mut noisy_crowded = noisy.clone();
        noisy_crowded.pooled_cores = Some(1.1);
        assert!(
            noisy_crowded
                .why()
                .contains("got 1.10 cores between them: the other cores")
        );

        let faster = measured(&steady(66, 30), 5, 2);
        assert_eq!(faster.verdict(), Verdict::Parallel);
        assert!(
            faster
                .why()
                .starts_with("2.20x against the 2.0x that 2 threads at once allow (more than"),
            "{}",
            faster.why()
        );

        let mut short = measured(&steady(2, 1), 2, 2);
        short.pool_overhead = MS / 2;
        assert_eq!(short.verdict(), Verdict::TooShort);
        assert!(
            short.why().starts_with("too short to tell"),
            "{}",
            short.why()
        );
    }
}
