//! Reading a page's command and counting a timeline's and a trace's parts.

use cli_test::pictures::{Timeline, Trace, flag, page_command};

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
    let trace = Trace {
        events: serde_json::from_str(
            r#"[{"ph":"b","args":{"lane":"a","what":"\"x\""}},{"ph":"e","args":{"lane":"a","what":"x"}},
                {"ph":"b","args":{"lane":"b","what":"y"}},{"ph":"e","args":{"lane":"b","what":"y"}}]"#,
        )
        .expect("events"),
    };
    let units = [("a", "x"), ("b", "y")].map(|(l, w)| (l.to_owned(), w.to_owned()));
    assert_eq!(trace.paired_units(&timeline), units);
    let args = ["--items", "6", "--workers"].map(str::to_owned);
    assert_eq!(
        (flag(&args, "--items"), flag(&args, "--workers")),
        (Some("6"), None)
    );
}
