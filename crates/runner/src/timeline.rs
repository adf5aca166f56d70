//! A picture of a run (plain SVG: nothing to install to draw or view it):
//! a lane per worker in the order the lanes first appear, a bar per span
//! of the [`Recorder`] coloured by what the lane was doing (working,
//! waiting without holding its thread, or blocking it), ticks for marked
//! moments, a time axis in seconds and a legend.
//!
//! Made to be checked as well as looked at: each lane is a
//! `<g class="lane">`, each bar a `<rect class="bar ...">`, each mark a
//! `<path class="mark">`, each with a `<title>` a browser shows on hover.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::record::{Mark, Recorder, Span, SpanKind};

/// Width of the plotting area, in pixels.
const PLOT_WIDTH: f64 = 900.0;
/// Height of one lane.
const LANE_HEIGHT: f64 = 26.0;
/// Height of a bar inside its lane.
const BAR_HEIGHT: f64 = 16.0;
/// Where the first lane starts (below the title and the legend).
const TOP: f64 = 64.0;
/// Approximate width of one character at the font size used (12 px).
const CHAR_WIDTH: f64 = 7.0;

/// Draws the run `recorder` recorded, titled `title`, into the file `path`.
pub fn write_svg(path: &Path, title: &str, recorder: &Recorder) -> std::io::Result<()> {
    std::fs::write(path, svg(title, &recorder.spans(), &recorder.marks()))
}

/// The SVG text of a timeline of `spans` and `marks`.
pub fn svg(title: &str, spans: &[Span], marks: &[Mark]) -> String {
    let lanes = lanes(spans, marks);
    let end = spans
        .iter()
        .flat_map(|span| [span.start, span.end.unwrap_or(span.start)])
        .chain(marks.iter().map(|mark| mark.at))
        .max()
        .unwrap_or(Duration::ZERO);
    let end_s = if end.is_zero() {
        1.0
    } else {
        end.as_secs_f64()
    };
    let label_width = lanes
        .iter()
        .map(|lane| lane.chars().count())
        .max()
        .unwrap_or(4) as f64
        * CHAR_WIDTH
        + 16.0;
    let left = label_width.max(80.0);
    let x = |t: Duration| left + t.as_secs_f64() / end_s * PLOT_WIDTH;
    let lane_top = |lane: &str| {
        let row = lanes.iter().position(|l| *l == lane).unwrap_or(0);
        TOP + row as f64 * LANE_HEIGHT
    };
    let axis_y = TOP + lanes.len() as f64 * LANE_HEIGHT + 6.0;
    let width = left + PLOT_WIDTH + 24.0;
    let height = axis_y + 44.0;

    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="12">"#
    );
    out.push_str(STYLE);
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        out,
        r#"<text x="8" y="20" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    );
    legend(&mut out, left);

    // Lanes: a label and a light band each.
    for (row, lane) in lanes.iter().enumerate() {
        let top = TOP + row as f64 * LANE_HEIGHT;
        let _ = writeln!(out, r#"<g class="lane" data-lane="{}">"#, escape(lane));
        let band = if row % 2 == 0 { "#f6f6f6" } else { "#ffffff" };
        let _ = writeln!(
            out,
            r#"<rect x="{left:.1}" y="{top:.1}" width="{PLOT_WIDTH:.1}" height="{LANE_HEIGHT:.1}" fill="{band}"/>"#
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 8.0,
            top + LANE_HEIGHT / 2.0 + 4.0,
            escape(lane)
        );
        out.push_str("</g>\n");
    }

    // Bars, in the order they started.
    for span in spans {
        let x1 = x(span.start);
        let x2 = x(span.end.unwrap_or(end)).max(x1 + 1.5);
        let y = lane_top(&span.lane) + (LANE_HEIGHT - BAR_HEIGHT) / 2.0;
        let (class, ink) = match span.kind {
            SpanKind::Work => ("work", "white"),
            SpanKind::Wait => ("wait", "#1d3f5e"),
            SpanKind::Block => ("block", "white"),
        };
        let unfinished = span.end.map_or(" unfinished", |_| "");
        let ends = span.end.map_or_else(
            || "did not end".to_owned(),
            |e| format!("{:.3} s", e.as_secs_f64()),
        );
        let _ = writeln!(
            out,
            r#"<rect class="bar {class}{unfinished}" x="{x1:.1}" y="{y:.1}" width="{:.1}" height="{BAR_HEIGHT:.1}" rx="2"><title>{}: {} ({:.3} s to {ends})</title></rect>"#,
            x2 - x1,
            escape(&span.lane),
            escape(&span.what),
            span.start.as_secs_f64(),
        );
        let label_width = span.what.chars().count() as f64 * CHAR_WIDTH;
        if label_width + 6.0 < x2 - x1 {
            let _ = writeln!(
                out,
                r#"<text x="{:.1}" y="{:.1}" fill="{ink}" pointer-events="none">{}</text>"#,
                x1 + 4.0,
                y + BAR_HEIGHT - 4.0,
                escape(&span.what)
            );
        }
    }

    // Marks: a tick above the lane's bars.
    for mark in marks {
        let mx = x(mark.at);
        let top = lane_top(&mark.lane) + 2.0;
        let _ = writeln!(
            out,
            r#"<path class="mark" d="M {mx:.1} {:.1} l -4 -6 h 8 z"><title>{}: {} at {:.3} s</title></path>"#,
            top + 6.0,
            escape(&mark.lane),
            escape(&mark.what),
            mark.at.as_secs_f64()
        );
    }

    axis(&mut out, left, axis_y, end_s);
    out.push_str("</svg>\n");
    out
}

/// The lanes, in the order they first appear.
fn lanes<'a>(spans: &'a [Span], marks: &'a [Mark]) -> Vec<&'a str> {
    let mut lanes = Vec::new();
    for lane in spans
        .iter()
        .map(|s| &s.lane)
        .chain(marks.iter().map(|m| &m.lane))
    {
        if !lanes.contains(&lane.as_str()) {
            lanes.push(lane.as_str());
        }
    }
    lanes
}

/// The colours, once, as CSS classes.
const STYLE: &str = r##"<style>
.work { fill: #3b6ea8; }
.wait { fill: #b8d4ee; stroke: #3b6ea8; stroke-dasharray: 3 2; }
.block { fill: #d1495b; }
.unfinished { stroke: black; stroke-width: 1.5; stroke-dasharray: 2 2; }
.mark { fill: #222222; }
.axis { stroke: #444444; }
.grid { stroke: #dddddd; }
</style>
"##;

/// The legend, on one row under the title.
fn legend(out: &mut String, left: f64) {
    let entries = [
        ("work", "working"),
        ("wait", "waiting (the thread is free)"),
        ("block", "blocking (the thread is held)"),
    ];
    let mut x = left;
    for (class, text) in entries {
        let _ = writeln!(
            out,
            r#"<rect class="{class}" x="{x:.1}" y="32" width="14" height="12"/><text x="{:.1}" y="42">{text}</text>"#,
            x + 19.0
        );
        x += 34.0 + text.len() as f64 * CHAR_WIDTH;
    }
    let _ = writeln!(
        out,
        r#"<path class="key mark" d="M {:.1} 44 l -4 -6 h 8 z"/><text x="{:.1}" y="42">a moment (hover for what)</text>"#,
        x + 5.0,
        x + 14.0
    );
}

/// The time axis under the lanes, in seconds, with grid lines.
fn axis(out: &mut String, left: f64, y: f64, end_s: f64) {
    let step = tick_step(end_s);
    let _ = writeln!(
        out,
        r#"<line class="axis" x1="{left:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/>"#,
        left + PLOT_WIDTH
    );
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    let mut k = 0.0;
    while k * step <= end_s * 1.000_001 {
        let t = k * step;
        let tx = left + t / end_s * PLOT_WIDTH;
        let _ = writeln!(
            out,
            r#"<line class="grid" x1="{tx:.1}" y1="{TOP:.1}" x2="{tx:.1}" y2="{y:.1}"/><line class="axis" x1="{tx:.1}" y1="{y:.1}" x2="{tx:.1}" y2="{:.1}"/><text x="{tx:.1}" y="{:.1}" text-anchor="middle">{t:.decimals$}</text>"#,
            y + 5.0,
            y + 18.0
        );
        k += 1.0;
    }
    let _ = writeln!(
        out,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">time since the start (s)</text>"#,
        left + PLOT_WIDTH / 2.0,
        y + 34.0
    );
}

/// A round step (1, 2 or 5 times a power of ten) giving about 8 ticks.
fn tick_step(end_s: f64) -> f64 {
    let raw = end_s / 8.0;
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&step| step >= raw)
        .unwrap_or(10.0 * power)
}

/// Text made safe inside SVG (XML) elements and attributes (`&` first, so
/// that the others' `&` is not escaped again).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Round tick steps for short and long runs.
    #[test]
    fn tick_steps_are_round() {
        assert_eq!(tick_step(10.0), 2.0);
        assert_eq!(tick_step(1.0), 0.2);
        assert_eq!(tick_step(60.0), 10.0);
        assert!((tick_step(0.035) - 0.005).abs() < 1e-12);
    }

    /// Names with markup characters are escaped.
    #[test]
    fn escapes_markup() {
        assert_eq!(escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
    }
}
