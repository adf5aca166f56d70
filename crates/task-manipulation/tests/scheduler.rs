//! The dependency scheduler: graph checks, and exact schedules under the
//! paused clock.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use runner::Recorder;
use task_manipulation::scheduler::{self, example};
use task_manipulation::{Graph, GraphError, Pace, TaskSpec};

/// Seconds as a Duration.
fn s(seconds: f64) -> Duration {
    Duration::from_secs_f64(seconds)
}

/// Builds a graph from `NAME=SECS[:NEEDS]` strings.
fn graph(specs: &[&str]) -> Result<Graph, GraphError> {
    Graph::new(
        specs
            .iter()
            .map(|s| s.parse::<TaskSpec>().unwrap())
            .collect(),
    )
}

/// The example runs each task when its prerequisites are done: parse and
/// thumbnails start together after download, publish after both branches;
/// total = the longest chain (2 + 3 + 1 = 6 s), against 8 s one by one.
#[tokio::test(start_paused = true)]
async fn example_respects_dependencies_and_overlaps() {
    let g = Graph::new(example()).unwrap();
    let log = Recorder::quiet();
    let (seq, conc) = scheduler::run(&g, &log, Pace::default()).await.unwrap();

    assert_eq!(seq.total, s(8.0));
    let order: Vec<_> = seq.runs.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        order,
        ["download", "parse", "thumbnails", "index", "publish"]
    );
    assert!(seq.overlapping().is_empty());

    assert_eq!(conc.total, s(6.0));
    assert_eq!(g.longest_chain(), 6.0);
    assert_eq!(
        log.when(
            "scheduler",
            "took 8.000 s (the sum of the tasks' times, 8.000 s)"
        ),
        Some(s(8.0))
    );
    assert_eq!(
        log.when(
            "scheduler",
            "took 6.000 s (the longest chain, 6.000 s); ran together: "
        ),
        Some(s(14.0))
    );
    assert_eq!(conc.span("download"), Some((s(0.0), s(2.0))));
    assert_eq!(conc.span("parse"), Some((s(2.0), s(3.0))));
    assert_eq!(conc.span("thumbnails"), Some((s(2.0), s(5.0))));
    assert_eq!(conc.span("index"), Some((s(3.0), s(4.0))));
    assert_eq!(conc.span("publish"), Some((s(5.0), s(6.0))));
    let mut pairs = conc.overlapping();
    pairs.sort();
    assert_eq!(
        pairs,
        vec![
            ("parse".to_owned(), "thumbnails".to_owned()),
            ("thumbnails".to_owned(), "index".to_owned()),
        ]
    );
}

/// Independent tasks all start at 0 and the run takes the longest one.
#[tokio::test(start_paused = true)]
async fn independent_tasks_run_together() {
    let g = graph(&["a=1", "b=2", "c=3"]).unwrap();
    let log = Recorder::quiet();
    let conc = scheduler::run_concurrently(&g, &log, Pace::default())
        .await
        .unwrap();
    assert_eq!(conc.total, s(3.0));
    assert!(conc.runs.iter().all(|r| r.1 == s(0.0)));
    assert_eq!(conc.overlapping().len(), 3);
}

/// A cycle is refused, and the message spells the cycle out.
#[test]
fn cycles_are_refused() {
    let err = graph(&["a=1:c", "b=1:a", "c=1:b"]).unwrap_err();
    assert_eq!(
        err,
        GraphError::Cycle(vec!["a".into(), "c".into(), "b".into(), "a".into()])
    );
    assert_eq!(err.to_string(), "cyclic dependency: a -> c -> b -> a");
    // A task needing itself is the smallest cycle.
    assert_eq!(
        graph(&["x=1", "a=1:a"]).unwrap_err().to_string(),
        "cyclic dependency: a -> a"
    );
    // A cycle behind an acyclic entry point is still found.
    assert!(matches!(
        graph(&["top=1:b", "b=1:c", "c=1:b"]),
        Err(GraphError::Cycle(c)) if c == ["b", "c", "b"]
    ));
}

/// Unknown prerequisites, duplicates and empty graphs are refused too.
#[test]
fn bad_graphs_are_refused() {
    assert_eq!(
        graph(&["a=1:ghost"]).unwrap_err().to_string(),
        "task `a` needs `ghost`, which is not a task"
    );
    assert_eq!(
        graph(&["a=1", "a=2"]).unwrap_err(),
        GraphError::Duplicate("a".into())
    );
    assert_eq!(Graph::new(vec![]).unwrap_err(), GraphError::Empty);
}

/// The task syntax: name, seconds (fractions allowed), prerequisites.
#[test]
fn task_specs_parse_and_refuse_junk() {
    let t: TaskSpec = "publish=1.5:index,thumbnails".parse().unwrap();
    assert_eq!(t.name, "publish");
    assert_eq!(t.seconds, 1.5);
    assert_eq!(t.needs, ["index", "thumbnails"]);
    for bad in [
        "", "a", "=1", "a=", "a=-1", "a=x", "a b=1", "a=1:b c", "a=1e9",
    ] {
        assert!(bad.parse::<TaskSpec>().is_err(), "{bad:?} accepted");
    }
}

/// Dependency order keeps the given order where dependencies allow.
#[test]
fn order_is_topological_and_stable() {
    let g = graph(&["late=1:early", "free=1", "early=1"]).unwrap();
    let names: Vec<_> = g
        .order()
        .iter()
        .map(|&i| g.tasks()[i].name.clone())
        .collect();
    assert_eq!(names, ["free", "early", "late"]);
}

mod properties {
    //! Random acyclic graphs: every task starts exactly when its last
    //! prerequisite finishes, and the whole run takes the longest chain.
    use super::*;
    use proptest::prelude::*;

    /// Up to 8 tasks of 0 to 5 s; task i may only need tasks before it,
    /// so the graph is acyclic by construction.
    fn graphs() -> impl Strategy<Value = Vec<(u64, Vec<usize>)>> {
        proptest::collection::vec(
            (0u64..=5, proptest::collection::vec(any::<usize>(), 0..3)),
            1..8,
        )
        .prop_map(|tasks| {
            tasks
                .into_iter()
                .enumerate()
                .map(|(i, (secs, needs))| {
                    let mut needs: Vec<usize> = if i == 0 {
                        vec![]
                    } else {
                        needs.into_iter().map(|n| n % i).collect()
                    };
                    needs.sort_unstable();
                    needs.dedup();
                    (secs, needs)
                })
                .collect()
        })
    }

    /// Turns the generated shape into task specs named t0, t1, ...
    fn specs(shape: &[(u64, Vec<usize>)]) -> Vec<TaskSpec> {
        shape
            .iter()
            .enumerate()
            .map(|(i, (secs, needs))| TaskSpec {
                name: format!("t{i}"),
                seconds: *secs as f64,
                needs: needs.iter().map(|n| format!("t{n}")).collect(),
            })
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The concurrent schedule is exactly the earliest-start schedule.
        #[test]
        fn starts_when_prerequisites_finish(shape in graphs()) {
            let g = Graph::new(specs(&shape)).unwrap();
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .unwrap();
            let schedule = rt.block_on(async {
                let log = Recorder::quiet();
                scheduler::run_concurrently(&g, &log, Pace::default()).await.unwrap()
            });
            // Earliest finish of each task, computed directly (in index
            // order, since prerequisites come first).
            let mut finish = vec![0u64; shape.len()];
            for (i, (secs, needs)) in shape.iter().enumerate() {
                let start = needs.iter().map(|&n| finish[n]).max().unwrap_or(0);
                finish[i] = start + secs;
                prop_assert_eq!(
                    schedule.span(&format!("t{i}")),
                    Some((s(start as f64), s(finish[i] as f64)))
                );
            }
            prop_assert_eq!(schedule.total, s(*finish.iter().max().unwrap() as f64));
            // The line's "longest chain" is that same time.
            prop_assert_eq!(g.longest_chain(), *finish.iter().max().unwrap() as f64);
        }

        /// Closing any chain back on itself is refused as a cycle.
        #[test]
        fn a_back_edge_is_a_cycle(shape in graphs()) {
            let mut tasks = specs(&shape);
            let last = tasks.len() - 1;
            // t0 now needs the last task: if last == 0 that is a self-loop,
            // otherwise a cycle exists iff the last task reaches t0; force
            // it by making the last task need t0 as well.
            tasks[0].needs.push(format!("t{last}"));
            if last > 0 {
                tasks[last].needs.push("t0".to_owned());
            }
            let is_cycle = matches!(Graph::new(tasks), Err(GraphError::Cycle(_)));
            prop_assert!(is_cycle);
        }
    }
}

/// A huge cycle or a huge name still gives one readable error line.
#[test]
fn huge_cycles_and_names_are_echoed_cut() {
    let long = "n".repeat(100_000);
    let cycle = |n: usize| -> Vec<TaskSpec> {
        (0..n)
            .map(|i| format!("t{i}=1:t{}", (i + 1) % n).parse().expect("a spec"))
            .collect()
    };
    let message = Graph::new(cycle(1000)).expect_err("a cycle").to_string();
    assert!(message.len() < 200, "{message}");
    assert!(message.contains("(1000 tasks in the cycle)"), "{message}");
    let message = Graph::new(cycle(10_000)).expect_err("too many").to_string();
    assert!(message.contains("at most 1000"), "{message}");
    let twice: Vec<TaskSpec> = (0..2)
        .map(|_| format!("{long}=1").parse().expect("a spec"))
        .collect();
    let message = Graph::new(twice).expect_err("refused").to_string();
    assert!(message.len() < 200, "{message}");
}
