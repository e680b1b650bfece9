//! Holding a claim against what happened: each outcome beside its baseline.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::model::{Scorecard, ScorecardRow, StudyReport};
use super::text::pct;
use crate::events::BreakoutRule;
use crate::study::Null;

/// An outcome in words. A rally beats the median of all same-length windows and of the matched
/// comparison days; merely rising is not one.
fn verdict(r: f64, rank: f64, h: u32, rallied: bool) -> String {
    match (rallied, r > 0.0, rank) {
        (true, _, x) if x >= 0.95 => format!("rallied, unusually strong (top 5% of {h}-day windows)"),
        (true, _, x) => format!("rallied: beat the typical and the matched {h}-day window (rank {x:.2})"),
        (false, true, x) => {
            format!("rose, but no more than a typical or matched {h}-day window (rank {x:.2})")
        }
        (false, false, x) if x <= 0.05 => format!("fell, unusually weak (bottom 5% of {h}-day windows)"),
        (false, false, x) => format!("no rally (rank {x:.2})"),
    }
}

impl StudyReport {
    /// Scores `claim` against the realised returns after the events of `rules`, for `assets`:
    /// each outcome with the baseline's median and 5–95% range, the matched medians (each
    /// placebo design's comparison days; for a rule with several events, the mean over them),
    /// its percentile rank, whether it rallied (beat the baseline median and every matched
    /// median: merely rising is not a rally, since most windows rise), and a verdict. Assets
    /// without a complete window are listed with the reason.
    ///
    /// A rule with one event gives one outcome per asset and horizon: the rank says how
    /// unusual that outcome was, not whether the claim holds in general.
    pub fn scorecard(&self, claim: &str, rules: &[BreakoutRule], assets: &[&str]) -> Scorecard {
        let mut rows = Vec::new();
        let mut missing = Vec::new();
        for rule in rules.iter().map(ToString::to_string) {
            for &asset in assets {
                let results: Vec<_> = self
                    .results_all_events()
                    .filter(|r| r.rule == rule && r.asset == asset)
                    .collect();
                for res in &results {
                    for (i, (&date, &realised)) in res.event_dates.iter().zip(&res.event_returns).enumerate()
                    {
                        let rank = res.percentile_ranks.get(i).copied().unwrap_or(f64::NAN);
                        // Random days' median is the baseline median itself.
                        let random = Null::Random.key();
                        let matched: BTreeMap<String, f64> = res
                            .nulls
                            .iter()
                            .filter(|n| n.key != random)
                            .filter_map(|n| n.baseline_median.map(|m| (n.key.clone(), m)))
                            .collect();
                        let rallied =
                            realised > res.baseline.median && matched.values().all(|&m| realised > m);
                        rows.push(ScorecardRow {
                            rule: rule.clone(),
                            event_date: date,
                            asset: asset.to_string(),
                            horizon_days: res.horizon_days,
                            realised,
                            baseline_median: res.baseline.median,
                            baseline_p05: res.baseline.p05,
                            baseline_p95: res.baseline.p95,
                            matched_medians: matched,
                            percentile_rank: rank,
                            rallied,
                            verdict: verdict(realised, rank, res.horizon_days, rallied),
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
            "{rallied} of {} outcomes were rallies (beat the median of all and of matched same-length windows); {unusual} fell outside the baseline's 5–95% range.",
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
