//! The declared primary family, first: every placebo design side by side, on all events and
//! on the events before and after the claim was formed.

use super::model::{Sample, StudyReport, StudyResult};
use super::nulls::null_table;
use super::text::p3;

impl StudyReport {
    /// The results of the declared primary family, by sample (all, in-sample, out-of-sample)
    /// and then in report order. Empty without a primary family.
    pub fn primary_results(&self) -> Vec<&StudyResult> {
        let mut out: Vec<&StudyResult> = self.results.iter().filter(|r| r.primary).collect();
        out.sort_by_key(|r| (r.outcome, r.sample)); // stable: report order within each
        out
    }

    /// The primary family as table heads and rows: sample, asset, h, n, the family-wise
    /// adjusted p (Westfall–Young), then one `excess pp (p)` cell per placebo design.
    pub(crate) fn primary_table(&self) -> Option<(String, Vec<String>, Vec<Vec<String>>)> {
        let primary = self.primary.as_ref()?;
        let results = self.primary_results();
        if results.is_empty() {
            return None;
        }
        let mut title = format!(
            "Primary question (declared before looking): {}; {}; {}.",
            primary.rule,
            primary.assets.join(", "),
            primary.horizon
        );
        if let Some(claim) = self.claim_formed {
            title.push_str(&format!(
                " Events on or before {claim} built the claim (in-sample); only later ones test it (out-of-sample)."
            ));
        }
        let (null_heads, null_rows) = null_table(&results);
        let mut heads = vec!["outcome".to_string(), "sample".to_string()];
        heads.extend(null_heads.iter().take(3).cloned());
        heads.push("p WY".to_string());
        heads.extend(null_heads.iter().skip(3).cloned());
        let rows = results
            .iter()
            .zip(null_rows)
            .map(|(r, cells)| {
                let mut row = vec![r.outcome.key().to_string(), sample_word(r.sample).to_string()];
                row.extend(cells.iter().take(3).cloned());
                row.push(r.p_wy.map_or("–".into(), p3));
                row.extend(cells.into_iter().skip(3));
                row
            })
            .collect();
        Some((title, heads, rows))
    }

    /// What each basket held at each event of the primary rule and horizon (all events): the
    /// primary baskets, and any other basket whose holdings differ (a point-in-time basket),
    /// with the coins it could not price. One line per basket.
    pub(crate) fn primary_holdings(&self) -> Vec<String> {
        let Some(primary) = &self.primary else {
            return Vec::new();
        };
        let rule = primary.rule.to_string();
        let baskets: Vec<&StudyResult> = self
            .results_for_rule(&rule)
            .filter(|r| r.horizon == primary.horizon && !r.holdings.is_empty())
            .collect();
        let mut seen: Vec<&Vec<Vec<String>>> = Vec::new();
        let mut out = Vec::new();
        for r in baskets
            .iter()
            .filter(|r| r.primary)
            .chain(baskets.iter().filter(|r| !r.primary))
        {
            if seen.contains(&&r.holdings) {
                continue;
            }
            seen.push(&r.holdings);
            let per_event: Vec<String> = r
                .event_dates
                .iter()
                .zip(&r.holdings)
                .map(|(d, h)| {
                    let unpriced = self
                        .windows
                        .iter()
                        .filter(|w| {
                            w.rule_id == r.rule_id && w.window.asset == r.asset && w.window.event_date == *d
                        })
                        .flat_map(|w| &w.window.notes)
                        .find(|n| n.starts_with("top coins on"))
                        .map_or(String::new(), |n| format!("; {n}"));
                    format!("{d}: {} coins ({}){unpriced}", h.len(), h.join(" "))
                })
                .collect();
            out.push(format!("{} held {}", r.asset, per_event.join("; ")));
        }
        out
    }
}

fn sample_word(s: Sample) -> &'static str {
    match s {
        Sample::All => "all",
        Sample::InSample => "in-sample",
        Sample::OutOfSample => "out-of-sample",
    }
}

/// Printed under the basket holdings.
pub(crate) const SURVIVORSHIP: &str = "Coins without a price series are in no basket: the bundled data includes ten coins \
that have since faded, but coins whose history did not survive anywhere are still missing.";

/// Printed under the primary table.
pub(crate) const PRIMARY_LEGEND: &str = "p WY: Westfall–Young step-down p within the primary family (same sample), from a \
joint placebo that draws the same dates for every asset; the other cells are excess pp over each design's matched \
baseline (one-sided p, not adjusted).";
