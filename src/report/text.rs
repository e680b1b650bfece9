//! Terminal tables, Markdown, and the plain-English conclusion.

use std::fmt::{self, Write as _};

use chrono::NaiveDate;

use super::exclusions::write_not_listed;
use super::model::{ExclusionKind, Outcome, Sample, Scorecard, SensitivityGrid, StudyReport, StudyResult};
use super::nulls::{NULL_LEGEND, null_table};
use super::primary::{PRIMARY_LEGEND, SURVIVORSHIP};

/// A return as signed percent with one decimal: `+12.3`.
pub(crate) fn pct(x: f64) -> String {
    format!("{:+.1}", x * 100.0)
}

/// A p-value to three decimals, `<0.001` below that.
pub(crate) fn p3(p: f64) -> String {
    if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

pub(crate) fn opt2(x: Option<f64>) -> String {
    x.map_or_else(|| "–".to_string(), |v| format!("{v:+.2}"))
}

/// The column heads of the results table, shared by the terminal and Markdown forms.
pub(crate) const HEADS: [&str; 15] = [
    "asset",
    "h",
    "n",
    "mean %",
    "base %",
    "excess pp",
    "Glass Δ",
    "Hedges g",
    "rank",
    "p placebo",
    "p sign-flip",
    "t (p)",
    "p Holm",
    "MDE pp",
    "best p",
];

/// What the columns mean, printed above each terminal table.
pub(crate) const LEGEND: &str = "mean/base: event and baseline mean return, %; excess: difference, pp; rank: mean \
percentile of the events among all same-length windows; p placebo: one-sided, random dates; t (p): t-test; p Holm: \
adjusted across the report; MDE: smallest excess detectable at 80% power, pp; best p: the smallest p a sign-flip \
test can give with n events";

/// A Markdown table cell: a `|` inside (as in "|t| > 4.30") would end the cell.
pub(crate) fn md_cell(c: &str) -> String {
    c.replace('|', "\\|")
}

fn md_row(cells: &[String]) -> String {
    cells.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")
}

/// One results row as strings, in [`HEADS`] order.
pub(crate) fn cells(r: &StudyResult) -> [String; 15] {
    let mean = r.detail.event_mean;
    let t = match (r.t_stat, r.p_t) {
        (Some(t), Some(p)) => format!("{t:+.2} ({})", p3(p)),
        _ => "undefined".to_string(),
    };
    [
        r.asset.clone(),
        r.horizon.to_string(),
        r.n_events.to_string(),
        pct(mean),
        pct(r.baseline.mean),
        pct(r.excess),
        opt2(r.glass_delta),
        opt2(r.hedges_g),
        format!("{:.2}", r.prob_superiority),
        p3(r.p_placebo),
        p3(r.p_sign_flip),
        t,
        p3(r.p_holm),
        format!("{:.0}", r.mde * 100.0),
        // The caveat beside every row: the smallest p the sign-flip test could give with n.
        format!("≥{}", p3(r.caveat.sign_flip_floor)),
    ]
}

impl StudyReport {
    /// Results on all events and simple returns (not the in- or out-of-sample splits, nor the
    /// primary family's log-return results), in report order: what the tables, charts and
    /// counts of the report are about.
    pub fn results_all_events(&self) -> impl Iterator<Item = &StudyResult> + '_ {
        self.results
            .iter()
            .filter(|r| r.sample == Sample::All && r.outcome == Outcome::Simple)
    }

    /// Results of one rule (by its words) on all events, in report order.
    pub fn results_for_rule<'a>(&'a self, rule: &'a str) -> impl Iterator<Item = &'a StudyResult> + 'a {
        let id = self.rules.iter().position(|r| r == rule);
        self.results_all_events().filter(move |r| Some(r.rule_id) == id)
    }

    /// Results of the rule at position `id` of `rules` on all events, in report order.
    pub fn results_of_rule(&self, id: usize) -> impl Iterator<Item = &StudyResult> + '_ {
        self.results_all_events().filter(move |r| r.rule_id == id)
    }

    /// The report as Markdown: settings, events, one results table per rule with every
    /// result's caveat, exclusions, the sensitivity grid and scorecard when present, and the
    /// conclusion.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# Event study: {} breakouts\n", self.events_on);
        let _ = writeln!(
            s,
            "Data through {} ({}); placebo draws {}, seed {}; baseline {}; placebo dates {}.\n",
            self.data_through,
            self.events_on,
            self.draws,
            self.seed,
            if self.baseline_excludes_event_windows {
                "leaves out starts within one horizon of an event"
            } else {
                "uses every start date"
            },
            if self.placebo_dates_spaced {
                "at least one horizon apart"
            } else {
                "drawn freely"
            },
        );
        if let Some((title, heads, rows)) = self.primary_table() {
            let _ = writeln!(
                s,
                "## Primary question\n\n{title}\n\n| {} |\n|{}",
                heads.join(" | "),
                "---|".repeat(heads.len())
            );
            for row in rows {
                let _ = writeln!(s, "| {} |", md_row(&row));
            }
            let _ = writeln!(s, "\n{}\n", md_cell(PRIMARY_LEGEND));
            let held = self.primary_holdings();
            for line in &held {
                let _ = writeln!(s, "- {line}");
            }
            if !held.is_empty() {
                let _ = writeln!(s, "\n{SURVIVORSHIP}\n");
            }
            if let Some(curve) = &self.spec_curve {
                let _ = writeln!(
                    s,
                    "## Specification curve\n\n{}\n\n![specification curve](charts/spec_curve.svg)\n",
                    curve.sentence()
                );
            }
            let _ = writeln!(s, "Everything below is exploratory.\n");
        }
        for (id, rule) in self.rules.iter().enumerate() {
            let _ = writeln!(s, "## {rule}\n");
            let events: Vec<_> = self.events.iter().filter(|e| e.rule_id == id).collect();
            if events.is_empty() {
                let _ = writeln!(s, "No events.\n");
                continue;
            }
            let _ = writeln!(
                s,
                "| event | level | broke | set on | days since |\n|---|---:|---:|---|---:|"
            );
            for e in &events {
                let _ = writeln!(
                    s,
                    "| {} | {:.2} | {} | {} | {} |",
                    e.date,
                    e.level,
                    e.previous_record.map_or("–".into(), |v| format!("{v:.2}")),
                    e.previous_record_date.map_or("–".into(), |d| d.to_string()),
                    e.days_since_record.map_or("–".into(), |d| d.to_string()),
                );
            }
            let _ = writeln!(s);
            let results: Vec<_> = self.results_of_rule(id).collect();
            if results.is_empty() {
                let _ = writeln!(s, "No completed windows (see excluded).\n");
                continue;
            }
            let _ = writeln!(s, "| {} | caveat |", HEADS.join(" | "));
            let _ = writeln!(s, "|{}---|", "---|".repeat(HEADS.len()));
            for r in &results {
                let row: Vec<String> = cells(r).iter().map(|c| md_cell(c)).collect();
                let _ = writeln!(s, "| {} | {} |", row.join(" | "), md_cell(&r.caveat.sentence));
            }
            let _ = writeln!(s);
            if results.iter().any(|r| !r.nulls.is_empty()) {
                let (heads, rows) = null_table(&results);
                let _ = writeln!(
                    s,
                    "Against each placebo design, excess pp (one-sided p):\n\n| {} |\n|{}",
                    heads.join(" | "),
                    "---|".repeat(heads.len())
                );
                for row in rows {
                    let _ = writeln!(s, "| {} |", md_row(&row));
                }
                let _ = writeln!(s, "\n{}\n", md_cell(NULL_LEGEND));
            }
        }
        if !self.excluded.is_empty() {
            let _ = writeln!(s, "## Excluded windows\n");
            let not_listed = self.not_listed_summary();
            if !not_listed.is_empty() {
                let _ = writeln!(
                    s,
                    "Events before an asset's data starts (its windows at every horizon are left out):\n\n\
                     | rule | asset | events before listing | first | last |\n|---|---|---:|---|---|"
                );
                for n in &not_listed {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} of {} | {} | {} |",
                        n.rule, n.asset, n.events_before_listing, n.events, n.first_event, n.last_event
                    );
                }
                let _ = writeln!(s);
            }
            let others: Vec<_> = self
                .excluded
                .iter()
                .filter(|x| x.kind != ExclusionKind::NotListed)
                .collect();
            if !others.is_empty() {
                let _ = writeln!(s, "| asset | rule | event | h | reason |\n|---|---|---|---:|---|");
                for x in others {
                    let _ = writeln!(
                        s,
                        "| {} | {} | {} | {} | {} |",
                        x.asset, x.rule, x.event_date, x.horizon_days, x.reason
                    );
                }
                let _ = writeln!(s);
            }
        }
        if let Some(g) = &self.sensitivity {
            let _ = writeln!(s, "## Sensitivity\n\n{}", g.to_markdown());
        }
        if let Some(c) = &self.scorecard {
            let _ = writeln!(s, "## Scorecard\n\n{}", c.to_markdown());
        }
        let _ = writeln!(s, "## Conclusion\n");
        for line in self.conclusion() {
            let _ = writeln!(s, "{line}\n");
        }
        s
    }
}

fn table(f: &mut impl fmt::Write, heads: &[&str], rows: &[Vec<String>]) -> fmt::Result {
    let mut widths: Vec<usize> = heads.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |f: &mut dyn fmt::Write, cells: &[String]| -> fmt::Result {
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - c.chars().count();
            // Text columns (the first) left-aligned, numbers right-aligned.
            if i == 0 {
                write!(f, "{c}{}  ", " ".repeat(pad))?
            } else {
                write!(f, "{}{c}  ", " ".repeat(pad))?
            }
        }
        writeln!(f)
    };
    line(f, &heads.iter().map(|h| h.to_string()).collect::<Vec<_>>())?;
    for r in rows {
        line(f, r)?;
    }
    Ok(())
}

impl fmt::Display for StudyReport {
    /// Terminal tables grouped by rule, then asset; returns in %, p to three decimals; each
    /// rule's caveat and the conclusion at the end.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Event study on {} (data through {}), {} placebo draws, seed {}",
            self.events_on, self.data_through, self.draws, self.seed
        )?;
        if self.baseline_excludes_event_windows {
            writeln!(f, "baseline: starts within one horizon of an event left out")?;
        }
        if self.placebo_dates_spaced {
            writeln!(f, "placebo: dates drawn at least one horizon apart")?;
        }
        writeln!(f, "{LEGEND}")?;
        let has_nulls = self.results.iter().any(|r| !r.nulls.is_empty());
        if has_nulls {
            writeln!(f, "placebo designs: {NULL_LEGEND}")?;
        }
        if let Some((title, heads, rows)) = self.primary_table() {
            writeln!(f, "\n{title}")?;
            table(f, &heads.iter().map(String::as_str).collect::<Vec<_>>(), &rows)?;
            writeln!(f, "{PRIMARY_LEGEND}")?;
            let held = self.primary_holdings();
            for line in &held {
                writeln!(f, "{line}")?;
            }
            if !held.is_empty() {
                writeln!(f, "{SURVIVORSHIP}")?;
            }
            if let Some(curve) = &self.spec_curve {
                write!(f, "\n{curve}")?;
            }
            writeln!(
                f,
                "\nExploratory results (every rule, asset and horizon, all events):"
            )?;
        }
        for (id, rule) in self.rules.iter().enumerate() {
            writeln!(f, "\n== {rule} ==")?;
            let events: Vec<_> = self.events.iter().filter(|e| e.rule_id == id).collect();
            if events.is_empty() {
                writeln!(f, "no events")?;
                continue;
            }
            for e in events {
                write!(f, "  {} at {:.2}", e.date, e.level)?;
                if let (Some(r), Some(d)) = (e.previous_record, e.previous_record_date) {
                    write!(f, "  (broke {r:.2} set {d})")?;
                }
                writeln!(f)?;
            }
            let results: Vec<&StudyResult> = self.results_of_rule(id).collect();
            if results.is_empty() {
                writeln!(f, "no completed windows (see excluded)")?;
                continue;
            }
            let rows: Vec<Vec<String>> = results.iter().map(|r| cells(r).to_vec()).collect();
            writeln!(f)?;
            table(f, &HEADS, &rows)?;
            // One caveat line per distinct n (the sentence differs only by n and the MDE).
            let mut seen = Vec::new();
            for r in &results {
                if !seen.contains(&r.n_events) {
                    seen.push(r.n_events);
                    writeln!(f, "caveat ({} {}): {}", r.asset, r.horizon, r.caveat)?;
                }
            }
            if has_nulls {
                let (heads, rows) = null_table(&results);
                writeln!(f, "\nagainst each placebo design, excess pp (one-sided p):")?;
                table(f, &heads.iter().map(String::as_str).collect::<Vec<_>>(), &rows)?;
            }
        }
        let n_ex = self.excluded.len();
        if n_ex > 0 {
            writeln!(
                f,
                "\n{n_ex} windows excluded from the statistics (asset not listed yet, data ending too early, or no \
                 baseline); see the excluded list."
            )?;
            write_not_listed(f, &self.not_listed_summary())?;
        }
        if let Some(g) = &self.sensitivity {
            writeln!(f, "\n{g}")?;
        }
        if let Some(c) = &self.scorecard {
            writeln!(f, "\n{c}")?;
        }
        writeln!(f, "\nConclusion")?;
        for line in self.conclusion() {
            writeln!(f, "  {line}")?;
        }
        Ok(())
    }
}

/// Event dates as `YYYY-MM`, the last [`EVENT_MONTHS_SHOWN`] of them after a count when there
/// are more (a short drought on the Russell 2000 since 1987 has two dozen events).
fn event_months(dates: &[NaiveDate]) -> String {
    let month = |d: &NaiveDate| d.format("%Y-%m").to_string();
    let shown = dates.len().saturating_sub(EVENT_MONTHS_SHOWN);
    let tail: Vec<String> = dates[shown..].iter().map(month).collect();
    if shown == 0 {
        tail.join(" ")
    } else {
        format!(
            "{} events, last {EVENT_MONTHS_SHOWN}: {}",
            dates.len(),
            tail.join(" ")
        )
    }
}

const EVENT_MONTHS_SHOWN: usize = 6;

impl SensitivityGrid {
    pub(crate) fn rows_as_cells(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let heads = vec![
            "basis",
            "drought",
            "asset",
            "h",
            "events",
            "n",
            "excess pp",
            "p placebo",
        ];
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.basis.clone(),
                    r.drought.to_string(),
                    r.asset.clone(),
                    r.horizon.to_string(),
                    event_months(&r.event_dates),
                    r.n_events.to_string(),
                    r.excess.map_or("–".into(), pct),
                    r.p_placebo.map_or("–".into(), p3),
                ]
            })
            .collect();
        (heads, rows)
    }

    /// The grid as a Markdown table.
    pub fn to_markdown(&self) -> String {
        let (heads, rows) = self.rows_as_cells();
        let mut s = format!("| {} |\n|{}\n", heads.join(" | "), "---|".repeat(heads.len()));
        for r in rows {
            let _ = writeln!(s, "| {} |", md_row(&r));
        }
        let _ = writeln!(
            s,
            "\nPlacebo p per cell, {} draws, not adjusted across the grid.",
            self.draws
        );
        s
    }
}

impl fmt::Display for SensitivityGrid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Sensitivity: drought × close/intraday × horizon (placebo p not adjusted across cells)"
        )?;
        let (heads, rows) = self.rows_as_cells();
        table(f, &heads, &rows)
    }
}

impl Scorecard {
    pub(crate) fn rows_as_cells(&self) -> (Vec<&'static str>, Vec<Vec<String>>) {
        let heads = vec![
            "event",
            "asset",
            "h",
            "realised %",
            "base median %",
            "base 5–95% range",
            "rank",
            "verdict",
        ];
        let rows = self
            .rows
            .iter()
            .map(|r| {
                vec![
                    format!(
                        "{} ({})",
                        r.event_date,
                        r.rule.split(" after").next().unwrap_or(&r.rule)
                    ),
                    r.asset.clone(),
                    format!("{}d", r.horizon_days),
                    pct(r.realised),
                    pct(r.baseline_median),
                    format!("{} .. {}", pct(r.baseline_p05), pct(r.baseline_p95)),
                    format!("{:.2}", r.percentile_rank),
                    r.verdict.clone(),
                ]
            })
            .collect();
        (heads, rows)
    }

    /// The scorecard as Markdown.
    pub fn to_markdown(&self) -> String {
        let (heads, rows) = self.rows_as_cells();
        let mut s = format!(
            "Claim: \"{}\"\n\n| {} |\n|{}\n",
            self.claim,
            heads.join(" | "),
            "---|".repeat(heads.len())
        );
        for r in rows {
            let _ = writeln!(s, "| {} |", md_row(&r));
        }
        for m in &self.missing {
            let _ = writeln!(s, "\n- {m}");
        }
        let _ = writeln!(s, "\n{}", self.summary);
        s
    }
}

impl fmt::Display for Scorecard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Scorecard: \"{}\"", self.claim)?;
        let (heads, rows) = self.rows_as_cells();
        table(f, &heads, &rows)?;
        for m in &self.missing {
            writeln!(f, "  {m}")?;
        }
        writeln!(f, "{}", self.summary)
    }
}
