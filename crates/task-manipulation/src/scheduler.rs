//! Part `scheduler`: run tasks in dependency order, each as soon as its
//! prerequisites are done.
//!
//! Python has no ready-made counterpart (the chapter's "simple scheduler
//! that runs tasks in a specific order" awaits them one by one, or chains
//! `await prerequisite` inside each coroutine). This module is the small
//! version of what build tools do:
//!
//! 1. [`Graph::new`] checks the graph: every prerequisite exists, no name
//!    is used twice, and there is **no cycle** (a task that, through its
//!    prerequisites, waits for itself would wait forever). A cycle is
//!    refused with the cycle spelled out: `a -> b -> a`.
//! 2. [`Graph::order`] is one valid order (a topological order; ties keep
//!    the order the tasks were given in). [`run_in_order`] runs the tasks
//!    one after another in that order.
//! 3. [`run_concurrently`] starts every task whose prerequisites are all
//!    done, at once, in a `JoinSet`; each time one finishes it starts the
//!    tasks that were waiting only for it. Independent tasks overlap, and
//!    the total time is the longest chain, not the sum.

use common::cli::echo;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Error;
use crate::work::{Pace, shown};
use runner::{Recorder, SpanKind};

/// One task of the graph: a name, how long it takes, what it waits for.
///
/// On the command line: `--task NAME=SECONDS[:PREREQ,PREREQ...]`,
/// for example `--task publish=1:index,thumbnails`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSpec {
    /// The task's name (letters, digits, `-` and `_`).
    pub name: String,
    /// How long it runs, in demo seconds.
    pub seconds: f64,
    /// The names of the tasks that must finish before it starts.
    pub needs: Vec<String>,
}

impl FromStr for TaskSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let usage = "expected NAME=SECONDS[:PREREQ,PREREQ...], e.g. `index=1:parse`";
        let (name, rest) = text
            .split_once('=')
            .ok_or_else(|| format!("`{}`: {usage}", echo(text)))?;
        let (seconds, needs) = match rest.split_once(':') {
            Some((seconds, needs)) => (seconds, needs),
            None => (rest, ""),
        };
        let valid = |n: &str| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        if !valid(name) {
            return Err(format!(
                "`{}`: task name `{}` is not a name; {usage}",
                echo(text),
                echo(name)
            ));
        }
        let seconds = common::cli::parse_seconds(seconds)?.as_secs_f64();
        let needs: Vec<String> = needs
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some(bad) = needs.iter().find(|n| !valid(n)) {
            return Err(format!(
                "`{}`: prerequisite `{}` is not a name; {usage}",
                echo(text),
                echo(bad)
            ));
        }
        Ok(TaskSpec {
            name: name.to_owned(),
            seconds,
            needs,
        })
    }
}

/// Why a graph was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GraphError {
    /// No tasks at all.
    #[error("the task graph is empty")]
    Empty,
    /// Two tasks with one name.
    #[error("task `{}` is defined twice", echo(.0))]
    Duplicate(String),
    /// A prerequisite that is not a task.
    #[error("task `{}` needs `{}`, which is not a task", echo(task), echo(missing))]
    Unknown {
        /// The task naming it.
        task: String,
        /// The missing name.
        missing: String,
    },
    /// More tasks than [`MAX_TASKS`].
    #[error("{0} tasks are more than the scheduler takes (at most {MAX_TASKS})")]
    TooMany(usize),
    /// A cycle: the names along it, the first repeated at the end.
    #[error("cyclic dependency: {}", cycle_text(.0))]
    Cycle(Vec<String>),
}

/// A cycle as an error line repeats it: each name cut to a readable length
/// (`common::cli::echo`), and a long cycle shown by its first names and
/// its length, so that a 10,000-task cycle still gives one readable line.
fn cycle_text(names: &[String]) -> String {
    const SHOWN: usize = 6;
    let shown: Vec<String> = names.iter().take(SHOWN).map(|name| echo(name)).collect();
    if names.len() <= SHOWN {
        shown.join(" -> ")
    } else {
        format!(
            "{} -> ... ({} tasks in the cycle)",
            shown.join(" -> "),
            names.len() - 1
        )
    }
}

/// A checked task graph: no duplicates, no unknown names, no cycles.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// The tasks, in the order given.
    tasks: Vec<TaskSpec>,
    /// For each task (by index), the indices of its prerequisites.
    needs: Vec<Vec<usize>>,
}

/// The example graph used when no `--task` is given: a small publishing
/// pipeline in which `parse` and `thumbnails` can run at the same time.
pub fn example() -> Vec<TaskSpec> {
    [
        "download=2",
        "parse=1:download",
        "thumbnails=3:download",
        "index=1:parse",
        "publish=1:index,thumbnails",
    ]
    .iter()
    .map(|s| s.parse().expect("the example graph is well formed"))
    .collect()
}

/// The most tasks a graph takes: enough for any demo, and a bound on the
/// depth of the recursive cycle search (a 10,000-task chain
/// overflowed the stack).
pub const MAX_TASKS: usize = 1000;

impl Graph {
    /// Checks `tasks` and builds the graph, or says what is wrong.
    pub fn new(tasks: Vec<TaskSpec>) -> Result<Self, GraphError> {
        if tasks.is_empty() {
            return Err(GraphError::Empty);
        }
        if tasks.len() > MAX_TASKS {
            return Err(GraphError::TooMany(tasks.len()));
        }
        let mut index = HashMap::new();
        for (i, task) in tasks.iter().enumerate() {
            if index.insert(task.name.clone(), i).is_some() {
                return Err(GraphError::Duplicate(task.name.clone()));
            }
        }
        let mut needs = Vec::with_capacity(tasks.len());
        for task in &tasks {
            let mut mine = Vec::new();
            for need in &task.needs {
                let &j = index.get(need).ok_or_else(|| GraphError::Unknown {
                    task: task.name.clone(),
                    missing: need.clone(),
                })?;
                mine.push(j);
            }
            needs.push(mine);
        }
        let graph = Self { tasks, needs };
        if let Some(cycle) = graph.find_cycle() {
            return Err(GraphError::Cycle(cycle));
        }
        Ok(graph)
    }

    /// The tasks, in the order given.
    pub fn tasks(&self) -> &[TaskSpec] {
        &self.tasks
    }

    /// A depth-first search that reports the first cycle it meets.
    ///
    /// Colours: 0 = not visited, 1 = on the current path, 2 = done. Meeting
    /// a task that is on the current path means the path loops back.
    fn find_cycle(&self) -> Option<Vec<String>> {
        let mut colour = vec![0u8; self.tasks.len()];
        let mut path = Vec::new();
        (0..self.tasks.len()).find_map(|start| match colour[start] {
            0 => self.visit(start, &mut colour, &mut path),
            _ => None,
        })
    }

    /// One step of [`Graph::find_cycle`] (recursive: at most [`MAX_TASKS`] deep).
    fn visit(&self, at: usize, colour: &mut [u8], path: &mut Vec<usize>) -> Option<Vec<String>> {
        colour[at] = 1;
        path.push(at);
        for &next in &self.needs[at] {
            let found = match colour[next] {
                // On the current path: the path from `next` on, closed, is
                // the cycle.
                1 => {
                    let from = path.iter().position(|&p| p == next).unwrap_or(0);
                    let mut names: Vec<String> = path[from..]
                        .iter()
                        .map(|&p| self.tasks[p].name.clone())
                        .collect();
                    names.push(self.tasks[next].name.clone());
                    Some(names)
                }
                0 => self.visit(next, colour, path),
                // Done earlier, no cycle through it.
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        path.pop();
        colour[at] = 2;
        None
    }

    /// How long the longest chain of prerequisites takes, in demo
    /// seconds: the least time any schedule can take, and the time
    /// [`run_concurrently`] takes.
    pub fn longest_chain(&self) -> f64 {
        // Earliest finish of each task, in an order where prerequisites
        // come first.
        let mut finish = vec![0.0f64; self.tasks.len()];
        for i in self.order() {
            let start = self.needs[i].iter().map(|&j| finish[j]).fold(0.0, f64::max);
            finish[i] = start + self.tasks[i].seconds;
        }
        finish.into_iter().fold(0.0, f64::max)
    }

    /// One valid order (Kahn's algorithm): repeatedly take the first task,
    /// in the order given, whose prerequisites have all been taken.
    pub fn order(&self) -> Vec<usize> {
        let mut done = vec![false; self.tasks.len()];
        let mut order = Vec::with_capacity(self.tasks.len());
        while order.len() < self.tasks.len() {
            // The graph has no cycle, so some task is always ready.
            let Some(next) =
                (0..self.tasks.len()).find(|&i| !done[i] && self.needs[i].iter().all(|&j| done[j]))
            else {
                break;
            };
            done[next] = true;
            order.push(next);
        }
        order
    }
}

/// When each task ran, in the order they started.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// (name, start, finish), times from the run's start.
    pub runs: Vec<(String, Duration, Duration)>,
    /// When the last task finished.
    pub total: Duration,
}

impl Schedule {
    /// The (start, finish) of the task called `name`.
    pub fn span(&self, name: &str) -> Option<(Duration, Duration)> {
        self.runs
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|&(_, s, f)| (s, f))
    }

    /// Pairs of tasks whose runs overlapped in time: the ones that ran
    /// concurrently.
    pub fn overlapping(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        for (i, (a, a0, a1)) in self.runs.iter().enumerate() {
            for (b, b0, b1) in &self.runs[i + 1..] {
                if a0 < b1 && b0 < a1 {
                    pairs.push((a.clone(), b.clone()));
                }
            }
        }
        pairs
    }
}

/// One task's work: print, wait its time (simulated I/O), print.
async fn run_task(log: Recorder, name: String, duration: Duration) {
    // Its bar on the timeline, on a lane of its own; ended on drop, so
    // also where a Ctrl-C cancelled it.
    let _bar = log.span(&name, &name, SpanKind::Wait);
    log.say(&name, format!("start ({})", shown(duration)));
    tokio::time::sleep(duration).await;
    log.say(&name, "done");
}

/// Runs the tasks one after another in [`Graph::order`].
pub async fn run_in_order(graph: &Graph, log: &Recorder, pace: Pace) -> Schedule {
    let t0 = Instant::now();
    let mut runs = Vec::new();
    for i in graph.order() {
        let task = &graph.tasks[i];
        let start = t0.elapsed();
        run_task(log.clone(), task.name.clone(), pace.secs(task.seconds)).await;
        runs.push((task.name.clone(), start, t0.elapsed()));
    }
    Schedule {
        runs,
        total: t0.elapsed(),
    }
}

/// Runs each task as soon as all its prerequisites have finished.
pub async fn run_concurrently(
    graph: &Graph,
    log: &Recorder,
    pace: Pace,
) -> Result<Schedule, Error> {
    let t0 = Instant::now();
    let n = graph.tasks.len();
    // How many prerequisites each task still waits for.
    let mut waiting: Vec<usize> = graph.needs.iter().map(Vec::len).collect();
    let mut started: Vec<Option<Duration>> = vec![None; n];
    let mut runs = Vec::new();
    let mut set = JoinSet::new();

    let start = |i: usize, set: &mut JoinSet<usize>, started: &mut Vec<Option<Duration>>| {
        let task = &graph.tasks[i];
        started[i] = Some(t0.elapsed());
        let (log, name, d) = (log.clone(), task.name.clone(), pace.secs(task.seconds));
        set.spawn(async move {
            run_task(log, name, d).await;
            i
        });
    };
    for (i, _) in waiting.iter().enumerate().filter(|(_, w)| **w == 0) {
        start(i, &mut set, &mut started);
    }
    // Dropping `set` on an early return (a panic in a task) aborts the rest.
    while let Some(joined) = set.join_next().await {
        let done = joined?;
        let finish = t0.elapsed();
        runs.push((
            graph.tasks[done].name.clone(),
            started[done].unwrap_or_default(),
            finish,
        ));
        // Every task waiting for `done` now waits for one task fewer.
        let mut ready = Vec::new();
        for (i, count) in waiting.iter_mut().enumerate() {
            if graph.needs[i].contains(&done) {
                *count -= 1;
                if *count == 0 {
                    ready.push(i);
                }
            }
        }
        for i in ready {
            log.say("scheduler", format!("{} is ready", graph.tasks[i].name));
            start(i, &mut set, &mut started);
        }
    }
    runs.sort_by_key(|&(_, s, f)| (s, f));
    Ok(Schedule {
        runs,
        total: t0.elapsed(),
    })
}

/// The part: the graph one task at a time, then concurrently.
pub async fn run(graph: &Graph, log: &Recorder, pace: Pace) -> Result<(Schedule, Schedule), Error> {
    let names: Vec<&str> = graph
        .order()
        .iter()
        .map(|&i| graph.tasks[i].name.as_str())
        .collect();
    log.say(
        "scheduler",
        format!("one at a time, in dependency order: {}", names.join(", ")),
    );
    let sequential = run_in_order(graph, log, pace).await;
    log.say(
        "scheduler",
        format!(
            "took {} (the sum of the tasks' times, {})",
            shown(sequential.total),
            shown(pace.secs(graph.tasks.iter().map(|t| t.seconds).sum()))
        ),
    );

    log.say(
        "scheduler",
        "each task as soon as its prerequisites are done",
    );
    let concurrent = run_concurrently(graph, log, pace).await?;
    let overlaps: Vec<String> = concurrent
        .overlapping()
        .iter()
        .map(|(a, b)| format!("{a} + {b}"))
        .collect();
    log.say(
        "scheduler",
        format!(
            "took {} (the longest chain, {}); ran together: {}",
            shown(concurrent.total),
            shown(pace.secs(graph.longest_chain())),
            if overlaps.is_empty() {
                "none".to_owned()
            } else {
                overlaps.join(", ")
            }
        ),
    );
    Ok((sequential, concurrent))
}
