//! Rank and sign tests of the classic event study that rank each event's abnormal returns over
//! its own estimation and event windows (Corrado 1989; Corrado and Zivney 1992; Cowan 1992;
//! Campbell and Wasley 1993; Kolari and Pynnönen 2011), and Kolari and Pynnönen's (2010)
//! correction for cross-correlated abnormal returns.
//!
//! Each event's series lies on one grid of T event-time days shared by every event (the
//! estimation days, then the event days), NaN where the event has no abnormal return; N_t is
//! the number of events with a value on day t, N the number of events, M_i the number of
//! values of event i. Days no event has are left out of T.

use std::ops::Range;

use rand::SeedableRng;
use serde::Serialize;

use super::inference::{TTest, t_distributed};
use super::market_model::{ZTest, z_test};
use super::placebo::{DrawRng, uniform_below};

/// Mean ranks (1-based, ties averaged) of the finite values of `x`, NaN elsewhere.
fn mean_ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).filter(|&i| x[i].is_finite()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![f64::NAN; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && x[order[j]] == x[order[i]] {
            j += 1;
        }
        let rank = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = rank;
        }
        i = j;
    }
    ranks
}

/// The median of the finite values (numpy's: the mean of the middle two for an even count).
fn median(x: &[f64]) -> f64 {
    let mut v: Vec<f64> = x.iter().copied().filter(|v| v.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let m = v.len();
    if m % 2 == 1 {
        v[m / 2]
    } else {
        (v[m / 2 - 1] + v[m / 2]) / 2.0
    }
}

/// The daily sums the rank and sign tests are built from, over N events on a grid of T days.
///
/// ```text
/// K_it  = rank of AR_it among event i's M_i values (ties averaged)
/// U_it  = K_it / (M_i + 1) − 1/2                      (Corrado and Zivney 1992)
/// D_it  = K_it − (M_i + 1)/2                          (Corrado 1989's demeaned rank)
/// G_it  = sign(AR_it − median_i AR)                   (Corrado and Zivney 1992; 0 at the median)
/// X̄_t   = mean over the N_t events of X_it,   S_X² = (1/T) Σ_t (N_t/N) X̄_t²    (X = U, D)
/// S_G²  = (1/T) Σ_t (Σ_i G_it / √N_t)²
///
/// rank      day t : D̄_t / S_D                                       ~ N(0, 1)
/// mrank     day t : Ū_t / S_U                                       ~ N(0, 1)
/// cowan_rank  W   : Σ_{t∈W} Ū_t / (√L_W S_U)                        ~ N(0, 1)
/// cz_sign     W   : Σ_{t∈W} (Σ_i G_it / √N_t) / (√L_W S_G)          ~ N(0, 1)
/// ```
///
/// Without missing values (N_t = N, M_i = T) these are the papers' statistics; the N_t/N
/// weight is Kolari and Pynnönen's (2011) and EventStudyTools' treatment of missing days. The
/// CAR rank test is Campbell and Wasley's (1993) and Cowan's (1992); the window sign test
/// sums the daily statistics in the same way (Corrado and Zivney derive one day only).
/// Where packages differ: estudy2 divides by the mean M_i instead of T, does not rescale
/// `rank`'s ranks, and inflates each day's sum by N/N_t (`rowMeans · ncol`) on days where an
/// event is missing; `tests/reference/classic_rank_reference.py` reproduces its published
/// numbers and these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankTests {
    n: usize,
    counts: Vec<u32>,
    u_sum: Vec<f64>,
    d_sum: Vec<f64>,
    g_sum: Vec<f64>,
}

impl RankTests {
    /// Ranks each event's series (one slice per event, every slice the grid's length T).
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when there is no event, the slices differ in length,
    /// or an event has fewer than two values.
    ///
    /// # Example
    /// ```
    /// use eventstudy::stats::RankTests;
    /// // Two events, 5 estimation days and 1 event day (the last), on which both rank top.
    /// let a = [0.01, -0.02, 0.0, 0.015, -0.01, 0.05];
    /// let b = [-0.01, 0.02, 0.005, -0.015, 0.0, 0.04];
    /// let r = RankTests::new(&[&a, &b])?;
    /// let z = r.mrank(5);
    /// assert!(z.z.unwrap() > 1.5);
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn new(series: &[&[f64]]) -> crate::Result<Self> {
        let t = series.first().map_or(0, |s| s.len());
        if series.is_empty() || series.iter().any(|s| s.len() != t) {
            return Err(crate::Error::param(
                "series",
                series.len(),
                "needs at least one event, every event on the same grid of days",
            ));
        }
        let mut r = RankTests::empty(t);
        for (i, s) in series.iter().enumerate() {
            r.add(s).map_err(|m| {
                crate::Error::param(
                    "series",
                    format!("event {}: {m} values", i + 1),
                    "a rank test needs at least two values per event",
                )
            })?;
        }
        Ok(r)
    }

    /// No event yet, on a grid of `t` days.
    pub(crate) fn empty(t: usize) -> Self {
        RankTests {
            n: 0,
            counts: vec![0; t],
            u_sum: vec![0.0; t],
            d_sum: vec![0.0; t],
            g_sum: vec![0.0; t],
        }
    }

    /// Adds one event's series (the grid's length); Err(its number of values) when it has
    /// fewer than two.
    pub(crate) fn add(&mut self, s: &[f64]) -> std::result::Result<(), usize> {
        let ranks = mean_ranks(s);
        let m = ranks.iter().filter(|k| k.is_finite()).count();
        if m < 2 {
            return Err(m);
        }
        let med = median(s);
        let m1 = (m + 1) as f64;
        for (d, (&k, &x)) in ranks.iter().zip(s.iter()).enumerate() {
            if k.is_finite() {
                self.counts[d] += 1;
                self.u_sum[d] += k / m1 - 0.5;
                self.d_sum[d] += k - m1 / 2.0;
                self.g_sum[d] += if x > med {
                    1.0
                } else if x < med {
                    -1.0
                } else {
                    0.0
                };
            }
        }
        self.n += 1;
        Ok(())
    }

    /// The sums of two disjoint sets of events on one grid.
    pub(crate) fn merge(mut self, other: RankTests) -> Self {
        self.n += other.n;
        for d in 0..self.counts.len() {
            self.counts[d] += other.counts[d];
            self.u_sum[d] += other.u_sum[d];
            self.d_sum[d] += other.d_sum[d];
            self.g_sum[d] += other.g_sum[d];
        }
        self
    }

    /// Events added.
    pub(crate) fn events(&self) -> usize {
        self.n
    }

    /// Days with at least one event.
    fn days(&self) -> f64 {
        self.counts.iter().filter(|&&c| c > 0).count() as f64
    }

    /// S_X for the daily sums `sums` (X̄_t = sum/N_t): sqrt((1/T) Σ_t (N_t/N) X̄_t²).
    fn spread(&self, sums: &[f64]) -> f64 {
        let n = self.n as f64;
        let ss: f64 = sums
            .iter()
            .zip(&self.counts)
            .filter(|(_, c)| **c > 0)
            .map(|(s, &c)| s * s / (f64::from(c) * n))
            .sum();
        (ss / self.days()).sqrt()
    }

    fn mean(&self, sums: &[f64], day: usize) -> f64 {
        sums[day] / f64::from(self.counts[day])
    }

    /// A statistic over `days` (a day or a window), undefined when an event day has no
    /// event or the spread is 0.
    fn window(&self, days: Range<usize>, spread: f64, scaled: impl Fn(usize) -> f64) -> ZTest {
        if days.is_empty() || days.end > self.counts.len() || days.clone().any(|d| self.counts[d] == 0) {
            return z_test(f64::NAN);
        }
        let l = days.len() as f64;
        z_test(days.map(scaled).sum::<f64>() / (l.sqrt() * spread))
    }

    /// Corrado's (1989) rank test of day `day`: D̄_t / S_D.
    pub fn rank(&self, day: usize) -> ZTest {
        let s = self.spread(&self.d_sum);
        self.window(day..day + 1, s, |d| self.mean(&self.d_sum, d))
    }

    /// Corrado and Zivney's (1992) modified rank test of day `day`: Ū_t / S_U.
    pub fn mrank(&self, day: usize) -> ZTest {
        self.cowan_rank(day..day + 1)
    }

    /// The CAR rank test of the window `days` (Campbell and Wasley 1993; Cowan 1992):
    /// Σ Ū_t / (√L_W S_U); for one day, [`RankTests::mrank`].
    pub fn cowan_rank(&self, days: Range<usize>) -> ZTest {
        let s = self.spread(&self.u_sum);
        self.window(days, s, |d| self.mean(&self.u_sum, d))
    }

    /// Corrado and Zivney's (1992) sign test, of a day or summed over a window.
    pub fn cz_sign(&self, days: Range<usize>) -> ZTest {
        let scaled = |d: usize| self.g_sum[d] / f64::from(self.counts[d]).sqrt();
        let ss: f64 = (0..self.counts.len())
            .filter(|&d| self.counts[d] > 0)
            .map(|d| scaled(d).powi(2))
            .sum();
        self.window(days, (ss / self.days()).sqrt(), scaled)
    }
}

/// Kolari and Pynnönen's (2011) generalised rank test (GRANK) of a day or a CAR window.
///
/// `estimation_sar` holds each event's standardised estimation-window abnormal returns on the
/// grid of estimation days (NaN where missing; standardised by the forecast-error variance),
/// `scar` each event's standardised CAR of the window (SAR for one day).
///
/// ```text
/// SCAR*_i  = SCAR_i / sd_i(SCAR)                      (event-induced volatility; ddof 1)
/// GSAR_i   = event i's estimation SARs, then SCAR*_i as one more day; T_i values
/// U_it     = rank(GSAR_it) / (T_i + 1) − 1/2
/// Ū_t      = mean_i U_it,  S_Ū² = (1/T) Σ_t (N_t/N) Ū_t²,   T = estimation days + 1
/// Z        = Ū_0 / S_Ū   (Ū_0 on the cumulative day),   t_grank = Z sqrt((T − 2)/(T − 1 − Z²))
/// ```
///
/// t_grank is referred to Student's t with T − 2 degrees of freedom.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when the inputs differ in number or grid length, are
/// fewer than two events, the SCARs are not finite or all equal, or an event has no
/// estimation value.
pub fn grank(estimation_sar: &[&[f64]], scar: &[f64]) -> crate::Result<TTest> {
    let n = scar.len();
    let te = estimation_sar.first().map_or(0, |s| s.len());
    if n < 2 || estimation_sar.len() != n || estimation_sar.iter().any(|s| s.len() != te) {
        return Err(crate::Error::param(
            "scar",
            n,
            "GRANK needs at least two events, each with estimation SARs on one grid",
        ));
    }
    let prepared: Vec<GrankEvent> = estimation_sar.iter().map(|s| GrankEvent::new(s)).collect();
    grank_prepared(&prepared.iter().collect::<Vec<_>>(), scar)
}

/// One event's estimation SARs, ranked once, so that GRANK on many days and windows only
/// inserts the cumulative value: with c inserted, an estimation value v keeps its rank among
/// the estimation values plus 1 if c < v (½ if c = v), and c ranks 1 + #{v < c} + ½ #{v = c}.
#[derive(Debug, Clone)]
pub(crate) struct GrankEvent {
    /// The SARs on the grid (NaN where missing).
    values: Vec<f64>,
    /// Their mean ranks among the estimation values alone.
    ranks: Vec<f64>,
    /// The present values, ascending.
    sorted: Vec<f64>,
}

impl GrankEvent {
    pub(crate) fn new(values: &[f64]) -> Self {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        GrankEvent {
            values: values.to_vec(),
            ranks: mean_ranks(values),
            sorted,
        }
    }
}

/// [`grank`] on prepared events.
pub(crate) fn grank_prepared(events: &[&GrankEvent], scar: &[f64]) -> crate::Result<TTest> {
    let n = scar.len();
    let te = events.first().map_or(0, |e| e.values.len());
    if n < 2 || events.len() != n || events.iter().any(|e| e.values.len() != te) {
        return Err(crate::Error::param(
            "scar",
            n,
            "GRANK needs at least two events, each with estimation SARs on one grid",
        ));
    }
    super::summary::check_values("scar", scar)?;
    let mean = scar.iter().sum::<f64>() / n as f64;
    let sd = (scar.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    if sd.is_nan() || sd <= 0.0 {
        return Err(crate::Error::param(
            "scar",
            sd,
            "the SCARs do not vary: SCAR* is undefined",
        ));
    }
    let mut u_sum = vec![0.0; te + 1];
    let mut counts = vec![0u32; te + 1];
    for (e, &s) in events.iter().zip(scar) {
        let c = s / sd;
        let ti = e.sorted.len() + 1;
        if ti < 2 || e.sorted.is_empty() {
            return Err(crate::Error::param(
                "estimation_sar",
                0,
                "an event has no estimation SAR",
            ));
        }
        let scale = 1.0 / (ti + 1) as f64;
        for (d, (&v, &k)) in e.values.iter().zip(&e.ranks).enumerate() {
            if v.is_finite() {
                let shift = if c < v {
                    1.0
                } else if c == v {
                    0.5
                } else {
                    0.0
                };
                u_sum[d] += (k + shift) * scale - 0.5;
                counts[d] += 1;
            }
        }
        let below = e.sorted.partition_point(|&v| v < c);
        let equal = e.sorted[below..].partition_point(|&v| v == c);
        u_sum[te] += (1.0 + below as f64 + 0.5 * equal as f64) * scale - 0.5;
        counts[te] += 1;
    }
    let nf = n as f64;
    let days = counts.iter().filter(|&&c| c > 0).count();
    let ss: f64 = u_sum
        .iter()
        .zip(&counts)
        .filter(|(_, c)| **c > 0)
        .map(|(s, &c)| s * s / (f64::from(c) * nf))
        .sum();
    let z = (u_sum[te] / nf) / (ss / days as f64).sqrt();
    let t = days as f64;
    Ok(t_distributed(
        z * ((t - 2.0) / (t - 1.0 - z * z)).sqrt(),
        days - 2,
    ))
}

/// Events above which [`kolari_pynnonen`] estimates r̄ from a sample of pairs.
pub const KP_EXACT_MAX_EVENTS: usize = 500;

/// Pairs sampled for r̄ beyond [`KP_EXACT_MAX_EVENTS`] events.
pub const KP_SAMPLED_PAIRS: usize = 100_000;

/// Kolari and Pynnönen's (2010) adjustment for cross-correlation of abnormal returns.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct KpAdjustment {
    /// r̄, the mean correlation of the events' estimation residuals.
    pub rbar: f64,
    /// sqrt((1 − r̄)/(1 + (N − 1) r̄)): the factor on the Patell z and the BMP t.
    pub factor: f64,
    /// Pairs whose correlation went into r̄.
    pub pairs: usize,
    /// Whether every pair was used (otherwise a seeded sample of [`KP_SAMPLED_PAIRS`]).
    pub exact: bool,
}

/// r̄ and the factor of Kolari and Pynnönen's (2010) adjusted Patell and BMP tests.
///
/// ```text
/// r_ij  = Pearson correlation of the estimation residuals of events i and j over the days
///         both have (pairs with fewer than 3 such days, or a constant series, left out)
/// r̄     = mean_{i<j} r_ij,   factor = sqrt((1 − r̄) / (1 + (N − 1) r̄))
/// adjusted Patell z = z · factor,   adjusted BMP t = t · factor   (referred to N(0, 1))
/// ```
///
/// Beyond [`KP_EXACT_MAX_EVENTS`] events r̄ is the mean over [`KP_SAMPLED_PAIRS`] pairs drawn
/// uniformly (with replacement; `Pcg64Mcg` seeded with 0), since all N(N − 1)/2 pairs would
/// cost O(N² L). The sampling error of r̄ is then about 0.003 · sd(r_ij).
///
/// # Errors
/// [`crate::Error::InvalidParameter`] with fewer than two events, differing grid lengths, no
/// usable pair, or a factor that is undefined (r̄ ≤ −1/(N − 1)).
pub fn kolari_pynnonen(residuals: &[&[f64]]) -> crate::Result<KpAdjustment> {
    let n = residuals.len();
    let t = residuals.first().map_or(0, |s| s.len());
    if n < 2 || residuals.iter().any(|s| s.len() != t) {
        return Err(crate::Error::param(
            "residuals",
            n,
            "needs at least two events on one grid of estimation days",
        ));
    }
    let (mut sum, mut pairs) = (0.0, 0usize);
    let mut add = |a: usize, b: usize| {
        if let Some(r) = pairwise_correlation(residuals[a], residuals[b]) {
            sum += r;
            pairs += 1;
        }
    };
    let exact = n <= KP_EXACT_MAX_EVENTS;
    if exact {
        for a in 0..n {
            for b in a + 1..n {
                add(a, b);
            }
        }
    } else {
        let mut rng = DrawRng::seed_from_u64(0);
        for _ in 0..KP_SAMPLED_PAIRS {
            let a = uniform_below(&mut rng, n as u64) as usize;
            let b = (a + 1 + uniform_below(&mut rng, n as u64 - 1) as usize) % n;
            add(a, b);
        }
    }
    if pairs == 0 {
        return Err(crate::Error::param(
            "residuals",
            0,
            "no pair of events shares 3 estimation days",
        ));
    }
    let rbar = sum / pairs as f64;
    let denominator = 1.0 + (n - 1) as f64 * rbar;
    if denominator.is_nan() || denominator <= 0.0 {
        return Err(crate::Error::param(
            "rbar",
            rbar,
            "1 + (N − 1) r̄ must be positive",
        ));
    }
    Ok(KpAdjustment {
        rbar,
        factor: ((1.0 - rbar) / denominator).sqrt(),
        pairs,
        exact,
    })
}

/// Pearson correlation over the positions where both are finite, in one pass of sums
/// (residuals are centred near zero, so the raw moments lose nothing that matters here).
fn pairwise_correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let (mut k, mut sa, mut sb, mut saa, mut sbb, mut sab) = (0u32, 0.0, 0.0, 0.0, 0.0, 0.0);
    for (&x, &y) in a.iter().zip(b) {
        if x.is_finite() && y.is_finite() {
            k += 1;
            sa += x;
            sb += y;
            saa += x * x;
            sbb += y * y;
            sab += x * y;
        }
    }
    if k < 3 {
        return None;
    }
    let n = f64::from(k);
    let (vaa, vbb) = (saa - sa * sa / n, sbb - sb * sb / n);
    (vaa > 0.0 && vbb > 0.0).then(|| (sab - sa * sb / n) / (vaa * vbb).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties_and_skip_missing() {
        let r = mean_ranks(&[0.3, f64::NAN, 0.1, 0.3, -1.0]);
        assert!(r[1].is_nan());
        assert_eq!([r[0], r[2], r[3], r[4]], [3.5, 2.0, 3.5, 1.0]);
        assert_eq!(median(&[3.0, f64::NAN, 1.0, 2.0, 10.0]), 2.5);
    }
}
