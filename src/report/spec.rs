//! The specification curve as a result: rows, a summary, a table and the usual chart
//! (specifications sorted by excess, p marked, and a panel of the choices each one made).

use std::fmt;

use plotters::prelude::*;
use polars::prelude::*;
use serde::Serialize;

use super::model::{Outcome, horizon_str};
use super::text::{p3, pct};
use crate::error::{Error, Result};
use crate::window::Horizon;

/// One row of the chart's choice panel: its label, and whether a specification made it.
type Choice = (String, Box<dyn Fn(&SpecRow) -> bool>);

/// Pixels left of both panels of the chart, for the y axis of the curve and the choice labels.
const LABEL_AREA: u32 = 170;

/// One specification: the choices it made and what it found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecRow {
    /// Rule kind key (`ath_close`, `ath_high`, `level_cross`, `relative_high`).
    pub rule: String,
    /// The drought in rows.
    pub drought: usize,
    /// Placebo design key.
    pub null: String,
    /// Horizon.
    #[serde(serialize_with = "horizon_str")]
    pub horizon: Horizon,
    /// Target name.
    pub asset: String,
    /// Simple or log values.
    pub outcome: Outcome,
    /// Complete event windows.
    pub n_events: usize,
    /// Excess over the design's matched baseline (null without a test).
    pub excess: Option<f64>,
    /// One-sided placebo p (null without a test).
    pub p: Option<f64>,
    /// Why there is no test, if there is none.
    pub note: Option<String>,
}

/// The summary the report states.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecSummary {
    /// Specifications in all.
    pub specifications: usize,
    /// Specifications with a test (a complete window and an applicable design).
    pub tested: usize,
    /// Share of the tested ones with p < 0.05.
    pub share_p_below_05: f64,
    /// Median p of the tested ones (type 7).
    pub median_p: Option<f64>,
    /// Share of the tested ones with a positive excess.
    pub share_positive: f64,
}

/// Every specification of the curve ([`crate::Study::spec_curve`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpecCurve {
    /// One row per specification.
    pub rows: Vec<SpecRow>,
    /// Placebo draws per specification.
    pub draws: u32,
    /// The study seed the streams derive from.
    pub seed: u64,
    /// Share below 0.05 and median p.
    pub summary: SpecSummary,
}

impl SpecCurve {
    pub(crate) fn new(rows: Vec<SpecRow>, draws: u32, seed: u64) -> Self {
        let ps: Vec<f64> = rows.iter().filter_map(|r| r.p).collect();
        let tested = ps.len();
        let share = |k: usize| {
            if tested == 0 {
                0.0
            } else {
                k as f64 / tested as f64
            }
        };
        let summary = SpecSummary {
            specifications: rows.len(),
            tested,
            share_p_below_05: share(ps.iter().filter(|&&p| p < 0.05).count()),
            median_p: crate::stats::quantile_type7(&ps, 0.5).ok(),
            share_positive: share(
                rows.iter()
                    .filter(|r| r.p.is_some() && r.excess > Some(0.0))
                    .count(),
            ),
        };
        SpecCurve {
            rows,
            draws,
            seed,
            summary,
        }
    }

    /// The summary in one sentence.
    ///
    /// e.g. "Specification curve: 1,680 specifications (1,500 tested): p < 0.05 in 2.1%, median p 0.41, excess positive in 48%."
    pub fn sentence(&self) -> String {
        let s = &self.summary;
        format!(
            "Specification curve: {} specifications ({} tested; rule × drought × placebo design × horizon × asset and \
             outcome), {} draws each: p < 0.05 in {:.1}%, median p {}, excess positive in {:.0}%. The specifications share \
             their events, so this measures robustness, not more evidence.",
            s.specifications,
            s.tested,
            self.draws,
            s.share_p_below_05 * 100.0,
            s.median_p.map_or("–".into(), p3),
            s.share_positive * 100.0
        )
    }

    /// One row per specification, as a DataFrame.
    pub fn to_dataframe(&self) -> Result<DataFrame> {
        let r = &self.rows;
        let text =
            |f: fn(&SpecRow) -> String| Column::new("".into(), r.iter().map(f).collect::<Vec<String>>());
        let named = |c: Column, n: &str| c.with_name(n.into());
        let cols = vec![
            named(text(|x| x.rule.clone()), "rule"),
            Column::new(
                "drought".into(),
                r.iter().map(|x| x.drought as u32).collect::<Vec<u32>>(),
            ),
            named(text(|x| x.null.clone()), "null"),
            named(text(|x| x.horizon.to_string()), "horizon"),
            named(text(|x| x.asset.clone()), "asset"),
            named(text(|x| x.outcome.key().to_string()), "outcome"),
            Column::new(
                "n_events".into(),
                r.iter().map(|x| x.n_events as u32).collect::<Vec<u32>>(),
            ),
            Column::new(
                "excess".into(),
                r.iter().map(|x| x.excess).collect::<Vec<Option<f64>>>(),
            ),
            Column::new("p".into(), r.iter().map(|x| x.p).collect::<Vec<Option<f64>>>()),
            Column::new(
                "note".into(),
                r.iter().map(|x| x.note.clone()).collect::<Vec<Option<String>>>(),
            ),
        ];
        Ok(DataFrame::new(r.len(), cols)?)
    }

    /// The specification-curve chart as SVG: the tested specifications sorted by excess (dots,
    /// filled where p < 0.05), and below, one row per choice with a mark where a
    /// specification made it.
    pub fn to_svg(&self) -> Result<String> {
        let title = "Specification curve";
        let err = |m: String| Error::Chart {
            chart: title.into(),
            message: m,
        };
        let mut tested: Vec<&SpecRow> = self.rows.iter().filter(|r| r.excess.is_some()).collect();
        tested.sort_by(|a, b| a.excess.unwrap_or(0.0).total_cmp(&b.excess.unwrap_or(0.0)));
        // The choices, in panel order: (label, does a row make it?).
        let mut choices: Vec<Choice> = Vec::new();
        let mut distinct = |label: &str, key: fn(&SpecRow) -> String| {
            let mut seen: Vec<String> = Vec::new();
            for r in &self.rows {
                let k = key(r);
                if !seen.contains(&k) {
                    seen.push(k);
                }
            }
            for k in seen {
                let shown = format!("{label} {k}");
                choices.push((shown, Box::new(move |r: &SpecRow| key(r) == k)));
            }
        };
        distinct("rule", |r| r.rule.clone());
        distinct("drought", |r| r.drought.to_string());
        distinct("null", |r| r.null.clone());
        distinct("h", |r| r.horizon.to_string());
        distinct("", |r| format!("{} {}", r.asset, r.outcome.key()));
        let n = tested.len().max(1);
        let ys: Vec<f64> = tested
            .iter()
            .filter_map(|r| r.excess)
            .map(|x| x * 100.0)
            .collect();
        let (lo, hi) = ys
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), &y| (a.min(y), b.max(y)));
        let pad = ((hi - lo) * 0.05).max(1.0);
        let mut svg = String::new();
        {
            let height = 420 + 14 * choices.len() as u32;
            let root = SVGBackend::with_string(&mut svg, (1100, height)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
            let (top, bottom) = root.split_vertically(400);
            let mut chart = ChartBuilder::on(&top)
                .caption(
                    format!(
                        "{title}: {} specifications, p < 0.05 in {:.1}% (filled), median p {}",
                        self.summary.tested,
                        self.summary.share_p_below_05 * 100.0,
                        self.summary.median_p.map_or("–".into(), p3)
                    ),
                    ("sans-serif", 18),
                )
                .margin(10)
                .x_label_area_size(20)
                .y_label_area_size(LABEL_AREA)
                .build_cartesian_2d(0f64..n as f64, (lo - pad)..(hi + pad))
                .map_err(|e| err(e.to_string()))?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .y_desc("excess over the matched baseline, pp")
                .x_labels(2)
                .x_label_formatter(&|_| String::new())
                .draw()
                .map_err(|e| err(e.to_string()))?;
            chart
                .draw_series(LineSeries::new([(0.0, 0.0), (n as f64, 0.0)], BLACK.mix(0.4)))
                .map_err(|e| err(e.to_string()))?;
            chart
                .draw_series(tested.iter().enumerate().map(|(i, r)| {
                    let y = r.excess.unwrap_or(0.0) * 100.0;
                    let significant = r.p.is_some_and(|p| p < 0.05);
                    let style = if significant {
                        RGBColor(214, 39, 40).filled()
                    } else {
                        RGBColor(31, 119, 180).stroke_width(1)
                    };
                    Circle::new((i as f64 + 0.5, y), 2, style)
                }))
                .map_err(|e| err(e.to_string()))?;
            // The choice panel: the same x as the curve (both leave LABEL_AREA on the left),
            // one row per choice, its label drawn in that area at the row's pixel height.
            let rows = choices.len() as f64;
            let panel = ChartBuilder::on(&bottom)
                .margin(10)
                .y_label_area_size(LABEL_AREA)
                .build_cartesian_2d(0f64..n as f64, 0f64..rows)
                .map_err(|e| err(e.to_string()))?;
            for (row, (label, makes)) in choices.iter().enumerate() {
                let y = rows - 1.0 - row as f64;
                // backend_coord is in canvas pixels; the text is placed relative to the panel.
                let (_, py) = panel.backend_coord(&(0.0, y + 0.5));
                let (_, base) = bottom.get_base_pixel();
                bottom
                    .draw(&Text::new(
                        label.trim().to_string(),
                        (12, py - base - 6),
                        ("sans-serif", 11),
                    ))
                    .map_err(|e| err(e.to_string()))?;
                panel
                    .plotting_area()
                    .draw(&EmptyElement::at((0.0, y)))
                    .map_err(|e| err(e.to_string()))?;
                for (i, _) in tested.iter().enumerate().filter(|(_, r)| makes(r)) {
                    let x = i as f64;
                    panel
                        .plotting_area()
                        .draw(&Rectangle::new(
                            [(x, y + 0.15), (x + 1.0, y + 0.85)],
                            BLACK.mix(0.6).filled(),
                        ))
                        .map_err(|e| err(e.to_string()))?;
                }
            }
            root.present().map_err(|e| err(e.to_string()))?;
        }
        Ok(svg)
    }
}

impl fmt::Display for SpecCurve {
    /// The summary sentence, then the five specifications with the smallest p.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.sentence())?;
        let mut best: Vec<&SpecRow> = self.rows.iter().filter(|r| r.p.is_some()).collect();
        best.sort_by(|a, b| a.p.unwrap_or(1.0).total_cmp(&b.p.unwrap_or(1.0)));
        for r in best.iter().take(5) {
            writeln!(
                f,
                "  smallest p: {} {} {} {} {} {}: excess {} pp, p {} (n {})",
                r.rule,
                r.drought,
                r.null,
                r.horizon,
                r.asset,
                r.outcome.key(),
                r.excess.map_or("–".into(), pct),
                r.p.map_or("–".into(), p3),
                r.n_events
            )?;
        }
        Ok(())
    }
}
