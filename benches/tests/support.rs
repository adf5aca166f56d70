//! The benchmarks' library through its public API: every executor and
//! runtime computes the right thing (a benchmark that computes the wrong
//! thing quickly is worse than none), and `compare`'s parts (samples,
//! sizes, the Python side, the table, the chart) do what the driver needs.

#![allow(clippy::unwrap_used)]

use benchmarks::task::BenchTask;

// The process pools started here run their workers from this test binary.
process_pool::worker_test_hook!(BenchTask);

/// The one "spawn them all, await each" loop.
mod batch {
    use benchmarks::BenchError;
    use benchmarks::batch::*;
    use runtimes::Runtime;

    /// Every runtime hands back every task's value in input order; a
    /// task's panic ends the batch with an error, not a lost value.
    #[test]
    fn every_runtime_joins_every_task_in_order() {
        let current = runtimes::build_tokio(runtimes::TokioFlavor::CurrentThread).unwrap();
        let multi = runtimes::build_tokio(runtimes::TokioFlavor::MultiThread).unwrap();
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {})); // the panics are on purpose
        for on in [
            On::Tokio(&current),
            On::Tokio(&multi),
            On::AsyncStd,
            On::Smol,
        ] {
            let spawn = |runtime: Runtime, i: u32| runtime.spawn(async move { 10 / (3 - i) });
            let push = |mut values: Vec<u32>, v| {
                values.push(v);
                Ok(values)
            };
            assert_eq!(
                spawn_join(on, 0..3, spawn, vec![], push).unwrap(),
                [3, 5, 10]
            );
            let panicked = spawn_join(on, 0..4, spawn, vec![], push);
            assert!(matches!(panicked, Err(BenchError::Task(_))), "{on:?}");
        }
        std::panic::set_hook(hook);
    }
}

/// Timers and spawn storms.
mod machinery {
    use benchmarks::batch::On;
    use benchmarks::machinery::*;
    use std::time::{Duration, Instant};

    /// Every runtime completes all timers, no sooner than the delay and
    /// (with 5 ms timers, 200 at once) well before they would take one
    /// after another.
    #[test]
    fn timers_run_concurrently() {
        let delay = Duration::from_millis(5);
        let current = benchmarks::overhead::tokio_current_thread().unwrap();
        for on in [On::Tokio(&current), On::AsyncStd, On::Smol] {
            let start = Instant::now();
            assert_eq!(timers(on, 200, delay).unwrap(), 200, "{on:?}");
            let took = start.elapsed();
            assert!(took >= delay, "{on:?}: {took:?}");
            assert!(
                took < delay * 100,
                "{on:?} ran the timers one by one: {took:?}"
            );
        }
    }

    /// Every runtime joins every no-op task.
    #[test]
    fn noop_tasks_all_complete() {
        let multi = benchmarks::overhead::tokio_multi_thread(2).unwrap();
        for on in [On::Tokio(&multi), On::AsyncStd, On::Smol] {
            assert_eq!(noop_tasks(on, 1000).unwrap(), 1000, "{on:?}");
        }
    }
}

/// Per-task costs.
mod overhead {
    use benchmarks::batch::On;
    use benchmarks::overhead::*;
    use benchmarks::task::BenchTask;
    use process_pool::ProcessPoolExecutor;
    use thread_pool::ThreadPoolExecutor;

    /// The formula matches a plain sum.
    #[test]
    fn expected_sum_matches_the_loop() {
        for n in [0, 1, 2, 10, 1000] {
            let plain: i64 = (0..n).map(|i| i * i * i).sum();
            assert_eq!(expected_sum(n).unwrap(), plain);
        }
        assert!(expected_sum(1 << 40).is_err());
    }

    /// Every per-task way computes the right sum.
    #[test]
    fn every_way_sums_the_cubes() {
        let n = 300;
        let want = expected_sum(300).unwrap();
        let rayon = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let pool = ThreadPoolExecutor::new(2).unwrap();
        let current = tokio_current_thread().unwrap();
        let multi = tokio_multi_thread(2).unwrap();
        let processes = ProcessPoolExecutor::<BenchTask>::new(2).unwrap();
        assert_eq!(thread_spawn_join(n).unwrap(), want);
        assert_eq!(rayon_par_iter(&rayon, n).unwrap(), want);
        assert_eq!(rayon_scope_spawn(&rayon, n).unwrap(), want);
        assert_eq!(thread_pool_submit(&pool, n).unwrap(), want);
        assert_eq!(thread_pool_map(&pool, n).unwrap(), want);
        for on in [
            On::Tokio(&current),
            On::Tokio(&multi),
            On::AsyncStd,
            On::Smol,
        ] {
            assert_eq!(spawn(on, n).unwrap(), want, "{on:?}");
            assert_eq!(spawn_blocking(on, n).unwrap(), want, "{on:?}");
        }
        assert_eq!(process_pool_submit(&processes, n).unwrap(), want);
        for chunksize in [1, 64, 1024] {
            assert_eq!(process_pool_map(&processes, n, chunksize).unwrap(), want);
        }
    }

    /// Sizes whose sum would overflow, and a chunksize of 0, are refused
    /// before any task runs.
    #[test]
    fn bad_sizes_are_errors() {
        assert!(thread_pool_map(&ThreadPoolExecutor::new(1).unwrap(), 1 << 40).is_err());
        let processes = ProcessPoolExecutor::<BenchTask>::new(1).unwrap();
        assert!(process_pool_map(&processes, 10, 0).is_err());
    }

    /// The ping-pong counts two hand-offs per round trip.
    #[test]
    fn ping_pong_counts_hand_offs() {
        assert_eq!(ping_pong(100).unwrap(), 200);
        assert_eq!(ping_pong(0).unwrap(), 0);
    }
}

/// The count workload on every executor.
mod cpu {
    use benchmarks::BenchError;
    use benchmarks::cpu::*;

    /// Every executor, at 1 and 3 workers, gives every item's result in
    /// item order (3 workers do not divide 10 items evenly).
    #[test]
    fn every_executor_gives_results_in_order() {
        let items: Vec<u64> = benchmarks::CHAPTER_ITEMS.collect();
        for executor in Executor::ALL {
            for workers in [1, 3] {
                let started = executor.start(workers).unwrap();
                let results = started.run(&items, 1_000).unwrap();
                let expected: Vec<u64> = items.iter().map(|i| i * 1_000).collect();
                assert_eq!(results, expected, "{} with {workers}", executor.name());
            }
        }
    }

    /// Zero workers is refused with an error, not a panic or a hang.
    #[test]
    fn zero_workers_is_an_error() {
        for executor in Executor::ALL {
            assert!(executor.start(0).is_err(), "{}", executor.name());
        }
    }

    /// A workload that would overflow is reported as an error.
    #[test]
    fn overflow_is_an_error() {
        let started = Executor::Sequential.start(1).unwrap();
        assert!(matches!(
            started.run(&[u64::MAX], 2),
            Err(BenchError::Workload(_))
        ));
    }
}

/// What --timeline and --trace record, and what they do not.
mod recording {
    use benchmarks::recording::*;
    use thread_pool::ThreadPoolExecutor;

    /// A recorder in a run without the flags keeps nothing, whatever is
    /// recorded through it; one with spans kept has every unit, ended.
    #[test]
    fn spans_are_kept_only_when_asked_for() {
        let off = recorder(false);
        spans(&off, 100);
        assert!(off.spans().is_empty());
        assert!(!off.keeps_spans());
        let on = recorder(true);
        spans(&on, 100);
        let kept = on.spans();
        assert_eq!(kept.len(), 100);
        assert!(kept.iter().all(|s| s.lane == "main" && s.end.is_some()));
        assert_eq!(kept[7].what, "7");
    }

    /// The pooling workload with a span per item: the right results either
    /// way; with spans kept, one bar per item, on the pool's threads.
    #[test]
    fn pooled_items_are_one_span_each_on_their_worker() {
        let pool = ThreadPoolExecutor::new(2).unwrap();
        let items: Vec<u64> = benchmarks::CHAPTER_ITEMS.collect();
        let expected: Vec<u64> = items.iter().map(|i| i * 1_000).collect();
        let off = recorder(false);
        assert_eq!(
            count_on_thread_pool(&pool, &off, &items, 1_000).unwrap(),
            expected
        );
        assert!(off.spans().is_empty());
        let on = recorder(true);
        assert_eq!(
            count_on_thread_pool(&pool, &on, &items, 1_000).unwrap(),
            expected
        );
        let mut whats: Vec<String> = on.spans().into_iter().map(|s| s.what).collect();
        whats.sort();
        let mut wanted: Vec<String> = items.iter().map(|i| format!("item {i}")).collect();
        wanted.sort();
        assert_eq!(whats, wanted);
        let main = common::clock::thread_label();
        assert!(on.spans().iter().all(|s| s.lane != main && s.end.is_some()));
    }
}

/// Medians and readable times.
mod stats {
    use benchmarks::stats::*;

    // The median itself is `common::stats::median`, tested there.

    /// Units and significant digits.
    #[test]
    fn human_picks_the_unit() {
        assert_eq!(human(2.5), "2.50 s");
        assert_eq!(human(0.0456), "45.6 ms");
        assert_eq!(human(0.000_007_891), "7.89 us");
        assert_eq!(human(0.000_000_12), "120 ns");
        assert_eq!(ratio(141.3), "141x");
        assert_eq!(ratio(1.98), "1.98x");
    }
}

/// Compare's samples.
mod samples {
    use benchmarks::compare::{Samples, Side};

    /// Medians per side and figure; the TSV has a header and a line per sample.
    #[test]
    fn samples_keep_sides_apart() {
        let mut samples = Samples::default();
        for v in [3.0, 1.0, 2.0] {
            samples.push(Side::Python, "count/sequential", v);
        }
        samples.push(Side::Rust, "count/sequential", 0.01);
        assert_eq!(samples.median(Side::Python, "count/sequential"), Some(2.0));
        assert_eq!(samples.median(Side::Rust, "count/sequential"), Some(0.01));
        assert_eq!(samples.median(Side::Rust, "nothing"), None);
        assert_eq!(samples.to_tsv().lines().count(), 5);
    }
}

/// Compare's sizes.
mod sizes {
    use benchmarks::compare::sizes::*;
    use std::time::Duration;

    /// The Python flags carry the sizes.
    #[test]
    fn python_args_carry_the_sizes() {
        let sizes = Sizes::default();
        let args = sizes.python_args("pooling.py").join(" ");
        assert!(args.starts_with("--tsv"));
        assert!(args.contains("--iterations 10000000"));
        assert!(args.contains("--workers 1 2 4 8"));
        let args = sizes.python_args("asyncio_costs.py").join(" ");
        assert!(args.contains("--timers 1000 10000"));
    }

    /// Scaling down keeps every size at least 1.
    #[test]
    fn scaled_down_stays_positive() {
        let small = Sizes::default().scaled_down(1_000_000_000);
        assert_eq!(small.iterations, 1);
        assert_eq!(small.timers, vec![1]);
        assert_eq!(small.chunksizes, vec![1, 64, 1024]);
        assert_eq!(small.span, Duration::from_secs(1) / 1_000_000_000);
        assert_eq!(
            Sizes::default().scaled_down(10).span,
            Duration::from_millis(100)
        );
    }
}

/// Compare's Python side.
mod python {
    use benchmarks::compare::python::*;
    use benchmarks::compare::sizes::Sizes;
    use runner::Interrupt;

    /// Good lines parse; anything else is an error.
    #[test]
    fn parse_accepts_only_figure_lines() {
        let figures = parse("x.py", "count/sequential\t5.5\n\ntask/a\t1e-06\n").unwrap();
        assert_eq!(
            figures,
            vec![("count/sequential".into(), 5.5), ("task/a".into(), 1e-6)]
        );
        assert!(parse("x.py", "hello").is_err());
        assert!(parse("x.py", "a\tnan").is_err());
        assert!(parse("x.py", "a\t-1").is_err());
    }

    /// The real programs run (tiny sizes) and print every figure the
    /// table needs. Skipped, with a note, where there is no python3.
    #[test]
    fn the_python_programs_run() {
        if version("python3").is_err() {
            eprintln!("python3 not found: skipping");
            return;
        }
        let sizes = Sizes {
            workers: vec![1, 2],
            ..Sizes::default()
        }
        .scaled_down(100_000);
        let mut ids = Vec::new();
        for script in SCRIPTS {
            ids.extend(
                run("python3", script, &sizes, &Interrupt::new())
                    .unwrap()
                    .into_iter()
                    .map(|(id, _)| id),
            );
        }
        for id in [
            "count/sequential",
            "count/threads/2",
            "count/processes/2",
            "task/process-pool-map/64",
            "handoff/ping-pong",
            "async/spawn-cube",
            "async/timers/1",
        ] {
            assert!(ids.iter().any(|x| x == id), "{id} missing from {ids:?}");
        }
    }
}

/// Compare's table.
mod table {
    use benchmarks::compare::sizes::Sizes;
    use benchmarks::compare::table::*;
    use benchmarks::compare::{Samples, Side, paired};

    fn samples() -> Samples {
        let mut s = Samples::default();
        s.push(Side::Python, "count/sequential", 6.0);
        s.push(Side::Python, "count/processes/2", 3.0);
        s.push(Side::Python, "count/processes/4", 3.2);
        s.push(Side::Python, "count/threads/2", 6.5);
        s.push(Side::Rust, "count/sequential", 0.04);
        s.push(Side::Rust, "count/rayon/2", 0.02);
        s.push(Side::Rust, "count/thread-pool/2", 0.021);
        s
    }

    fn sizes() -> Sizes {
        Sizes {
            workers: vec![1, 2, 4],
            pool_workers: 2,
            ..Sizes::default()
        }
    }

    /// The ratio is Python over Rust; the best parallel row names the
    /// winners.
    #[test]
    fn rows_pair_python_and_rust() {
        let rows = rows(&samples(), &sizes());
        assert_eq!(rows[0].ratio(), Some(150.0));
        let best = rows.iter().find(|r| r.figure.contains("best")).unwrap();
        assert!(best.figure.contains("processes/2") && best.figure.contains("rayon/2"));
        assert_eq!(best.ratio(), Some(150.0));
        let table = markdown(&rows);
        assert!(table.contains(
            "| Count workload, sequential (10 items x count(10000000)) | 6.00 s | 40.0 ms | 150x |"
        ));
        // Unmeasured figures show a dash, not a zero.
        assert!(table.contains("| - | - |"));
    }

    /// A paired row's ratio is the median of its pairs, not the ratio of
    /// the two medians.
    #[test]
    fn paired_rows_use_the_pairs_ratio() {
        let mut s = samples();
        for (py, rs, r) in [(2.5, 0.028, 95.0), (2.6, 0.05, 100.0), (2.4, 0.027, 90.0)] {
            s.push(Side::Python, paired::SEQUENTIAL, py);
            s.push(Side::Rust, paired::SEQUENTIAL, rs);
            s.push(Side::Rust, paired::SEQUENTIAL_RATIO, r);
        }
        let rows = rows(&s, &sizes());
        let row = rows
            .iter()
            .find(|r| r.figure.contains("alternating item by item"))
            .unwrap();
        assert_eq!((row.python, row.rust), (Some(2.5), Some(0.028)));
        assert_eq!(row.ratio(), Some(95.0));
        let pool = rows
            .iter()
            .find(|r| r.figure.contains("ProcessPoolExecutor and rayon"))
            .unwrap();
        assert_eq!(pool.ratio(), None);
    }

    /// Speedups are over each side's own sequential run.
    #[test]
    fn speedups_use_their_own_baseline() {
        let series = speedups(&samples(), &sizes());
        let rayon = series.iter().find(|s| s.label == "Rust rayon").unwrap();
        assert_eq!(rayon.points, vec![(2, 2.0)]);
        let threads = series.iter().find(|s| s.label.contains("Thread")).unwrap();
        assert_eq!(threads.side, Side::Python);
        assert!((threads.points[0].1 - 6.0 / 6.5).abs() < 1e-9);
        // A paired speedup, where measured, wins over the ratio of medians.
        let mut with_pairs = samples();
        with_pairs.push(Side::Rust, "speedup/rayon/2", 1.9);
        let paired = speedups(&with_pairs, &sizes());
        let rayon = paired.iter().find(|s| s.label == "Rust rayon").unwrap();
        assert_eq!(rayon.points, vec![(2, 1.9)]);
        let table = speedup_markdown(&series, &[1, 2, 4], 2);
        assert!(table.contains("| Rust rayon | - | 2.00x (100%) | - |"));
    }

    /// At equal wall time the Rust rows are ratios of the lengthened runs'
    /// medians (no pairs), the Python rows the same as at the chapter's size.
    #[test]
    fn equal_time_speedups_use_the_lengthened_runs() {
        use benchmarks::compare::equal_time::count_id;
        use benchmarks::cpu::Executor;
        let mut s = samples();
        s.push(Side::Rust, "speedup/rayon/2", 1.6);
        for (seq, rayon) in [(3.0, 1.55), (3.2, 1.6), (2.9, 1.5)] {
            s.push(Side::Rust, count_id(Executor::Sequential, 1), seq);
            s.push(Side::Rust, count_id(Executor::Rayon, 2), rayon);
        }
        let equal = speedups_at_equal_time(&s, &sizes());
        let rayon = equal.iter().find(|x| x.label == "Rust rayon").unwrap();
        assert_eq!(rayon.points, vec![(2, 3.0 / 1.55)]);
        let python: Vec<&Series> = equal.iter().filter(|x| x.side == Side::Python).collect();
        let at_size: Vec<Series> = speedups(&s, &sizes())
            .into_iter()
            .filter(|x| x.side == Side::Python)
            .collect();
        assert_eq!(python.len(), 2);
        assert!(python.iter().zip(&at_size).all(|(a, b)| *a == b));
        // The chapter-size table keeps its pairs.
        let paired = speedups(&s, &sizes());
        let rayon = paired.iter().find(|x| x.label == "Rust rayon").unwrap();
        assert_eq!(rayon.points, vec![(2, 1.6)]);
    }
}

/// Compare's chart.
mod chart {
    use benchmarks::compare::Side;
    use benchmarks::compare::chart::*;
    use benchmarks::compare::table::Series;

    /// The chart is an SVG naming every series.
    #[test]
    fn draws_an_svg_with_every_series() {
        let path = std::env::temp_dir().join(format!("speedup-{}.svg", std::process::id()));
        let series = vec![
            Series {
                label: "Rust rayon".into(),
                side: Side::Rust,
                points: vec![(1, 1.0), (2, 1.95), (4, 1.9)],
            },
            Series {
                label: "Python ThreadPoolExecutor".into(),
                side: Side::Python,
                points: vec![(1, 0.98), (2, 0.9), (4, 0.85)],
            },
        ];
        draw(&path, &series, &[1, 2, 4], 2, "test").unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Rust rayon") && svg.contains("Python ThreadPoolExecutor"));
        assert!(svg.contains("ideal on 2 cores"));
        assert!(draw(&path, &series, &[], 2, "test").is_err());
        // Any other name is refused, with nothing written.
        let png = path.with_extension("png");
        assert!(draw(&png, &series, &[1, 2, 4], 2, "test").is_err());
        assert!(!png.exists());
    }
}

/// Compare's Rust side: the meter and a whole round.
mod rust {
    use benchmarks::BenchError;
    use benchmarks::compare::rust::*;
    use benchmarks::compare::sizes::Sizes;
    use runner::Interrupt;
    use std::time::{Duration, Instant};

    /// A meter of `span`, with MIN_RUNS, that no Ctrl-C stops.
    fn meter(span: Duration, interrupt: &Interrupt) -> Meter<'_> {
        Meter {
            span,
            min_runs: MIN_RUNS,
            interrupt,
        }
    }

    /// A figure runs at least MIN_RUNS times, and for at least its span;
    /// its value is the mean.
    #[test]
    fn a_meter_fills_the_span_with_at_least_min_runs() {
        let interrupt = Interrupt::new();
        let mut runs = 0;
        let mean = meter(Duration::ZERO, &interrupt)
            .mean(|| {
                runs += 1;
                Ok::<_, BenchError>(())
            })
            .unwrap();
        assert_eq!(runs, MIN_RUNS);
        assert!(mean >= 0.0);

        let span = Duration::from_millis(20);
        let mut runs = 0;
        let start = Instant::now();
        let mean = meter(span, &interrupt)
            .mean(|| {
                runs += 1;
                std::thread::sleep(Duration::from_millis(1));
                Ok::<_, BenchError>(())
            })
            .unwrap();
        let elapsed = start.elapsed();
        assert!(elapsed >= span);
        assert!(runs > MIN_RUNS, "{runs} runs of 1 ms in 20 ms");
        let expected = elapsed.as_secs_f64() / runs as f64;
        assert!(
            (mean - expected).abs() <= expected * 0.5,
            "{mean} vs {expected}"
        );
        assert!(mean >= 0.001);
    }

    /// Once Ctrl-C was pressed, a meter runs nothing more: it stops with
    /// `Interrupted` before the next run, and so does a whole round.
    #[test]
    fn ctrl_c_stops_a_meter_before_the_next_run() {
        let interrupt = Interrupt::new();
        let mut runs = 0;
        let stopped = meter(Duration::from_secs(3600), &interrupt).mean(|| {
            runs += 1;
            if runs == 2 {
                interrupt.raise();
            }
            Ok::<_, BenchError>(())
        });
        assert!(
            matches!(stopped, Err(BenchError::Interrupted(_))),
            "{stopped:?}"
        );
        assert_eq!(runs, 2);
        let round = measure(&Sizes::default(), &interrupt, |_| {});
        assert!(
            matches!(round, Err(BenchError::Interrupted(_))),
            "{round:?}"
        );
    }

    /// A tiny round measures every figure the table needs, each once,
    /// with a positive time.
    #[test]
    fn a_round_measures_every_figure() {
        let sizes = Sizes {
            workers: vec![1, 2],
            ..Sizes::default()
        }
        .scaled_down(10_000);
        let figures = measure(&sizes, &Interrupt::new(), |_| {}).unwrap();
        let ids: Vec<&str> = figures.iter().map(|(id, _)| id.as_str()).collect();
        for id in [
            "count/sequential",
            "count/thread-pool/2",
            "count/process-pool/1",
            "speedup/rayon/2",
            "task/process-pool-map/1024",
            "handoff/ping-pong",
            "async/spawn-cube/tokio-current-thread",
            "async/timers/1/tokio-multi-thread",
        ] {
            assert_eq!(
                ids.iter().filter(|x| **x == id).count(),
                1,
                "{id} in {ids:?}"
            );
        }
        assert!(figures.iter().all(|(_, s)| *s > 0.0));
    }
}

/// Compare's speedups at equal wall time.
mod equal_time {
    use benchmarks::compare::equal_time::*;
    use benchmarks::compare::sizes::Sizes;
    use benchmarks::cpu::Executor;
    use runner::Interrupt;

    /// Scaled by the ratio and rounded to two digits; never shorter than
    /// the chapter's, at most MAX_FACTOR longer, within u64 for every item.
    #[test]
    fn scaled_iterations_follow_the_ratio() {
        assert_eq!(
            scaled_iterations(10_000_000, 10, 3.09, 0.0277),
            1_100_000_000
        );
        assert_eq!(scaled_iterations(10_000_000, 10, 0.3, 0.0277), 110_000_000);
        // Python faster, or a time that is no time: the chapter's size.
        assert_eq!(scaled_iterations(10_000_000, 10, 0.01, 0.0277), 10_000_000);
        assert_eq!(scaled_iterations(10_000_000, 10, 3.0, 0.0), 10_000_000);
        assert_eq!(scaled_iterations(10_000_000, 10, f64::NAN, 1.0), 10_000_000);
        assert_eq!(scaled_iterations(10_000_000, 10, 1e9, 1.0), 10_000_000_000);
        let huge = scaled_iterations(u64::MAX / 20, 10, 1e9, 1.0);
        assert_eq!(huge, u64::MAX / 10);
    }

    /// A tiny round: the sequential run and every executor at every
    /// worker count, once each, with a positive time.
    #[test]
    fn a_round_runs_every_executor_once() {
        let sizes = Sizes {
            items: 3,
            workers: vec![1, 2],
            ..Sizes::default()
        };
        let mut steps = Vec::new();
        let figures = measure(&sizes, 1000, &Interrupt::new(), |s| {
            steps.push(s.to_owned())
        })
        .unwrap();
        assert_eq!(figures.len(), 1 + Executor::SCALABLE.len() * 2);
        assert_eq!(figures[0].0, "equal-time/count/sequential");
        assert!(
            figures
                .iter()
                .any(|(id, _)| id == "equal-time/count/process-pool/2")
        );
        assert!(figures.iter().all(|(_, s)| *s > 0.0));
        assert_eq!(steps.len(), 1 + Executor::SCALABLE.len());
        assert_eq!(steps[1], "std-scope with 1, 2 workers");
    }
}

/// Compare's Python and Rust pairs.
mod paired {
    use benchmarks::compare::paired::*;
    use benchmarks::compare::sizes::Sizes;
    use benchmarks::compare::{Side, python};
    use nix::sched::CpuSet;
    use runner::Interrupt;

    /// Pinning keeps the thread on one CPU and gives the old set back.
    #[test]
    fn pinning_is_undone_on_drop() {
        let before = allowed_cpus().unwrap();
        let cpu = *before.last().unwrap();
        {
            let _pinned = Pinned::to(cpu).unwrap();
            assert_eq!(allowed_cpus().unwrap(), vec![cpu]);
        }
        assert_eq!(allowed_cpus().unwrap(), before);
        assert!(Pinned::to(CpuSet::count() + 1).is_err());
    }

    /// A tiny round with the real Python program: every paired figure,
    /// positive. Skipped, with a note, where there is no python3.
    #[test]
    fn a_tiny_round_measures_every_paired_figure() {
        if python::version("python3").is_err() {
            eprintln!("python3 not found: skipping");
            return;
        }
        let sizes = Sizes {
            items: 2,
            pool_workers: 2,
            ..Sizes::default()
        }
        .scaled_down(100_000);
        let cpu = allowed_cpus().unwrap()[0];
        let figures = measure("python3", &sizes, cpu, &Interrupt::new(), |_| {}).unwrap();
        let ids: Vec<(Side, &str)> = figures.iter().map(|(s, id, _)| (*s, id.as_str())).collect();
        assert_eq!(
            ids,
            vec![
                (Side::Python, SEQUENTIAL),
                (Side::Rust, SEQUENTIAL),
                (Side::Rust, SEQUENTIAL_RATIO),
                (Side::Python, "paired/processes/2"),
                (Side::Rust, "paired/rayon/2"),
                (Side::Rust, "paired-ratio/processes-rayon/2"),
            ]
        );
        assert!(figures.iter().all(|(_, _, v)| *v > 0.0));
    }
}

/// Compare's queue section: its table.
mod queue {
    use benchmarks::compare::queue::*;
    use benchmarks::compare::sizes::Sizes;
    use benchmarks::compare::{Samples, Side};

    /// The table has a row per figure and worker count; a cell is a median
    /// (and its speedup); a missing engine shows `-` and the reason.
    #[test]
    fn the_table_shows_every_figure_and_what_was_skipped() {
        let mut samples = Samples::default();
        for round in [1.0, 3.0, 2.0] {
            samples.push(Side::Rust, single_id(Engine::Nats), 1e-3 * round);
            samples.push(Side::Rust, single_id(Engine::ProcessPool), 1e-4 * round);
            samples.push(Side::Rust, count_id(Engine::Nats, 2), 0.5);
            samples.push(Side::Rust, speedup_id(Engine::Nats, 2), 1.8);
        }
        let sizes = Sizes::default();
        let table = markdown(&samples, &sizes, Some("Dask is skipped: no dask"));
        assert!(table.contains("Dask is skipped: no dask."), "{table}");
        assert!(
            table.contains(
                "| Per task, one at a time: submit, wait for the result (1 worker) \
                 | 2.00 ms | 200 us | - | 10.0x | - |"
            ),
            "{table}"
        );
        assert!(table.contains("| Throughput on 2 workers (speedup over one process) | 500 ms (1.80x) | - | - | - | - |"), "{table}");
        assert_eq!(table.matches("| Throughput on").count(), WORKERS.len());
        assert!(table.contains("| Per task, 500 in flight: map, then gather (1 worker) |"));
    }
}
