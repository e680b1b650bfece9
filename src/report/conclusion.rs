//! The plain-English conclusion of a report.

use super::model::{Outcome, Sample, StudyReport, StudyResult};
use super::text::{p3, pct};

impl StudyReport {
    /// A short plain-English conclusion: how many results look unusual before and after
    /// adjustment, what the sample size allows, and what cannot be concluded.
    pub fn conclusion(&self) -> Vec<String> {
        let mut out = Vec::new();
        let total = self.results_all_events().count();
        if total == 0 {
            out.push(
                "No event window could be completed with the data available: nothing can be concluded."
                    .into(),
            );
            return out;
        }
        let raw = self.results_all_events().filter(|r| r.p_placebo < 0.05).count();
        let holm = self.results_all_events().filter(|r| r.p_holm < 0.05).count();
        let bh = self.results_all_events().filter(|r| r.p_bh < 0.05).count();
        let assets: std::collections::BTreeSet<&str> =
            self.results_all_events().map(|r| r.asset.as_str()).collect();
        out.push(format!(
            "{total} results ({} rules, {} assets, their horizons). {raw} have a one-sided placebo p below 0.05 \
             before adjustment; {holm} after Holm and {bh} after Benjamini–Hochberg adjustment for the {total} tests.",
            self.rules.len(),
            assets.len(),
        ));
        // The headline: the declared primary family, on all events.
        if let Some(primary) = &self.primary {
            let rule = primary.rule.to_string();
            let members: Vec<&StudyResult> = self
                .primary_results()
                .into_iter()
                .filter(|r| r.sample == Sample::All && r.outcome == Outcome::Simple)
                .collect();
            let head: Vec<String> = members
                .iter()
                .map(|r| {
                    let wy = r
                        .p_wy
                        .map_or(String::new(), |p| format!(", family-wise {}", p3(p)));
                    format!(
                        "{} {} {} pp (p {}{wy})",
                        r.asset,
                        r.horizon,
                        pct(r.excess),
                        p3(r.p_placebo)
                    )
                })
                .collect();
            if let Some(n) = members.iter().map(|r| r.n_events).max()
                && !head.is_empty()
            {
                out.push(format!(
                    "Primary question, {rule}, n = {n}: excess over random days {}.",
                    head.join("; ")
                ));
                // How much the answer depends on the comparison: each member's p across designs.
                let ranges: Vec<String> = members
                    .iter()
                    .filter_map(|r| {
                        let ps: Vec<f64> = r.nulls.iter().filter_map(|n| n.p).collect();
                        let lo = ps.iter().copied().reduce(f64::min)?;
                        let hi = ps.iter().copied().reduce(f64::max)?;
                        Some(format!("{} p {}–{}", r.asset, p3(lo), p3(hi)))
                    })
                    .collect();
                if !ranges.is_empty() {
                    out.push(format!(
                        "Against each of the {} placebo designs (matched comparison days) the primary p ranges: {}.",
                        members[0].nulls.len(),
                        ranges.join("; ")
                    ));
                }
                let later: Vec<String> = self
                    .primary_results()
                    .into_iter()
                    .filter(|r| r.sample == Sample::OutOfSample && r.outcome == Outcome::Simple)
                    .map(|r| format!("{} {} pp (p {})", r.asset, pct(r.excess), p3(r.p_placebo)))
                    .collect();
                if let (Some(claim), false) = (self.claim_formed, later.is_empty()) {
                    out.push(format!(
                        "Out of sample (events after {claim}, the only ones that can test the claim): {}.",
                        later.join("; ")
                    ));
                }
            }
        }
        let min_n = self.results_all_events().map(|r| r.n_events).min().unwrap_or(0);
        let max_n = self.results_all_events().map(|r| r.n_events).max().unwrap_or(0);
        let mut mdes: Vec<f64> = self.results_all_events().map(|r| r.mde).collect();
        mdes.sort_by(f64::total_cmp);
        let median_mde = mdes[mdes.len() / 2];
        let floor = |n: usize| 2.0 / 2f64.powi(n as i32);
        out.push(format!(
            "Rules have {min_n} to {max_n} completed events. With {max_n} events the exact sign-flip test cannot \
             go below p = {:.3} (with {min_n}: {:.3}), and the median minimum detectable excess return is {:.0} \
             percentage points: smaller effects are detected less than 80% of the time, and one lucky or unlucky year decides the mean.",
            floor(max_n),
            floor(min_n),
            median_mde * 100.0
        ));
        if holm == 0 {
            out.push(
                "Conclusion: the data neither confirm nor rule out that crypto rallies after a Russell 2000 breakout. \
                 The claim is untested by a handful of events, not supported by them."
                    .into(),
            );
        } else {
            out.push(format!(
                "{holm} result(s) survive Holm adjustment, but with so few events a single event drives each: \
                 treat them as leads to re-test on more events, not as findings."
            ));
        }
        if !self.excluded.is_empty() {
            out.push(format!(
                "{} event windows are left out of the statistics (asset not yet listed, data ending too early, or no \
                 baseline) and are listed under \"excluded\" with the reason, not counted.",
                self.excluded.len()
            ));
        }
        out
    }
}
