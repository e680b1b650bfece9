//! Holding a claim against what happened: each outcome beside its baseline.

use chrono::NaiveDate;

use super::model::{Scorecard, ScorecardRow, StudyReport};
use super::text::pct;
use crate::events::BreakoutRule;

/// The claim the library was built to test.
pub const RUSSELL_CLAIM_2026: &str =
    "ETH and altcoins react within one to three months of the Russell breakout (January 2026)";

fn verdict(r: f64, rank: f64, h: u32) -> String {
    match (r > 0.0, rank) {
        (true, x) if x >= 0.95 => format!("rallied, unusually strong (top 5% of {h}-day windows)"),
        (true, x) if x >= 0.5 => format!("rallied; ordinary (rank {x:.2} among {h}-day windows)"),
        (true, x) => format!("rose, but less than a typical {h}-day window (rank {x:.2})"),
        (false, x) if x <= 0.05 => format!("fell, unusually weak (bottom 5% of {h}-day windows)"),
        (false, x) => format!("no rally (rank {x:.2})"),
    }
}

impl StudyReport {
    /// Scores `claim` against the realised returns after the events of `rules`, for `assets`:
    /// each outcome with the baseline's median and 5–95% range, its percentile rank, whether it
    /// rallied, and a verdict. Assets without a complete window are listed with the reason.
    ///
    /// A rule with one event gives one outcome per asset and horizon: the rank says how
    /// unusual that outcome was, not whether the claim holds in general.
    pub fn scorecard(&self, claim: &str, rules: &[BreakoutRule], assets: &[&str]) -> Scorecard {
        let mut rows = Vec::new();
        let mut missing = Vec::new();
        for rule in rules.iter().map(ToString::to_string) {
            for &asset in assets {
                let results: Vec<_> = self
                    .results
                    .iter()
                    .filter(|r| r.rule == rule && r.asset == asset)
                    .collect();
                for res in &results {
                    for (i, (&date, &realised)) in res.event_dates.iter().zip(&res.event_returns).enumerate()
                    {
                        let rank = res.percentile_ranks.get(i).copied().unwrap_or(f64::NAN);
                        rows.push(ScorecardRow {
                            rule: rule.clone(),
                            event_date: date,
                            asset: asset.to_string(),
                            horizon_days: res.horizon_days,
                            realised,
                            baseline_median: res.baseline.median,
                            baseline_p05: res.baseline.p05,
                            baseline_p95: res.baseline.p95,
                            percentile_rank: rank,
                            rallied: realised > 0.0,
                            verdict: verdict(realised, rank, res.horizon_days),
                        });
                    }
                }
                // One line per (event, reason), listing the horizons it covers.
                let mut grouped: Vec<(NaiveDate, &str, Vec<u32>)> = Vec::new();
                for x in self
                    .excluded
                    .iter()
                    .filter(|x| x.rule == rule && x.asset == asset)
                {
                    match grouped
                        .iter_mut()
                        .find(|(d, r, _)| *d == x.event_date && *r == x.reason)
                    {
                        Some(g) => g.2.push(x.horizon_days),
                        None => grouped.push((x.event_date, &x.reason, vec![x.horizon_days])),
                    }
                }
                for (date, reason, hs) in grouped {
                    let hs: Vec<String> = hs.iter().map(|h| format!("{h}d")).collect();
                    missing.push(format!("{asset} after {date} ({}): {reason}", hs.join(", ")));
                }
            }
        }
        let rallied = rows.iter().filter(|r| r.rallied).count();
        let unusual = rows
            .iter()
            .filter(|r| r.realised > r.baseline_p95 || r.realised < r.baseline_p05)
            .count();
        let best = rows.iter().max_by(|a, b| a.realised.total_cmp(&b.realised));
        let worst = rows.iter().min_by(|a, b| a.realised.total_cmp(&b.realised));
        let mut summary = format!(
            "{rallied} of {} outcomes were rallies; {unusual} fell outside the baseline's 5–95% range.",
            rows.len()
        );
        if let (Some(b), Some(w)) = (best, worst) {
            summary.push_str(&format!(
                " Best: {} {}d {}%; worst: {} {}d {}%.",
                b.asset,
                b.horizon_days,
                pct(b.realised),
                w.asset,
                w.horizon_days,
                pct(w.realised)
            ));
        }
        summary.push_str(
            " Each rule here has one event: a single outcome can show that something happened, not that it \
             tends to happen.",
        );
        Scorecard {
            claim: claim.to_string(),
            rows,
            missing,
            summary,
        }
    }
}
