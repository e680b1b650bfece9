//! Placebo tests against matched comparison dates: each event draws its placebo start date from
//! its own pool of candidates (the baseline start dates that share what the events have in
//! common: the halving phase, the trend regime, …), or the whole event set is shifted at once.
//!
//! Numbers in, numbers out: which start dates are candidates is decided by the study layer
//! (`eventstudy::Null`); this module only draws from the pools it is given.

use std::collections::BTreeMap;

use serde::Serialize;

use super::draws::Setup;
use super::options::{CheckedOptions, StatsOptions};
use super::placebo::{select_quantiles, tail_counts};
use super::summary::{Baseline, check_values};

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
    Joint(JointSets),
}

impl Candidates {
    /// Number of events the candidates are for.
    pub fn n_events(&self) -> usize {
        match self {
            Candidates::PerEvent(pools) => pools.len(),
            Candidates::Joint(sets) => sets.n_events(),
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

/// Candidate sets of one baseline index per event, stored one after another (a shifted event
/// set has a set per offset: thousands of them).
///
/// ```
/// use eventstudy::stats::JointSets;
/// let mut sets = JointSets::new(2);
/// sets.push(&[0, 10]);
/// sets.push(&[1, 11]);
/// assert_eq!((sets.len(), sets.get(1)), (2, Some(&[1, 11][..])));
/// assert_eq!(JointSets::from_sets(2, [vec![0, 10], vec![1, 11]])?, sets);
/// assert!(JointSets::from_sets(2, [vec![0, 10, 20]]).is_err());
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JointSets {
    n_events: usize,
    pub(super) flat: Vec<u32>,
}

impl JointSets {
    /// No sets yet, for `n_events` events.
    pub fn new(n_events: usize) -> Self {
        JointSets {
            n_events,
            flat: Vec::new(),
        }
    }

    /// Sets from a list, each of `n_events` indices.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when a set has another length.
    pub fn from_sets(n_events: usize, sets: impl IntoIterator<Item = Vec<u32>>) -> crate::Result<Self> {
        let mut out = JointSets::new(n_events);
        for (k, set) in sets.into_iter().enumerate() {
            if set.len() != n_events {
                return Err(crate::Error::param(
                    "candidates",
                    set.len(),
                    format!(
                        "set {} has {} indices, not one per event ({n_events})",
                        k + 1,
                        set.len()
                    ),
                ));
            }
            out.flat.extend(set);
        }
        Ok(out)
    }

    /// Appends one set (its length must be the number of events; a shorter or longer one is a
    /// programming error and panics).
    pub fn push(&mut self, set: &[u32]) {
        assert_eq!(set.len(), self.n_events, "a joint set has one index per event");
        self.flat.extend_from_slice(set);
    }

    /// Number of events each set is for.
    pub fn n_events(&self) -> usize {
        self.n_events
    }

    /// Number of sets.
    pub fn len(&self) -> usize {
        self.flat.len().checked_div(self.n_events).unwrap_or(0)
    }

    /// Whether there is no set.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Set `k`.
    pub fn get(&self, k: usize) -> Option<&[u32]> {
        self.flat.get(k * self.n_events..(k + 1) * self.n_events)
    }

    /// The sets in order.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.flat.chunks_exact(self.n_events.max(1))
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
    /// Number of draws B; when `exact`, the number T of admissible candidate tuples.
    pub draws: u32,
    /// Whether every candidate tuple was used once (there were no more than B): p, the
    /// quantiles and the weights are then exact, with no Monte-Carlo error.
    pub exact: bool,
    /// Seed of the generator (`Pcg64Mcg`; unused when `exact`).
    pub seed: u64,
    /// Minimum calendar-day spacing of the drawn start dates, if any.
    pub spacing_days: Option<i64>,
    /// Candidate draws rejected (a start date picked twice, or the spacing broken); when
    /// `exact`, the inadmissible tuples.
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
/// The generator is `rand_pcg::Pcg64Mcg::seed_from_u64(options.seed)`; with
/// [`StatsOptions::placebo_spacing_days`] per-event draws are also rejected until the start
/// dates are that far apart.
///
/// **Exact when it is cheaper.** When there are no more candidate tuples (∏ᵢ |Pᵢ|; joint: the
/// number of sets) than draws B, each is used once instead of drawing: one event and a pool
/// of a few thousand dates, or the shifted event set, are enumerated. The m_b are then the
/// means of the T admissible tuples and
///
/// ```text
/// p = (1 + #{ m_b ≥ m_obs − ε }) / (T + 1),   p_two_sided likewise,   weight(y) = #{ s_bi in y } / (T · n)
/// MDE = q95 − q20 of the T tuple means (type 7)
/// ```
///
/// with no Monte-Carlo error (`exact` is set and `draws` is T): the formulas above with B = T,
/// the observed set counted as one more tuple.
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
    let setup = Setup::new(&[event_returns], &[baseline], candidates, options)?;
    let n = setup.n;
    let baseline_median = if setup.flat {
        let mut set_means = setup.set_means(0).to_vec();
        select_quantiles(&mut set_means, [0.5])[0]
    } else {
        // One median per distinct pool.
        let mut medians: Vec<(usize, f64)> = Vec::new();
        let mut sum = 0.0;
        for (e, p) in setup.sets.iter().enumerate() {
            let known = medians.iter().find(|(k, _)| setup.sets[*k] == *p).map(|m| m.1);
            let m = known.unwrap_or_else(|| {
                let m = baseline.median_of(p);
                medians.push((e, m));
                m
            });
            sum += m;
        }
        sum / n as f64
    };

    let draws = options.draws();
    let mut means = Vec::with_capacity(draws as usize);
    let mut picks = setup.pick_counters();
    let drawn = setup.run(options, Some(&mut picks), |_, m| means.push(m))?;

    let (observed, baseline_mean) = (setup.observed(0), setup.baseline_mean(0));
    let (hi, far) = tail_counts(&means, observed, baseline_mean, setup.tol(0));
    let [q20, q95] = select_quantiles(&mut means, [0.20, 0.95]);
    let calendar_weights = setup.calendar_weights(baseline, &picks, drawn.accepted);
    let counts = candidates.counts();
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
        p: drawn.p(hi),
        p_two_sided: drawn.p(far),
        mde: q95 - q20,
        draws: u32::try_from(drawn.accepted).unwrap_or(draws),
        exact: drawn.exact,
        seed: options.seed(),
        spacing_days: setup.spacing,
        rejected: drawn.attempts - drawn.accepted,
        calendar_weights,
        warning,
    })
}

/// The excess and one-sided p of [`matched_placebo`] alone, without the median, the quantiles
/// or the calendar weights, for one or more outcomes of the same events over the same
/// baseline start dates (simple and log returns): what a specification curve of thousands of
/// tests needs. The outcomes share their draws (the same placebo start dates), as one
/// permutation test of several statistics does; the first outcome's p is what
/// [`matched_placebo`] gives with the same seed.
pub(crate) fn matched_excess_p(
    event_values: &[&[f64]],
    baselines: &[&Baseline],
    candidates: &Candidates,
    options: &StatsOptions,
) -> crate::Result<Vec<(f64, f64)>> {
    for values in event_values {
        check_values("event_returns", values)?;
    }
    let options = options.check()?;
    let setup = Setup::new(event_values, baselines, candidates, &options)?;
    let thresholds: Vec<f64> = (0..event_values.len())
        .map(|k| setup.observed(k) - setup.tol(k))
        .collect();
    let mut hi = vec![0u64; event_values.len()];
    let drawn = setup.run(&options, None, |k, m| hi[k] += u64::from(m >= thresholds[k]))?;
    Ok(hi
        .iter()
        .enumerate()
        .map(|(k, &h)| (setup.observed(k) - setup.baseline_mean(k), drawn.p(h)))
        .collect())
}

/// B draws of n distinct start dates, each uniform over the whole baseline (repeats drawn
/// again): `each` gets every draw's mean. Returns the attempts and how often each start date
/// was drawn. The random-days placebo's sampler when repeats are rare.
pub(crate) fn uniform_subsets(
    baseline: &Baseline,
    n: usize,
    options: &CheckedOptions,
    mut each: impl FnMut(f64),
) -> crate::Result<(u64, Vec<u32>)> {
    let all: Vec<u32> = (0..baseline.len() as u32).collect();
    let candidates = Candidates::PerEvent(vec![all; n]);
    let zeros = vec![0.0; n];
    let setup = Setup::new(&[&zeros], &[baseline], &candidates, options)?;
    let mut picks = setup.pick_counters();
    let drawn = setup.sample(options, Some(&mut picks), |_, m| each(m))?;
    Ok((drawn.attempts, picks))
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
        // Event 1 may use indices {0, 1}, event 2 {6, 7}: the four distinct pairs have means
        // (0.01+0.07)/2 = 0.04, (0.01+0.08)/2 = 0.045, 0.045, 0.05. No more than the draws, so
        // each is used once.
        let b = base(&R8);
        let c = Candidates::PerEvent(vec![vec![0, 1], vec![6, 7]]);
        let t = matched_placebo(&[0.02, 0.08], &b, &c, &StatsOptions::new().draws(40_000)).unwrap();
        assert!(t.exact && t.draws == 4);
        // matched mean: (0.015 + 0.075) / 2 = 0.045; observed 0.05 ties the best pair only:
        // p = (1 + 1) / (4 + 1).
        assert!(close(t.baseline_mean, 0.045, 1e-15), "{}", t.baseline_mean);
        assert!(close(t.excess, 0.005, 1e-15));
        assert!(close(t.p, 0.4, 1e-15), "{}", t.p);
        // |m − 0.045| ≥ 0.005 for the 0.04 and 0.05 pairs: (1 + 2) / 5.
        assert!(close(t.p_two_sided, 0.6, 1e-15), "{}", t.p_two_sided);
        assert_eq!(t.candidates, [2, 2]);
        assert!(
            t.warning
                .as_deref()
                .is_some_and(|w| w.contains("only 2 candidate"))
        );
        assert_eq!(t.rejected, 0, "disjoint pools never pick one date twice");
    }

    #[test]
    fn monte_carlo_draws_match_brute_force_over_overlapping_pools() {
        // 200 start dates three days apart from 2023-03-08 (offset −300): indices below 100 in
        // 2023. Event 1 draws from 0..120, event 2 from 80..200: 14,400 ordered pairs, 40 of
        // them picking one date twice; more pairs than the 5,000 draws, so they are sampled.
        let values: Vec<f64> = (0..200).map(|i| f64::from(i) / 1000.0).collect();
        let days: Vec<i64> = (0..200).map(|i| i * 3 - 300).collect();
        let b = base_days(&values, &days);
        let pools: Vec<Vec<u32>> = vec![(0..120).collect(), (80..200).collect()];
        let events = [0.15, 0.09];
        let t = matched_placebo(
            &events,
            &b,
            &Candidates::PerEvent(pools.clone()),
            &StatsOptions::new().draws(5_000),
        )
        .unwrap();
        assert!(!t.exact && t.draws == 5_000);
        // Brute force over the admissible pairs, in this test's own loops.
        let centre = (0.0595 + 0.1395) / 2.0;
        let (obs, tol) = (0.12, 1e-9 * 0.199);
        let (mut total, mut hi, mut far, mut in_2023) = (0u64, 0u64, 0u64, 0u64);
        for &i in &pools[0] {
            for &j in &pools[1] {
                if i == j {
                    continue;
                }
                let m = (values[i as usize] + values[j as usize]) / 2.0;
                total += 1;
                hi += u64::from(m >= obs - tol);
                far += u64::from((m - centre).abs() >= (obs - centre).abs() - tol);
                in_2023 += u64::from(i < 100) + u64::from(j < 100);
            }
        }
        assert_eq!(total, 14_400 - 40);
        assert!(close(t.baseline_mean, centre, 1e-12), "{}", t.baseline_mean);
        let (p1, p2) = (hi as f64 / total as f64, far as f64 / total as f64);
        assert!(close(t.p, p1, p_tol(p1, t.draws)), "{} vs {p1}", t.p);
        assert!(
            close(t.p_two_sided, p2, p_tol(p2, t.draws)),
            "{} vs {p2}",
            t.p_two_sided
        );
        let w = in_2023 as f64 / (2 * total) as f64;
        assert!(
            close(t.calendar_weights[&2023], w, 0.02),
            "{:?} vs {w}",
            t.calendar_weights
        );
        // About 40 / 14,400 of the candidate pairs are rejected.
        let share = t.rejected as f64 / (t.rejected as f64 + 5_000.0);
        assert!(share < 0.01, "{share}");
        // The specification curve's short form gives the same p from the same draws.
        let options = StatsOptions::new().draws(5_000);
        let candidates = Candidates::PerEvent(pools);
        let short = matched_excess_p(&[&events], &[&b], &candidates, &options).unwrap();
        assert_eq!(short, [(t.excess, t.p)]);
        // A second outcome over the same start dates shares the draws: each outcome's p is
        // the one its own test gives with the same seed.
        let logs: Vec<f64> = values.iter().map(|r| r.ln_1p()).collect();
        let b_log = base_days(&logs, &days);
        let log_events = events.map(|r: f64| r.ln_1p());
        let both = matched_excess_p(&[&events, &log_events], &[&b, &b_log], &candidates, &options).unwrap();
        let t_log = matched_placebo(&log_events, &b_log, &candidates, &options).unwrap();
        assert_eq!(both, [(t.excess, t.p), (t_log.excess, t_log.p)]);
        assert_ne!(t_log.p, t.p);
        // Outcomes must share their start dates.
        let shorter = base_days(&logs[..150], &days[..150]);
        assert!(matched_excess_p(&[&events, &log_events], &[&b, &shorter], &candidates, &options).is_err());
    }

    /// The exact one-sided p and baseline mean of the mean of one k-subset of `a` and one
    /// j-subset of `b`, each uniform (the admissible draws of k events sharing pool a and j
    /// sharing pool b, when a and b are disjoint), by enumerating the subsets in this test.
    fn subset_mean_p(a: &[f64], k: usize, b: &[f64], j: usize, observed: f64) -> (f64, f64) {
        fn sums(v: &[f64], k: usize) -> Vec<f64> {
            let mut out = Vec::new();
            for mask in 0u32..1 << v.len() {
                if mask.count_ones() as usize == k {
                    out.push((0..v.len()).filter(|&i| mask >> i & 1 == 1).map(|i| v[i]).sum());
                }
            }
            out
        }
        let (sa, sb) = (sums(a, k), if j == 0 { vec![0.0] } else { sums(b, j) });
        let n = (k + j) as f64;
        let (mut hi, mut total, mut mean) = (0u64, 0u64, 0.0);
        for x in &sa {
            for y in &sb {
                let m = (x + y) / n;
                hi += u64::from(m >= observed - 1e-12);
                total += 1;
                mean += m;
            }
        }
        (hi as f64 / total as f64, mean / total as f64)
    }

    #[test]
    fn many_events_from_one_pool_are_stamped_and_distinct() {
        // Ten events drawing from one pool of 20: 45 pairs, so each draw's picks are stamped
        // instead of compared pair by pair. Accepted draws are uniform 10-subsets: their
        // mean's distribution is the 184,756 subsets' (enumerated here).
        let values: Vec<f64> = (0..20).map(|i| f64::from(i * i % 11) / 100.0).collect();
        let b = base(&values);
        let pools = vec![(0..20).collect::<Vec<u32>>(); 10];
        let events = [0.052; 10];
        let (p_exact, centre) = subset_mean_p(&values, 10, &[], 0, 0.052);
        let t = matched_placebo(
            &events,
            &b,
            &Candidates::PerEvent(pools),
            &StatsOptions::new().draws(4_000),
        )
        .unwrap();
        assert!(!t.exact && t.draws == 4_000);
        assert!(close(t.baseline_mean, centre, 1e-12));
        assert!(
            close(t.p, p_exact, p_tol(p_exact, t.draws)),
            "{} vs {p_exact}",
            t.p
        );
        // Only about 6.5% of 10-tuples from 20 dates are distinct: rejection does the work.
        let accepted = 4_000.0 / (4_000.0 + t.rejected as f64);
        assert!((0.05..0.08).contains(&accepted), "{accepted}");
    }

    #[test]
    fn events_in_two_disjoint_pools_only_collide_within_a_pool() {
        // Six events draw from dates 0..10 and six from 10..20 (as in two trend regimes):
        // only pairs within a pool are checked, on positions. Exact: one 6-subset of each.
        let values: Vec<f64> = (0..20).map(|i| f64::from((i * 7) % 13) / 100.0).collect();
        let b = base(&values);
        let mut pools = vec![(0..10).collect::<Vec<u32>>(); 6];
        pools.extend(vec![(10..20).collect::<Vec<u32>>(); 6]);
        let events = [0.07; 12];
        let (p_exact, centre) = subset_mean_p(&values[..10], 6, &values[10..], 6, 0.07);
        let t = matched_placebo(
            &events,
            &b,
            &Candidates::PerEvent(pools.clone()),
            &StatsOptions::new().draws(4_000),
        )
        .unwrap();
        assert!(close(t.baseline_mean, centre, 1e-12));
        assert!(
            close(t.p, p_exact, p_tol(p_exact, t.draws)),
            "{} vs {p_exact}",
            t.p
        );
        // Pool order does not matter: interleaved events give the same distribution.
        let interleaved: Vec<Vec<u32>> = (0..12).map(|e| pools[(e % 2) * 6 + e / 2].clone()).collect();
        let u = matched_placebo(
            &events,
            &b,
            &Candidates::PerEvent(interleaved),
            &StatsOptions::new().draws(4_000).seed(9),
        )
        .unwrap();
        assert!(
            close(u.p, p_exact, p_tol(p_exact, u.draws)),
            "{} vs {p_exact}",
            u.p
        );
    }

    #[test]
    fn duplicates_are_rejected_and_spacing_applies() {
        // Both events share pool {0, 1, 2}: of the 9 ordered picks, 6 are distinct.
        let b = base_days(&R8, &[0, 1, 2, 10, 11, 12, 20, 21]);
        let shared = Candidates::PerEvent(vec![vec![0, 1, 2], vec![0, 1, 2]]);
        let t = matched_placebo(&[0.0, 0.0], &b, &shared, &StatsOptions::new().draws(30_000)).unwrap();
        assert_eq!((t.exact, t.draws, t.rejected), (true, 6, 3));
        // With 2-day spacing only (0, 2) and (2, 0) are admissible: both have mean 0.02.
        let opts = StatsOptions::new().draws(500).placebo_spacing_days(Some(2));
        let t = matched_placebo(&[0.02, 0.02], &b, &shared, &opts).unwrap();
        assert_eq!((t.p, t.mde, t.draws, t.rejected), (1.0, 0.0, 2, 7));
        assert_eq!(t.spacing_days, Some(2));
        // Spacing 3: impossible, an error rather than a loop, enumerated or drawn.
        for draws in [50, 5] {
            let opts = StatsOptions::new().draws(draws).placebo_spacing_days(Some(3));
            assert!(matched_placebo(&[0.0, 0.0], &b, &shared, &opts).is_err());
        }
    }

    #[test]
    fn joint_sets_draw_whole_sets() {
        // Three shifted copies of a two-event set: means 0.015, 0.035, 0.055; the observed
        // 0.055 ties the last, so p = (1 + 1) / (3 + 1) once each set is used once.
        let b = base(&R8);
        let c = Candidates::Joint(JointSets::from_sets(2, [vec![0, 1], vec![2, 3], vec![4, 5]]).unwrap());
        let t = matched_placebo(&[0.05, 0.06], &b, &c, &StatsOptions::new().draws(30_000)).unwrap();
        assert!(close(t.baseline_mean, 0.035, 1e-15));
        assert_eq!((t.exact, t.draws), (true, 3));
        assert!(close(t.p, 0.5, 1e-15), "{}", t.p);
        assert_eq!(t.candidates, [3, 3]);
        assert_eq!(t.spacing_days, None);
        // Fewer draws than sets: drawn, each draw one whole set.
        let t = matched_placebo(&[0.05, 0.06], &b, &c, &StatsOptions::new().draws(2)).unwrap();
        assert!(!t.exact && [1.0 / 3.0, 2.0 / 3.0, 1.0].contains(&t.p), "{}", t.p);
    }

    #[test]
    fn calendar_weights_count_the_drawn_years() {
        // Index 0 in 2023, indices 1 and 2 in 2024 (base_days counts from 2024-01-01); each
        // used once, so exactly a third of the picks fall in 2023.
        let b = base_days(&[0.0, 0.1, 0.2], &[-1, 0, 1]);
        let c = Candidates::PerEvent(vec![vec![0, 1, 2]]);
        let t = matched_placebo(&[0.1], &b, &c, &StatsOptions::new().draws(30_000)).unwrap();
        assert_eq!(
            t.calendar_weights.keys().copied().collect::<Vec<_>>(),
            [2023, 2024]
        );
        assert!(
            close(t.calendar_weights[&2023], 1.0 / 3.0, 1e-15),
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
