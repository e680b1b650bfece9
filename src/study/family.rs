//! The question declared before looking, and family-wise inference on it.
//!
//! A study that reports hundreds of results will show some small p-values by chance. Declaring
//! one primary family (one rule, a few assets, one horizon) before looking, and adjusting
//! within it with a joint placebo, is what makes its p-values mean what they say; everything
//! else is exploratory and labelled so.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::SeedableRng;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::events::BreakoutRule;
use crate::report::{Outcome, Sample, StudyResult, horizon_str};
use crate::stats::{Baseline, derive_seed, westfall_young};
use crate::window::Horizon;

/// The primary family of a study: the rule, assets and horizon that state the claim, fixed
/// before the results are seen. Results in it are labelled `primary`; their family-wise
/// adjusted p ([`StudyResult::p_wy`]) comes from a joint placebo.
///
/// ```
/// use eventstudy::{BreakoutRule, Horizon, Primary};
/// let p = Primary::new(BreakoutRule::ath_close(250), ["btc", "eth"], Horizon::CalendarDays(90));
/// assert!(p.contains(&BreakoutRule::ath_close(250).to_string(), "eth", Horizon::CalendarDays(90)));
/// assert!(!p.contains(&BreakoutRule::ath_close(250).to_string(), "eth", Horizon::CalendarDays(30)));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Primary {
    /// The rule of the claim.
    pub rule: BreakoutRule,
    /// The targets of the claim, by name.
    pub assets: Vec<String>,
    /// The horizon of the claim.
    #[serde(serialize_with = "horizon_str")]
    pub horizon: Horizon,
    /// The co-primary outcomes (simple returns, and by default log returns too; a share such
    /// as `alt_season` has simple values only).
    pub outcomes: Vec<Outcome>,
}

impl Primary {
    /// A primary family.
    pub fn new<S: Into<String>>(
        rule: BreakoutRule,
        assets: impl IntoIterator<Item = S>,
        horizon: Horizon,
    ) -> Self {
        Primary {
            rule,
            assets: assets.into_iter().map(Into::into).collect(),
            horizon,
            outcomes: vec![Outcome::Simple, Outcome::Log],
        }
    }

    /// Only these outcomes (e.g. `[Outcome::Simple]`).
    pub fn outcomes(mut self, outcomes: impl IntoIterator<Item = Outcome>) -> Self {
        self.outcomes = outcomes.into_iter().collect();
        self
    }

    /// Whether a result (rule in words, asset, horizon) belongs to the family.
    pub fn contains(&self, rule: &str, asset: &str, horizon: Horizon) -> bool {
        horizon == self.horizon && self.rule.to_string() == rule && self.assets.iter().any(|a| a == asset)
    }
}

/// Westfall–Young adjusted p of the primary family's results, per sample, written into
/// `results` (None for results outside the family).
///
/// The joint placebo draws, B times, n distinct start dates from the dates on which every
/// member has a complete window (n = the most events any member has; a member with fewer uses
/// the first of them), and takes each member's mean baseline return there: the same dates for
/// all members, so the draws keep the members' dependence (BTC, ETH and altcoins move
/// together). [`westfall_young`] turns the B × m matrix into step-down adjusted p-values. The
/// baselines are the unconditional ones (every start date).
pub(crate) fn adjust_primary(
    results: &mut [StudyResult],
    baselines: &BTreeMap<(String, Outcome), Baseline>,
    draws: u32,
    seed: u64,
) -> Result<()> {
    // The three samples' joint placebos are independent: drawn side by side.
    let adjusted: Vec<Vec<(usize, f64)>> = [Sample::All, Sample::InSample, Sample::OutOfSample]
        .par_iter()
        .map(|&sample| sample_wy(results, baselines, sample, draws, seed))
        .collect::<Result<_>>()?;
    for (i, p) in adjusted.into_iter().flatten() {
        results[i].p_wy = Some(p);
    }
    Ok(())
}

/// One sample's Westfall–Young p, as (result index, adjusted p).
fn sample_wy(
    results: &[StudyResult],
    baselines: &BTreeMap<(String, Outcome), Baseline>,
    sample: Sample,
    draws: u32,
    seed: u64,
) -> Result<Vec<(usize, f64)>> {
    {
        let members: Vec<usize> = results
            .iter()
            .enumerate()
            .filter(|(_, r)| r.primary && r.sample == sample)
            .map(|(i, _)| i)
            .collect();
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let mut pools = Vec::with_capacity(members.len());
        for &i in &members {
            let b = baselines
                .get(&(results[i].asset.clone(), results[i].outcome))
                .ok_or_else(|| {
                    Error::param(
                        "primary",
                        &results[i].asset,
                        "no baseline for this member of the primary family",
                    )
                })?;
            pools.push(b);
        }
        // Common start dates, and each member's return on them.
        let common: Vec<NaiveDate> = pools[0]
            .starts()
            .iter()
            .copied()
            .filter(|d| pools[1..].iter().all(|b| b.starts().binary_search(d).is_ok()))
            .collect();
        let columns: Vec<Vec<f64>> = pools
            .iter()
            .map(|b| {
                common
                    .iter()
                    .filter_map(|d| b.starts().binary_search(d).ok().map(|k| b.returns()[k]))
                    .collect()
            })
            .collect();
        let n_max = members.iter().map(|&i| results[i].n_events).max().unwrap_or(0);
        if common.len() < n_max.max(2) {
            return Ok(Vec::new()); // too few common dates for a joint draw; p_wy stays None
        }
        let m = members.len();
        let mut rng =
            crate::stats::DrawRng::seed_from_u64(derive_seed(seed, &["westfall_young", sample.key()]));
        let mut picked = vec![0usize; n_max];
        let mut stats = Vec::with_capacity(draws as usize * m);
        for _ in 0..draws {
            distinct_indices(&mut rng, common.len(), &mut picked);
            for (col, &i) in columns.iter().zip(&members) {
                let n = results[i].n_events;
                stats.push(picked[..n].iter().map(|&k| col[k]).sum::<f64>() / n as f64);
            }
        }
        let observed: Vec<f64> = members.iter().map(|&i| results[i].detail.event_mean).collect();
        let (_, adjusted) = westfall_young(&observed, &stats)?;
        Ok(members.into_iter().zip(adjusted).collect())
    }
}

/// `out.len()` distinct uniform indices below `n` (rejection: n is thousands, out a handful).
fn distinct_indices(rng: &mut crate::stats::DrawRng, n: usize, out: &mut [usize]) {
    for k in 0..out.len() {
        out[k] = loop {
            let i = crate::stats::uniform_below(rng, n as u64) as usize;
            if !out[..k].contains(&i) {
                break i;
            }
        };
    }
}
