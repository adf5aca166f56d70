//! The chart of `docs/performance.md`: speedup over sequential by executor
//! and worker count, both languages on one plot, drawn with plotters as an
//! SVG from the medians of a `compare` run.
//!
//! What to look for: the Rust lines and Python's process pool climb to
//! about the core count and stay flat beyond it (more workers than cores
//! only take turns); Python's thread pool stays at 1x or below whatever
//! the worker count (the GIL lets one thread run Python code at a time).

use super::Side;
use super::table::Series;
use crate::BenchError;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use std::path::Path;

/// Line colours, in series order (the "tableau" palette: distinct, and
/// readable on white, unlike plotters' yellow).
const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(214, 39, 40),
    RGBColor(140, 86, 75),
    RGBColor(23, 190, 207),
    RGBColor(227, 119, 194),
];

/// The chart's size in pixels.
const SIZE: (u32, u32) = (960, 560);

/// Draws `series` (speedups at `workers`) with the ideal line
/// `min(workers, cores)` to `path`, as an SVG.
///
/// SVG only, on purpose: plotters' bitmap backend needs a font renderer
/// (its `ttf` feature links the system's fontconfig and freetype), which a
/// machine with only a Rust toolchain does not have; an SVG's text is
/// drawn by whatever shows it.
pub fn draw(
    path: &Path,
    series: &[Series],
    workers: &[usize],
    cores: usize,
    title: &str,
) -> Result<(), BenchError> {
    let fail = |why: String| BenchError::Write {
        path: path.display().to_string(),
        why,
    };
    if workers.is_empty() {
        return Err(fail("no worker counts to plot".into()));
    }
    if path.extension().is_none_or(|e| e != "svg") {
        return Err(fail(
            "the chart is an SVG: a file name ending in .svg".into(),
        ));
    }
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    let err = |e: DrawingAreaErrorKind<std::io::Error>| fail(e.to_string());
    // x: one segment per worker count (1, 2, 4, 8 are evenly spaced, as
    // on a log scale); y: speedup, with room above the tallest point.
    let last = u32::try_from(workers.len().saturating_sub(1)).map_err(|e| fail(e.to_string()))?;
    let x_of = |w: usize| {
        let i = workers.iter().position(|&x| x == w).unwrap_or(0);
        SegmentValue::CenterOf(u32::try_from(i).unwrap_or(0))
    };
    let tallest = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(cores as f64, f64::max);

    root.fill(&WHITE).map_err(err)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d((0u32..last).into_segmented(), 0f64..tallest * 1.15)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("workers")
        .y_desc("speedup over the same language's sequential run")
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => workers
                .get(*i as usize)
                .map_or_else(String::new, usize::to_string),
            _ => String::new(),
        })
        .y_label_formatter(&|v| format!("{v:.1}x"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;

    // The ideal: one worker per core, perfectly shared, then flat.
    let ideal: Vec<_> = workers
        .iter()
        .map(|&w| (x_of(w), w.min(cores) as f64))
        .collect();
    chart
        .draw_series(DashedLineSeries::new(
            ideal,
            6,
            4,
            BLACK.mix(0.6).stroke_width(1),
        ))
        .map_err(err)?
        .label(format!("ideal on {cores} cores"))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], BLACK.mix(0.6)));

    for (index, s) in series.iter().enumerate() {
        let color = COLORS[index % COLORS.len()];
        let points: Vec<_> = s.points.iter().map(|&(w, v)| (x_of(w), v)).collect();
        let style = color.stroke_width(2);
        // Rust solid, Python dashed.
        let annotation = match s.side {
            Side::Rust => chart
                .draw_series(LineSeries::new(points.clone(), style))
                .map_err(err)?,
            Side::Python => chart
                .draw_series(DashedLineSeries::new(points.clone(), 10, 5, style))
                .map_err(err)?,
        };
        annotation
            .label(s.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], style));
        chart
            .draw_series(
                points
                    .into_iter()
                    .map(|p| Circle::new(p, 4, color.filled())),
            )
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .draw()
        .map_err(err)?;
    root.present().map_err(err)
}
