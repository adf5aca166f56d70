//! Reading back what `--timeline FILE.svg` and `--trace FILE.json` wrote,
//! and checking that a page's committed picture is what its command draws.
//!
//! The timeline is plain SVG made to be counted (`runner::timeline`): a
//! `<g class="lane" data-lane="...">` per lane, a `<rect class="bar KIND">`
//! per unit of work, a `<path class="mark">` per marked moment. The trace
//! is a Chrome trace-event array: a `"b"` and an `"e"` event per unit (with
//! `args.lane` and `args.what`), and `"M"` events naming the threads.
//! Tests named `timeline_has_a_lane_per_worker_and_a_bar_per_unit` count
//! these against the run's own log; `committed_timeline_is_what_the_command_draws`
//! uses [`assert_page_picture`].

use std::path::Path;

/// A timeline SVG, read back.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The SVG text.
    pub svg: String,
}

impl Timeline {
    /// Reads the SVG at `path`, asserting it is one whole `<svg>` element.
    ///
    /// # Panics
    /// When the file cannot be read or is not a whole SVG.
    pub fn read(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let svg = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
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
    /// Reads and parses the trace at `path`.
    ///
    /// # Panics
    /// When the file cannot be read or is not a JSON array of events.
    pub fn read(path: impl AsRef<Path>) -> Self {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        let events = serde_json::from_str(&json)
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
///
/// # Panics
/// When the page has no such line.
pub fn page_command(page: impl AsRef<Path>, picture: &str) -> Vec<String> {
    let page = page.as_ref();
    let text = std::fs::read_to_string(page)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", page.display()));
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

/// Runs `binary` with the command `page` shows for `picture` (a path from
/// the repository's `root`), drawing into a temporary file instead, and
/// asserts that the bytes are those of the committed picture.
///
/// # Panics
/// When they differ (run the page's command to draw the picture again),
/// or when the command fails.
pub fn assert_page_picture(binary: impl AsRef<Path>, root: &Path, page: &str, picture: &str) {
    let mut args = page_command(root.join(page), picture);
    let drawn = std::env::temp_dir().join(format!(
        "page-picture-{}-{}",
        std::process::id(),
        picture.replace('/', "-")
    ));
    let at = args
        .iter()
        .position(|arg| arg == picture)
        .expect("the command names the picture");
    args[at] = drawn.to_string_lossy().into_owned();
    let output = std::process::Command::new(binary.as_ref())
        .args(&args)
        .current_dir(root)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.as_ref().display()));
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let new = std::fs::read(&drawn).expect("the command drew a picture");
    let _ = std::fs::remove_file(&drawn);
    let committed = std::fs::read(root.join(picture))
        .unwrap_or_else(|error| panic!("cannot read the committed {picture}: {error}"));
    assert!(
        new == committed,
        "{picture} is not what `{}` draws today: run that command to draw it again",
        args.join(" ")
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The command is found by its picture, its comment dropped; lanes,
    /// bars and marks are counted.
    #[test]
    fn reads_the_command_and_counts_the_picture() {
        let page = std::env::temp_dir().join(format!("pictures-page-{}.md", std::process::id()));
        std::fs::write(
            &page,
            "```text\ncargo run -p x -- --seed 1\n\
             cargo run -p x -- --clock virtual --timeline docs/timelines/x.svg   # the picture\n```\n",
        )
        .expect("a temporary page");
        assert_eq!(
            page_command(&page, "docs/timelines/x.svg"),
            ["--clock", "virtual", "--timeline", "docs/timelines/x.svg"]
        );
        std::fs::remove_file(&page).expect("clean up");
        let timeline = Timeline {
            svg: r#"<svg><g class="lane" data-lane="a"></g><g class="lane" data-lane="b"></g><rect class="bar work" /><rect class="bar wait unfinished" /><path class="mark" /></svg>"#.to_owned(),
        };
        assert_eq!(timeline.lanes(), ["a", "b"]);
        assert_eq!(
            (timeline.bars(), timeline.bars_of("wait"), timeline.marks()),
            (2, 1, 1)
        );
    }
}
