//! `report.html`: one self-contained page per study (inline CSS and SVG, no script, no
//! network), readable on a laptop and in print. The same HTML, less the document shell, is
//! what a notebook shows.

use std::fmt::Write as _;

use super::model::StudyReport;
use super::output::{escape, html_table};
use super::text::{HEADS, cells};

/// The page's stylesheet: system fonts, a readable measure, right-aligned numbers, tables that
/// scroll sideways rather than overflow, and a print layout without the page's chrome.
const CSS: &str = "\
.eventstudy{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;line-height:1.45;color:#1a1a1a;max-width:1180px;margin:0 auto;padding:0 1rem}
.eventstudy h1{font-size:1.6rem;margin:1.2rem 0 .4rem}
.eventstudy h2{font-size:1.25rem;margin:1.6rem 0 .4rem;border-bottom:1px solid #ccc}
.eventstudy h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
.eventstudy .question{font-size:1.1rem}
.eventstudy .scroll{overflow-x:auto}
.eventstudy table{border-collapse:collapse;margin:.5rem 0;font-size:.88rem}
.eventstudy th,.eventstudy td{border:1px solid #bbb;padding:.2rem .45rem;vertical-align:top}
.eventstudy th{background:#eee;text-align:left}
.eventstudy td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.eventstudy .caveat{background:#fff7e0;border-left:4px solid #c90;padding:.3rem .6rem;margin:.4rem 0}
.eventstudy svg{max-width:100%;height:auto;display:block;margin:.5rem 0}
.eventstudy details{margin:.6rem 0}
.eventstudy summary{cursor:pointer;font-weight:600}
.eventstudy pre{background:#f4f4f4;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
@media print{.eventstudy{max-width:none}.eventstudy details{display:block}.eventstudy details>*{display:block}.eventstudy svg{page-break-inside:avoid}}
";

/// The HTML of a study, ready to sit in a notebook cell: a `<style>` and one `<div>`.
pub(crate) fn fragment(body: &str) -> String {
    format!("<style>\n{CSS}</style>\n<div class=\"eventstudy\">\n{body}</div>\n")
}

/// A whole document around a study's HTML.
pub(crate) fn document(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n</head>\n<body>\n{}</body>\n</html>\n",
        escape(title),
        fragment(body)
    )
}

/// An SVG with a `<title>` (what a screen reader announces) and its XML prolog dropped, so it
/// can stand inline in HTML.
pub(crate) fn inline_svg(svg: &str, title: &str) -> String {
    let svg = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    match svg.find('>') {
        Some(end) => format!(
            "{}<title>{}</title>{}",
            &svg[..=end],
            escape(title),
            &svg[end + 1..]
        ),
        None => svg.to_string(),
    }
}

/// A table that scrolls sideways on a narrow screen.
pub(crate) fn table(heads: &[&str], rows: &[Vec<String>]) -> String {
    format!("<div class=\"scroll\">\n{}</div>\n", html_table(heads, rows))
}

/// A caveat, set apart.
pub(crate) fn caveat(text: &str) -> String {
    format!("<p class=\"caveat\">{}</p>\n", escape(text))
}

impl StudyReport {
    /// The study as the body of its page: the question and the primary results first, with
    /// their caveats and their comparison under every placebo design; the conclusion; the
    /// charts beside the tables they illustrate; the exploratory tables, the sensitivity grid
    /// and the excluded windows collapsed; the data's provenance; and `command`, the exact
    /// command or call that produced it.
    pub(crate) fn page_body(&self, command: &str) -> String {
        match self.charts() {
            Ok(charts) => self.body_with(command, &charts),
            Err(e) => format!(
                "<p>The charts could not be drawn: {}</p>\n{}",
                escape(&e.to_string()),
                self.body_with(command, &[])
            ),
        }
    }

    /// [`StudyReport::to_page`] with the charts already drawn.
    pub(crate) fn page_with(&self, command: &str, charts: &[(String, String)]) -> String {
        document(
            &format!("Event study on {}", self.events_on),
            &self.body_with(command, charts),
        )
    }

    fn body_with(&self, command: &str, charts: &[(String, String)]) -> String {
        let mut h = String::new();
        let _ = writeln!(
            h,
            "<h1>Event study: {} events and what followed</h1>",
            escape(&self.events_on)
        );
        let chart = |name: &str| {
            charts
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, svg)| svg.as_str())
        };
        // The primary question first.
        if let Some((title, heads, rows)) = self.primary_table() {
            let _ = writeln!(h, "<p class=\"question\">{}</p>", escape(&title));
            let _ = writeln!(h, "<h2>Primary results</h2>");
            let heads: Vec<&str> = heads.iter().map(String::as_str).collect();
            h.push_str(&table(&heads, &rows));
            let _ = writeln!(
                h,
                "<p>Each comparison column: the events' mean return less that placebo design's, in                  percentage points, with its placebo p in brackets; p WY is the family-wise p                  (Westfall–Young) across the primary results. Every result's caveat:</p>"
            );
            for r in self.primary_results() {
                let what = format!(
                    "{} {} ({}, {}): ",
                    r.asset,
                    r.horizon,
                    r.outcome.key(),
                    r.sample.key()
                );
                h.push_str(&caveat(&format!("{what}{}", r.caveat)));
            }
            for line in self.primary_holdings() {
                let _ = writeln!(h, "<p>{}</p>", escape(&line));
            }
            if let Some(primary) = &self.primary {
                let rule = primary.rule.to_string();
                if let Some((name, svg)) = charts
                    .iter()
                    .find(|(n, _)| n.starts_with("effects_") && n.contains(&super::output::slug(&rule)))
                {
                    h.push_str(&inline_svg(
                        svg,
                        &format!("Excess returns against their placebo ranges: {rule} ({name})"),
                    ));
                }
            }
        }
        let _ = writeln!(h, "<h2>Conclusion</h2>\n<ul>");
        for line in self.conclusion() {
            let _ = writeln!(h, "<li>{}</li>", escape(&line));
        }
        h.push_str("</ul>\n");
        if let Some(curve) = &self.spec_curve {
            let _ = writeln!(
                h,
                "<h2>Specification curve</h2>\n<p>{}</p>",
                escape(&curve.sentence())
            );
            if let Ok(svg) = curve.to_svg() {
                h.push_str(&inline_svg(&svg, "Specification curve"));
            }
        }
        if let Some(card) = &self.scorecard {
            let _ = writeln!(h, "<h2>Scorecard</h2>");
            h.push_str(&card.to_html());
        }
        // Every rule, exploratory.
        let _ = writeln!(
            h,
            "<h2>Every rule, asset and horizon (exploratory)</h2>\n<p>Tables of all results, with each \
             result's caveat; open a rule to read it.</p>"
        );
        for (id, rule) in self.rules.iter().enumerate() {
            let events: Vec<String> = self
                .events
                .iter()
                .filter(|e| e.rule_id == id)
                .map(|e| e.date.to_string())
                .collect();
            let _ = writeln!(
                h,
                "<details>\n<summary>{} — {} events</summary>\n<p>Events: {}</p>",
                escape(rule),
                events.len(),
                if events.is_empty() {
                    "none".into()
                } else {
                    events.join(", ")
                }
            );
            let rows: Vec<_> = self.results_of_rule(id).collect();
            if !rows.is_empty() {
                let heads: Vec<&str> = HEADS.iter().copied().chain(["caveat"]).collect();
                let body: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| cells(r).into_iter().chain([r.caveat.sentence.clone()]).collect())
                    .collect();
                h.push_str(&table(&heads, &body));
                if let Some(svg) = chart(&format!("effects_{}.svg", super::output::slug(rule))) {
                    h.push_str(&inline_svg(
                        svg,
                        &format!("Excess returns against their placebo ranges: {rule}"),
                    ));
                }
            }
            h.push_str("</details>\n");
        }
        if let Some(grid) = &self.sensitivity {
            h.push_str("<details>\n<summary>Sensitivity grid</summary>\n");
            h.push_str(&grid.to_html());
            h.push_str("</details>\n");
        }
        if !self.excluded.is_empty() {
            let _ = writeln!(
                h,
                "<details>\n<summary>Excluded windows ({})</summary>",
                self.excluded.len()
            );
            let rows: Vec<Vec<String>> = self
                .excluded
                .iter()
                .map(|x| {
                    vec![
                        x.asset.clone(),
                        x.rule.clone(),
                        x.event_date.to_string(),
                        x.horizon_days.to_string(),
                        x.reason.clone(),
                    ]
                })
                .collect();
            h.push_str(&table(&["asset", "rule", "event", "days", "why"], &rows));
            h.push_str("</details>\n");
        }
        let _ = writeln!(h, "<h2>Data</h2>");
        let mut rows = vec![vec![
            self.events_on.clone(),
            self.data_through.to_string(),
            source_of(&self.events_on),
        ]];
        rows.extend(
            self.asset_data_through
                .iter()
                .map(|(a, d)| vec![a.clone(), d.to_string(), source_of(a)]),
        );
        h.push_str(&table(&["series", "data through", "source"], &rows));
        let _ = writeln!(
            h,
            "<p>{} placebo draws per result, seed {}; placebo designs: {}.</p>",
            self.draws,
            self.seed,
            escape(
                &self
                    .nulls
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        );
        let _ = writeln!(
            h,
            "<h2>How this page was made</h2>\n<pre>{}</pre>",
            escape(command)
        );
        h
    }

    /// The study as one self-contained HTML page (`report.html`): inline CSS and SVG, no
    /// script, no network. `command` is shown as the exact command or call that produced it.
    pub fn to_page(&self, command: &str) -> String {
        document(
            &format!("Event study on {}", self.events_on),
            &self.page_body(command),
        )
    }
}

/// This process's command line, each argument quoted where a shell would need it: what a
/// page prints as the command that produced it.
pub fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+".contains(c))
            {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where a bundled series comes from (its name and source note), or that it is the user's.
pub(crate) fn source_of(symbol: &str) -> String {
    match crate::data::datasets::get(symbol) {
        Ok(d) => format!("bundled: {} (data/SOURCES.md)", d.name),
        Err(_) => "given by the user".to_string(),
    }
}
