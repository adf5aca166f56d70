//! Reading back what `--timeline FILE.svg` and `--trace FILE.json` wrote
//! (`runner::timeline` draws a `<g class="lane" data-lane="...">` per lane,
//! a `<rect class="bar KIND">` per unit, a `<path class="mark">` per
//! moment; the trace has a `"b"` and an `"e"` event per unit, with
//! `args.lane` and `args.what`, and `"M"` events naming the threads), and
//! checking that a page's committed picture is what its command draws:
//! [`draw`] for the tests
//! `timeline_has_a_lane_per_worker_and_a_bar_per_unit`,
//! [`assert_page_picture`] for `committed_timeline_is_what_the_command_draws`
//! (or [`redraw`], where a picture drawn on the real clock can only be
//! compared by its counts).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::python::run;

/// The text of the file at `path`; a test helper, so it panics if it cannot.
fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// A timeline SVG, read back.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The SVG text.
    pub svg: String,
}

impl Timeline {
    /// Reads the SVG at `path`, asserting it is one whole `<svg>` element.
    pub fn read(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let svg = read(path);
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{} is not a whole SVG",
            path.display()
        );
        Self { svg }
    }

    /// The lanes' names, top to bottom (as the SVG escapes them).
    pub fn lanes(&self) -> Vec<String> {
        self.svg
            .split(r#"<g class="lane" data-lane=""#)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .map(str::to_owned)
            .collect()
    }

    /// How many bars (units of work) of any kind.
    pub fn bars(&self) -> usize {
        self.svg.matches(r#"<rect class="bar "#).count()
    }

    /// How many bars of `kind` (`work`, `wait` or `block`).
    pub fn bars_of(&self, kind: &str) -> usize {
        self.svg.matches(&format!(r#"class="bar {kind}"#)).count()
    }

    /// How many marks (moments).
    pub fn marks(&self) -> usize {
        self.svg.matches(r#"<path class="mark""#).count()
    }
}

/// A trace-event file, read back.
#[derive(Debug, Clone)]
pub struct Trace {
    /// Every event of the file.
    pub events: Vec<serde_json::Value>,
}

/// A string argument of an event, without the quotes `Debug` gave it.
fn arg(event: &serde_json::Value, name: &str) -> Option<String> {
    event["args"][name]
        .as_str()
        .map(|text| text.trim_matches('"').to_owned())
}

impl Trace {
    /// Reads and parses the trace at `path`, a JSON array of events.
    pub fn read(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let events = serde_json::from_str(&read(path))
            .unwrap_or_else(|error| panic!("{} is not a trace: {error}", path.display()));
        Self { events }
    }

    /// The units of work whose events have phase `ph` (`"b"` begins, `"e"`
    /// ends), as `(lane, what)`, in file order. Lanes' own spans, which
    /// carry no `what`, are left out.
    pub fn units(&self, ph: &str) -> Vec<(String, String)> {
        self.events
            .iter()
            .filter(|event| event["ph"] == ph)
            .filter_map(|event| Some((arg(event, "lane")?, arg(event, "what")?)))
            .collect()
    }

    /// The units of work, as `(lane, what)`, sorted, asserted to be what
    /// `timeline` drew: as many as its bars, each begun and ended once.
    pub fn paired_units(&self, timeline: &Timeline) -> Vec<(String, String)> {
        let (mut begins, mut ends) = (self.units("b"), self.units("e"));
        assert_eq!(begins.len(), timeline.bars(), "{begins:?}");
        begins.sort();
        ends.sort();
        assert_eq!(begins, ends, "every unit begins and ends once");
        begins
    }

    /// The names of the threads that took part.
    pub fn thread_names(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|event| event["ph"] == "M" && event["name"] == "thread_name")
            .filter_map(|event| event["args"]["name"].as_str().map(str::to_owned))
            .collect()
    }
}

/// The arguments of the command on `page` that draws `picture`: the line
/// `cargo run ... -- ARGS` that contains `--timeline PICTURE`, split on
/// spaces (such commands need no quoting), a trailing `# comment` dropped.
pub fn page_command(page: impl AsRef<Path>, picture: &str) -> Vec<String> {
    let page = page.as_ref();
    let text = read(page);
    let wanted = format!("--timeline {picture}");
    let line = text
        .lines()
        .find(|line| line.trim_start().starts_with("cargo run") && line.contains(&wanted))
        .unwrap_or_else(|| panic!("{} shows no command drawing {picture}", page.display()));
    let command = line.split(" # ").next().unwrap_or(line);
    let (_, args) = command
        .split_once(" -- ")
        .unwrap_or_else(|| panic!("no `--` in {command:?}"));
    args.split_whitespace().map(str::to_owned).collect()
}

/// A fresh, empty temporary folder for one test's files, named after
/// `name`, the process and a counter (tests of one binary run at once).
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("{name}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|error| panic!("cannot make {}: {error}", dir.display()));
    dir
}

/// What a run drew with `--timeline` and `--trace`, and what it printed.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// Everything the run printed on stdout: its log, to count against.
    pub stdout: String,
    /// The `--timeline` picture.
    pub timeline: Timeline,
    /// The `--trace` file.
    pub trace: Trace,
}

/// Runs `binary args --timeline run.svg --trace run.json`, both files in
/// a temporary folder removed afterwards, and reads back all three (the
/// run must succeed).
pub fn draw(binary: impl AsRef<Path>, args: &[&str]) -> Drawn {
    let dir = temp_dir("drawn");
    let (svg, json) = (dir.join("run.svg"), dir.join("run.json"));
    let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    all.extend([OsStr::new("--timeline"), svg.as_os_str()]);
    all.extend([OsStr::new("--trace"), json.as_os_str()]);
    let drawn = Drawn {
        stdout: run(".", &binary.as_ref().to_string_lossy(), &all)
            .ok()
            .stdout,
        timeline: Timeline::read(&svg),
        trace: Trace::read(&json),
    };
    let _ = std::fs::remove_dir_all(&dir);
    drawn
}

/// The value after `name` in `args` (`--items 6` gives `"6"`), if any.
pub fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    let at = args.iter().position(|arg| arg == name)?;
    args.get(at + 1).map(String::as_str)
}

/// What the command a page shows for a picture drew when run again.
#[derive(Debug, Clone)]
pub struct Redrawn {
    /// The arguments it ran with: the page's, as adjusted, with a
    /// temporary file in place of the picture's path.
    pub args: Vec<String>,
    /// Everything it printed on stdout.
    pub stdout: String,
    /// What it drew.
    pub timeline: Timeline,
}

/// Runs `binary` in the repository's `root` with the command `page` shows
/// for `picture` (a path from `root`), first changed by `adjust` (shorter
/// jobs for a debug build, say), drawing into a temporary file instead.
pub fn redraw(
    binary: impl AsRef<Path>,
    root: &Path,
    page: &str,
    picture: &str,
    adjust: impl FnOnce(&mut Vec<String>),
) -> Redrawn {
    let mut args = page_command(root.join(page), picture);
    adjust(&mut args);
    let dir = temp_dir("redrawn");
    let drawn = dir.join("page.svg");
    let at = args
        .iter()
        .position(|arg| arg == picture)
        .expect("the command names the picture");
    args[at] = drawn.to_string_lossy().into_owned();
    let stdout = run(root, &binary.as_ref().to_string_lossy(), &args)
        .ok()
        .stdout;
    let timeline = Timeline::read(&drawn);
    let _ = std::fs::remove_dir_all(&dir);
    Redrawn {
        args,
        stdout,
        timeline,
    }
}

/// Runs `binary` with the command `page` shows for `picture` (a path from
/// the repository's `root`), drawing into a temporary file instead, and
/// asserts that the bytes are those of the committed picture (if not, the
/// message says to run the page's command to draw it again).
pub fn assert_page_picture(binary: impl AsRef<Path>, root: &Path, page: &str, picture: &str) {
    let redrawn = redraw(binary, root, page, picture, |_| {});
    let committed = std::fs::read(root.join(picture))
        .unwrap_or_else(|error| panic!("cannot read the committed {picture}: {error}"));
    assert!(
        redrawn.timeline.svg.as_bytes() == committed,
        "{picture} is not what `{}` draws today: run that command to draw it again",
        redrawn.args.join(" ")
    );
}
