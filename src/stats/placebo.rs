//! The placebo permutation test and the minimum detectable effect.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use serde::Serialize;

use super::options::{CheckedOptions, StatsOptions};
use super::summary::{Baseline, check_values, lerp, mean_of};

/// The generator of every placebo draw (random days, matched designs, the joint placebo of the
/// Westfall–Young p): PCG-64 with a multiplicative 128-bit state (`rand_pcg::Pcg64Mcg`, of the
/// PCG family numpy draws from too), seeded by `seed_from_u64`. Reproducible across
/// platforms, and several times cheaper per word than a ChaCha generator, which matters at
/// tens of millions of picks per run.
pub(crate) type DrawRng = rand_pcg::Pcg64Mcg;

/// Relative tolerance under which two means count as tied (scaled by the largest |return|).
pub(crate) const TIE_RTOL: f64 = 1e-9;

/// Candidate start sets tried per draw, on average, before the spaced placebo gives up.
pub const MAX_SPACING_TRIES_PER_DRAW: u64 = 200;

/// Result of [`placebo_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PlaceboTest {
    /// Mean of the event returns.
    pub observed_mean: f64,
    /// Mean of the baseline returns.
    pub baseline_mean: f64,
    /// One-sided p: (1 + #{placebo mean ≥ observed mean}) / (B + 1).
    pub p_one_sided: f64,
    /// Two-sided p on |mean − baseline mean|.
    pub p_two_sided: f64,
    /// Number of draws B; when `exact`, the number of (spaced) n-subsets of the baseline.
    pub draws: u32,
    /// Whether every n-subset of the baseline was used once (there were no more than B), so
    /// that p and the quantiles are exact.
    pub exact: bool,
    /// Seed of the generator (`Pcg64Mcg`; unused when `exact`).
    pub seed: u64,
    /// Minimum calendar-day spacing of the drawn start dates, if any.
    pub spacing_days: Option<i64>,
    /// Candidate start sets rejected because they broke the spacing (0 without spacing).
    pub rejected: u64,
    /// 5th percentile of the placebo means (type 7).
    pub q05: f64,
    /// 20th percentile of the placebo means (type 7).
    pub q20: f64,
    /// 95th percentile of the placebo means (type 7).
    pub q95: f64,
    /// Minimum detectable effect, q95 − q20, in return units. (There is no "observed power":
    /// the power at the observed effect is a function of p and adds nothing to it.)
    pub mde: f64,
    /// Share of all drawn start dates in each calendar year: what the sampler actually weighs
    /// (a spacing, for one, over-weights the years with room for spaced dates).
    pub calendar_weights: BTreeMap<i32, f64>,
}

/// Placebo permutation test of the mean event return against random start dates.
///
/// Each of B draws takes n distinct start dates uniformly from the baseline. With a handful of
/// events (n ≤ 8, n² ≤ N/16) each event's date is drawn uniformly and a draw that repeats a
/// date is drawn again (the block sampler of [`super::matched_placebo`]); otherwise by Floyd's
/// algorithm, no allocation per draw. With a spacing, whole candidate sets are drawn until one
/// has every pair of dates at least `spacing` calendar days apart. Each way is uniform over the
/// (admissible) n-subsets. The generator is `rand_pcg::Pcg64Mcg::seed_from_u64(seed)`.
///
/// ```text
/// m_b        = mean of the n baseline returns of draw b,   b = 1..B
/// m_obs      = mean(r),   μ = baseline mean,   ε = 1e-9 · max|baseline return|
/// p_one      = (1 + #{ m_b ≥ m_obs − ε }) / (B + 1)
/// p_two      = (1 + #{ |m_b − μ| ≥ |m_obs − μ| − ε }) / (B + 1)
/// q05, q20, q95 = type-7 quantiles of the m_b
/// MDE        = q95 − q20
/// weight(y)  = #{ drawn start dates in year y } / (B · n)
/// ```
///
/// When the baseline has no more n-subsets than B (C(N, n) ≤ B: one event, or a short
/// baseline), each is used once instead (`exact`): the formulas above with the m_b the means
/// of all C(N, n) subsets (the spaced ones under a spacing) and B their number, so that
/// p = (1 + #{ m ≥ m_obs − ε }) / (C(N, n) + 1), the observed set counted as one more, and the
/// quantiles are the type-7 quantiles of the subset means. There is no Monte-Carlo error.
///
/// The MDE is the shift of the event mean that the one-sided 5% test detects with 80% power
/// (the placebo distribution shifted by MDE has its 20th percentile at today's critical
/// value q95). The tolerance ε makes ties count against the events.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `event_returns` is empty or non-finite, has more
/// values than the baseline, the options are invalid, no n start dates of the baseline can
/// be spaced as required, or the spacing rejects more than
/// [`MAX_SPACING_TRIES_PER_DRAW`]·B candidate sets.
///
/// # Example
/// ```
/// use chrono::{Days, NaiveDate};
/// use eventstudy::stats::{Baseline, StatsOptions, placebo_test};
/// let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
/// let starts = (0..500).map(|i| start + Days::new(i)).collect();
/// let returns = (0..500).map(|i| ((i * 37 % 101) as f64 - 50.0) / 1000.0).collect();
/// let baseline = Baseline::new(starts, returns)?;
/// let t = placebo_test(&[0.04, 0.05, 0.045], &baseline, &StatsOptions::new().draws(10_000))?;
/// assert!(t.p_one_sided < 0.01 && t.mde > 0.0);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn placebo_test(
    event_returns: &[f64],
    baseline: &Baseline,
    options: &StatsOptions,
) -> crate::Result<PlaceboTest> {
    check_values("event_returns", event_returns)?;
    placebo_checked(event_returns, baseline, &options.check()?)
}

pub(crate) fn placebo_checked(
    event_returns: &[f64],
    baseline: &Baseline,
    options: &CheckedOptions,
) -> crate::Result<PlaceboTest> {
    let n = event_returns.len();
    let values = baseline.returns();
    let nb = values.len();
    if n > nb {
        return Err(crate::Error::param(
            "event_returns",
            n,
            format!("more events than baseline start dates ({nb}): cannot draw that many distinct dates"),
        ));
    }
    if let Some(spacing) = options.spacing_days() {
        let most = max_spaced(baseline.days(), spacing);
        if most < n {
            return Err(crate::Error::param(
                "placebo_spacing_days",
                spacing,
                format!(
                    "at most {most} baseline start dates are {spacing} days apart, but there are {n} events"
                ),
            ));
        }
    }

    let draws = options.draws();
    let inv_n = 1.0 / n as f64;
    let exact = binomial_at_most(nb, n, u64::from(draws));
    let mut means = Vec::with_capacity(draws as usize);
    // How often each start date is drawn, for the calendar weights.
    let mut picks = vec![0u32; nb];
    let (accepted, rejected) = if exact {
        // No more n-subsets than draws: each once (the spaced ones), in lexicographic order.
        let mut at: Vec<usize> = (0..n).collect();
        let mut rejected = 0u64;
        loop {
            let spaced = options.spacing_days().is_none_or(|s| {
                at.windows(2)
                    .all(|w| baseline.days()[w[1]] - baseline.days()[w[0]] >= s)
            });
            if spaced {
                means.push(at.iter().map(|&i| values[i]).sum::<f64>() * inv_n);
                for &i in &at {
                    picks[i] += 1;
                }
            } else {
                rejected += 1;
            }
            if !next_combination(&mut at, nb) {
                break;
            }
        }
        (means.len() as u64, rejected)
    } else if options.spacing_days().is_none() && n <= 8 && n * n * 16 <= nb {
        // Repeats are rare (under 1 draw in 32): each event's date uniform over the baseline,
        // a draw with a repeat drawn again, which is uniform over the n-subsets too, in the
        // block sampler of the matched placebo.
        let (attempts, counts) = super::matched::uniform_subsets(baseline, n, options, |m| means.push(m))?;
        picks = counts;
        (u64::from(draws), attempts - u64::from(draws))
    } else {
        let mut sampler = Sampler::new(baseline, n, options);
        let mut rng = DrawRng::seed_from_u64(options.seed());
        for _ in 0..draws {
            // Indexing cannot panic: the sampler only yields indices below N = values.len().
            let picked = sampler.draw(&mut rng)?;
            let sum: f64 = picked.iter().map(|&i| values[i]).sum();
            for &i in picked {
                picks[i] += 1;
            }
            means.push(sum * inv_n);
        }
        (u64::from(draws), sampler.attempts - u64::from(draws))
    };

    let observed = mean_of(event_returns);
    let mu = baseline.summary().mean;
    let (hi, far) = tail_counts(&means, observed, mu, TIE_RTOL * baseline.max_abs());
    let p = |hits: u64| counted_p(hits, accepted);
    let [q05, q20, q95] = select_quantiles(&mut means, [0.05, 0.20, 0.95]);
    let calendar_weights = baseline.calendar_weights(
        picks.iter().enumerate().map(|(i, &c)| (i, u64::from(c))),
        accepted * n as u64,
    );
    Ok(PlaceboTest {
        observed_mean: observed,
        baseline_mean: mu,
        p_one_sided: p(hi),
        p_two_sided: p(far),
        draws: u32::try_from(accepted).unwrap_or(draws),
        exact,
        seed: options.seed(),
        spacing_days: options.spacing_days(),
        rejected,
        q05,
        q20,
        q95,
        mde: q95 - q20,
        calendar_weights,
    })
}

/// The placebo p of `hits` tail sets among `sets` drawn (or, exact, all of them):
/// (1 + hits) / (sets + 1), the observed set counted as one more, so p is never 0.
pub(crate) fn counted_p(hits: u64, sets: u64) -> f64 {
    (1.0 + hits as f64) / (sets as f64 + 1.0)
}

/// How many placebo means reach the observed one (`m ≥ observed − tol`, one-sided) and how
/// many are at least as far from `centre` (`|m − centre| ≥ |observed − centre| − tol`,
/// two-sided). The tolerance makes ties count against the events.
pub(crate) fn tail_counts(means: &[f64], observed: f64, centre: f64, tol: f64) -> (u64, u64) {
    let dev = (observed - centre).abs() - tol;
    means.iter().fold((0, 0), |(hi, far), &m| {
        (
            hi + u64::from(m >= observed - tol),
            far + u64::from((m - centre).abs() >= dev),
        )
    })
}

/// Whether C(n_all, k) ≤ limit, without overflow.
fn binomial_at_most(n_all: usize, k: usize, limit: u64) -> bool {
    let k = k.min(n_all - k);
    let mut c: u128 = 1;
    for i in 0..k {
        // C(n, i + 1) = C(n, i) · (n − i) / (i + 1), exact at every step.
        c = c * (n_all - i) as u128 / (i + 1) as u128;
        if c > u128::from(limit) {
            return false;
        }
    }
    true
}

/// The next k-subset of 0..n_all in lexicographic order (`at` ascending); false after the last.
fn next_combination(at: &mut [usize], n_all: usize) -> bool {
    let k = at.len();
    let Some(i) = (0..k).rev().find(|&i| at[i] < n_all - k + i) else {
        return false;
    };
    at[i] += 1;
    for j in i + 1..k {
        at[j] = at[j - 1] + 1;
    }
    true
}

/// Draws sets of n distinct indices below N, optionally spaced in calendar days.
struct Sampler<'a> {
    n: usize,
    nb: usize,
    days: &'a [i64],
    spacing: Option<i64>,
    /// `stamp[i] == generation` marks index i as taken in the current candidate set.
    stamp: Vec<u32>,
    generation: u32,
    picked: Vec<usize>,
    attempts: u64,
    max_attempts: u64,
}

impl<'a> Sampler<'a> {
    fn new(baseline: &'a Baseline, n: usize, options: &CheckedOptions) -> Self {
        Sampler {
            n,
            nb: baseline.len(),
            days: baseline.days(),
            spacing: options.spacing_days(),
            stamp: vec![0; baseline.len()],
            generation: 0,
            picked: vec![0; n],
            attempts: 0,
            max_attempts: MAX_SPACING_TRIES_PER_DRAW * u64::from(options.draws()),
        }
    }

    /// One admissible set of n distinct indices (order unspecified).
    fn draw(&mut self, rng: &mut DrawRng) -> crate::Result<&[usize]> {
        loop {
            self.attempts += 1;
            self.floyd(rng);
            let Some(spacing) = self.spacing else { break };
            if self.spaced(spacing) {
                break;
            }
            if self.attempts >= self.max_attempts {
                return Err(crate::Error::param(
                    "placebo_spacing_days",
                    spacing,
                    format!(
                        "fewer than 1 in {MAX_SPACING_TRIES_PER_DRAW} random sets of {} start dates are this far \
                         apart; lower the spacing",
                        self.n
                    ),
                ));
            }
        }
        Ok(&self.picked)
    }

    /// Floyd's algorithm: a uniformly random n-subset of 0..N with n random numbers.
    ///
    /// ```text
    /// for j in N−n .. N:  t = uniform(0..=j);  take j if t is taken already, else t
    /// ```
    fn floyd(&mut self, rng: &mut DrawRng) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // After 2^32 − 1 sets the stamps are reused: clear them once.
            self.stamp.fill(0);
            self.generation = 1;
        }
        let first = self.nb - self.n;
        for (slot, j) in self.picked.iter_mut().zip(first..self.nb) {
            let t = uniform_below(rng, j as u64 + 1) as usize;
            // Indexing cannot panic: t ≤ j < N = stamp.len().
            let pick = if self.stamp[t] == self.generation { j } else { t };
            self.stamp[pick] = self.generation;
            *slot = pick;
        }
    }

    /// Whether all picked start dates are at least `spacing` days apart (sorts `picked`).
    fn spaced(&mut self, spacing: i64) -> bool {
        self.picked.sort_unstable();
        // Start dates ascend with the index, so adjacent picks hold the closest pairs.
        // Indexing cannot panic: picks are below N = days.len().
        self.picked
            .windows(2)
            .all(|w| self.days[w[1]] - self.days[w[0]] >= spacing)
    }
}

/// The largest number of ascending day numbers that are pairwise at least `spacing` apart
/// (greedy from the earliest, which is optimal on a line).
fn max_spaced(days: &[i64], spacing: i64) -> usize {
    let mut count = 0;
    let mut last: Option<i64> = None;
    for &d in days {
        if last.is_none_or(|l| d - l >= spacing) {
            count += 1;
            last = Some(d);
        }
    }
    count
}

/// Uniform integer in 0..bound (bound ≥ 1) by Lemire's nearly divisionless method: exact,
/// and the same on every platform. Bounds that fit in 32 bits consume one `next_u32` per
/// try, larger bounds one `next_u64`.
#[inline]
pub(crate) fn uniform_below(rng: &mut DrawRng, bound: u64) -> u64 {
    if let Ok(b) = u32::try_from(bound) {
        let mut m = u64::from(rng.next_u32()) * u64::from(b);
        if (m as u32) < b {
            let threshold = b.wrapping_neg() % b;
            while (m as u32) < threshold {
                m = u64::from(rng.next_u32()) * u64::from(b);
            }
        }
        return m >> 32;
    }
    let mut m = u128::from(rng.next_u64()) * u128::from(bound);
    if (m as u64) < bound {
        let threshold = bound.wrapping_neg() % bound;
        while (m as u64) < threshold {
            m = u128::from(rng.next_u64()) * u128::from(bound);
        }
    }
    (m >> 64) as u64
}

/// Type-7 quantiles at ascending levels `qs` (O(len)), possibly reordering `values`.
/// `values` must be NaN-free; empty gives zeros.
///
/// Long inputs (the placebo means) are bucketed by value first: one counting pass over 2,048
/// equal-width buckets finds the bucket holding each wanted rank (bucketing is monotone, so a
/// bucket holds a contiguous run of ranks), and only that bucket is searched. Short inputs use
/// repeated `select_nth_unstable`. Both return the exact order statistics.
pub(crate) fn select_quantiles<const K: usize>(values: &mut [f64], qs: [f64; K]) -> [f64; K] {
    let mut out = [0.0; K];
    let len = values.len();
    if len == 0 {
        return out;
    }
    if len >= BUCKETED_FROM {
        // The order statistics each level needs: floor(h) and, between two, the next one.
        let mut ranks = [(0usize, 0.0f64); K];
        for (r, q) in ranks.iter_mut().zip(qs) {
            let h = (len - 1) as f64 * q;
            let lo = (h.floor() as usize).min(len - 1);
            *r = (lo, h - lo as f64);
        }
        let wanted: Vec<usize> = ranks
            .iter()
            .flat_map(|&(lo, frac)| [Some(lo), (frac > 0.0 && lo + 1 < len).then_some(lo + 1)])
            .flatten()
            .collect();
        let found = Bucketed::new(values).order_statistics(values, &wanted);
        let at = |k: usize| found[wanted.iter().position(|&w| w == k).unwrap_or(0)];
        for (slot, &(lo, frac)) in out.iter_mut().zip(&ranks) {
            *slot = if frac > 0.0 && lo + 1 < len {
                lerp(at(lo), at(lo + 1), frac)
            } else {
                at(lo)
            };
        }
        return out;
    }
    // Everything before `done` is ≤ everything from `done` on.
    let mut done = 0;
    for (slot, q) in out.iter_mut().zip(qs) {
        let h = (len - 1) as f64 * q;
        let lo = (h.floor() as usize).clamp(done, len - 1);
        let frac = h - lo as f64;
        let (_, &mut a, right) = values[done..].select_nth_unstable_by(lo - done, f64::total_cmp);
        let b = if frac > 0.0 {
            right.iter().copied().fold(f64::INFINITY, f64::min)
        } else {
            a
        };
        *slot = if b.is_finite() { lerp(a, b, frac) } else { a };
        done = lo;
    }
    out
}

/// Inputs at least this long are bucketed before selecting.
const BUCKETED_FROM: usize = 4_096;

/// Equal-width value buckets over a slice, with the number of values below each bucket and
/// each value's bucket.
struct Bucketed {
    /// `below[b]` values fall in buckets before b (length buckets + 1).
    below: Vec<usize>,
    /// The bucket of each value, in the slice's order.
    of: Vec<u16>,
}

impl Bucketed {
    const BUCKETS: usize = 2_048;

    fn new(values: &[f64]) -> Self {
        // Eight running minima and maxima, so the passes do not wait on one another.
        let mut lo = [f64::INFINITY; 8];
        let mut hi = [f64::NEG_INFINITY; 8];
        let chunks = values.chunks_exact(8);
        let rest = chunks.remainder();
        for c in chunks {
            for k in 0..8 {
                lo[k] = if c[k] < lo[k] { c[k] } else { lo[k] };
                hi[k] = if c[k] > hi[k] { c[k] } else { hi[k] };
            }
        }
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in lo.iter().chain(rest) {
            min = min.min(v);
        }
        for &v in hi.iter().chain(rest) {
            max = max.max(v);
        }
        let width = max - min;
        let scale = if width > 0.0 && width.is_finite() {
            Self::BUCKETS as f64 / width
        } else {
            0.0
        };
        // Monotone non-decreasing in the value, so buckets hold runs of ranks. The offset is
        // clamped in floating point first (values are finite), so the cast is a plain one.
        let top = (Self::BUCKETS - 1) as f64;
        let of: Vec<u16> = values
            .iter()
            .map(|&v| ((v - min) * scale).min(top) as u16)
            .collect();
        let mut below = vec![0; Self::BUCKETS + 1];
        for &k in &of {
            below[usize::from(k) + 1] += 1;
        }
        for k in 0..Self::BUCKETS {
            below[k + 1] += below[k];
        }
        Bucketed { below, of }
    }

    /// The k-th smallest values (0-based) for each k of `ranks`, in one more pass: the values
    /// of the buckets holding those ranks are gathered, then selected within.
    fn order_statistics(&self, values: &[f64], ranks: &[usize]) -> Vec<f64> {
        let bucket_of: Vec<usize> = ranks
            .iter()
            .map(|&k| self.below.partition_point(|&n| n <= k) - 1)
            .collect();
        let mut needed: Vec<usize> = bucket_of.clone();
        needed.sort_unstable();
        needed.dedup();
        let mut slot = vec![u8::MAX; Self::BUCKETS];
        for (i, &b) in needed.iter().enumerate() {
            slot[b] = i as u8;
        }
        let mut runs: Vec<Vec<f64>> = needed
            .iter()
            .map(|&b| Vec::with_capacity(self.below[b + 1] - self.below[b]))
            .collect();
        for (&v, &b) in values.iter().zip(&self.of) {
            let s = slot[usize::from(b)];
            if s != u8::MAX {
                runs[usize::from(s)].push(v);
            }
        }
        ranks
            .iter()
            .zip(&bucket_of)
            .map(|(&k, &b)| {
                let run = &mut runs[usize::from(slot[b])];
                *run.select_nth_unstable_by(k - self.below[b], f64::total_cmp).1
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::{base, base_days, close};

    fn p_tol(p: f64, draws: u32) -> f64 {
        // Five binomial standard errors of a Monte-Carlo proportion, plus the +1 offset.
        5.0 * (p * (1.0 - p) / f64::from(draws)).sqrt() + 2.0 / f64::from(draws)
    }

    const P6: [f64; 6] = [0.02, -0.01, 0.05, 0.00, 0.03, -0.04];
    const P8: [f64; 8] = [0.0131, -0.0217, 0.0342, 0.0023, -0.0085, 0.0276, 0.0409, -0.0153];
    const P8_DAYS: [i64; 8] = [0, 1, 2, 5, 6, 7, 12, 13];

    #[test]
    fn enumerates_when_subsets_do_not_outnumber_draws_n6() {
        let t = placebo_test(&[0.04, 0.03], &base(&P6), &StatsOptions::new()).unwrap();
        // all C(6,2) = 15 pairs, the observed set one more: stats_reference.py "P6 enumerated"
        assert!(t.exact);
        assert!(close(t.p_one_sided, 0.1875, 1e-15), "{}", t.p_one_sided);
        assert!(close(t.p_two_sided, 0.3125, 1e-15), "{}", t.p_two_sided);
        assert_eq!((t.draws, t.seed, t.rejected), (15, crate::stats::DEFAULT_SEED, 0));
    }

    /// 60 values (stats_reference.py `MC60`): C(60, 3) = 34,220 triples, more than the draws.
    fn mc60() -> Baseline {
        let v: Vec<f64> = (0..60)
            .map(|i: i64| ((i * 37) % 61 - 30) as f64 / 1000.0)
            .collect();
        base(&v)
    }

    #[test]
    fn monte_carlo_p_converges_to_the_exact_share() {
        let t = placebo_test(
            &[0.012, 0.015, 0.018],
            &mc60(),
            &StatsOptions::new().draws(20_000),
        )
        .unwrap();
        assert!(!t.exact);
        // exact shares over all 34,220 triples: stats_reference.py "MC60 n=3 exact shares"
        let (p1, p2) = (0.0755990648743425, 0.1483927527761543);
        assert!(close(t.p_one_sided, p1, p_tol(p1, t.draws)), "{}", t.p_one_sided);
        assert!(close(t.p_two_sided, p2, p_tol(p2, t.draws)), "{}", t.p_two_sided);
        assert_eq!(t.draws, 20_000);
    }

    #[test]
    fn quantiles_and_mde_match_exact_enumeration_n8() {
        let b = base_days(&P8, &P8_DAYS);
        let t = placebo_test(&[0.03, 0.025], &b, &StatsOptions::new()).unwrap();
        // all C(8,2) = 28 pairs: stats_reference.py "P8 enumerated" and "P8 exact type-7"
        assert!(t.exact && t.draws == 28);
        assert!(
            close(t.p_one_sided, 0.13793103448275862, 1e-15),
            "{}",
            t.p_one_sided
        );
        assert!(
            close(t.p_two_sided, 0.27586206896551724, 1e-15),
            "{}",
            t.p_two_sided
        );
        let [q05, q20, q95, mde] = [
            -0.013980000000000001,
            -0.0038199999999999996,
            0.033077499999999996,
            0.03689749999999999,
        ];
        assert!(
            close(t.q05, q05, 1e-15) && close(t.q20, q20, 1e-15),
            "{} {}",
            t.q05,
            t.q20
        );
        assert!(
            close(t.q95, q95, 1e-15) && close(t.mde, mde, 1e-15),
            "{} {}",
            t.q95,
            t.mde
        );
    }

    #[test]
    fn spaced_p_matches_exact_enumeration_over_admissible_pairs() {
        let b = base_days(&P8, &P8_DAYS);
        let opts = StatsOptions::new().draws(50_000).placebo_spacing_days(Some(3));
        let t = placebo_test(&[0.03, 0.025], &b, &opts).unwrap();
        // the 21 pairs at least 3 days apart: stats_reference.py "P8 spacing 3 days enumerated"
        assert!(t.exact);
        assert!(
            close(t.p_one_sided, 0.18181818181818182, 1e-15),
            "{}",
            t.p_one_sided
        );
        assert!(
            close(t.p_two_sided, 0.36363636363636365, 1e-15),
            "{}",
            t.p_two_sided
        );
        // 7 of the 28 pairs are inadmissible.
        assert_eq!((t.draws, t.rejected, t.spacing_days), (21, 7, Some(3)));
        // Drawn at random (fewer draws than the 34,220 triples of 60 consecutive days): a
        // random triple has two dates under 3 days apart about 1 time in 4.
        let opts = opts.draws(20_000);
        let t = placebo_test(&[0.03, 0.025, 0.02], &mc60(), &opts).unwrap();
        assert!(!t.exact);
        let share = t.rejected as f64 / (t.rejected as f64 + 20_000.0);
        assert!(share > 0.1 && share < 0.4, "{share}");
    }

    #[test]
    fn impossible_spacing_and_too_many_events_are_errors() {
        let b = base_days(&P8, &P8_DAYS);
        let three = [0.01, 0.02, 0.03];
        let err = placebo_test(&three, &b, &StatsOptions::new().placebo_spacing_days(Some(7))).unwrap_err();
        assert!(err.to_string().contains("at most 2"), "{err}");
        // Feasible (days 0, 6, 12) but only a few of the 56 triples qualify: still terminates.
        let r = placebo_test(
            &three,
            &b,
            &StatsOptions::new().draws(2_000).placebo_spacing_days(Some(6)),
        );
        assert!(r.is_ok(), "{r:?}");
        // Exactly one admissible set among C(40, 20): the rejection budget runs out.
        let days: Vec<i64> = (0..40).collect();
        let vals: Vec<f64> = (0..40).map(|i| f64::from(i) / 100.0).collect();
        let wide = base_days(&vals, &days);
        let ev = vec![0.0; 20];
        let opts = StatsOptions::new().draws(10).placebo_spacing_days(Some(2));
        let err = placebo_test(&ev, &wide, &opts).unwrap_err();
        assert!(err.to_string().contains("lower the spacing"), "{err}");
        assert!(placebo_test(&[0.0; 9], &b, &StatsOptions::new()).is_err());
        assert!(placebo_test(&[], &b, &StatsOptions::new()).is_err());
        assert!(placebo_test(&[0.1], &b, &StatsOptions::new().draws(0)).is_err());
    }

    #[test]
    fn events_above_every_placebo_mean_get_the_smallest_p() {
        let b = base(&crate::stats::testutil::BASE12);
        let t = placebo_test(&[0.085, 0.062, 0.097], &b, &StatsOptions::new().draws(20_000)).unwrap();
        // no triple of the 220 reaches the events: 1 / 221 (stats_reference.py "EV3 vs BASE12")
        assert!(t.exact && t.draws == 220);
        assert_eq!(t.p_one_sided, 1.0 / 221.0);
        assert_eq!(t.p_two_sided, 1.0 / 221.0);
        // Fewer draws than triples: Monte Carlo, and still no draw reaches them.
        let t = placebo_test(&[0.085, 0.062, 0.097], &b, &StatsOptions::new().draws(200)).unwrap();
        assert!(!t.exact);
        assert_eq!(t.p_one_sided, 1.0 / 201.0);
    }

    #[test]
    fn two_value_baseline_and_full_draws() {
        let b = base(&[0.01, 0.03]);
        // n = N: the one subset is the whole baseline and ties the observed mean.
        let t = placebo_test(&[0.03, 0.01], &b, &StatsOptions::new().draws(100)).unwrap();
        assert_eq!((t.p_one_sided, t.p_two_sided, t.mde), (1.0, 1.0, 0.0));
        // n = 1, by hand: subsets {0.01}, {0.03}; one reaches 0.03, so p = (1 + 1) / (2 + 1);
        // both are 0.01 from the mean 0.02, so the two-sided p is (1 + 2) / 3.
        let t = placebo_test(&[0.03], &b, &StatsOptions::new().draws(10_000)).unwrap();
        assert!(close(t.p_one_sided, 2.0 / 3.0, 1e-15), "{}", t.p_one_sided);
        assert!(close(t.p_two_sided, 1.0, 1e-15));
    }

    #[test]
    fn same_seed_same_numbers_other_seed_other_numbers() {
        let b = mc60();
        let opts = StatsOptions::new().draws(999);
        let a = placebo_test(&[0.02, 0.01, 0.0], &b, &opts.seed(5)).unwrap();
        let a2 = placebo_test(&[0.02, 0.01, 0.0], &b, &opts.seed(5)).unwrap();
        let c = placebo_test(&[0.02, 0.01, 0.0], &b, &opts.seed(6)).unwrap();
        assert_eq!(a, a2);
        assert_ne!(a.p_one_sided, c.p_one_sided);
    }

    #[test]
    fn select_quantiles_match_sorting() {
        let mut v: Vec<f64> = (0..1001).map(|i| ((i * 7919) % 1001) as f64 * 0.5).collect();
        let mut sorted = v.clone();
        sorted.sort_by(f64::total_cmp);
        let qs = [0.0, 0.05, 0.2, 0.2003, 0.95, 1.0];
        let got = select_quantiles(&mut v, qs);
        for (g, q) in got.iter().zip(qs) {
            let want = crate::stats::summary::type7_sorted_unchecked(&sorted, q);
            assert!(close(*g, want, 1e-12), "q={q}: {g} vs {want}");
        }
    }

    #[test]
    fn bucketed_quantiles_match_sorting() {
        // Long enough for the bucketed path: a spread, a cluster of ties, and extreme values.
        let mut v: Vec<f64> = (0..20_011)
            .map(|i| match i % 7 {
                0 => 0.25,
                1 => ((i * 7919) % 20_011) as f64 * 1e-4,
                2 => -3.0 + (i as f64).sqrt(),
                _ => ((i * 104_729) % 9_973) as f64 / 9_973.0 - 0.5,
            })
            .collect();
        v[17] = 1e6;
        v[23] = -1e6;
        let mut sorted = v.clone();
        sorted.sort_by(f64::total_cmp);
        let qs = [0.0, 0.05, 0.2, 0.5, 0.95, 0.999_99, 1.0];
        let got = select_quantiles(&mut v, qs);
        for (g, q) in got.iter().zip(qs) {
            let want = crate::stats::summary::type7_sorted_unchecked(&sorted, q);
            assert_eq!(*g, want, "q={q}");
        }
        // All equal: one bucket.
        let mut flat = vec![0.5; 5_000];
        assert_eq!(select_quantiles(&mut flat, [0.2, 0.95]), [0.5, 0.5]);
    }

    #[test]
    fn uniform_below_is_in_range_and_unbiased() {
        let mut rng = DrawRng::seed_from_u64(1);
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[uniform_below(&mut rng, 3) as usize] += 1;
        }
        // Each count ~ Binomial(30000, 1/3): sd 81.6; allow 5 sd.
        assert!(
            counts.iter().all(|&c| (c as f64 - 10_000.0).abs() < 410.0),
            "{counts:?}"
        );
        assert_eq!(uniform_below(&mut rng, 1), 0);
        // The 64-bit path for bounds beyond u32.
        let big = (1u64 << 40) + 7;
        let draws: Vec<u64> = (0..1000).map(|_| uniform_below(&mut rng, big)).collect();
        assert!(draws.iter().all(|&d| d < big));
        assert!(draws.iter().any(|&d| d > u64::from(u32::MAX)));
    }
}
