//! Baselines, descriptive summaries and numpy-compatible quantiles.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Largest magnitude accepted for a return.
///
/// Simple returns are never near this; the bound keeps sums of squares finite so that no
/// statistic can overflow to infinity or NaN.
pub const MAX_ABS_RETURN: f64 = 1e100;

/// Descriptive summary of a sample of returns.
///
/// ```text
/// mean   = Σ x_i / n
/// sd     = sqrt( Σ (x_i − mean)² / (n − 1) )
/// median = quantile_type7(x, 0.50)
/// p05    = quantile_type7(x, 0.05)
/// p95    = quantile_type7(x, 0.95)
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation (divisor n − 1); exactly 0 when all values are equal.
    pub sd: f64,
    /// Median (type-7 quantile at 0.5).
    pub median: f64,
    /// 5th percentile (type 7).
    pub p05: f64,
    /// 95th percentile (type 7).
    pub p95: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "n = {}, mean {:.4}, sd {:.4}, median {:.4}, p05 {:.4}, p95 {:.4}",
            self.n, self.mean, self.sd, self.median, self.p05, self.p95
        )
    }
}

/// Checks that `values` is non-empty and every value is finite with magnitude at most
/// [`MAX_ABS_RETURN`].
pub(crate) fn check_values(name: &'static str, values: &[f64]) -> crate::Result<()> {
    if values.is_empty() {
        return Err(crate::Error::param(name, "[]", "needs at least one value"));
    }
    if let Some((i, v)) = values
        .iter()
        .enumerate()
        .find(|(_, v)| !v.is_finite() || v.abs() > MAX_ABS_RETURN)
    {
        return Err(crate::Error::param(
            name,
            v,
            format!("value #{} must be finite with magnitude at most 1e100", i + 1),
        ));
    }
    Ok(())
}

/// Mean of a non-empty slice; exactly the common value when all values are equal.
///
/// A second pass adds the mean residual, which removes most of the rounding error of the
/// naive sum. Returns 0 for an empty slice (callers never pass one).
pub(crate) fn mean_of(values: &[f64]) -> f64 {
    let Some(&first) = values.first() else { return 0.0 };
    if values.iter().all(|&v| v == first) {
        return first;
    }
    let n = values.len() as f64;
    let m = values.iter().sum::<f64>() / n;
    m + values.iter().map(|&v| v - m).sum::<f64>() / n
}

/// Sample standard deviation (divisor n − 1) around `mean`; `None` for fewer than two values.
pub(crate) fn sd_of(values: &[f64], mean: f64) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let ss: f64 = values.iter().map(|&v| (v - mean) * (v - mean)).sum();
    Some((ss / (values.len() - 1) as f64).sqrt())
}

/// Type-7 quantile of data already sorted ascending; the caller guarantees a non-empty,
/// sorted slice and `q` in [0, 1].
pub(crate) fn type7_sorted_unchecked(sorted: &[f64], q: f64) -> f64 {
    let Some(&last) = sorted.last() else { return 0.0 };
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    match (sorted.get(lo), sorted.get(lo + 1)) {
        (Some(&a), Some(&b)) => lerp(a, b, frac),
        (Some(&a), None) => a,
        _ => last,
    }
}

/// numpy's `_lerp`: `a + (b − a)·t`, computed from the nearer end for accuracy.
pub(crate) fn lerp(a: f64, b: f64, t: f64) -> f64 {
    let d = b - a;
    if t >= 0.5 { b - d * (1.0 - t) } else { a + d * t }
}

fn check_q(q: f64) -> crate::Result<()> {
    if !(0.0..=1.0).contains(&q) {
        return Err(crate::Error::param("q", q, "quantile level must lie in [0, 1]"));
    }
    Ok(())
}

/// Quantile of `values` by linear interpolation between order statistics: R's type 7,
/// numpy's default `percentile`/`quantile` method (`'linear'`).
///
/// statrs is not used here: its quantiles are R type 8 and it returns NaN on empty input.
///
/// ```text
/// x_(0) ≤ … ≤ x_(n−1)  the sorted values
/// h = (n − 1)·q,  k = ⌊h⌋
/// Q(q) = x_(k) + (h − k)·(x_(k+1) − x_(k))      (x_(n−1) when k = n − 1)
/// ```
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `values` is empty or holds a non-finite value,
/// or `q` lies outside [0, 1].
///
/// # Example
/// ```
/// use eventstudy::stats::quantile_type7;
/// let q = quantile_type7(&[3.0, 1.0, 2.0, 4.0], 0.25)?;
/// assert!((q - 1.75).abs() < 1e-12);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn quantile_type7(values: &[f64], q: f64) -> crate::Result<f64> {
    check_values("values", values)?;
    check_q(q)?;
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    Ok(type7_sorted_unchecked(&sorted, q))
}

/// [`quantile_type7`] for data the caller has already sorted ascending (no copy, O(1)
/// after an O(n) validation pass).
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `sorted` is empty, not sorted ascending, holds a
/// non-finite value, or `q` lies outside [0, 1].
pub fn quantile_type7_sorted(sorted: &[f64], q: f64) -> crate::Result<f64> {
    check_values("sorted", sorted)?;
    check_q(q)?;
    if let Some(i) = sorted.windows(2).position(|w| w[0] > w[1]) {
        return Err(crate::Error::param(
            "sorted",
            i + 1,
            "values are not sorted ascending at this index",
        ));
    }
    Ok(type7_sorted_unchecked(sorted, q))
}

/// Descriptive summary of `values`: n, mean, sd (n − 1), median, 5th and 95th percentile
/// (type 7, see [`quantile_type7`]).
///
/// ```text
/// mean = Σ x_i / n,   sd = sqrt( Σ (x_i − mean)² / (n − 1) )
/// ```
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when fewer than two values are given or any value
/// is not finite.
pub fn summary(values: &[f64]) -> crate::Result<Summary> {
    check_values("values", values)?;
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    summary_of(values, &sorted)
}

fn summary_of(values: &[f64], sorted: &[f64]) -> crate::Result<Summary> {
    let mean = mean_of(values);
    let Some(sd) = sd_of(values, mean) else {
        return Err(crate::Error::param(
            "values",
            values.len(),
            "a summary needs at least two values",
        ));
    };
    Ok(Summary {
        n: values.len(),
        mean,
        sd,
        median: type7_sorted_unchecked(sorted, 0.5),
        p05: type7_sorted_unchecked(sorted, 0.05),
        p95: type7_sorted_unchecked(sorted, 0.95),
    })
}

/// Newey–West (Bartlett kernel) standard error of the mean of `values`, with `lag` lags.
///
/// ```text
/// γ_l   = (1/N) Σ_{t=l+1..N} (x_t − x̄)(x_{t−l} − x̄)
/// var   = (1/N) · [ γ_0 + 2 Σ_{l=1..L} (1 − l/(L+1)) · γ_l ]
/// se    = sqrt(max(var, 0))
/// ```
///
/// the HAC variance of a constant-only OLS regression without small-sample correction
/// (`statsmodels` `OLS(x, 1).fit(cov_type="HAC", cov_kwds={"maxlags": L, "use_correction": False})`).
/// With `lag = 0` it is the plug-in iid standard error sqrt(γ_0 / N). Lags at or beyond N are
/// cut to N − 1; fewer than two values give 0.
///
/// ```
/// let se = eventstudy::stats::newey_west_se(&[1.0, 2.0, 3.0, 4.0], 1);
/// // γ0 = 1.25, γ1 = 0.3125: var = (1.25 + 2·½·0.3125) / 4
/// assert!((se - (1.5625f64 / 4.0).sqrt()).abs() < 1e-15);
/// ```
pub fn newey_west_se(values: &[f64], lag: usize) -> f64 {
    let n = values.len();
    if n < 2 {
        return 0.0;
    }
    let mean = mean_of(values);
    let dev: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let gamma = |l: usize| dev[l..].iter().zip(&dev).map(|(a, b)| a * b).sum::<f64>() / n as f64;
    let lag = lag.min(n - 1);
    let mut var = gamma(0);
    for l in 1..=lag {
        var += 2.0 * (1.0 - l as f64 / (lag as f64 + 1.0)) * gamma(l);
    }
    (var.max(0.0) / n as f64).sqrt()
}

/// The reference distribution for one (asset, horizon): the forward return from every start
/// date with a complete window (overlapping windows, all dates).
///
/// Built once and shared by every rule evaluated on that asset and horizon. The returns are
/// kept contiguous in start-date order (the placebo loop reads them directly) together with
/// a sorted copy (for ranks and quantiles) and the summary.
#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    starts: Vec<NaiveDate>,
    returns: Vec<f64>,
    #[serde(skip)]
    sorted: Vec<f64>,
    /// Indices of `returns` in ascending order of value (`sorted[k] = returns[order[k]]`).
    #[serde(skip)]
    order: Vec<u32>,
    /// Start dates as day numbers, for the placebo spacing check.
    #[serde(skip)]
    days: Vec<i64>,
    /// Each start's calendar year as a slot from the first start's year, so that counting
    /// drawn dates per year is one increment.
    #[serde(skip)]
    year_slots: Vec<u16>,
    summary: Summary,
    /// Bartlett lag of the Newey–West standard error of the mean (0: no autocorrelation).
    hac_lag: usize,
    /// Standard error of the baseline mean, Newey–West with `hac_lag`.
    mean_se: f64,
}

impl Baseline {
    /// Builds a baseline from start dates and the forward return of the window starting at
    /// each.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when the lengths differ, fewer than two values are
    /// given, a return is not finite (or exceeds [`MAX_ABS_RETURN`] in magnitude), or the
    /// start dates are not strictly ascending.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// use eventstudy::stats::Baseline;
    /// let d = |day| NaiveDate::from_ymd_opt(2024, 1, day).unwrap();
    /// let b = Baseline::new(vec![d(1), d(2)], vec![0.01, 0.03])?;
    /// assert!((b.summary().mean - 0.02).abs() < 1e-15);
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn new(starts: Vec<NaiveDate>, returns: Vec<f64>) -> crate::Result<Baseline> {
        if starts.len() != returns.len() {
            return Err(crate::Error::param(
                "starts",
                starts.len(),
                format!(
                    "there are {} start dates but {} returns",
                    starts.len(),
                    returns.len()
                ),
            ));
        }
        if returns.len() < 2 {
            return Err(crate::Error::param(
                "returns",
                returns.len(),
                "a baseline needs at least two values",
            ));
        }
        check_values("returns", &returns)?;
        if let Some(w) = starts.windows(2).find(|w| w[0] >= w[1]) {
            return Err(crate::Error::param(
                "starts",
                w[1],
                format!(
                    "start dates must be strictly ascending; this one follows {}",
                    w[0]
                ),
            ));
        }
        // (value, index) pairs sort faster than indices compared through the values.
        let mut pairs: Vec<(f64, u32)> = returns.iter().copied().zip(0..).collect();
        pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (sorted, order): (Vec<f64>, Vec<u32>) = pairs.into_iter().unzip();
        let summary = summary_of(&returns, &sorted)?;
        let days = starts.iter().map(|d| i64::from(d.num_days_from_ce())).collect();
        let first_year = starts.first().map_or(0, Datelike::year);
        let year_slots = starts.iter().map(|d| (d.year() - first_year) as u16).collect();
        let mean_se = newey_west_se(&returns, 0);
        Ok(Baseline {
            starts,
            returns,
            sorted,
            order,
            days,
            year_slots,
            summary,
            hac_lag: 0,
            mean_se,
        })
    }

    /// The same baseline with its mean's standard error computed by Newey–West with `lag`
    /// (see [`newey_west_se`]). Overlapping h-day windows make neighbouring returns nearly
    /// equal, so the lag should be at least the horizon in rows: at 90 days the naive
    /// standard error is several times too small.
    ///
    /// ```
    /// use chrono::{Days, NaiveDate};
    /// use eventstudy::stats::Baseline;
    /// let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    /// // A slow wave: neighbouring values are nearly equal, as overlapping windows are.
    /// let values: Vec<f64> = (0..400).map(|i| (f64::from(i) / 40.0).sin()).collect();
    /// let b = Baseline::new((0..400).map(|i| start + Days::new(i)).collect(), values)?;
    /// let hac = b.clone().with_hac_lag(60);
    /// assert!(hac.mean_se() > 3.0 * b.mean_se());
    /// assert!(hac.effective_n() < 0.2 * b.len() as f64);
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn with_hac_lag(mut self, lag: usize) -> Baseline {
        self.hac_lag = lag;
        self.mean_se = newey_west_se(&self.returns, lag);
        self
    }

    /// The Newey–West lag of [`Baseline::mean_se`].
    pub fn hac_lag(&self) -> usize {
        self.hac_lag
    }

    /// Standard error of the baseline mean (Newey–West with [`Baseline::hac_lag`]).
    pub fn mean_se(&self) -> f64 {
        self.mean_se
    }

    /// The effective number of independent baseline values: how many independent draws would
    /// give the mean the same standard error, `N_eff = s_b² / se²` (N when the lag is 0, up to
    /// the divisors), at most N and at least 2.
    pub fn effective_n(&self) -> f64 {
        let n = self.len() as f64;
        let sd = self.summary.sd;
        if self.mean_se > 0.0 && sd > 0.0 {
            ((sd / self.mean_se).powi(2)).clamp(2.0, n)
        } else {
            n
        }
    }

    /// The same baseline without the starts within `horizon_days` calendar days of any event:
    /// a start s is dropped when |s − e| < `horizon_days` for some event date e, so the
    /// baseline does not contain the event windows themselves.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when `horizon_days` is negative or fewer than two
    /// starts remain.
    pub fn excluding_near(&self, event_dates: &[NaiveDate], horizon_days: i64) -> crate::Result<Baseline> {
        if horizon_days < 0 {
            return Err(crate::Error::param(
                "horizon_days",
                horizon_days,
                "must not be negative",
            ));
        }
        let mut events: Vec<i64> = event_dates
            .iter()
            .map(|d| i64::from(d.num_days_from_ce()))
            .collect();
        events.sort_unstable();
        let near = |day: i64| {
            // The nearest event is one of the two neighbours of `day` in the sorted list.
            let i = events.partition_point(|&e| e < day);
            let after = events.get(i).is_some_and(|&e| e - day < horizon_days);
            let before = i > 0 && events.get(i - 1).is_some_and(|&e| day - e < horizon_days);
            after || before
        };
        let (starts, returns): (Vec<NaiveDate>, Vec<f64>) = self
            .starts
            .iter()
            .zip(&self.days)
            .zip(&self.returns)
            .filter(|((_, day), _)| !near(**day))
            .map(|((s, _), r)| (*s, *r))
            .unzip();
        if returns.len() < 2 {
            return Err(crate::Error::param(
                "horizon_days",
                horizon_days,
                format!(
                    "excluding starts this close to the events leaves {} of {}",
                    returns.len(),
                    self.len()
                ),
            ));
        }
        Ok(Baseline::new(starts, returns)?.with_hac_lag(self.hac_lag))
    }

    /// Number of start dates N.
    pub fn len(&self) -> usize {
        self.returns.len()
    }

    /// Always false: a baseline holds at least two values.
    pub fn is_empty(&self) -> bool {
        self.returns.is_empty()
    }

    /// Start dates, strictly ascending.
    pub fn starts(&self) -> &[NaiveDate] {
        &self.starts
    }

    /// Forward returns in start-date order.
    pub fn returns(&self) -> &[f64] {
        &self.returns
    }

    /// Forward returns sorted ascending.
    pub fn sorted_returns(&self) -> &[f64] {
        &self.sorted
    }

    /// Start dates as day numbers (days from the common era), ascending.
    /// Type-7 median of the returns at `indices` (distinct, below the baseline's length, not
    /// empty): one walk over the baseline in value order, no copy of the values and no sort.
    pub(crate) fn median_of(&self, indices: &[u32]) -> f64 {
        let mut member = vec![false; self.returns.len()];
        for &i in indices {
            member[i as usize] = true;
        }
        let m = indices.len();
        let h = (m.saturating_sub(1)) as f64 * 0.5;
        let lo = h.floor() as usize;
        let frac = h - lo as f64;
        let mut seen = 0;
        let mut a = f64::NAN;
        for &i in &self.order {
            if !member[i as usize] {
                continue;
            }
            let v = self.returns[i as usize];
            if seen == lo {
                a = v;
                if frac == 0.0 {
                    return v;
                }
            } else if seen == lo + 1 {
                return lerp(a, v, frac);
            }
            seen += 1;
        }
        a
    }

    /// Share of the drawn start dates in each calendar year, from `(start index, times
    /// drawn)` pairs and the number of dates drawn in all.
    pub(crate) fn calendar_weights(
        &self,
        picks: impl IntoIterator<Item = (usize, u64)>,
        total: u64,
    ) -> std::collections::BTreeMap<i32, f64> {
        let first_year = self.starts.first().map_or(0, Datelike::year);
        let mut years = vec![0u64; self.year_slots.last().map_or(0, |&y| usize::from(y) + 1)];
        for (i, count) in picks {
            years[usize::from(self.year_slots[i])] += count;
        }
        years
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(k, &c)| (first_year + k as i32, c as f64 / total as f64))
            .collect()
    }

    pub(crate) fn days(&self) -> &[i64] {
        &self.days
    }

    /// n, mean, sd, median, 5th and 95th percentile of the baseline returns.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// Largest |return| in the baseline: the scale of the tie tolerances.
    pub(crate) fn max_abs(&self) -> f64 {
        match (self.sorted.first(), self.sorted.last()) {
            (Some(a), Some(b)) => a.abs().max(b.abs()),
            _ => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::{BASE12, close, day};

    #[test]
    fn newey_west_matches_statsmodels_hac() {
        // stats_reference.py "BASE12 nw se [lag 0, lag 2, lag 5]" and "WAVE ... nw se":
        // statsmodels OLS(x, const) HAC, use_correction=False
        for (lag, want) in [
            (0, 0.008801403244601064),
            (2, 0.004588640305795071),
            (5, 0.0032620882542945704),
        ] {
            let got = newey_west_se(&BASE12, lag);
            assert!(close(got, want, 1e-15), "lag {lag}: {got} vs {want}");
        }
        let wave: Vec<f64> = (0..400).map(|i| (f64::from(i) / 40.0).sin()).collect();
        assert!(close(newey_west_se(&wave, 0), 0.033269441100730254, 1e-15));
        assert!(close(newey_west_se(&wave, 60), 0.23296838019293667, 1e-14));
        // Lags past N are cut; fewer than two values give 0.
        assert_eq!(newey_west_se(&[1.0], 3), 0.0);
        assert!(newey_west_se(&[1.0, 2.0], 50).is_finite());
    }

    #[test]
    fn quantiles_match_numpy_percentile() {
        let data = [3.5, -1.0, 2.25, 7.0, 0.0, 4.75, -2.5];
        let qs = [0.0, 0.05, 0.2, 0.25, 0.5, 0.95, 1.0];
        // numpy.percentile(QDATA, 100*q) in tests/reference/stats_reference.py
        let expected = [
            -2.5,
            -2.05,
            -0.7999999999999998,
            -0.5,
            2.25,
            6.324999999999998,
            7.0,
        ];
        for (q, e) in qs.iter().zip(expected) {
            let got = quantile_type7(&data, *q).unwrap();
            assert!(close(got, e, 1e-14), "q={q}: {got} vs {e}");
        }
        // numpy.percentile([5.0], 30) in stats_reference.py
        assert_eq!(quantile_type7(&[5.0], 0.3).unwrap(), 5.0);
        // numpy.percentile([1.0, 2.0], [5, 50, 95]) in stats_reference.py
        for (q, e) in [(0.05, 1.05), (0.5, 1.5), (0.95, 1.95)] {
            assert!(close(quantile_type7_sorted(&[1.0, 2.0], q).unwrap(), e, 1e-15));
        }
    }

    #[test]
    fn quantile_errors() {
        assert!(quantile_type7(&[], 0.5).is_err());
        assert!(quantile_type7(&[1.0, f64::NAN], 0.5).is_err());
        assert!(quantile_type7(&[1.0], 1.5).is_err());
        assert!(quantile_type7(&[1.0], f64::NAN).is_err());
        assert!(quantile_type7_sorted(&[2.0, 1.0], 0.5).is_err());
    }

    #[test]
    fn summaries_match_numpy() {
        let dates: Vec<NaiveDate> = (0..12).map(day).collect();
        let b = Baseline::new(dates, BASE12.to_vec()).unwrap();
        let s = b.summary();
        // [len, mean, std(ddof=1), median, percentile 5, percentile 95] of BASE12, stats_reference.py
        let e = [
            12.0,
            0.0065833333333333325,
            0.031844675117409085,
            0.0095,
            -0.04615,
            0.04714999999999999,
        ];
        assert_eq!(s.n, 12);
        for (got, want) in [s.mean, s.sd, s.median, s.p05, s.p95].iter().zip(&e[1..]) {
            assert!(close(*got, *want, 1e-15), "{got} vs {want}");
        }
        // Same for BASE2 = [0.01, 0.03] (a baseline of exactly two values), stats_reference.py
        let b2 = Baseline::new(vec![day(0), day(1)], vec![0.01, 0.03]).unwrap();
        let s = b2.summary();
        let e = [0.02, 0.01414213562373095, 0.02, 0.011, 0.028999999999999998];
        for (got, want) in [s.mean, s.sd, s.median, s.p05, s.p95].iter().zip(e) {
            assert!(close(*got, want, 1e-15), "{got} vs {want}");
        }
        assert_eq!(summary(&BASE12).unwrap(), b.summary());
    }

    #[test]
    fn all_equal_values_have_exact_mean_and_zero_sd() {
        let s = summary(&[0.1, 0.1, 0.1]).unwrap();
        assert_eq!(s.mean, 0.1);
        assert_eq!(s.sd, 0.0);
        assert!(summary(&[0.1]).is_err());
    }

    #[test]
    fn baseline_validation() {
        assert!(Baseline::new(vec![day(0)], vec![0.1]).is_err());
        assert!(Baseline::new(vec![day(0), day(1)], vec![0.1]).is_err());
        assert!(Baseline::new(vec![day(1), day(1)], vec![0.1, 0.2]).is_err());
        assert!(Baseline::new(vec![day(2), day(1)], vec![0.1, 0.2]).is_err());
        assert!(Baseline::new(vec![day(0), day(1)], vec![0.1, f64::INFINITY]).is_err());
        assert!(Baseline::new(vec![day(0), day(1)], vec![0.1, 1e200]).is_err());
    }

    #[test]
    fn excluding_near_drops_starts_within_the_horizon() {
        let dates: Vec<NaiveDate> = (0..12).map(day).collect();
        let b = Baseline::new(dates, BASE12.to_vec()).unwrap();
        // Events on day 3 and day 10, horizon 2: drop days 2, 3, 4, 9, 10, 11.
        let kept = b.excluding_near(&[day(10), day(3)], 2).unwrap();
        let want: Vec<NaiveDate> = [0, 1, 5, 6, 7, 8].into_iter().map(day).collect();
        assert_eq!(kept.starts(), &want[..]);
        assert_eq!(kept.returns(), &[0.012, -0.034, 0.023, 0.044, -0.061, 0.005]);
        assert_eq!(b.excluding_near(&[day(3)], 0).unwrap().len(), 12);
        assert!(b.excluding_near(&[day(3)], -1).is_err());
        assert!(b.excluding_near(&[day(5)], 20).is_err());
    }

    #[test]
    fn baseline_serializes_without_the_sorted_copy() {
        let b = Baseline::new(vec![day(0), day(1)], vec![0.03, 0.01]).unwrap();
        let v = serde_json::to_value(&b).unwrap();
        assert_eq!(v["returns"], serde_json::json!([0.03, 0.01]));
        assert_eq!(v["starts"], serde_json::json!(["2024-01-01", "2024-01-02"]));
        assert!(v.get("sorted").is_none());
        assert_eq!(b.sorted_returns(), &[0.01, 0.03]);
    }
}
