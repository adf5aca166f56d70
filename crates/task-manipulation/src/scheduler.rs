//! Part `scheduler`: run tasks in dependency order, each as soon as its
//! prerequisites are done. Python has no ready-made counterpart (the
//! chapter's "simple scheduler" awaits them one by one); this is the small
//! version of what build tools do:
//!
//! 1. [`Graph::new`] refuses unknown names, duplicates and **cycles** (a
//!    task that, through its prerequisites, waits for itself would wait
//!    forever), spelling the cycle out: `a -> b -> a`.
//! 2. [`run_in_order`] runs the tasks one by one in a topological order,
//!    [`Graph::order`] (ties keep the order given).
//! 3. [`run_concurrently`] starts every task whose prerequisites are done,
//!    in a `JoinSet`: independent tasks overlap, and the total time is the
//!    longest chain, not the sum.

use common::cli::echo;
use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::Error;
use crate::work::{Pace, shown};
use runner::{Recorder, SpanKind};

/// One task of the graph, on the command line
/// `--task NAME=SECONDS[:PREREQ,PREREQ...]` (`--task publish=1:index,thumbnails`).
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
        let (seconds, needs) = rest.split_once(':').unwrap_or((rest, ""));
        let valid = |n: &str| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        };
        let not_a_name = |what: &str, bad: &str| {
            let (text, bad) = (echo(text), echo(bad));
            format!("`{text}`: {what} `{bad}` is not a name; {usage}")
        };
        if !valid(name) {
            return Err(not_a_name("task name", name));
        }
        let seconds = common::cli::parse_seconds(seconds)?.as_secs_f64();
        let needs: Vec<String> = needs
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        if let Some(bad) = needs.iter().find(|n| !valid(n)) {
            return Err(not_a_name("prerequisite", bad));
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

/// A cycle as the error line shows it: names cut (`common::cli::echo`), a
/// long cycle by its first names and its length: one readable line.
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

/// The most tasks a graph takes: it bounds the depth of the recursive
/// cycle search (a 10,000-task chain overflowed the stack).
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

    /// A depth-first search for the first cycle. Colours: 0 = not visited,
    /// 1 = on the current path (meeting one again: a loop), 2 = done.
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
        let found = self.needs[at].iter().find_map(|&next| match colour[next] {
            // On the current path: the path from `next` on is the cycle.
            1 => {
                let from = path.iter().position(|&p| p == next).unwrap_or(0);
                let cycle = path[from..].iter().chain([&next]);
                Some(cycle.map(|&p| self.tasks[p].name.clone()).collect())
            }
            0 => self.visit(next, colour, path),
            // Done earlier, no cycle through it.
            _ => None,
        });
        path.pop();
        colour[at] = 2;
        found
    }

    /// The longest chain of prerequisites, in demo seconds: the least time
    /// any schedule takes, and the time [`run_concurrently`] takes.
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

    /// The pairs of tasks that ran concurrently (their runs overlapped).
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
    // How many prerequisites each task still waits for.
    let mut waiting: Vec<usize> = graph.needs.iter().map(Vec::len).collect();
    let mut runs = Vec::new();
    // Each task gives back its index, when it was started and when it finished.
    let mut set = JoinSet::new();
    let start = |i: usize, set: &mut JoinSet<_>| {
        let task = &graph.tasks[i];
        let (log, name, d) = (log.clone(), task.name.clone(), pace.secs(task.seconds));
        let started = t0.elapsed();
        set.spawn(async move {
            run_task(log, name, d).await;
            (i, started, t0.elapsed())
        });
    };
    for i in (0..waiting.len()).filter(|&i| waiting[i] == 0) {
        start(i, &mut set);
    }
    // Dropping `set` on an early return (a panic in a task) aborts the rest.
    while let Some(joined) = set.join_next().await {
        let (done, started, finished) = joined?;
        runs.push((graph.tasks[done].name.clone(), started, finished));
        // Every task waiting for `done` now waits for one task fewer.
        for (i, count) in waiting.iter_mut().enumerate() {
            if graph.needs[i].contains(&done) {
                *count -= 1;
                if *count == 0 {
                    log.say("scheduler", format!("{} is ready", graph.tasks[i].name));
                    start(i, &mut set);
                }
            }
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
    let say = |line: String| log.say("scheduler", line);
    let names: Vec<&str> = graph
        .order()
        .iter()
        .map(|&i| graph.tasks[i].name.as_str())
        .collect();
    let names = names.join(", ");
    say(format!("one at a time, in dependency order: {names}"));
    let sequential = run_in_order(graph, log, pace).await;
    let took = shown(sequential.total);
    let sum = shown(pace.secs(graph.tasks.iter().map(|t| t.seconds).sum()));
    say(format!("took {took} (the sum of the tasks' times, {sum})"));

    say("each task as soon as its prerequisites are done".to_owned());
    let concurrent = run_concurrently(graph, log, pace).await?;
    let overlaps: Vec<String> = concurrent
        .overlapping()
        .iter()
        .map(|(a, b)| format!("{a} + {b}"))
        .collect();
    let together = if overlaps.is_empty() {
        "none".to_owned()
    } else {
        overlaps.join(", ")
    };
    let took = shown(concurrent.total);
    let chain = shown(pace.secs(graph.longest_chain()));
    say(format!(
        "took {took} (the longest chain, {chain}); ran together: {together}"
    ));
    Ok((sequential, concurrent))
}
