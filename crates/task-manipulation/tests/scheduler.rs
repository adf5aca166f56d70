//! The dependency scheduler: graph checks, and exact schedules under the
//! paused clock.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use task_manipulation::scheduler::{self, example};
use task_manipulation::{Graph, GraphError, Log, Pace, TaskSpec};

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
    let log = Arc::new(Log::new());
    let (seq, conc) = scheduler::run(&g, &log, Pace::default()).await.unwrap();

    assert_eq!(seq.total, s(8.0));
    let order: Vec<_> = seq.runs.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        order,
        ["download", "parse", "thumbnails", "index", "publish"]
    );
    assert!(seq.overlapping().is_empty());

    assert_eq!(conc.total, s(6.0));
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
    let log = Arc::new(Log::new());
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
