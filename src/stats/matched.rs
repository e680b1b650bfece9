//! Placebo tests against matched comparison dates: each event draws its placebo start date from
//! its own pool of candidates (the baseline start dates that share what the events have in
//! common: the halving phase, the trend regime, …), or the whole event set is shifted at once.
//!
//! Numbers in, numbers out: which start dates are candidates is decided by the study layer
//! (`eventstudy::Null`); this module only draws from the pools it is given.

use std::collections::BTreeMap;
use std::rc::Rc;

use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::options::{CheckedOptions, StatsOptions};
use super::placebo::{
    DrawRng, MAX_SPACING_TRIES_PER_DRAW, TIE_RTOL, counted_p, select_quantiles, tail_counts, uniform_below,
};
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
    flat: Vec<u32>,
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
    let setup = Setup::new(event_returns, baseline, candidates, options)?;
    let n = setup.n;
    let baseline_median = if setup.flat {
        let mut set_means = setup.set_means.clone();
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
    let drawn = setup.run(options, Some(&mut picks), |m| means.push(m))?;

    let observed = setup.observed;
    let (hi, far) = tail_counts(&means, observed, setup.baseline_mean, setup.tol);
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
        baseline_mean: setup.baseline_mean,
        excess: observed - setup.baseline_mean,
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

/// The excess and one-sided p of [`matched_placebo`] alone, from the same draws (the same
/// seed gives the same p), without the median, the quantiles or the calendar weights: what a
/// specification curve of thousands of tests needs.
pub(crate) fn matched_excess_p(
    event_returns: &[f64],
    baseline: &Baseline,
    candidates: &Candidates,
    options: &StatsOptions,
) -> crate::Result<(f64, f64)> {
    check_values("event_returns", event_returns)?;
    let options = options.check()?;
    let setup = Setup::new(event_returns, baseline, candidates, &options)?;
    let threshold = setup.observed - setup.tol;
    let mut hi = 0u64;
    let drawn = setup.run(&options, None, |m| hi += u64::from(m >= threshold))?;
    Ok((setup.observed - setup.baseline_mean, drawn.p(hi)))
}

/// B draws of n distinct start dates, each uniform over the whole baseline (repeats drawn
/// again): `each` gets every draw's mean. Returns the attempts and how often each start date
/// was drawn. The random-days placebo's sampler when repeats are rare.
pub(crate) fn uniform_subsets(
    baseline: &Baseline,
    n: usize,
    options: &CheckedOptions,
    each: impl FnMut(f64),
) -> crate::Result<(u64, Vec<u32>)> {
    let all: Vec<u32> = (0..baseline.len() as u32).collect();
    let candidates = Candidates::PerEvent(vec![all; n]);
    let setup = Setup::new(&vec![0.0; n], baseline, &candidates, options)?;
    let mut picks = setup.pick_counters();
    let drawn = setup.sample(options, Some(&mut picks), each)?;
    Ok((drawn.attempts, picks))
}

/// Draws are made this many at a time, event by event: each event's picks for a block are one
/// tight loop (generator, index, gather-add), and memory stays O(events · block).
const BLOCK: usize = 2048;

/// The distance between two events' picks for one block, a little more than the block: a
/// draw's picks, read across the events, then fall in different cache sets (at exactly
/// 8 KiB apart they would all share one, and evict one another).
const STRIDE: usize = BLOCK + 16;

/// Pair-by-pair duplicate checks are used while there are at most this many pairs per event;
/// beyond that (a dozen events drawing from one pool), each draw's picks are stamped instead.
const PAIRWISE_MAX: usize = 4;

/// The checked inputs of one matched placebo, and the pools laid out for drawing.
struct Setup<'a> {
    n: usize,
    /// Per-event pools (empty when joint).
    sets: &'a [Vec<u32>],
    /// Joint candidate sets, when the candidates are joint.
    joint: Option<&'a JointSets>,
    flat: bool,
    /// Per event (per-event pools), each candidate's return, in pool order: a pick reads
    /// eight bytes, and its baseline index (`sets`) only when a check or a count needs it.
    /// Events with the same pool (every event under random days, the events in one trend
    /// regime) share one copy.
    pools: Vec<Rc<[f64]>>,
    /// The pairs of events (e < f) whose picks can be the same start date: those with the
    /// same pool, and those whose pools share a date.
    pairs: Vec<(usize, usize)>,
    /// Whether a pair with different pools is among them. When none is, a collision is the
    /// same position in one pool, and positions stand for dates.
    cross_overlap: bool,
    /// Joint: each set's mean return.
    set_means: Vec<f64>,
    /// Whether two events' pools share a start date, so a draw can pick one twice.
    overlap: bool,
    spacing: Option<i64>,
    days: &'a [i64],
    observed: f64,
    baseline_mean: f64,
    tol: f64,
}

impl<'a> Setup<'a> {
    fn new(
        event_returns: &[f64],
        baseline: &'a Baseline,
        candidates: &'a Candidates,
        options: &CheckedOptions,
    ) -> crate::Result<Self> {
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
        let (sets, joint): (&[Vec<u32>], Option<&JointSets>) = match candidates {
            Candidates::PerEvent(pools) => (pools, None),
            Candidates::Joint(sets) => (&[], Some(sets)),
        };
        let flat = joint.is_some();
        let outside = |ix: &[u32]| ix.iter().copied().find(|&i| i as usize >= nb);
        let bad = match joint {
            Some(j) => outside(&j.flat),
            None => sets.iter().find_map(|s| outside(s)),
        };
        if let Some(bad) = bad {
            return Err(crate::Error::param(
                "candidates",
                bad,
                format!("index outside the baseline of {nb} start dates"),
            ));
        }
        if let Some(i) = candidates.counts().iter().position(|&c| c == 0) {
            return Err(crate::Error::param(
                "candidates",
                0,
                format!("event {} has no candidate start date", i + 1),
            ));
        }
        let inv_n = 1.0 / n as f64;
        // Identical pools are found once, and share one copy of their values.
        let group: Vec<usize> = (0..sets.len())
            .map(|e| {
                sets[..e]
                    .iter()
                    .position(|earlier| *earlier == sets[e])
                    .unwrap_or(e)
            })
            .collect();
        let set_sum = |set: &[u32]| set.iter().map(|&i| values[i as usize]).sum::<f64>();
        let (baseline_mean, set_means, pools) = if let Some(joint) = joint {
            let means: Vec<f64> = joint.iter().map(|s| set_sum(s) * inv_n).collect();
            (means.iter().sum::<f64>() / means.len() as f64, means, Vec::new())
        } else {
            let mean = sets.iter().map(|s| set_sum(s) / s.len() as f64).sum::<f64>() * inv_n;
            let mut pools: Vec<Rc<[f64]>> = Vec::with_capacity(n);
            for (e, set) in sets.iter().enumerate() {
                pools.push(match group[e] {
                    k if k < e => Rc::clone(&pools[k]),
                    _ => set.iter().map(|&i| values[i as usize]).collect(),
                });
            }
            (mean, Vec::new(), pools)
        };
        let meets = pools_meeting(sets, &group, nb);
        let pairs: Vec<(usize, usize)> = (0..sets.len())
            .flat_map(|e| (e + 1..sets.len()).map(move |f| (e, f)))
            .filter(|&(e, f)| group[e] == group[f] || meets(group[e], group[f]))
            .collect();
        let cross_overlap = pairs.iter().any(|&(e, f)| group[e] != group[f]);
        Ok(Setup {
            n,
            sets,
            joint,
            flat,
            overlap: !pairs.is_empty(),
            pools,
            pairs,
            cross_overlap,
            set_means,
            spacing: if flat { None } else { options.spacing_days() },
            days: baseline.days(),
            observed: mean_of(event_returns),
            baseline_mean,
            tol: TIE_RTOL * baseline.max_abs(),
        })
    }

    /// Runs the draws: `each` gets every accepted draw's mean, in order; `picks` (if given)
    /// counts how often each baseline start date was drawn (joint: each set). Returns the
    /// attempts (accepted plus rejected).
    ///
    /// Per block of draws, each event's picks are made in turn (uniform positions in its pool,
    /// added to the draw sums in event order); a draw that picked one start date twice, or broke
    /// the spacing, is then drawn again whole until admissible, which is rejection sampling:
    /// accepted draws are uniform over the admissible tuples.
    fn run(
        &self,
        options: &CheckedOptions,
        picks: Option<&mut Vec<u32>>,
        each: impl FnMut(f64),
    ) -> crate::Result<Drawn> {
        let draws = options.draws() as usize;
        if self.tuples().is_some_and(|t| t <= draws as u64) {
            return self.enumerate(picks, each);
        }
        self.sample(options, picks, each)
    }

    /// [`Setup::run`] by drawing, whatever the number of tuples.
    fn sample(
        &self,
        options: &CheckedOptions,
        mut picks: Option<&mut Vec<u32>>,
        mut each: impl FnMut(f64),
    ) -> crate::Result<Drawn> {
        let n = self.n;
        let draws = options.draws() as usize;
        let mut rng = DrawRng::seed_from_u64(options.seed());
        if self.flat {
            let k_sets = self.set_means.len() as u64;
            for _ in 0..draws {
                let k = uniform_below(&mut rng, k_sets) as usize;
                if let Some(p) = picks.as_deref_mut() {
                    p[k] += 1;
                }
                each(self.set_means[k]);
            }
            return Ok(Drawn::sampled(draws as u64, draws as u64));
        }
        let check = self.overlap || self.spacing.is_some();
        let max_attempts = MAX_SPACING_TRIES_PER_DRAW * draws as u64;
        // Each event's pick in each draw of the block: its position in the event's pool, then
        // (where dates must be compared across different pools, or counted) its baseline index.
        let mut chosen = vec![0u32; n * STRIDE];
        let mut sums = vec![0.0f64; BLOCK];
        let mut bytes = vec![0u8; 4 * BLOCK];
        let mut bad = vec![false; BLOCK];
        let mut picked = vec![0u32; n];
        let mut distinct = Distinct::new(self.days.len());
        // Without a spacing and with few pairs that can collide, duplicates are found pair by
        // pair: a pass over the block per pair (vectorised). With many (a dozen events drawing
        // from one pool), each draw's picks are stamped instead, O(n) per draw. When different
        // pools share no date, only events with the same pool can collide, and on the same
        // position.
        let pairwise = self.spacing.is_none() && self.pairs.len() <= PAIRWISE_MAX * n;
        let on_positions = pairwise && !self.cross_overlap;
        let mut attempts = 0u64;
        let inv_n = 1.0 / n as f64;
        let mut left = draws;
        while left > 0 {
            let c = left.min(BLOCK);
            sums[..c].fill(0.0);
            for (e, pool) in self.pools.iter().enumerate() {
                let len = pool.len() as u32;
                // The generator's words for the whole block at once (its fastest path).
                rng.fill_bytes(&mut bytes[..4 * c]);
                let block = &mut chosen[e * STRIDE..e * STRIDE + c];
                for ((sum, slot), word) in sums[..c]
                    .iter_mut()
                    .zip(block.iter_mut())
                    .zip(bytes.chunks_exact(4))
                {
                    let word = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
                    let at = lemire(word, len, &mut rng);
                    *sum += pool[at as usize];
                    *slot = at;
                }
            }
            attempts += c as u64;
            // Positions become baseline indices here, unless the check compares positions.
            let mut indexed = false;
            let to_indices = |chosen: &mut [u32]| {
                for (e, set) in self.sets.iter().enumerate() {
                    for slot in &mut chosen[e * STRIDE..e * STRIDE + c] {
                        *slot = set[*slot as usize];
                    }
                }
            };
            if check && !on_positions {
                to_indices(&mut chosen);
                indexed = true;
            }
            if !check {
                // Nothing to reject.
            } else if pairwise {
                bad[..c].fill(false);
                for &(e, f) in &self.pairs {
                    let (a, b) = (
                        &chosen[e * STRIDE..e * STRIDE + c],
                        &chosen[f * STRIDE..f * STRIDE + c],
                    );
                    for ((flag, x), y) in bad[..c].iter_mut().zip(a).zip(b) {
                        *flag |= x == y;
                    }
                }
            } else {
                for (j, flag) in bad[..c].iter_mut().enumerate() {
                    for (e, p) in picked.iter_mut().enumerate() {
                        *p = chosen[e * STRIDE + j];
                    }
                    *flag = !distinct.admissible(&mut picked, self.days, self.spacing);
                }
            }
            if check {
                for j in (0..c).filter(|&j| bad[j]) {
                    // Drawn again whole until admissible: rejection sampling.
                    let mut sum;
                    loop {
                        if attempts >= max_attempts {
                            return Err(crate::Error::param(
                                "candidates",
                                n,
                                format!(
                                    "fewer than 1 in {MAX_SPACING_TRIES_PER_DRAW} draws from these pools has {n} \
                                     distinct{} start dates",
                                    self.spacing
                                        .map_or(String::new(), |s| format!(", {s}-day spaced"))
                                ),
                            ));
                        }
                        attempts += 1;
                        sum = 0.0;
                        for (e, ((p, pool), set)) in
                            picked.iter_mut().zip(&self.pools).zip(self.sets).enumerate()
                        {
                            let at = uniform_below(&mut rng, pool.len() as u64) as usize;
                            sum += pool[at];
                            chosen[e * STRIDE + j] = if indexed { set[at] } else { at as u32 };
                            *p = set[at];
                        }
                        if distinct.admissible(&mut picked, self.days, self.spacing) {
                            break;
                        }
                    }
                    sums[j] = sum;
                }
            }
            if let Some(p) = picks.as_deref_mut() {
                if !indexed {
                    to_indices(&mut chosen);
                }
                for e in 0..n {
                    for &i in &chosen[e * STRIDE..e * STRIDE + c] {
                        p[i as usize] += 1;
                    }
                }
            }
            for &sum in &sums[..c] {
                each(sum * inv_n);
            }
            left -= c;
        }
        Ok(Drawn::sampled(attempts, draws as u64))
    }

    /// How many candidate tuples there are (joint: sets), if that fits in a `u64`.
    fn tuples(&self) -> Option<u64> {
        if self.flat {
            return Some(self.set_means.len() as u64);
        }
        self.pools
            .iter()
            .try_fold(1u64, |t, pool| t.checked_mul(pool.len() as u64))
    }

    /// Every candidate tuple (joint: set) once, in odometer order, the inadmissible ones left
    /// out: the exact placebo distribution, for when there are no more tuples than draws.
    fn enumerate(&self, mut picks: Option<&mut Vec<u32>>, mut each: impl FnMut(f64)) -> crate::Result<Drawn> {
        if self.flat {
            for (k, &m) in self.set_means.iter().enumerate() {
                if let Some(p) = picks.as_deref_mut() {
                    p[k] += 1;
                }
                each(m);
            }
            let t = self.set_means.len() as u64;
            return Ok(Drawn::exact(t, t));
        }
        let n = self.n;
        let check = self.overlap || self.spacing.is_some();
        let mut at = vec![0usize; n];
        let mut picked = vec![0u32; n];
        let mut distinct = Distinct::new(self.days.len());
        let inv_n = 1.0 / n as f64;
        let (mut tried, mut accepted) = (0u64, 0u64);
        loop {
            tried += 1;
            for ((p, &k), set) in picked.iter_mut().zip(&at).zip(self.sets) {
                *p = set[k];
            }
            // `admissible` may sort `picked`: count the picks from `at`, not from it.
            if !check || distinct.admissible(&mut picked, self.days, self.spacing) {
                accepted += 1;
                let mut sum = 0.0;
                for ((&k, pool), set) in at.iter().zip(&self.pools).zip(self.sets) {
                    sum += pool[k];
                    if let Some(p) = picks.as_deref_mut() {
                        p[set[k] as usize] += 1;
                    }
                }
                each(sum * inv_n);
            }
            // Next tuple: the last event's position turns fastest.
            let mut e = n;
            loop {
                if e == 0 {
                    if accepted == 0 {
                        return Err(crate::Error::param(
                            "candidates",
                            n,
                            format!(
                                "none of the {tried} candidate tuples has {n} distinct{} start dates",
                                self.spacing
                                    .map_or(String::new(), |s| format!(", {s}-day spaced"))
                            ),
                        ));
                    }
                    return Ok(Drawn::exact(tried, accepted));
                }
                e -= 1;
                at[e] += 1;
                if at[e] < self.pools[e].len() {
                    break;
                }
                at[e] = 0;
            }
        }
    }

    /// Counters for [`Setup::run`]'s `picks`: one per baseline start date (joint: per set).
    fn pick_counters(&self) -> Vec<u32> {
        vec![
            0;
            if self.flat {
                self.set_means.len()
            } else {
                self.days.len()
            }
        ]
    }

    /// Share of all drawn start dates in each calendar year, from the pick counts.
    fn calendar_weights(&self, baseline: &Baseline, picks: &[u32], draws: u64) -> BTreeMap<i32, f64> {
        let total = draws * self.n as u64;
        match self.joint {
            Some(joint) => baseline.calendar_weights(
                joint
                    .iter()
                    .zip(picks)
                    .flat_map(|(set, &c)| set.iter().map(move |&i| (i as usize, u64::from(c)))),
                total,
            ),
            None => {
                baseline.calendar_weights(picks.iter().enumerate().map(|(i, &c)| (i, u64::from(c))), total)
            }
        }
    }
}

/// Lemire's map of a 32-bit word to 0..len (len ≥ 1), exact: the rare word that would bias it
/// is replaced by fresh words from the generator.
#[inline]
fn lemire(word: u32, len: u32, rng: &mut DrawRng) -> u32 {
    let mut m = u64::from(word) * u64::from(len);
    if (m as u32) < len {
        let threshold = len.wrapping_neg() % len;
        while (m as u32) < threshold {
            m = u64::from(rng.next_u32()) * u64::from(len);
        }
    }
    (m >> 32) as u32
}

/// What [`Setup::run`] did: how many tuples it tried and kept, and whether it enumerated them
/// all (exact) or drew them at random.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    attempts: u64,
    accepted: u64,
    exact: bool,
}

impl Drawn {
    fn sampled(attempts: u64, accepted: u64) -> Self {
        Drawn {
            attempts,
            accepted,
            exact: false,
        }
    }

    fn exact(attempts: u64, accepted: u64) -> Self {
        Drawn {
            attempts,
            accepted,
            exact: true,
        }
    }

    /// The p of `hits` tail tuples among the B draws (or T tuples): `(1 + hits) / (B + 1)`,
    /// the observed event set counted as one more, so p is never 0.
    fn p(&self, hits: u64) -> f64 {
        counted_p(hits, self.accepted)
    }
}

/// Which distinct pools share a start date: `meets(g, h)` for the pools of events g and h
/// (each the first event with its pool, `group`), so that a draw can pick one date twice only
/// from pools that meet. Exact for up to 64 distinct pools (one bit each, per start date);
/// beyond that, every two distinct pools meet when any two do.
fn pools_meeting(sets: &[Vec<u32>], group: &[usize], nb: usize) -> impl Fn(usize, usize) -> bool {
    let firsts: Vec<usize> = (0..sets.len()).filter(|&e| group[e] == e).collect();
    // Per event that starts a pool: the pools it meets, as bits over `firsts`' order.
    let mut met = vec![0u64; sets.len()];
    let mut any = false;
    if firsts.len() <= 64 {
        let mut mask = vec![0u64; nb];
        for (g, &e) in firsts.iter().enumerate() {
            for &i in &sets[e] {
                mask[i as usize] |= 1 << g;
            }
        }
        let mut meet = vec![0u64; firsts.len()];
        for &m in mask.iter().filter(|m| m.count_ones() > 1) {
            let mut bits = m;
            while bits != 0 {
                let g = bits.trailing_zeros() as usize;
                meet[g] |= m & !(1 << g);
                bits &= bits - 1;
            }
        }
        for (g, &e) in firsts.iter().enumerate() {
            met[e] = meet[g];
        }
    } else {
        let mut owner = vec![u32::MAX; nb];
        'scan: for &e in &firsts {
            for &i in &sets[e] {
                let slot = &mut owner[i as usize];
                if *slot != u32::MAX && *slot != e as u32 {
                    any = true;
                    break 'scan;
                }
                *slot = e as u32;
            }
        }
    }
    let bit: Vec<u32> = {
        let mut bit = vec![0; sets.len()];
        for (g, &e) in firsts.iter().enumerate() {
            bit[e] = g as u32;
        }
        bit
    };
    let few = firsts.len() <= 64;
    move |e: usize, f: usize| {
        if few { met[e] >> bit[f] & 1 == 1 } else { any }
    }
}

/// The admissibility check of a draw: distinct start dates (marked in a stamp array, O(n)
/// per draw) and, with a spacing, that far apart.
struct Distinct {
    /// `stamp[i] == generation` marks baseline index i as picked in the current draw.
    stamp: Vec<u32>,
    generation: u32,
}

impl Distinct {
    fn new(len: usize) -> Self {
        Distinct {
            stamp: vec![0; len],
            generation: 0,
        }
    }

    /// Whether the picks are distinct and (with a spacing) at least that many days apart
    /// (sorts `picked` when there is a spacing: start dates ascend with the index, so
    /// neighbours then hold the closest pairs).
    #[inline]
    fn admissible(&mut self, picked: &mut [u32], days: &[i64], spacing: Option<i64>) -> bool {
        if spacing.is_none() && picked.len() <= 8 {
            // A handful of picks: pair by pair is cheaper than touching the stamps.
            return picked
                .iter()
                .enumerate()
                .all(|(k, &a)| picked[k + 1..].iter().all(|&b| a != b));
        }
        if let Some(s) = spacing {
            picked.sort_unstable();
            return picked
                .windows(2)
                .all(|w| w[0] != w[1] && days[w[1] as usize] - days[w[0] as usize] >= s);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // After 2^32 − 1 draws the stamps are reused: clear them once.
            self.stamp.fill(0);
            self.generation = 1;
        }
        for &i in picked.iter() {
            let mark = &mut self.stamp[i as usize];
            if *mark == self.generation {
                return false;
            }
            *mark = self.generation;
        }
        true
    }
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
        let (excess, p) = matched_excess_p(
            &events,
            &b,
            &Candidates::PerEvent(pools),
            &StatsOptions::new().draws(5_000),
        )
        .unwrap();
        assert_eq!((excess, p), (t.excess, t.p));
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
