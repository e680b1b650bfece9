//! Placebo tests against matched comparison dates: each event draws its placebo start date from
//! its own pool of candidates (the baseline start dates that share what the events have in
//! common: the halving phase, the trend regime, …), or the whole event set is shifted at once.
//!
//! Numbers in, numbers out: which start dates are candidates is decided by the study layer
//! (`eventstudy::Null`); this module only draws from the pools it is given.

use std::collections::BTreeMap;

use chrono::Datelike;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use serde::Serialize;

use super::options::{CheckedOptions, StatsOptions};
use super::placebo::{MAX_SPACING_TRIES_PER_DRAW, TIE_RTOL, select_quantiles, tail_counts, uniform_below};
use super::summary::{Baseline, check_values, mean_of};

/// Below this many candidates for some event, a matched placebo result says so: its p rests
/// on few comparison dates (they overlap heavily at long horizons) and is fragile.
pub const MIN_CANDIDATES: usize = 30;

/// Where each placebo draw takes its start dates from: indices into the baseline.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Candidates {
    /// Per event, the baseline indices it may draw from. A draw picks one index per event,
    /// uniformly and independently, rejecting draws that pick one start date twice (and, with
    /// a spacing, draws whose start dates are closer than that).
    PerEvent(Vec<Vec<u32>>),
    /// Whole candidate sets, one baseline index per event each (e.g. the event set shifted by
    /// one offset). A draw picks one set uniformly.
    Joint(Vec<Vec<u32>>),
}

impl Candidates {
    /// Number of events the candidates are for.
    pub fn n_events(&self) -> usize {
        match self {
            Candidates::PerEvent(pools) => pools.len(),
            Candidates::Joint(sets) => sets.first().map_or(0, Vec::len),
        }
    }

    /// Candidates per event: each pool's size, or (joint) the number of sets for every event.
    pub fn counts(&self) -> Vec<usize> {
        match self {
            Candidates::PerEvent(pools) => pools.iter().map(Vec::len).collect(),
            Candidates::Joint(sets) => vec![sets.len(); self.n_events()],
        }
    }
}

/// Result of [`matched_placebo`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MatchedPlacebo {
    /// Candidates per event.
    pub candidates: Vec<usize>,
    /// Mean of the event returns.
    pub observed_mean: f64,
    /// The matched baseline mean: the mean over events of each pool's mean return (joint: the
    /// mean over candidate sets of their mean return).
    pub baseline_mean: f64,
    /// observed_mean − baseline_mean.
    pub excess: f64,
    /// The matched baseline median: the mean over events of each pool's median return
    /// (type 7; joint: the median of the candidate sets' mean returns). For one event, the
    /// median outcome of its comparison days.
    pub baseline_median: f64,
    /// One-sided p: (1 + #{draw mean ≥ observed mean}) / (B + 1).
    pub p: f64,
    /// Two-sided p on |draw mean − matched mean| ≥ |observed mean − matched mean|.
    pub p_two_sided: f64,
    /// Minimum detectable effect under this null: q95 − q20 of the draw means.
    pub mde: f64,
    /// Number of draws B.
    pub draws: u32,
    /// Seed of the `ChaCha8Rng`.
    pub seed: u64,
    /// Minimum calendar-day spacing of the drawn start dates, if any.
    pub spacing_days: Option<i64>,
    /// Candidate draws rejected (a start date picked twice, or the spacing broken).
    pub rejected: u64,
    /// Share of all drawn start dates in each calendar year: what the sampler actually weighs.
    pub calendar_weights: BTreeMap<i32, f64>,
    /// Set when some event has fewer than [`MIN_CANDIDATES`] candidates.
    pub warning: Option<String>,
}

/// Placebo test of the mean event return against draws from matched candidate pools.
///
/// ```text
/// per event i: pool P_i ⊂ baseline starts (or joint sets S_k = (s_k1, …, s_kn))
/// draw b:      s_bi uniform on P_i, independently, distinct (or one S_k uniform)
/// m_b          = mean_i r(s_bi)                 m_obs = mean(r),  ε = 1e-9 · max|baseline return|
/// μ_matched    = mean_i mean(r(P_i))            (joint: mean_k mean_i r(s_ki))
/// median       = mean_i median(r(P_i))          (joint: median_k mean_i r(s_ki))
/// p            = (1 + #{ m_b ≥ m_obs − ε }) / (B + 1)
/// p_two_sided  = (1 + #{ |m_b − μ_matched| ≥ |m_obs − μ_matched| − ε }) / (B + 1)
/// MDE          = q95 − q20 of the m_b (type 7)
/// weight(y)    = #{ drawn s_bi in year y } / (B · n)
/// ```
///
/// The generator is `ChaCha8Rng::seed_from_u64(options.seed)`; with
/// [`StatsOptions::placebo_spacing_days`] per-event draws are also rejected until the start
/// dates are that far apart.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when the returns are empty or not finite, the number of
/// events differs from the candidates', an event has no candidate, an index is outside the
/// baseline, the options are invalid, or distinct (spaced) draws are too rare to find.
///
/// # Example
/// ```
/// use chrono::{Days, NaiveDate};
/// use eventstudy::stats::{Baseline, Candidates, StatsOptions, matched_placebo};
/// let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
/// let starts = (0..400).map(|i| start + Days::new(i)).collect();
/// // Returns rise with the date: later start dates are better.
/// let returns = (0..400).map(|i| f64::from(i) / 1000.0).collect();
/// let baseline = Baseline::new(starts, returns)?;
/// // Two events at indices 300 and 310, each matched to the 50 start dates around it.
/// let pools = vec![(275..325).collect(), (285..335).collect()];
/// let t = matched_placebo(&[0.300, 0.310], &baseline, &Candidates::PerEvent(pools), &StatsOptions::new().draws(5_000))?;
/// assert!((t.baseline_mean - 0.3045).abs() < 1e-12); // mean of the two pool means
/// assert!(t.p > 0.3); // no better than their matched dates
/// assert_eq!(t.candidates, [50, 50]);
/// assert!(t.warning.is_none());
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn matched_placebo(
    event_returns: &[f64],
    baseline: &Baseline,
    candidates: &Candidates,
    options: &StatsOptions,
) -> crate::Result<MatchedPlacebo> {
    check_values("event_returns", event_returns)?;
    matched_checked(event_returns, baseline, candidates, &options.check()?)
}

pub(crate) fn matched_checked(
    event_returns: &[f64],
    baseline: &Baseline,
    candidates: &Candidates,
    options: &CheckedOptions,
) -> crate::Result<MatchedPlacebo> {
    let n = event_returns.len();
    let values = baseline.returns();
    let nb = values.len();
    if candidates.n_events() != n {
        return Err(crate::Error::param(
            "candidates",
            candidates.n_events(),
            format!(
                "candidates are for {} events, but {n} event returns were given",
                candidates.n_events()
            ),
        ));
    }
    let (sets, flat): (&[Vec<u32>], bool) = match candidates {
        Candidates::PerEvent(pools) => (pools, false),
        Candidates::Joint(sets) => (sets, true),
    };
    if let Some(bad) = sets.iter().flatten().find(|&&i| i as usize >= nb) {
        return Err(crate::Error::param(
            "candidates",
            bad,
            format!("index outside the baseline of {nb} start dates"),
        ));
    }
    let counts = candidates.counts();
    if let Some(i) = counts.iter().position(|&c| c == 0) {
        return Err(crate::Error::param(
            "candidates",
            0,
            format!("event {} has no candidate start date", i + 1),
        ));
    }
    let baseline_mean = if flat {
        sets.iter()
            .map(|s| s.iter().map(|&i| values[i as usize]).sum::<f64>() / n as f64)
            .sum::<f64>()
            / sets.len() as f64
    } else {
        sets.iter()
            .map(|p| p.iter().map(|&i| values[i as usize]).sum::<f64>() / p.len() as f64)
            .sum::<f64>()
            / n as f64
    };

    let baseline_median = if flat {
        let mut set_means: Vec<f64> = sets
            .iter()
            .map(|s| s.iter().map(|&i| values[i as usize]).sum::<f64>() / n as f64)
            .collect();
        select_quantiles(&mut set_means, [0.5])[0]
    } else {
        let mut pool_values = Vec::new();
        let mut sum = 0.0;
        for p in sets {
            pool_values.clear();
            pool_values.extend(p.iter().map(|&i| values[i as usize]));
            sum += select_quantiles(&mut pool_values, [0.5])[0];
        }
        sum / n as f64
    };

    // Calendar years as small indices, so counting a pick is one increment.
    let years: Vec<i32> = baseline.starts().iter().map(|d| d.year()).collect();
    let first_year = years.first().copied().unwrap_or(0);
    let year_index: Vec<usize> = years.iter().map(|y| (y - first_year) as usize).collect();
    let mut year_counts = vec![0u64; year_index.last().map_or(0, |&y| y + 1)];

    let spacing = if flat { None } else { options.spacing_days() };
    let days = baseline.days();
    let draws = options.draws();
    let max_attempts = MAX_SPACING_TRIES_PER_DRAW * u64::from(draws);
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed());
    let mut picked = vec![0u32; n];
    let mut means = Vec::with_capacity(draws as usize);
    let mut attempts = 0u64;
    let inv_n = 1.0 / n as f64;
    for _ in 0..draws {
        loop {
            attempts += 1;
            if flat {
                let k = uniform_below(&mut rng, sets.len() as u64) as usize;
                picked.copy_from_slice(&sets[k]);
                break;
            }
            for (slot, pool) in picked.iter_mut().zip(sets) {
                *slot = pool[uniform_below(&mut rng, pool.len() as u64) as usize];
            }
            if admissible(&mut picked, days, spacing) {
                break;
            }
            if attempts >= max_attempts {
                return Err(crate::Error::param(
                    "candidates",
                    n,
                    format!(
                        "fewer than 1 in {MAX_SPACING_TRIES_PER_DRAW} draws from these pools has {n} distinct{} \
                         start dates",
                        spacing.map_or(String::new(), |s| format!(", {s}-day spaced"))
                    ),
                ));
            }
        }
        let mut sum = 0.0;
        for &i in &picked {
            sum += values[i as usize];
            year_counts[year_index[i as usize]] += 1;
        }
        means.push(sum * inv_n);
    }

    let observed = mean_of(event_returns);
    let (hi, far) = tail_counts(&means, observed, baseline_mean, TIE_RTOL * baseline.max_abs());
    let denom = f64::from(draws) + 1.0;
    let [q20, q95] = select_quantiles(&mut means, [0.20, 0.95]);
    let total = (u64::from(draws) * n as u64) as f64;
    let calendar_weights = year_counts
        .iter()
        .enumerate()
        .filter(|(_, c)| **c > 0)
        .map(|(k, &c)| (first_year + k as i32, c as f64 / total))
        .collect();
    let fewest = counts.iter().copied().min().unwrap_or(0);
    let warning = (fewest < MIN_CANDIDATES).then(|| {
        format!(
            "only {fewest} candidate start dates for some event (fewer than {MIN_CANDIDATES}): the p rests on few, \
             overlapping comparison windows"
        )
    });
    Ok(MatchedPlacebo {
        candidates: counts,
        observed_mean: observed,
        baseline_mean,
        excess: observed - baseline_mean,
        baseline_median,
        p: (1.0 + hi as f64) / denom,
        p_two_sided: (1.0 + far as f64) / denom,
        mde: q95 - q20,
        draws,
        seed: options.seed(),
        spacing_days: spacing,
        rejected: attempts - u64::from(draws),
        calendar_weights,
        warning,
    })
}

/// Whether the picks are distinct and (with a spacing) that far apart. A handful of events is
/// checked pair by pair; more are sorted first (start dates ascend with the index, so
/// neighbours then hold the closest pairs).
fn admissible(picked: &mut [u32], days: &[i64], spacing: Option<i64>) -> bool {
    let apart =
        |a: u32, b: u32| a != b && spacing.is_none_or(|s| (days[a as usize] - days[b as usize]).abs() >= s);
    if picked.len() <= 8 {
        return picked
            .iter()
            .enumerate()
            .all(|(k, &a)| picked[k + 1..].iter().all(|&b| apart(a, b)));
    }
    picked.sort_unstable();
    picked.windows(2).all(|w| apart(w[0], w[1]))
}

/// A seed for one result's random stream, derived from the study seed and the result's typed
/// keys, so that no two results share Monte-Carlo errors by accident and a result's numbers do
/// not change when other results are added. FNV-1a over the parts (each ended by a 0xff byte),
/// then the SplitMix64 finaliser.
///
/// ```
/// use eventstudy::stats::derive_seed;
/// assert_eq!(derive_seed(7, &["btc", "90d"]), derive_seed(7, &["btc", "90d"]));
/// assert_ne!(derive_seed(7, &["btc", "90d"]), derive_seed(7, &["btc9", "0d"]));
/// assert_ne!(derive_seed(7, &["btc"]), derive_seed(8, &["btc"]));
/// ```
pub fn derive_seed(seed: u64, parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for part in parts {
        for &b in part.as_bytes().iter().chain(&[0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::{base, base_days, close};

    fn p_tol(p: f64, draws: u32) -> f64 {
        5.0 * (p * (1.0 - p) / f64::from(draws)).sqrt() + 2.0 / f64::from(draws)
    }

    /// Eight baseline returns on days 0..8 (hand-made).
    const R8: [f64; 8] = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08];

    #[test]
    fn per_event_pools_match_exact_enumeration() {
        // Event 1 may use indices {0, 1}, event 2 {6, 7}: the four distinct pairs are
        // (0.01+0.07)/2 = 0.04, (0.01+0.08)/2 = 0.045, 0.045, 0.05, each with probability 1/4.
        let b = base(&R8);
        let c = Candidates::PerEvent(vec![vec![0, 1], vec![6, 7]]);
        let t = matched_placebo(&[0.02, 0.08], &b, &c, &StatsOptions::new().draws(40_000)).unwrap();
        // matched mean: (0.015 + 0.075) / 2 = 0.045; observed 0.05 ties the best pair only.
        assert!(close(t.baseline_mean, 0.045, 1e-15), "{}", t.baseline_mean);
        assert!(close(t.excess, 0.005, 1e-15));
        assert!(close(t.p, 0.25, p_tol(0.25, t.draws)), "{}", t.p);
        // |m − 0.045| ≥ 0.005 for the 0.04 and 0.05 pairs: p two-sided = 1/2.
        assert!(
            close(t.p_two_sided, 0.5, p_tol(0.5, t.draws)),
            "{}",
            t.p_two_sided
        );
        assert_eq!(t.candidates, [2, 2]);
        assert!(
            t.warning
                .as_deref()
                .is_some_and(|w| w.contains("only 2 candidate"))
        );
        assert_eq!(t.rejected, 0, "disjoint pools never pick one date twice");
    }

    #[test]
    fn duplicates_are_rejected_and_spacing_applies() {
        // Both events share pool {0, 1, 2}: of the 9 ordered picks, 6 are distinct.
        let b = base_days(&R8, &[0, 1, 2, 10, 11, 12, 20, 21]);
        let shared = Candidates::PerEvent(vec![vec![0, 1, 2], vec![0, 1, 2]]);
        let t = matched_placebo(&[0.0, 0.0], &b, &shared, &StatsOptions::new().draws(30_000)).unwrap();
        let share = t.rejected as f64 / (t.rejected as f64 + 30_000.0);
        assert!(close(share, 3.0 / 9.0, 0.01), "{share}");
        // With 2-day spacing only {0, 2} is admissible: every draw has mean 0.02.
        let opts = StatsOptions::new().draws(500).placebo_spacing_days(Some(2));
        let t = matched_placebo(&[0.02, 0.02], &b, &shared, &opts).unwrap();
        assert_eq!((t.p, t.mde), (1.0, 0.0));
        assert_eq!(t.spacing_days, Some(2));
        // Spacing 3: impossible, an error rather than a loop.
        let opts = StatsOptions::new().draws(50).placebo_spacing_days(Some(3));
        assert!(matched_placebo(&[0.0, 0.0], &b, &shared, &opts).is_err());
    }

    #[test]
    fn joint_sets_draw_whole_sets() {
        // Three shifted copies of a two-event set: means 0.015, 0.035, 0.055.
        let b = base(&R8);
        let c = Candidates::Joint(vec![vec![0, 1], vec![2, 3], vec![4, 5]]);
        let t = matched_placebo(&[0.05, 0.06], &b, &c, &StatsOptions::new().draws(30_000)).unwrap();
        assert!(close(t.baseline_mean, 0.035, 1e-15));
        assert!(close(t.p, 1.0 / 3.0, p_tol(1.0 / 3.0, t.draws)), "{}", t.p);
        assert_eq!(t.candidates, [3, 3]);
        assert_eq!(t.spacing_days, None);
    }

    #[test]
    fn calendar_weights_count_the_drawn_years() {
        // Index 0 in 2023, indices 1 and 2 in 2024 (base_days counts from 2024-01-01).
        let b = base_days(&[0.0, 0.1, 0.2], &[-1, 0, 1]);
        let c = Candidates::PerEvent(vec![vec![0, 1, 2]]);
        let t = matched_placebo(&[0.1], &b, &c, &StatsOptions::new().draws(30_000)).unwrap();
        assert_eq!(
            t.calendar_weights.keys().copied().collect::<Vec<_>>(),
            [2023, 2024]
        );
        assert!(
            close(t.calendar_weights[&2023], 1.0 / 3.0, 0.015),
            "{:?}",
            t.calendar_weights
        );
        let sum: f64 = t.calendar_weights.values().sum();
        assert!(close(sum, 1.0, 1e-12));
    }

    #[test]
    fn bad_candidates_are_errors() {
        let b = base(&R8);
        let opts = StatsOptions::new().draws(10);
        let empty = Candidates::PerEvent(vec![vec![0], vec![]]);
        assert!(
            matched_placebo(&[0.0, 0.0], &b, &empty, &opts)
                .unwrap_err()
                .to_string()
                .contains("event 2")
        );
        let outside = Candidates::PerEvent(vec![vec![8]]);
        assert!(matched_placebo(&[0.0], &b, &outside, &opts).is_err());
        let wrong_n = Candidates::PerEvent(vec![vec![1]]);
        assert!(matched_placebo(&[0.0, 0.0], &b, &wrong_n, &opts).is_err());
        assert!(matched_placebo(&[f64::NAN], &b, &wrong_n, &opts).is_err());
    }

    #[test]
    fn derived_seeds_differ_by_part_boundaries() {
        let a = derive_seed(1, &["ab", "c"]);
        assert_ne!(a, derive_seed(1, &["a", "bc"]));
        assert_ne!(a, derive_seed(1, &["abc"]));
        assert_eq!(a, derive_seed(1, &["ab", "c"]));
    }
}
