//! Sign and signed-rank tests of abnormal returns across events: distribution-free, and exact
//! where the sample is small enough for that to matter (it usually is).

use serde::Serialize;
use statrs::distribution::{Binomial, DiscreteCDF};
use statrs::function::erf::erfc;

use super::market_model::ZTest;
use super::summary::check_values;

/// The sign test of [`sign_test`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SignTest {
    /// Nonzero abnormal returns n (zeros carry no sign and are left out).
    pub n: usize,
    /// How many of them are positive.
    pub positive: usize,
    /// z = (2·positive − n) / √n.
    pub z: f64,
    /// Two-sided p of z from the standard normal.
    pub p_normal: f64,
    /// Exact two-sided binomial p: 2 · min(P(X ≤ positive), P(X ≥ positive)), X ~ Bin(n, ½),
    /// at most 1 (`scipy.stats.binomtest(positive, n, 0.5)`).
    pub p_exact: f64,
}

/// The sign test: are positive abnormal returns more (or less) common than negative ones?
///
/// ```text
/// n₊ = #{AR_i > 0},  n = #{AR_i ≠ 0}
/// z  = (2 n₊ − n) / √n                              ~ N(0, 1) for large n
/// p_exact = min(1, 2 · min(P(X ≤ n₊), P(X ≥ n₊))),  X ~ Binomial(n, ½)
/// ```
///
/// With a handful of events the normal p is a poor guide: use `p_exact`.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when the input is empty or not finite, or every value is 0.
///
/// # Example
/// ```
/// let s = eventstudy::stats::sign_test(&[0.01, 0.02, 0.03])?;
/// assert_eq!((s.n, s.positive), (3, 3));
/// assert!((s.p_exact - 0.25).abs() < 1e-12); // 2 · (1/2)³: three events cannot do better
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn sign_test(abnormal: &[f64]) -> crate::Result<SignTest> {
    check_values("abnormal", abnormal)?;
    let n = abnormal.iter().filter(|x| **x != 0.0).count();
    let positive = abnormal.iter().filter(|x| **x > 0.0).count();
    if n == 0 {
        return Err(crate::Error::param(
            "abnormal",
            0,
            "every value is 0: no sign to test",
        ));
    }
    let z = (2.0 * positive as f64 - n as f64) / (n as f64).sqrt();
    let binomial = Binomial::new(0.5, n as u64)
        .map_err(|e| crate::Error::param("abnormal", n, format!("binomial distribution: {e}")))?;
    let k = positive as u64;
    let at_most = binomial.cdf(k);
    let at_least = if k == 0 { 1.0 } else { binomial.sf(k - 1) };
    Ok(SignTest {
        n,
        positive,
        z,
        p_normal: normal_p(z),
        p_exact: (2.0 * at_most.min(at_least)).min(1.0),
    })
}

/// Cowan's (1992) generalised sign test: the share of positive abnormal returns against the
/// share expected from the estimation window, not ½ (abnormal returns are skewed).
///
/// ```text
/// p̂ = mean_i ( #{AR_i,τ > 0 : τ in i's estimation window} / L_i )     (estimation_share)
/// z = (n₊ − N p̂) / sqrt(N p̂ (1 − p̂))                                  ~ N(0, 1)
/// ```
///
/// with n₊ the positive event-window (or CAR) values among the N. For CAR windows the daily
/// p̂ is used, as EventStudyTools does.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when the input is empty or not finite, or p̂ is not
/// strictly between 0 and 1.
pub fn generalized_sign(abnormal: &[f64], estimation_share: f64) -> crate::Result<ZTest> {
    check_values("abnormal", abnormal)?;
    if !(estimation_share > 0.0 && estimation_share < 1.0) {
        return Err(crate::Error::param(
            "estimation_share",
            estimation_share,
            "the estimation window's share of positive abnormal returns must be strictly between 0 and 1",
        ));
    }
    let n = abnormal.len() as f64;
    let positive = abnormal.iter().filter(|x| **x > 0.0).count() as f64;
    let z = (positive - n * estimation_share) / (n * estimation_share * (1.0 - estimation_share)).sqrt();
    Ok(ZTest {
        z: Some(z),
        p_two_sided: Some(normal_p(z)),
        undefined_reason: None,
    })
}

/// p̂ of [`generalized_sign`]: the mean over securities of the share of positive abnormal
/// returns in each one's estimation window.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when there is no security, or one has no estimation value.
pub fn estimation_positive_share<'a>(
    estimation_abnormal: impl IntoIterator<Item = &'a [f64]>,
) -> crate::Result<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for window in estimation_abnormal {
        check_values("estimation_abnormal", window)?;
        sum += window.iter().filter(|x| **x > 0.0).count() as f64 / window.len() as f64;
        n += 1;
    }
    if n == 0 {
        return Err(crate::Error::param(
            "estimation_abnormal",
            0,
            "needs at least one security",
        ));
    }
    Ok(sum / n as f64)
}

/// Exact distributions are used up to this many nonzero values without ties (scipy's `auto`).
pub const WILCOXON_EXACT_MAX_N: usize = 50;

/// The Wilcoxon signed-rank test of [`wilcoxon`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Wilcoxon {
    /// Nonzero values n (zeros are left out, scipy's `zero_method="wilcox"`).
    pub n: usize,
    /// W₊: the sum of the ranks of |x| over the positive values (ties get their mean rank).
    pub w_plus: f64,
    /// Two-sided p.
    pub p_two_sided: f64,
    /// Whether `p_two_sided` is exact (n ≤ [`WILCOXON_EXACT_MAX_N`], no ties) or from the
    /// normal approximation.
    pub exact: bool,
}

/// The Wilcoxon signed-rank test of abnormal returns against 0 (`scipy.stats.wilcoxon`).
///
/// ```text
/// W₊ = Σ_{x_i > 0} rank(|x_i|)                      over the n nonzero x_i
/// exact (n ≤ 50, no ties): p = min(1, 2 · min(P(W ≤ W₊), P(W ≥ W₊))),
///     W = Σ ranks of a uniformly random subset of {1..n} (every sign pattern equally likely)
/// otherwise: z = (W₊ − n(n+1)/4) / sqrt(n(n+1)(2n+1)/24 − Σ_ties (t³ − t)/48),  p = 2(1 − Φ(|z|))
/// ```
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when the input is empty or not finite, or every value is 0.
///
/// # Example
/// ```
/// let w = eventstudy::stats::wilcoxon(&[0.03, -0.01, 0.02, 0.04])?;
/// // ranks of |x|: 3, 1, 2, 4; W₊ = 9; P(W ≥ 9) = 2/16
/// assert_eq!(w.w_plus, 9.0);
/// assert!((w.p_two_sided - 0.25).abs() < 1e-15 && w.exact);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn wilcoxon(x: &[f64]) -> crate::Result<Wilcoxon> {
    check_values("x", x)?;
    let mut nonzero: Vec<f64> = x.iter().copied().filter(|v| *v != 0.0).collect();
    let n = nonzero.len();
    if n == 0 {
        return Err(crate::Error::param("x", 0, "every value is 0: no sign to test"));
    }
    // Mean ranks of |x|, and the tie groups' sizes.
    nonzero.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
    let (mut w_plus, mut ties_term, mut tied) = (0.0, 0.0, false);
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && nonzero[j].abs() == nonzero[i].abs() {
            j += 1;
        }
        let t = (j - i) as f64;
        let rank = (i + 1 + j) as f64 / 2.0;
        w_plus += rank * nonzero[i..j].iter().filter(|v| **v > 0.0).count() as f64;
        if j - i > 1 {
            tied = true;
            ties_term += t * t * t - t;
        }
        i = j;
    }
    let nf = n as f64;
    if n <= WILCOXON_EXACT_MAX_N && !tied {
        // counts[s] = subsets of {1..n} whose ranks sum to s.
        let top = n * (n + 1) / 2;
        let mut counts = vec![0.0f64; top + 1];
        counts[0] = 1.0;
        for r in 1..=n {
            for s in (r..=top).rev() {
                counts[s] += counts[s - r];
            }
        }
        let total = 2f64.powi(n as i32);
        let w = w_plus as usize;
        let at_most: f64 = counts[..=w].iter().sum::<f64>() / total;
        let at_least: f64 = counts[w..].iter().sum::<f64>() / total;
        return Ok(Wilcoxon {
            n,
            w_plus,
            p_two_sided: (2.0 * at_most.min(at_least)).min(1.0),
            exact: true,
        });
    }
    let var = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - ties_term / 48.0;
    let z = (w_plus - nf * (nf + 1.0) / 4.0) / var.sqrt();
    Ok(Wilcoxon {
        n,
        w_plus,
        p_two_sided: if var > 0.0 { normal_p(z) } else { 1.0 },
        exact: false,
    })
}

/// Two-sided standard-normal p of z: 2 (1 − Φ(|z|)) = erfc(|z| / √2).
fn normal_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}
