//! JSON, DataFrame, HTML, evcxr display, charts and files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use super::chart::{EffectBar, effect_chart, path_chart};
use super::model::{Scorecard, SensitivityGrid, StudyReport};
use crate::error::{Error, Result};

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A file-name-safe form of a rule or asset name.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// Prints an SVG (e.g. from [`StudyReport::charts`]) inline in an evcxr notebook.
pub fn evcxr_show_svg(svg: &str) {
    evcxr_block("image/svg+xml", svg);
}

impl StudyReport {
    /// The report as pretty-printed JSON (schema in the README).
    pub fn to_json(&self) -> Result<String> {
        let err = |message: String| Error::InvalidSeries {
            file: "<report>".into(),
            message,
        };
        // About 7 KB per result with its designs: sized once rather than grown by doubling.
        let mut out = Vec::with_capacity(64 * 1024 + 8 * 1024 * self.results.len());
        serde_json::to_writer_pretty(&mut out, self).map_err(|e| err(e.to_string()))?;
        String::from_utf8(out).map_err(|e| err(e.to_string()))
    }

    /// One row per rule × asset × horizon, scalar columns only (lists are joined with `;`), so it
    /// writes to CSV as it is.
    pub fn to_dataframe(&self) -> Result<DataFrame> {
        let r = &self.results;
        let s = |f: &dyn Fn(&super::model::StudyResult) -> String| r.iter().map(f).collect::<Vec<String>>();
        let x = |f: &dyn Fn(&super::model::StudyResult) -> f64| r.iter().map(f).collect::<Vec<f64>>();
        let o = |f: &dyn Fn(&super::model::StudyResult) -> Option<f64>| {
            r.iter().map(f).collect::<Vec<Option<f64>>>()
        };
        let join = |v: Vec<String>| v.join(";");
        let cols = vec![
            Column::new("asset".into(), s(&|r| r.asset.clone())),
            Column::new("rule".into(), s(&|r| r.rule.clone())),
            Column::new("horizon".into(), s(&|r| r.horizon.to_string())),
            Column::new("sample".into(), s(&|r| r.sample.key().to_string())),
            Column::new("outcome".into(), s(&|r| r.outcome.key().to_string())),
            Column::new(
                "primary".into(),
                r.iter().map(|r| r.primary).collect::<Vec<bool>>(),
            ),
            Column::new(
                "horizon_days".into(),
                r.iter().map(|r| r.horizon_days).collect::<Vec<u32>>(),
            ),
            Column::new(
                "n_events".into(),
                r.iter().map(|r| r.n_events as u32).collect::<Vec<u32>>(),
            ),
            Column::new(
                "event_dates".into(),
                s(&|r| join(r.event_dates.iter().map(|d| d.to_string()).collect())),
            ),
            Column::new(
                "entry_dates".into(),
                s(&|r| join(r.entry_dates.iter().map(|d| d.to_string()).collect())),
            ),
            Column::new(
                "event_returns".into(),
                s(&|r| join(r.event_returns.iter().map(|v| format!("{v:.6}")).collect())),
            ),
            Column::new("event_mean".into(), x(&|r| r.detail.event_mean)),
            Column::new(
                "baseline_n".into(),
                r.iter().map(|r| r.baseline.n as u32).collect::<Vec<u32>>(),
            ),
            Column::new("baseline_mean".into(), x(&|r| r.baseline.mean)),
            Column::new("baseline_sd".into(), x(&|r| r.baseline.sd)),
            Column::new("baseline_median".into(), x(&|r| r.baseline.median)),
            Column::new("baseline_p05".into(), x(&|r| r.baseline.p05)),
            Column::new("baseline_p95".into(), x(&|r| r.baseline.p95)),
            Column::new("excess".into(), x(&|r| r.excess)),
            Column::new("excess_median".into(), x(&|r| r.excess_median)),
            Column::new("glass_delta".into(), o(&|r| r.glass_delta)),
            Column::new("hedges_g".into(), o(&|r| r.hedges_g)),
            Column::new("prob_superiority".into(), x(&|r| r.prob_superiority)),
            Column::new("p_placebo".into(), x(&|r| r.p_placebo)),
            Column::new("p_placebo_two_sided".into(), x(&|r| r.p_placebo_two_sided)),
            Column::new("p_sign_flip".into(), x(&|r| r.p_sign_flip)),
            Column::new("t_stat".into(), o(&|r| r.t_stat)),
            Column::new("p_t".into(), o(&|r| r.p_t)),
            Column::new("p_holm".into(), x(&|r| r.p_holm)),
            Column::new("p_bh".into(), x(&|r| r.p_bh)),
            Column::new("p_wy".into(), o(&|r| r.p_wy)),
            Column::new("mde".into(), x(&|r| r.mde)),
            Column::new("caveat".into(), s(&|r| r.caveat.sentence.clone())),
        ];
        Ok(DataFrame::new(r.len(), cols)?)
    }

    /// Every event as a DataFrame: `date` (text, ISO), `rule`, `level`, `previous_record`,
    /// `previous_record_date`, `days_since_record`.
    pub fn events_dataframe(&self) -> Result<DataFrame> {
        let e = &self.events;
        let cols = vec![
            Column::new(
                "date".into(),
                e.iter().map(|e| e.date.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "rule".into(),
                e.iter().map(|e| e.rule.clone()).collect::<Vec<_>>(),
            ),
            Column::new("level".into(), e.iter().map(|e| e.level).collect::<Vec<_>>()),
            Column::new(
                "previous_record".into(),
                e.iter().map(|e| e.previous_record).collect::<Vec<_>>(),
            ),
            Column::new(
                "previous_record_date".into(),
                e.iter()
                    .map(|e| e.previous_record_date.map(|d| d.to_string()))
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "days_since_record".into(),
                e.iter()
                    .map(|e| e.days_since_record.map(|d| d as u32))
                    .collect::<Vec<_>>(),
            ),
        ];
        Ok(DataFrame::new(e.len(), cols)?)
    }

    /// Every event window, complete or not, one row each: `rule`, `asset`, `event_date`,
    /// `horizon`, `status` (complete, or why not), entry and exit dates and prices, simple and
    /// log return, maximum run-up and drawdown, and the basket's holdings (`;`-joined).
    pub fn windows_dataframe(&self) -> Result<DataFrame> {
        let w = &self.windows;
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        let cols = vec![
            Column::new(
                "rule".into(),
                w.iter().map(|w| w.rule.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "asset".into(),
                w.iter().map(|w| w.window.asset.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "event_date".into(),
                w.iter()
                    .map(|w| w.window.event_date.to_string())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "horizon".into(),
                w.iter().map(|w| w.window.horizon.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "status".into(),
                w.iter().map(|w| w.window.status.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "entry_date".into(),
                w.iter().map(|w| date(w.window.entry_date)).collect::<Vec<_>>(),
            ),
            Column::new(
                "entry_price".into(),
                w.iter().map(|w| w.window.entry_price).collect::<Vec<_>>(),
            ),
            Column::new(
                "exit_date".into(),
                w.iter().map(|w| date(w.window.exit_date)).collect::<Vec<_>>(),
            ),
            Column::new(
                "exit_price".into(),
                w.iter().map(|w| w.window.exit_price).collect::<Vec<_>>(),
            ),
            Column::new(
                "simple_return".into(),
                w.iter().map(|w| w.window.simple_return).collect::<Vec<_>>(),
            ),
            Column::new(
                "log_return".into(),
                w.iter().map(|w| w.window.log_return).collect::<Vec<_>>(),
            ),
            Column::new(
                "max_runup".into(),
                w.iter().map(|w| w.window.max_runup).collect::<Vec<_>>(),
            ),
            Column::new(
                "max_drawdown".into(),
                w.iter().map(|w| w.window.max_drawdown).collect::<Vec<_>>(),
            ),
            Column::new(
                "holdings".into(),
                w.iter().map(|w| w.window.holdings.join(";")).collect::<Vec<_>>(),
            ),
        ];
        Ok(DataFrame::new(w.len(), cols)?)
    }

    /// The report as HTML for a notebook cell: the body of [`StudyReport::to_page`] with its
    /// stylesheet, without the document around it.
    pub fn to_html(&self) -> String {
        super::page::fragment(
            &self.page_body("a StudyReport shown in a notebook (StudyReport::evcxr_display)"),
        )
    }

    /// Rich display in an evcxr notebook: the HTML of [`StudyReport::to_page`], without the
    /// document around it.
    pub fn evcxr_display(&self) {
        evcxr_blocks(&self.to_html(), &self.to_string());
    }

    /// Every chart as `(file name, SVG)`: per rule and asset, event-aligned cumulative return
    /// paths over the baseline band; per rule, excess returns against their placebo intervals.
    pub fn charts(&self) -> Result<Vec<(String, String)>> {
        // One chart per (asset, rule): drawn in parallel, kept in order.
        let mut out: Vec<(String, String)> = self
            .paths
            .par_iter()
            .filter(|p| !p.lines.is_empty())
            .map(|p| {
                let title = format!(
                    "{} after {} events ({}): paths to {}",
                    p.asset, self.events_on, p.rule, p.horizon
                );
                Ok((
                    format!("paths_{}_{}.svg", slug(&p.rule), slug(&p.asset)),
                    path_chart(&title, &p.lines, &p.band)?,
                ))
            })
            .collect::<Result<_>>()?;
        for (id, rule) in self.rules.iter().enumerate() {
            let bars: Vec<EffectBar> = self
                .results_of_rule(id)
                .map(|r| EffectBar {
                    label: format!("{} {}", r.asset, r.horizon),
                    excess: r.excess,
                    low: r.placebo_interval[0],
                    high: r.placebo_interval[1],
                })
                .collect();
            if bars.is_empty() {
                continue;
            }
            let title = format!("Excess return vs placebo 5–95%: {rule}");
            out.push((
                format!("effects_{}.svg", slug(rule)),
                effect_chart(&title, &bars)?,
            ));
        }
        Ok(out)
    }

    /// Writes `report.md`, `report.json`, `results.csv`, `report.html` (the page of
    /// [`StudyReport::to_page`], with the command line of this process) and `charts/*.svg`
    /// under `dir` (created if needed) and returns the paths written.
    pub fn write_files(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        let write = |path: PathBuf, bytes: &[u8]| -> Result<PathBuf> {
            std::fs::write(&path, bytes).map_err(|source| Error::Write {
                path: path.clone(),
                source,
            })?;
            Ok(path)
        };
        let charts_dir = dir.join("charts");
        std::fs::create_dir_all(&charts_dir).map_err(|source| Error::Write {
            path: charts_dir.clone(),
            source,
        })?;
        // The files do not depend on each other: each is rendered and written on its own
        // thread (polars' CSV writer on this one, not on a pool of its own).
        type Job<'a> = Box<dyn Fn() -> Result<(PathBuf, Vec<u8>)> + Send + Sync + 'a>;
        let mut jobs: Vec<Job<'_>> = vec![
            Box::new(|| Ok((dir.join("report.md"), self.to_markdown().into_bytes()))),
            Box::new(|| Ok((dir.join("results.csv"), csv_of(self.to_dataframe())?))),
        ];
        let charts = charts_dir.as_path();
        if let Some(curve) = &self.spec_curve {
            jobs.push(Box::new(move || {
                Ok((dir.join("spec_curve.csv"), csv_of(curve.to_dataframe())?))
            }));
            jobs.push(Box::new(move || {
                Ok((charts.join("spec_curve.svg"), curve.to_svg()?.into_bytes()))
            }));
        }
        if self.results.iter().any(|r| !r.nulls.is_empty()) {
            jobs.push(Box::new(|| {
                Ok((dir.join("nulls.csv"), csv_of(self.nulls_dataframe())?))
            }));
        }
        // The JSON is the longest single file (a few MB): started first, on its own.
        let (json, (files, charts)) = rayon::join(
            || write(dir.join("report.json"), self.to_json()?.as_bytes()),
            || {
                rayon::join(
                    || {
                        jobs.par_iter()
                            .map(|job| job().and_then(|(path, bytes)| write(path, &bytes)))
                            .collect::<Result<Vec<_>>>()
                    },
                    || -> Result<Vec<PathBuf>> {
                        // The charts once, for their files and for the page.
                        let charts = self.charts()?;
                        let (page, files) = rayon::join(
                            || {
                                let page = self.page_with(&super::page::command_line(), &charts);
                                write(dir.join("report.html"), page.as_bytes())
                            },
                            || {
                                charts
                                    .par_iter()
                                    .map(|(name, svg)| write(charts_dir.join(name), svg.as_bytes()))
                                    .collect::<Result<Vec<_>>>()
                            },
                        );
                        let mut files = files?;
                        files.insert(0, page?);
                        Ok(files)
                    },
                )
            },
        );
        let mut written = files?;
        written.insert(1, json?);
        written.extend(charts?);
        Ok(written)
    }
}

/// A frame as CSV bytes, written on the calling thread (polars' writer would start a pool).
pub(crate) fn csv_of(frame: Result<DataFrame>) -> Result<Vec<u8>> {
    let mut csv = Vec::new();
    CsvWriter::new(&mut csv)
        .include_header(true)
        .n_threads(1)
        .finish(&mut frame?)?;
    Ok(csv)
}

/// Whether a table cell holds a number (a value, a percentage, a p such as `<0.001`, a
/// `+4.1 (0.12)` pair, or the dash of a missing one): such cells are right-aligned.
fn looks_numeric(cell: &str) -> bool {
    let c = cell.trim();
    !c.is_empty()
        && c.chars().any(|ch| ch.is_ascii_digit() || ch == '–')
        && c.chars()
            .all(|ch| ch.is_ascii_digit() || " .,+-−–<>%()e".contains(ch))
}

pub(crate) fn html_table(heads: &[&str], rows: &[Vec<String>]) -> String {
    let mut h = String::from("<table>\n<thead><tr>");
    for head in heads {
        let _ = write!(h, "<th scope=\"col\">{}</th>", escape(head));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        h.push_str("<tr>");
        for c in r {
            let class = if looks_numeric(c) { " class=\"num\"" } else { "" };
            let _ = write!(h, "<td{class}>{}</td>", escape(c));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n");
    h
}

/// One block of evcxr's display protocol.
pub(crate) fn evcxr_block(mime: &str, content: &str) {
    println!("EVCXR_BEGIN_CONTENT {mime}\n{content}\nEVCXR_END_CONTENT");
}

/// The HTML and plain-text blocks every displayable result prints.
fn evcxr_blocks(html: &str, text: &str) {
    evcxr_block("text/html", html);
    evcxr_block("text/plain", text);
}

impl SensitivityGrid {
    /// One row per basis × drought × asset × horizon.
    pub fn to_dataframe(&self) -> Result<DataFrame> {
        let r = &self.rows;
        let cols = vec![
            Column::new(
                "basis".into(),
                r.iter().map(|r| r.basis.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "drought".into(),
                r.iter().map(|r| r.drought as u32).collect::<Vec<_>>(),
            ),
            Column::new(
                "asset".into(),
                r.iter().map(|r| r.asset.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "horizon".into(),
                r.iter().map(|r| r.horizon.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "n_events".into(),
                r.iter().map(|r| r.n_events as u32).collect::<Vec<_>>(),
            ),
            Column::new("excess".into(), r.iter().map(|r| r.excess).collect::<Vec<_>>()),
            Column::new(
                "p_placebo".into(),
                r.iter().map(|r| r.p_placebo).collect::<Vec<_>>(),
            ),
        ];
        Ok(DataFrame::new(r.len(), cols)?)
    }

    /// The grid as an HTML table.
    pub fn to_html(&self) -> String {
        let (heads, rows) = self.rows_as_cells();
        format!(
            "<div class=\"eventstudy-sensitivity\">\n{}</div>\n",
            html_table(&heads, &rows)
        )
    }

    /// Rich display in an evcxr notebook.
    pub fn evcxr_display(&self) {
        evcxr_blocks(&self.to_html(), &self.to_string());
    }
}

impl Scorecard {
    /// One row per event × asset × horizon.
    pub fn to_dataframe(&self) -> Result<DataFrame> {
        let r = &self.rows;
        let cols = vec![
            Column::new(
                "rule".into(),
                r.iter().map(|r| r.rule.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "event_date".into(),
                r.iter().map(|r| r.event_date.to_string()).collect::<Vec<_>>(),
            ),
            Column::new(
                "asset".into(),
                r.iter().map(|r| r.asset.clone()).collect::<Vec<_>>(),
            ),
            Column::new(
                "horizon_days".into(),
                r.iter().map(|r| r.horizon_days).collect::<Vec<_>>(),
            ),
            Column::new(
                "realised".into(),
                r.iter().map(|r| r.realised).collect::<Vec<_>>(),
            ),
            Column::new(
                "baseline_median".into(),
                r.iter().map(|r| r.baseline_median).collect::<Vec<_>>(),
            ),
            Column::new(
                "percentile_rank".into(),
                r.iter().map(|r| r.percentile_rank).collect::<Vec<_>>(),
            ),
            Column::new("rallied".into(), r.iter().map(|r| r.rallied).collect::<Vec<_>>()),
            Column::new(
                "verdict".into(),
                r.iter().map(|r| r.verdict.clone()).collect::<Vec<_>>(),
            ),
        ];
        Ok(DataFrame::new(r.len(), cols)?)
    }

    /// The scorecard as HTML: the claim, the table, missing assets and the summary.
    pub fn to_html(&self) -> String {
        let (heads, rows) = self.rows_as_cells();
        let mut h = format!(
            "<div class=\"eventstudy-scorecard\">\n<p>Claim: <q>{}</q></p>\n",
            escape(&self.claim)
        );
        h.push_str(&html_table(&heads, &rows));
        for m in &self.missing {
            let _ = writeln!(h, "<p>{}</p>", escape(m));
        }
        let _ = writeln!(h, "<p>{}</p>\n</div>", escape(&self.summary));
        h
    }

    /// Rich display in an evcxr notebook.
    pub fn evcxr_display(&self) {
        evcxr_blocks(&self.to_html(), &self.to_string());
    }
}
