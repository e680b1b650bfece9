//! Tests on the deviations x_i = r_i − μ of the event returns from the baseline mean: the
//! parametric one-sample t-test and the exact (or Monte-Carlo) sign-flip test.

use rand::rngs::ChaCha8Rng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::options::{CheckedOptions, StatsOptions};
use super::placebo::TIE_RTOL;
use super::summary::{check_values, mean_of, sd_of};

/// Largest n for which [`sign_flip`] enumerates all 2^n sign patterns; above it the test is
/// a seeded Monte-Carlo over random patterns.
pub const EXACT_SIGN_FLIP_MAX_N: usize = 20;

/// Stream of the seed used by the Monte-Carlo sign-flip test (the placebo uses stream 0).
const SIGN_FLIP_STREAM: u64 = 1;

/// Result of [`t_test`]. Undefined quantities are `None`, with the reason in
/// `undefined_reason`; never NaN.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TTest {
    /// t statistic.
    pub t: Option<f64>,
    /// Two-sided p-value.
    pub p_two_sided: Option<f64>,
    /// Degrees of freedom, n − 1.
    pub df: usize,
    /// Two-sided 5% critical value: the 97.5th percentile of Student's t with df degrees of
    /// freedom (`None` when df = 0).
    pub critical_t: Option<f64>,
    /// Why t and p are undefined (n < 2, or all deviations equal), if they are.
    pub undefined_reason: Option<String>,
}

/// One-sample t-test of x_i = r_i − μ against 0 (`scipy.stats.ttest_1samp(x, 0)`), treating
/// the baseline mean μ as known. [`t_test_se`] adds its standard error.
///
/// ```text
/// x_i  = r_i − μ,   df = n − 1
/// t    = mean(x) / ( sd(x) / sqrt(n) )            sd with divisor n − 1
/// p    = 2 · P(T_df > |t|)
/// crit = F⁻¹_df(0.975)
/// ```
///
/// For n < 2, or when every x_i is the same (sd = 0), t and p are `None` and
/// `undefined_reason` says why.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `event_returns` is empty or holds a non-finite
/// value, or `mu` is not finite.
///
/// # Example
/// ```
/// let t = eventstudy::stats::t_test(&[0.03, 0.05, 0.04], 0.0)?;
/// assert!((t.t.unwrap() - 6.928203230275509).abs() < 1e-9);
/// assert_eq!(t.df, 2);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn t_test(event_returns: &[f64], mu: f64) -> crate::Result<TTest> {
    t_test_se(event_returns, mu, 0.0)
}

/// The t-test of [`t_test`] with the baseline mean's own standard error `se_mu` in the
/// denominator (what [`crate::stats::EventStats`] uses, with the baseline's Newey–West
/// standard error, [`crate::stats::Baseline::mean_se`]): overlapping windows make the baseline
/// mean far less certain than its N start dates suggest.
///
/// ```text
/// t  = mean(x) / sqrt( sd(x)²/n + se_mu² ),   df = n − 1 (conservative: the events' df)
/// ```
///
/// Undefined (None, with the reason) for n < 2, or when sd(x) = 0 and se_mu = 0.
///
/// # Errors
/// As [`t_test`], and when `se_mu` is negative or not finite.
///
/// # Example
/// ```
/// let t = eventstudy::stats::t_test_se(&[0.03, 0.05, 0.04], 0.0, 0.01)?;
/// // sd = 0.01, n = 3: t = 0.04 / sqrt(0.0001/3 + 0.0001)
/// assert!((t.t.unwrap() - 0.04 / (0.0001f64 / 3.0 + 0.0001).sqrt()).abs() < 1e-12);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn t_test_se(event_returns: &[f64], mu: f64, se_mu: f64) -> crate::Result<TTest> {
    check_values("event_returns", event_returns)?;
    check_values("mu", &[mu])?;
    if !(se_mu.is_finite() && se_mu >= 0.0) {
        return Err(crate::Error::param("se_mu", se_mu, "must be a finite number ≥ 0"));
    }
    Ok(t_test_unchecked(&deviations(event_returns, mu), se_mu))
}

pub(crate) fn deviations(event_returns: &[f64], mu: f64) -> Vec<f64> {
    event_returns.iter().map(|&r| r - mu).collect()
}

/// Two-sided 5% critical t for `df` ≥ 1 degrees of freedom.
fn critical_t(df: usize) -> Option<f64> {
    let dist = StudentsT::new(0.0, 1.0, df as f64).ok()?;
    Some(dist.inverse_cdf(0.975)).filter(|c| c.is_finite())
}

pub(crate) fn t_test_unchecked(x: &[f64], se_mu: f64) -> TTest {
    let n = x.len();
    let df = n.saturating_sub(1);
    let undefined = |reason: String| TTest {
        t: None,
        p_two_sided: None,
        df,
        critical_t: if df >= 1 { critical_t(df) } else { None },
        undefined_reason: Some(reason),
    };
    let mean = mean_of(x);
    let Some(sd) = sd_of(x, mean) else {
        return undefined(format!("{n} event: the t-test needs at least 2"));
    };
    let se = (sd * sd / n as f64 + se_mu * se_mu).sqrt();
    if se <= 0.0 {
        return undefined(format!(
            "all {n} events deviate equally from the baseline mean: zero spread"
        ));
    }
    t_distributed(mean / se, df)
}

/// A t statistic with `df` ≥ 1 degrees of freedom, its two-sided p and critical value (None,
/// with the reason, when t or p is not finite).
pub(crate) fn t_distributed(t: f64, df: usize) -> TTest {
    let p = StudentsT::new(0.0, 1.0, df as f64)
        .ok()
        .map(|d| (2.0 * d.sf(t.abs())).min(1.0));
    match (t.is_finite(), p) {
        (true, Some(p)) if p.is_finite() => TTest {
            t: Some(t),
            p_two_sided: Some(p),
            df,
            critical_t: critical_t(df),
            undefined_reason: None,
        },
        _ => TTest {
            t: None,
            p_two_sided: None,
            df,
            critical_t: if df >= 1 { critical_t(df) } else { None },
            undefined_reason: Some(format!(
                "t = {t} with {df} degrees of freedom could not be evaluated"
            )),
        },
    }
}

/// Result of [`sign_flip`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SignFlip {
    /// Two-sided p-value.
    pub p: f64,
    /// Smallest p the exact test can give with this n: 2 / 2^n (1 for n = 1, 0.25 for n = 3).
    pub floor: f64,
    /// Whether all 2^n patterns were enumerated (n ≤ [`EXACT_SIGN_FLIP_MAX_N`]); otherwise
    /// `draws` random patterns were used.
    pub exact: bool,
    /// Number of random sign patterns (0 when exact).
    pub draws: u32,
}

/// Two-sided sign-flip test of x_i = r_i − μ: under the null each deviation is as likely
/// positive as negative.
///
/// ```text
/// S(s) = | Σ s_i x_i |   over sign patterns s ∈ {−1, +1}^n,   ε = 1e-9 · Σ |x_i|
/// exact (n ≤ 20): p = #{ s : S(s) ≥ S(1) − ε } / 2^n            floor = 2 / 2^n
/// Monte Carlo   : p = (1 + #{ b : S(s_b) ≥ S(1) − ε }) / (B + 1)  s_b uniform, b = 1..B
/// ```
///
/// |Σ s_i x_i| ≥ |Σ x_i| is the same as |mean| ≥ |observed mean|; the tolerance ε lets ties
/// count despite rounding. The exact enumeration splits the deviations into two halves and
/// tabulates each half's 2^(n/2) partial sums (two roundings per pattern, no allocation per
/// pattern). The Monte Carlo uses B = `options.draws` patterns from
/// `ChaCha8Rng::seed_from_u64(seed)` on stream 1.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `event_returns` is empty or non-finite, `mu` is
/// not finite, or the options are invalid.
///
/// # Example
/// ```
/// use eventstudy::stats::{StatsOptions, sign_flip};
/// let s = sign_flip(&[0.08, 0.06, 0.10], 0.0, &StatsOptions::new())?;
/// assert_eq!((s.p, s.floor, s.exact), (0.25, 0.25, true));
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn sign_flip(event_returns: &[f64], mu: f64, options: &StatsOptions) -> crate::Result<SignFlip> {
    check_values("event_returns", event_returns)?;
    check_values("mu", &[mu])?;
    Ok(sign_flip_unchecked(
        &deviations(event_returns, mu),
        &options.check()?,
    ))
}

/// The smallest p the exact sign-flip test can give with n deviations: only the observed
/// pattern and its mirror image reach the observed |mean| when all deviations share a sign.
///
/// ```text
/// floor(n) = 2 / 2^n        (1 for n = 1, 0.25 for n = 3; 0 once it underflows)
/// ```
pub fn sign_flip_floor(n: usize) -> f64 {
    0.5f64.powi(i32::try_from(n).unwrap_or(i32::MAX).saturating_sub(1))
}

pub(crate) fn sign_flip_unchecked(x: &[f64], options: &CheckedOptions) -> SignFlip {
    let n = x.len();
    let observed = x.iter().sum::<f64>().abs();
    let threshold = observed - TIE_RTOL * x.iter().map(|v| v.abs()).sum::<f64>();
    let floor = sign_flip_floor(n);
    if n <= EXACT_SIGN_FLIP_MAX_N {
        let (lo, hi) = x.split_at(n / 2);
        let (lo, hi) = (half_sums(lo), half_sums(hi));
        let mut hits = 0u64;
        for &a in &lo {
            hits += hi
                .iter()
                .map(|&b| u64::from((a + b).abs() >= threshold))
                .sum::<u64>();
        }
        let total = (lo.len() * hi.len()) as f64;
        SignFlip {
            p: hits as f64 / total,
            floor,
            exact: true,
            draws: 0,
        }
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(options.seed());
        rng.set_stream(SIGN_FLIP_STREAM);
        let mut hits = 0u64;
        for _ in 0..options.draws() {
            let mut sum = 0.0;
            for chunk in x.chunks(64) {
                let bits = rng.next_u64();
                for (i, &v) in chunk.iter().enumerate() {
                    sum += if bits >> i & 1 == 1 { -v } else { v };
                }
            }
            hits += u64::from(sum.abs() >= threshold);
        }
        let p = (1.0 + hits as f64) / (f64::from(options.draws()) + 1.0);
        SignFlip {
            p,
            floor,
            exact: false,
            draws: options.draws(),
        }
    }
}

/// Σ s_i x_i for every sign pattern s of `x` (bit i set: s_i = −1); 2^len entries.
fn half_sums(x: &[f64]) -> Vec<f64> {
    (0u32..1 << x.len())
        .map(|mask| {
            x.iter()
                .enumerate()
                .map(|(i, &v)| if mask >> i & 1 == 1 { -v } else { v })
                .sum()
        })
        .collect()
}

/// The minimum detectable effect of a one-sided 5% t-test with 80% power on n values with
/// standard deviation `sd`: the mean shift that the test detects four times in five.
///
/// ```text
/// MDE = (t_{0.95, n−1} + t_{0.80, n−1}) · sd / sqrt(n)
/// ```
///
/// (the parametric counterpart of the placebo MDE, q95 − q20 of the placebo means). None for
/// fewer than two values or a non-finite sd.
///
/// # Example
/// ```
/// // scipy: t.ppf(0.95, 4) + t.ppf(0.8, 4) = 3.072811363561831
/// let mde = eventstudy::stats::t_mde(0.1, 5).unwrap();
/// assert!((mde - 3.072811363561831 * 0.1 / 5f64.sqrt()).abs() < 1e-12);
/// ```
pub fn t_mde(sd: f64, n: usize) -> Option<f64> {
    let dist = StudentsT::new(0.0, 1.0, n.checked_sub(1).filter(|&d| d > 0)? as f64).ok()?;
    let m = (dist.inverse_cdf(0.95) + dist.inverse_cdf(0.80)) * sd / (n as f64).sqrt();
    m.is_finite().then_some(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::{BASE12_MEAN, close};

    fn opts() -> CheckedOptions {
        StatsOptions::new().check().unwrap()
    }

    #[test]
    fn t_test_matches_scipy() {
        let ev25 = [
            0.031, -0.012, 0.044, 0.005, 0.027, -0.003, 0.019, 0.052, -0.021, 0.008, 0.015, 0.036, -0.009,
            0.024, 0.011, 0.041, -0.017, 0.006, 0.029, 0.002, 0.033, -0.006, 0.013, 0.038, 0.021,
        ];
        // scipy.stats.ttest_1samp(ev - BASE12.mean(), 0) and scipy.stats.t.ppf(0.975, df),
        // stats_reference.py "t-test": [t, p, df, critical_t]
        let cases: [(&[f64], [f64; 4]); 3] = [
            (
                &[0.085, 0.062, 0.097],
                [7.279463042819906, 0.018353354857303262, 2.0, 4.302652729749462],
            ),
            (
                &[0.05, -0.01],
                [0.4472222222222223, 0.7322749505951802, 1.0, 12.706204736174694],
            ),
            (
                &ev25,
                [2.211277471677319, 0.03679035047144092, 24.0, 2.0638985616280245],
            ),
        ];
        for (ev, [t, p, df, crit]) in cases {
            let r = t_test(ev, BASE12_MEAN).unwrap();
            assert_eq!(r.df as f64, df);
            assert!(close(r.t.unwrap(), t, 1e-12 * t.abs()), "t {:?} vs {t}", r.t);
            assert!(
                close(r.p_two_sided.unwrap(), p, 1e-10),
                "p {:?} vs {p}",
                r.p_two_sided
            );
            assert!(
                close(r.critical_t.unwrap(), crit, 1e-9 * crit),
                "crit {:?} vs {crit}",
                r.critical_t
            );
            assert_eq!(r.undefined_reason, None);
        }
        // scipy.stats.t.ppf(0.975, df) for df in [1, 2, 5, 30], stats_reference.py
        for (df, c) in [
            (1, 12.706204736174694),
            (2, 4.302652729749462),
            (5, 2.5705818356363146),
            (30, 2.0422724563012378),
        ] {
            let got = critical_t(df).unwrap();
            assert!(close(got, c, 1e-9 * c), "df {df}: {got} vs {c}");
        }
    }

    #[test]
    fn t_test_undefined_cases_say_why() {
        // n = 1: df 0, nothing defined.
        let r = t_test(&[0.04], BASE12_MEAN).unwrap();
        assert_eq!((r.t, r.p_two_sided, r.critical_t, r.df), (None, None, None, 0));
        assert!(r.undefined_reason.unwrap().contains("at least 2"));
        // All-equal returns: scipy gives t = inf, p = 0 (stats_reference.py "EV_EQ"); we
        // report undefined but keep the critical value for df = 2.
        let r = t_test(&[0.02, 0.02, 0.02], BASE12_MEAN).unwrap();
        assert_eq!((r.t, r.p_two_sided), (None, None));
        assert!(close(r.critical_t.unwrap(), 4.302652729749462, 1e-8));
        assert!(r.undefined_reason.unwrap().contains("zero spread"));
        assert!(t_test(&[], 0.0).is_err());
        assert!(t_test(&[0.1], f64::NAN).is_err());
    }

    #[test]
    fn sign_flip_matches_enumeration() {
        let o = opts();
        // numpy enumeration over all 2^n patterns, stats_reference.py "sign-flip exact"
        let r = sign_flip(&[0.085, 0.062, 0.097], BASE12_MEAN, &StatsOptions::new()).unwrap();
        assert_eq!((r.p, r.floor, r.exact), (0.25, 0.25, true));
        assert_eq!(
            sign_flip(&[0.05, -0.01], BASE12_MEAN, &StatsOptions::new())
                .unwrap()
                .p,
            1.0
        );
        // itertools.product on integers [10,20,30,-5,15,25]: exact ties, p = 0.0625
        let ties = sign_flip_unchecked(&[0.10, 0.20, 0.30, -0.05, 0.15, 0.25], &o);
        assert_eq!(ties.p, 0.0625);
        let mix6 = [0.031, -0.044, 0.012, 0.027, -0.008, 0.019];
        assert_eq!(sign_flip_unchecked(&mix6, &o).p, 0.625);
        let x12 = [
            0.021, -0.013, 0.034, 0.008, -0.027, 0.015, 0.042, -0.005, 0.011, 0.019, -0.031, 0.026,
        ];
        assert_eq!(sign_flip_unchecked(&x12, &o).p, 0.2373046875);
        let x20: Vec<f64> = (0..20)
            .map(|i| 0.012 * f64::from((i * 7) % 11 - 4) + 0.003)
            .collect();
        let r = sign_flip_unchecked(&x20, &o);
        assert_eq!((r.p, r.exact), (0.14181137084960938, true));
        assert_eq!(r.floor, 2.0 / f64::from(1 << 20));
    }

    #[test]
    fn sign_flip_monte_carlo_above_twenty() {
        let x21: Vec<f64> = (0..21)
            .map(|i| 0.01 * f64::from((i * 5) % 13 - 5) + 0.004)
            .collect();
        let r = sign_flip_unchecked(&x21, &opts());
        // exact p by numpy enumeration of all 2^21 patterns, stats_reference.py "X21"
        let p = 0.10509872436523438;
        assert!(!r.exact && r.draws == crate::stats::DEFAULT_DRAWS);
        assert!(
            close(r.p, p, 5.0 * (p * (1.0 - p) / f64::from(r.draws)).sqrt() + 1e-4),
            "{} vs {p}",
            r.p
        );
        let again = sign_flip_unchecked(&x21, &opts());
        assert_eq!(r, again);
        let other = sign_flip_unchecked(&x21, &StatsOptions::new().seed(3).check().unwrap());
        assert_ne!(r.p, other.p);
    }

    #[test]
    fn sign_flip_degenerate_inputs() {
        let o = opts();
        assert_eq!(sign_flip_unchecked(&[0.3], &o).p, 1.0);
        assert_eq!(sign_flip_unchecked(&[0.0, 0.0, 0.0], &o).p, 1.0);
        assert_eq!(sign_flip_unchecked(&[0.01, 0.01, 0.01, 0.01], &o).p, 0.125);
        assert_eq!(sign_flip_floor(1), 1.0);
        assert_eq!(sign_flip_floor(3), 0.25);
        assert!(sign_flip(&[], 0.0, &StatsOptions::new()).is_err());
    }
}
