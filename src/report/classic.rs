//! The classic study's report as JSON, DataFrames (and so CSV), Markdown, HTML and evcxr output.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::chart::{EffectBar, PathLine, effect_chart, path_chart};
use super::output::{csv_of, escape, evcxr_block};
use super::text::{p3, pct};
use crate::error::{Error, Result};
use crate::study::{ClassicReport, ClassicTest, TestValue, window_key};

/// The tests any row of `rows` has, in key order.
fn test_keys<'a>(rows: impl Iterator<Item = &'a BTreeMap<ClassicTest, TestValue>>) -> Vec<ClassicTest> {
    let mut keys: Vec<ClassicTest> = rows.flat_map(|t| t.keys().copied()).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// Two columns per test, `KEY_stat` and `KEY_p` (null where undefined or absent).
fn test_columns(tests: &[&BTreeMap<ClassicTest, TestValue>]) -> Vec<Column> {
    let keys = test_keys(tests.iter().copied());
    let mut cols = Vec::with_capacity(2 * keys.len());
    for k in keys {
        let get = |f: fn(&TestValue) -> Option<f64>| -> Vec<Option<f64>> {
            tests.iter().map(|t| t.get(&k).and_then(f)).collect()
        };
        cols.push(Column::new(
            format!("{}_stat", k.key()).into(),
            get(|v| v.statistic),
        ));
        cols.push(Column::new(format!("{}_p", k.key()).into(), get(|v| v.p)));
    }
    cols
}

impl ClassicReport {
    /// The report as pretty-printed JSON (schema in the README).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| Error::InvalidSeries {
            file: "<classic report>".into(),
            message: e.to_string(),
        })
    }

    /// One row per event: security, dates, label, status, model parameters and each CAR and
    /// BHAR (`car_τa:τb`, `bhar_τa:τb`).
    pub fn events_dataframe(&self) -> Result<DataFrame> {
        let e = &self.events;
        let text = |f: fn(&crate::study::ClassicEvent) -> Option<String>| -> Vec<Option<String>> {
            e.iter().map(f).collect()
        };
        let num = |f: fn(&crate::study::ClassicEvent) -> Option<f64>| -> Vec<Option<f64>> {
            e.iter().map(f).collect()
        };
        let mut cols = vec![
            Column::new("security".into(), text(|e| Some(e.security.clone()))),
            Column::new("event_date".into(), text(|e| Some(e.event_date.to_string()))),
            Column::new("day0".into(), text(|e| e.day0.map(|d| d.to_string()))),
            Column::new("label".into(), text(|e| e.label.clone())),
            Column::new("status".into(), text(|e| Some(e.status.key().to_string()))),
            Column::new("status_detail".into(), text(|e| Some(e.status.to_string()))),
            Column::new(
                "estimation_n".into(),
                e.iter()
                    .map(|e| e.estimation_n.map(|n| n as u64))
                    .collect::<Vec<_>>(),
            ),
            Column::new("alpha".into(), num(|e| e.alpha)),
            Column::new("beta".into(), num(|e| e.beta)),
            Column::new("sigma".into(), num(|e| e.sigma)),
        ];
        for f in &self.factors {
            cols.push(Column::new(
                format!("beta_{f}").into(),
                e.iter()
                    .map(|e| e.factor_betas.get(f).copied())
                    .collect::<Vec<_>>(),
            ));
        }
        for w in self.windows.cars.iter().map(|&w| window_key(w)) {
            cols.push(Column::new(
                format!("car_{w}").into(),
                e.iter().map(|e| e.car.get(&w).copied()).collect::<Vec<_>>(),
            ));
            cols.push(Column::new(
                format!("bhar_{w}").into(),
                e.iter().map(|e| e.bhar.get(&w).copied()).collect::<Vec<_>>(),
            ));
        }
        Ok(DataFrame::new(e.len(), cols)?)
    }

    /// One row per event-window day: τ, date, n, AAR and each test's statistic and p.
    pub fn aar_dataframe(&self) -> Result<DataFrame> {
        let r = &self.aar;
        let mut cols = vec![
            Column::new("tau".into(), r.iter().map(|r| r.tau).collect::<Vec<i64>>()),
            Column::new(
                "date".into(),
                r.iter()
                    .map(|r| r.date.map(|d| d.to_string()))
                    .collect::<Vec<_>>(),
            ),
            Column::new("n".into(), r.iter().map(|r| r.n as u64).collect::<Vec<u64>>()),
            Column::new(
                "mean_ar".into(),
                r.iter().map(|r| r.mean_ar).collect::<Vec<f64>>(),
            ),
        ];
        cols.extend(test_columns(&r.iter().map(|r| &r.tests).collect::<Vec<_>>()));
        Ok(DataFrame::new(r.len(), cols)?)
    }

    /// One row per CAR window: window, n, CAAR, ABHAR with its t and p, Hedges' g, the MDE,
    /// each test's statistic and p, and the caveat.
    pub fn car_dataframe(&self) -> Result<DataFrame> {
        let r = &self.car;
        let mut cols = vec![
            Column::new(
                "window".into(),
                r.iter().map(|r| window_key(r.window)).collect::<Vec<String>>(),
            ),
            Column::new("n".into(), r.iter().map(|r| r.n as u64).collect::<Vec<u64>>()),
            Column::new("caar".into(), r.iter().map(|r| r.caar).collect::<Vec<f64>>()),
            Column::new("abhar".into(), r.iter().map(|r| r.abhar).collect::<Vec<f64>>()),
            Column::new(
                "abhar_t".into(),
                r.iter().map(|r| r.abhar_t.statistic).collect::<Vec<_>>(),
            ),
            Column::new(
                "abhar_p".into(),
                r.iter().map(|r| r.abhar_t.p).collect::<Vec<_>>(),
            ),
            Column::new(
                "hedges_g".into(),
                r.iter().map(|r| r.hedges_g).collect::<Vec<_>>(),
            ),
            Column::new(
                "mde".into(),
                r.iter()
                    .map(|r| Some(r.caveat.mde).filter(|m| m.is_finite()))
                    .collect::<Vec<_>>(),
            ),
        ];
        cols.extend(test_columns(&r.iter().map(|r| &r.tests).collect::<Vec<_>>()));
        let placebo = |f: fn(&crate::study::PlaceboSummary) -> f64| -> Vec<Option<f64>> {
            r.iter().map(|r| r.placebo.as_ref().map(f)).collect()
        };
        cols.push(Column::new("placebo_mean".into(), placebo(|p| p.mean)));
        cols.push(Column::new("placebo_q05".into(), placebo(|p| p.q05)));
        cols.push(Column::new("placebo_q95".into(), placebo(|p| p.q95)));
        cols.push(Column::new(
            "p_holm".into(),
            r.iter().map(|r| r.p_holm).collect::<Vec<_>>(),
        ));
        cols.push(Column::new(
            "p_bh".into(),
            r.iter().map(|r| r.p_bh).collect::<Vec<_>>(),
        ));
        cols.push(Column::new(
            "p_wy".into(),
            r.iter().map(|r| r.p_wy).collect::<Vec<_>>(),
        ));
        cols.push(Column::new(
            "caveat".into(),
            r.iter()
                .map(|r| r.caveat.sentence.clone())
                .collect::<Vec<String>>(),
        ));
        Ok(DataFrame::new(r.len(), cols)?)
    }

    /// One row per CAR window × coefficient of the regressions on the labels.
    pub fn regression_dataframe(&self) -> Result<DataFrame> {
        let rows: Vec<(String, &crate::stats::Coefficient)> = self
            .regressions
            .iter()
            .filter_map(|r| Some((window_key(r.window), r.regression.as_ref()?)))
            .flat_map(|(w, r)| r.coefficients.iter().map(move |c| (w.clone(), c)))
            .collect();
        let num =
            |f: fn(&crate::stats::Coefficient) -> f64| -> Vec<f64> { rows.iter().map(|r| f(r.1)).collect() };
        let cols = vec![
            Column::new(
                "window".into(),
                rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "coefficient".into(),
                rows.iter().map(|r| r.1.name.clone()).collect::<Vec<_>>(),
            ),
            Column::new("estimate".into(), num(|c| c.estimate)),
            Column::new("se".into(), num(|c| c.se)),
            Column::new("se_hc1".into(), num(|c| c.se_hc1)),
            Column::new("se_hc3".into(), num(|c| c.se_hc3)),
            Column::new("t_hc3".into(), num(|c| c.t_hc3)),
            Column::new("p_hc3".into(), num(|c| c.p_hc3)),
        ];
        Ok(DataFrame::new(rows.len(), cols)?)
    }

    /// The CAR table and the events' statuses as Markdown, caveats under each window.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "{}\n", self.headline());
        let keys = test_keys(self.car.iter().map(|r| &r.tests));
        let _ = write!(md, "| window | n | CAAR % | ABHAR % |");
        for k in &keys {
            let _ = write!(md, " p {} |", k.key());
        }
        let _ = write!(md, "\n| --- | ---: | ---: | ---: |");
        for _ in &keys {
            md.push_str(" ---: |");
        }
        md.push('\n');
        for r in &self.car {
            let _ = write!(
                md,
                "| {} | {} | {} | {} |",
                window_key(r.window),
                r.n,
                pct(r.caar),
                pct(r.abhar)
            );
            for k in &keys {
                let p = r.tests.get(k).and_then(|v| v.p).map_or("–".into(), p3);
                let _ = write!(md, " {p} |");
            }
            md.push('\n');
        }
        md.push('\n');
        for r in &self.car {
            let _ = writeln!(md, "- **{}**: {}", window_key(r.window), r.caveat);
            if let Some(p) = &r.placebo {
                let wy = r.p_wy.map_or(String::new(), |w| {
                    format!("; Westfall–Young across the windows {}", p3(w))
                });
                let _ = writeln!(
                    md,
                    "  On {} sets of pseudo-event dates from each security's own history the CAAR's 5–95% range is {} to {}{wy}.",
                    p.draws,
                    pct(p.q05),
                    pct(p.q95)
                );
            }
        }
        for r in &self.regressions {
            let _ = write!(md, "\nCARs {} regressed on the labels", window_key(r.window));
            match (&r.regression, &r.reference) {
                (Some(reg), reference) => {
                    let base = reference
                        .as_ref()
                        .map_or(String::new(), |g| format!(" (reference: {g})"));
                    let _ = writeln!(
                        md,
                        "{base}, n = {}, HC3 errors (which treat the events as independent: events sharing a date are not, so these understate the uncertainty):\n",
                        reg.n
                    );
                    let _ = writeln!(
                        md,
                        "| coefficient | estimate % | HC3 se % | p |\n| --- | ---: | ---: | ---: |"
                    );
                    for c in &reg.coefficients {
                        let _ = writeln!(
                            md,
                            "| {} | {} | {:.1} | {} |",
                            c.name,
                            pct(c.estimate),
                            c.se_hc3 * 100.0,
                            p3(c.p_hc3)
                        );
                    }
                }
                (None, _) => {
                    let _ = writeln!(md, ": {}", r.undefined.as_deref().unwrap_or("undefined"));
                }
            }
        }
        // Per status, how many events and the first few of them.
        let mut by_status: BTreeMap<&str, (String, Vec<String>)> = BTreeMap::new();
        for e in self.events.iter().filter(|e| !e.status.is_complete()) {
            let slot = by_status
                .entry(e.status.key())
                .or_insert_with(|| (e.status.key().replace('_', " "), Vec::new()));
            slot.1.push(format!("{} {}", e.security, e.event_date));
        }
        if !by_status.is_empty() {
            let _ = writeln!(md, "\nEvents whose status is not complete:\n");
            for (words, events) in by_status.into_values() {
                let shown = events.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
                let more = if events.len() > 5 { ", …" } else { "" };
                let _ = writeln!(md, "- {words}: {} ({shown}{more})", events.len());
            }
        }
        md
    }

    /// The first line of every rendering: the model, market, returns and event counts.
    pub(crate) fn headline(&self) -> String {
        let fitted = self.events.iter().filter(|e| e.estimation_n.is_some()).count();
        let factors = if self.factors.is_empty() {
            String::new()
        } else {
            format!(" and {}", self.factors.join(", "))
        };
        format!(
            "Classic event study ({} on {}{factors}, {}): {} events, {fitted} fitted",
            self.model,
            self.market,
            self.returns,
            self.events.len()
        )
    }

    /// The study as HTML for a notebook cell (the body of its page, with the page's
    /// stylesheet): see [`classic_page`].
    pub fn to_html(&self) -> String {
        super::page::fragment(&self.page_body(2))
    }

    /// The study's section of a page, its headings at `level` (2: `<h2>`): the headline, the
    /// CAR table with every test's p, each window's caveat and placebo range, the charts, the
    /// regressions on the labels, then (collapsed) the daily AAR table and every event with
    /// its status and model.
    pub(crate) fn page_body(&self, level: u8) -> String {
        use super::page::{caveat, inline_svg, table};
        let (h2, h3) = (level, level + 1);
        let mut h = format!("<p class=\"question\">{}</p>\n", escape(&self.headline()));
        let keys = test_keys(self.car.iter().map(|r| &r.tests));
        let mut heads: Vec<String> = ["window", "n", "CAAR %", "ABHAR %"].map(String::from).to_vec();
        heads.extend(keys.iter().map(|k| format!("p {}", k.key())));
        heads.extend(["p WY".to_string()]);
        let rows: Vec<Vec<String>> = self
            .car
            .iter()
            .map(|r| {
                let mut row = vec![window_key(r.window), r.n.to_string(), pct(r.caar), pct(r.abhar)];
                row.extend(
                    keys.iter()
                        .map(|k| r.tests.get(k).and_then(|v| v.p).map_or("–".into(), p3)),
                );
                row.push(r.p_wy.map_or("–".into(), p3));
                row
            })
            .collect();
        let _ = writeln!(h, "<h{h2}>Cumulative abnormal returns</h{h2}>");
        let heads_ref: Vec<&str> = heads.iter().map(String::as_str).collect();
        h.push_str(&table(&heads_ref, &rows));
        for r in &self.car {
            h.push_str(&caveat(&format!("CAR {}: {}", window_key(r.window), r.caveat)));
            if let Some(p) = &r.placebo {
                let _ = writeln!(
                    h,
                    "<p>On {} sets of pseudo-event dates from each security's own history, the CAAR                      of {} ranges from {} to {} (5–95%).</p>",
                    p.draws,
                    window_key(r.window),
                    pct(p.q05),
                    pct(p.q95)
                );
            }
        }
        for (name, svg) in self.charts().unwrap_or_default() {
            let title = if name.starts_with("caar") {
                "Cumulative average abnormal return over the event window"
            } else {
                "Each CAR window's CAAR against its pseudo-event placebo range"
            };
            h.push_str(&inline_svg(&svg, title));
        }
        for r in &self.regressions {
            let _ = writeln!(
                h,
                "<h{h3}>CARs {} regressed on the events' labels</h{h3}>",
                window_key(r.window)
            );
            match &r.regression {
                Some(reg) => {
                    let rows: Vec<Vec<String>> = reg
                        .coefficients
                        .iter()
                        .map(|c| {
                            vec![
                                c.name.clone(),
                                pct(c.estimate),
                                format!("{:.1}", c.se_hc3 * 100.0),
                                p3(c.p_hc3),
                            ]
                        })
                        .collect();
                    h.push_str(&table(&["coefficient", "estimate %", "HC3 se %", "p"], &rows));
                    let _ = writeln!(
                        h,
                        "<p>n = {}; reference label {}. HC3 treats the events as independent: events                          sharing a date are not, so these errors understate the uncertainty.</p>",
                        reg.n,
                        escape(r.reference.as_deref().unwrap_or("none (a numeric label)"))
                    );
                }
                None => {
                    let _ = writeln!(
                        h,
                        "<p>{}</p>",
                        escape(r.undefined.as_deref().unwrap_or("undefined"))
                    );
                }
            }
        }
        let day_keys = test_keys(self.aar.iter().map(|r| &r.tests));
        let mut day_heads: Vec<String> = ["τ", "date", "n", "AAR %"].map(String::from).to_vec();
        day_heads.extend(day_keys.iter().map(|k| format!("p {}", k.key())));
        let day_rows: Vec<Vec<String>> = self
            .aar
            .iter()
            .map(|r| {
                let mut row = vec![
                    r.tau.to_string(),
                    r.date.map_or("–".into(), |d| d.to_string()),
                    r.n.to_string(),
                    pct(r.mean_ar),
                ];
                row.extend(
                    day_keys
                        .iter()
                        .map(|k| r.tests.get(k).and_then(|v| v.p).map_or("–".into(), p3)),
                );
                row
            })
            .collect();
        let day_heads_ref: Vec<&str> = day_heads.iter().map(String::as_str).collect();
        let _ = writeln!(h, "<details>\n<summary>Every event-window day</summary>");
        h.push_str(&table(&day_heads_ref, &day_rows));
        h.push_str("</details>\n");
        let event_rows: Vec<Vec<String>> = self
            .events
            .iter()
            .map(|e| {
                let num = |v: Option<f64>| v.map_or("–".into(), |x| format!("{x:.4}"));
                vec![
                    e.security.clone(),
                    e.event_date.to_string(),
                    e.label.clone().unwrap_or_default(),
                    e.status.to_string(),
                    e.estimation_n.map_or("–".into(), |n| n.to_string()),
                    num(e.alpha),
                    num(e.beta),
                    num(e.sigma),
                ]
            })
            .collect();
        let _ = writeln!(
            h,
            "<details>\n<summary>Every event ({})</summary>",
            self.events.len()
        );
        h.push_str(&table(
            &["security", "event date", "label", "status", "L", "α", "β", "σ"],
            &event_rows,
        ));
        h.push_str("</details>\n");
        h
    }

    /// The report's charts as `(file name, SVG)`: `caar_path.svg`, the cumulative AAR over the
    /// event window (0 at its first day), and `car_effects.svg`, each CAR window's CAAR beside
    /// the 5–95% range of its pseudo-event placebo (both less the placebo mean).
    ///
    /// # Errors
    /// [`Error::InvalidSeries`] if a chart cannot be drawn.
    pub fn charts(&self) -> Result<Vec<(String, String)>> {
        let mut cumulative = 0.0;
        let first = self.aar.first().map_or(0, |r| r.tau);
        let points: Vec<(i64, f64)> = std::iter::once((first - 1, 1.0))
            .chain(self.aar.iter().map(|r| {
                cumulative += r.mean_ar;
                (r.tau, 1.0 + cumulative)
            }))
            .collect();
        let line = PathLine {
            label: format!(
                "CAAR ({} events)",
                self.aar.iter().map(|r| r.n).max().unwrap_or(0)
            ),
            points,
        };
        let title = format!("CAAR over event days, {} on {}", self.model, self.market);
        let bars: Vec<EffectBar> = self
            .car
            .iter()
            .filter_map(|r| {
                let p = r.placebo.as_ref()?;
                Some(EffectBar {
                    label: format!("CAR {}", window_key(r.window)),
                    excess: r.caar - p.mean,
                    low: p.q05 - p.mean,
                    high: p.q95 - p.mean,
                })
            })
            .collect();
        let mut out = vec![("caar_path.svg".to_string(), path_chart(&title, &[line], &[])?)];
        if !bars.is_empty() {
            out.push((
                "car_effects.svg".to_string(),
                effect_chart(
                    "CAAR against the pseudo-event placebo (5–95%), less its mean",
                    &bars,
                )?,
            ));
        }
        Ok(out)
    }

    /// Shows the report in an evcxr notebook (HTML, with the text as the fallback).
    pub fn evcxr_display(&self) {
        evcxr_block("text/html", &self.to_html());
        evcxr_block("text/plain", &self.to_string());
    }

    /// Writes `STEM.json`, `STEM.md`, `STEM_events.csv`, `STEM_aar.csv`, `STEM_car.csv` and,
    /// with labelled events, `STEM_regression.csv`, and the charts (`STEM_caar_path.svg`,
    /// `STEM_car_effects.svg`) to `dir` (created if needed) and returns their paths.
    ///
    /// # Errors
    /// [`Error::Write`] naming the path that could not be written.
    pub fn write_files(&self, dir: impl AsRef<Path>, stem: &str) -> Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| Error::Write {
            path: dir.to_path_buf(),
            source,
        })?;
        let files = [
            (format!("{stem}.json"), self.to_json()?.into_bytes()),
            (format!("{stem}.md"), self.to_markdown().into_bytes()),
            (format!("{stem}_events.csv"), csv_of(self.events_dataframe())?),
            (format!("{stem}_aar.csv"), csv_of(self.aar_dataframe())?),
            (format!("{stem}_car.csv"), csv_of(self.car_dataframe())?),
        ];
        let regression = (!self.regressions.is_empty())
            .then(|| {
                Ok::<_, Error>((
                    format!("{stem}_regression.csv"),
                    csv_of(self.regression_dataframe())?,
                ))
            })
            .transpose()?;
        files
            .into_iter()
            .chain(regression)
            .chain(
                self.charts()?
                    .into_iter()
                    .map(|(name, svg)| (format!("{stem}_{name}"), svg.into_bytes())),
            )
            .map(|(name, bytes)| {
                let path = dir.join(name);
                std::fs::write(&path, bytes).map_err(|source| Error::Write {
                    path: path.clone(),
                    source,
                })?;
                Ok(path)
            })
            .collect()
    }
}

/// One page for one or more classic studies (`report.html`): each study's section (see
/// [`ClassicReport::to_html`]), the data's provenance and `command`, the exact command or call
/// that produced it. Inline CSS and SVG, no script, no network.
pub fn classic_page(title: &str, studies: &[(&str, &ClassicReport)], command: &str) -> String {
    let mut body = format!("<h1>{}</h1>\n", escape(title));
    for (name, report) in studies {
        let _ = writeln!(body, "<h2>{}</h2>", escape(name));
        body.push_str(&report.page_body(3));
    }
    let _ = writeln!(body, "<h2>Data</h2>");
    for (name, report) in studies {
        let _ = writeln!(
            body,
            "<p>{}: returns from {} ({}), the market {} ({}); {} events.</p>",
            escape(name),
            escape(&report.source),
            report.returns,
            escape(&report.market),
            escape(&super::page::source_of(&report.market)),
            report.events.len()
        );
    }
    let _ = writeln!(
        body,
        "<h2>How this page was made</h2>\n<pre>{}</pre>",
        escape(command)
    );
    super::page::document(title, &body)
}
