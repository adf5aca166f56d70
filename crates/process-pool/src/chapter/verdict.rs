//! What the comparison's numbers say, in words that follow the numbers.
//!
//! A pooled phase of 20 to 50 ms is mostly noise on a busy machine, so each
//! pool is judged by the *spread* of its per-round speedups (`--rounds`),
//! never by one number: consistently above 1 is "faster", below "slower",
//! rounds that disagree "too noisy to tell", and a difference too small to
//! matter says why none was to be expected (one core, one worker, phases
//! too short). [`summarize`] prints it all.

use std::time::Duration;

use super::compare::Times;
use super::{Run, plural};

/// A speedup of one at least this large, in every round, is "faster".
const FASTER: f64 = 1.15;
/// A speedup at most this large, in every round, is "slower".
const SLOWER: f64 = 0.87;
/// Rounds whose fastest and slowest speedups differ by more than this
/// factor disagree: "too noisy to tell".
const NOISY: f64 = 1.5;
/// A sequential phase shorter than this is too short for a pool's
/// start-up cost not to weigh.
const SHORT: Duration = Duration::from_millis(200);

/// The median of the rounds' times (`common::stats`: the mean of the two
/// middle ones for an even count); zero for none (`--rounds` is at least 1).
pub fn median(times: &[Duration]) -> Duration {
    common::stats::median_duration(times).unwrap_or_default()
}

/// A pool's speedup over the sequential loop, round by round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speedup {
    /// The smallest of the rounds' speedups.
    pub low: f64,
    /// The median of the rounds' speedups.
    pub median: f64,
    /// The largest.
    pub high: f64,
    /// How many rounds.
    pub rounds: usize,
}

impl Speedup {
    /// `sequential[i] / pooled[i]` for each round `i`.
    pub fn of(sequential: &[Duration], pooled: &[Duration]) -> Self {
        let mut ratios: Vec<f64> = sequential
            .iter()
            .zip(pooled)
            .map(|(s, p)| common::clock::speedup(*s, *p))
            .collect();
        ratios.sort_by(f64::total_cmp);
        Self {
            low: ratios.first().copied().unwrap_or(1.0),
            median: common::stats::median(&ratios).unwrap_or(1.0),
            high: ratios.last().copied().unwrap_or(1.0),
            rounds: ratios.len(),
        }
    }
}

/// Which pool a verdict is about (what "faster" means differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    /// The thread pool.
    Threads,
    /// The process pool.
    Processes,
}

/// What the machine and the run were: what a speedup can be at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// Cores available to the program.
    pub cores: usize,
    /// Workers of each pool.
    pub workers: usize,
    /// The sequential phase's median time.
    pub sequential: Duration,
}

/// One sentence saying what `speedup` means, and why.
pub fn explain(pool: Pool, speedup: Speedup, setting: Setting) -> String {
    let Setting {
        cores,
        workers,
        sequential,
    } = setting;
    let most = cores.min(workers);
    let spread = if speedup.rounds < 2 {
        " (one round: no spread to judge the noise by; try --rounds 5)"
    } else {
        ""
    };
    if speedup.rounds >= 2 && speedup.high > speedup.low * NOISY {
        // A debug build's loop is many times slower and its noise other;
        // a release build is only told what it can still change.
        let release = if cfg!(debug_assertions) {
            "--release, "
        } else {
            ""
        };
        return format!(
            "too noisy to tell: from round to round it went from {:.2}x to {:.2}x \
             (other programs busy on the cores?); try {release}a larger --iterations \
             or more --rounds",
            speedup.low, speedup.high
        );
    }
    if speedup.low >= FASTER {
        let how = match pool {
            Pool::Threads => "Rust threads run in parallel, there is no GIL",
            Pool::Processes => "each worker process ran on a core of its own",
        };
        return format!(
            "faster: the {workers} workers ran on {} at once ({how}); \
             at most {most}x is possible here{spread}",
            plural(cores, "core", "cores")
        );
    }
    let too_short = sequential < SHORT;
    if speedup.high <= SLOWER {
        let why = if too_short {
            format!(
                "the loop took only {:.3} s, so starting the pool and handing out \
                 the items weighed more than the work; try a larger --iterations",
                sequential.as_secs_f64()
            )
        } else if cores == 1 {
            "one core: the workers could only take turns".to_owned()
        } else {
            "the pool's own costs were larger than what running in parallel saved".to_owned()
        };
        return format!("slower: {why}{spread}");
    }
    let why = if cores == 1 {
        "one core: the workers can only take turns, as the loop's items do".to_owned()
    } else if workers == 1 {
        "one worker does the items one after another, as the loop does".to_owned()
    } else if too_short {
        format!(
            "the phases are too short to tell (the loop took {:.3} s): a gain that \
             small hides under the pool's start-up and the noise; try a larger --iterations",
            sequential.as_secs_f64()
        )
    } else {
        format!(
            "though {} would allow up to {most}x: were other programs busy on them?",
            plural(cores, "core", "cores")
        )
    };
    format!("no clear difference: {why}{spread}")
}

/// The medians, the spreads and the verdicts.
pub fn summarize(run: &Run, times: &Times, workers: usize) {
    let say = |message: String| run.out.say("main", message);
    let rounds = times.sequential.len();
    let sequential = median(&times.sequential);
    say(format!("sequential: {}", spread(&times.sequential)));
    let setting = Setting {
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        workers,
        sequential,
    };
    for (name, pool, pooled) in [
        ("thread pool", Pool::Threads, &times.threads),
        ("process pool", Pool::Processes, &times.processes),
    ] {
        let speedup = Speedup::of(&times.sequential, pooled);
        let by_round = if rounds == 1 {
            String::new()
        } else {
            format!(" ({:.2}x to {:.2}x by round)", speedup.low, speedup.high)
        };
        say(format!(
            "{name}: {}; speedup {:.2}x{by_round}",
            spread(pooled),
            speedup.median
        ));
        say(format!("{name}: {}", explain(pool, speedup, setting)));
    }
    say(
        "Python's program (--part port runs its direct port) shows a speedup on the \
         process pool only: its threads take turns under the GIL"
            .to_owned(),
    );
}

/// `0.514 s`.
pub fn seconds(time: Duration) -> String {
    format!("{:.3} s", time.as_secs_f64())
}

/// `median 0.514 s of 3 rounds, from 0.500 to 0.530 s`, or `0.514 s (one
/// round)`.
fn spread(times: &[Duration]) -> String {
    match (times.iter().min(), times.iter().max()) {
        (Some(low), Some(high)) if times.len() > 1 => format!(
            "median {} of {} rounds, from {:.3} to {}",
            seconds(median(times)),
            times.len(),
            low.as_secs_f64(),
            seconds(*high)
        ),
        _ => format!("{} (one round)", seconds(median(times))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    fn setting(cores: usize, workers: usize, sequential_ms: u64) -> Setting {
        Setting {
            cores,
            workers,
            sequential: Duration::from_millis(sequential_ms),
        }
    }

    /// The median of an odd and an even count; per-round speedups.
    #[test]
    fn medians_and_speedups() {
        assert_eq!(median(&ms(&[30, 10, 20])), Duration::from_millis(20));
        assert_eq!(median(&ms(&[40, 10, 30, 20])), Duration::from_millis(25));
        let s = Speedup::of(&ms(&[100, 100, 100]), &ms(&[50, 40, 80]));
        assert_eq!((s.low, s.median, s.high, s.rounds), (1.25, 2.0, 2.5, 3));
    }

    /// Each kind of result gets the sentence that matches it, never one
    /// explaining a speedup that did not happen.
    #[test]
    fn the_explanation_follows_the_number() {
        let fast = Speedup::of(&ms(&[500, 500, 500]), &ms(&[260, 270, 280]));
        let text = explain(Pool::Threads, fast, setting(2, 5, 500));
        assert!(
            text.starts_with("faster:") && text.contains("no GIL"),
            "{text}"
        );
        assert!(text.contains("at most 2x"), "{text}");

        // The report's 0.94x / 0.91x on short phases: no claim of a gain.
        let flat = Speedup::of(&ms(&[50, 50, 50]), &ms(&[53, 55, 52]));
        let text = explain(Pool::Processes, flat, setting(2, 2, 50));
        assert!(text.starts_with("no clear difference:"), "{text}");
        assert!(text.contains("too short"), "{text}");

        let slow = Speedup::of(&ms(&[30, 30, 30]), &ms(&[40, 45, 42]));
        let text = explain(Pool::Processes, slow, setting(2, 2, 30));
        assert!(
            text.starts_with("slower:") && text.contains("only 0.030 s"),
            "{text}"
        );

        let noisy = Speedup::of(&ms(&[500, 500, 500]), &ms(&[250, 520, 300]));
        let text = explain(Pool::Threads, noisy, setting(2, 2, 500));
        assert!(text.starts_with("too noisy to tell:"), "{text}");

        let one_core = Speedup::of(&ms(&[500]), &ms(&[510]));
        let text = explain(Pool::Threads, one_core, setting(1, 5, 500));
        assert!(text.contains("one core"), "{text}");
        assert!(text.contains("one round"), "{text}");

        let one_worker = Speedup::of(&ms(&[500, 500]), &ms(&[505, 500]));
        let text = explain(Pool::Processes, one_worker, setting(2, 1, 500));
        assert!(text.contains("one worker"), "{text}");
    }
}
