//! SVG charts drawn with plotters (SVG backend, no font files needed: text is laid out with
//! plotters' built-in estimate and rendered by the viewer).

use plotters::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};

/// One line of an event-aligned path chart: cumulative return by day from entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathLine {
    /// Legend label (the event date).
    pub label: String,
    /// `(day from entry, value relative to entry)`, 1.0 at entry.
    pub points: Vec<(i64, f64)>,
}

/// One day of the baseline band: quantiles of the forward return from every start date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BandPoint {
    /// Days from entry.
    pub day: i64,
    /// 5th percentile of the forward return to this day.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// One row of an effect chart: an observed excess return and the placebo interval it is judged
/// against.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectBar {
    /// Row label, e.g. `btc 30d`.
    pub label: String,
    /// Observed excess return (event mean − baseline mean).
    pub excess: f64,
    /// Lower end of the placebo interval (5th percentile of placebo mean − baseline mean).
    pub low: f64,
    /// Upper end (95th percentile).
    pub high: f64,
}

const COLORS: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

fn chart_err(title: &str) -> impl Fn(String) -> Error + '_ {
    move |message| Error::Chart {
        chart: title.to_string(),
        message,
    }
}

/// Event-aligned cumulative return paths (%), one line per event, over the baseline's median
/// (dashed) and 5–95% band (shaded). Returns the SVG text.
pub fn path_chart(title: &str, lines: &[PathLine], band: &[BandPoint]) -> Result<String> {
    let err = chart_err(title);
    let pct = |v: f64| (v - 1.0) * 100.0;
    let xs = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| p.0))
        .chain(band.iter().map(|b| b.day));
    let (x0, x1) = xs.fold((0i64, 1i64), |(lo, hi), x| (lo.min(x), hi.max(x)));
    let ys = lines
        .iter()
        .flat_map(|l| l.points.iter().map(|p| pct(p.1)))
        .chain(band.iter().flat_map(|b| [b.p05 * 100.0, b.p95 * 100.0]))
        .filter(|y| y.is_finite());
    let (y0, y1) = ys.fold((0.0f64, 0.0f64), |(lo, hi), y| (lo.min(y), hi.max(y)));
    let pad = ((y1 - y0) * 0.05).max(1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(x0..x1, (y0 - pad)..(y1 + pad))
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .x_desc("days from entry")
            .y_desc("cumulative return, %")
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        if !band.is_empty() {
            let mut poly: Vec<(i64, f64)> = band.iter().map(|b| (b.day, b.p95 * 100.0)).collect();
            poly.extend(band.iter().rev().map(|b| (b.day, b.p05 * 100.0)));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    poly,
                    RGBColor(128, 128, 128).mix(0.2).filled(),
                )))
                .map_err(|e| err(e.to_string()))?
                .label("baseline 5–95%")
                .legend(|(x, y)| {
                    Rectangle::new(
                        [(x, y - 5), (x + 18, y + 5)],
                        RGBColor(128, 128, 128).mix(0.3).filled(),
                    )
                });
            chart
                .draw_series(DashedLineSeries::new(
                    band.iter().map(|b| (b.day, b.p50 * 100.0)),
                    6,
                    4,
                    RGBColor(80, 80, 80).stroke_width(2),
                ))
                .map_err(|e| err(e.to_string()))?
                .label("baseline median")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], RGBColor(80, 80, 80)));
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(x0, 0.0), (x1, 0.0)],
                BLACK.mix(0.4),
            )))
            .map_err(|e| err(e.to_string()))?;
        for (i, line) in lines.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            chart
                .draw_series(LineSeries::new(
                    line.points.iter().map(|p| (p.0, pct(p.1))),
                    color.stroke_width(2),
                ))
                .map_err(|e| err(e.to_string()))?
                .label(line.label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}

/// Observed excess returns (dots, %) against their placebo 5–95% intervals (whiskers), one row
/// per asset and horizon. A dot outside its whisker is unusual for a random set of dates.
pub fn effect_chart(title: &str, bars: &[EffectBar]) -> Result<String> {
    let err = chart_err(title);
    let vals = bars
        .iter()
        .flat_map(|b| [b.excess, b.low, b.high])
        .filter(|v| v.is_finite())
        .map(|v| v * 100.0);
    let (x0, x1) = vals.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = ((x1 - x0) * 0.05).max(1.0);
    let n = bars.len().max(1) as i32;
    let height = (120 + 26 * n).clamp(240, 4000) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
        let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 22))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(150)
            .build_cartesian_2d((x0 - pad)..(x1 + pad), -1..n)
            .map_err(|e| err(e.to_string()))?;
        chart
            .configure_mesh()
            .x_desc("excess return vs baseline, % (whisker: placebo 5–95%)")
            .y_labels(bars.len() + 2)
            .y_label_formatter(&|y| {
                usize::try_from(n - 1 - *y)
                    .ok()
                    .and_then(|i| labels.get(i).cloned())
                    .unwrap_or_default()
            })
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| err(e.to_string()))?;
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -1), (0.0, n)],
                BLACK.mix(0.4),
            )))
            .map_err(|e| err(e.to_string()))?;
        for (i, b) in bars.iter().enumerate() {
            // First row at the top.
            let y = n - 1 - i as i32;
            let outside = b.excess > b.high || b.excess < b.low;
            let color = if outside { COLORS[1] } else { COLORS[0] };
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(b.low * 100.0, y), (b.high * 100.0, y)],
                    RGBColor(120, 120, 120).stroke_width(2),
                )))
                .map_err(|e| err(e.to_string()))?;
            chart
                .draw_series(std::iter::once(Circle::new(
                    (b.excess * 100.0, y),
                    5,
                    color.filled(),
                )))
                .map_err(|e| err(e.to_string()))?;
        }
        root.present().map_err(|e| err(e.to_string()))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_chart_is_svg_with_labels() {
        let lines = vec![PathLine {
            label: "2020-11-13".into(),
            points: vec![(-2, 0.9), (0, 1.0), (30, 1.2)],
        }];
        let band = vec![
            BandPoint {
                day: 0,
                p05: 0.0,
                p50: 0.0,
                p95: 0.0,
            },
            BandPoint {
                day: 30,
                p05: -0.2,
                p50: 0.02,
                p95: 0.3,
            },
        ];
        let svg = path_chart("btc after RUT breakouts", &lines, &band).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..60.min(svg.len())]);
        assert!(
            svg.contains("2020-11-13") && svg.contains("baseline median") && svg.contains("days from entry")
        );
        assert!(
            svg.contains("<polygon") || svg.contains("<path"),
            "the band is drawn"
        );
    }

    #[test]
    fn effect_chart_marks_rows() {
        let bars = vec![
            EffectBar {
                label: "btc 30d".into(),
                excess: 0.1,
                low: -0.2,
                high: 0.25,
            },
            EffectBar {
                label: "eth 30d".into(),
                excess: 0.5,
                low: -0.3,
                high: 0.35,
            },
        ];
        let svg = effect_chart("effects", &bars).unwrap();
        assert!(svg.contains("btc 30d") && svg.contains("eth 30d"));
        assert!(svg.contains("<circle"));
    }
}
