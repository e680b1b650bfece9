//! How the answer moves with the rule's parameters.

use crate::error::Result;
use crate::events::BreakoutRule;
use crate::report::{SensitivityGrid, SensitivityRow};

use super::Study;

impl Study {
    /// Re-runs the study for every drought in `droughts` on closes and on intraday highs, for
    /// the targets named in `assets` (all targets when empty), at the study's horizons. Calls
    /// `progress(done, total)` after each of the `2 × droughts.len()` rules.
    ///
    /// Each row reports the excess mean return and the one-sided placebo p (not adjusted for
    /// the many cells of the grid: read it as a map of fragility, not as a set of tests).
    pub fn sensitivity(
        &self,
        droughts: &[usize],
        assets: &[&str],
        mut progress: impl FnMut(usize, usize),
    ) -> Result<SensitivityGrid> {
        let mut sub = self.clone();
        sub.band_points = 0;
        // The grid reports the random-days placebo on all events only: the designs, the
        // samples and the family-wise adjustment are for the main results.
        sub.nulls.clear();
        sub.claim_formed = None;
        sub.primary = None;
        if !assets.is_empty() {
            sub.targets.retain(|t| assets.contains(&t.name()));
        }
        let total = droughts.len() * 2;
        let grid: Vec<(usize, &str, BreakoutRule)> = droughts
            .iter()
            .flat_map(|&d| {
                [
                    (d, "close", BreakoutRule::ath_close(d)),
                    (d, "intraday", BreakoutRule::ath_high(d)),
                ]
            })
            .collect();
        // One run for every rule: the baselines are built once. Each result has its own
        // random stream, so its numbers are those of a run of its rule alone.
        let report = sub.clone().rules(grid.iter().map(|(_, _, r)| r.clone())).run()?;
        let mut rows = Vec::new();
        for (done, (drought, basis, rule)) in grid.iter().enumerate() {
            let key = rule.to_string();
            let dates: Vec<_> = report
                .events
                .iter()
                .filter(|e| e.rule == key)
                .map(|e| e.date)
                .collect();
            for t in &sub.targets {
                for &h in sub.window.horizon_list() {
                    let r = report
                        .results_all_events()
                        .find(|r| r.rule == key && r.asset == t.name() && r.horizon == h);
                    rows.push(SensitivityRow {
                        basis: basis.to_string(),
                        drought: *drought,
                        rule: key.clone(),
                        asset: t.name().to_string(),
                        horizon: h,
                        event_dates: dates.clone(),
                        n_events: r.map_or(0, |r| r.n_events),
                        excess: r.map(|r| r.excess),
                        p_placebo: r.map(|r| r.p_placebo),
                    });
                }
            }
            progress(done + 1, total);
        }
        let stats = self.stats.check()?;
        Ok(SensitivityGrid {
            rows,
            draws: stats.draws(),
            seed: stats.seed(),
        })
    }
}
