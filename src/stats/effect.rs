//! Effect sizes of the events against the baseline: Glass Δ, Hedges g, percentile ranks and
//! the probability of superiority.

use statrs::function::gamma::ln_gamma;

use super::summary::{Baseline, check_values, mean_of, sd_of};

/// Glass Δ: the excess mean return in units of the baseline standard deviation.
///
/// ```text
/// Δ = (mean(r) − mean_b) / sd_b
/// ```
///
/// Returns `Ok(None)` when the baseline sd is 0 (all baseline returns equal).
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `event_returns` is empty or holds a non-finite
/// value.
pub fn glass_delta(event_returns: &[f64], baseline: &Baseline) -> crate::Result<Option<f64>> {
    check_values("event_returns", event_returns)?;
    Ok(glass_unchecked(mean_of(event_returns), baseline))
}

pub(crate) fn glass_unchecked(event_mean: f64, baseline: &Baseline) -> Option<f64> {
    let s = baseline.summary();
    (s.sd > 0.0).then(|| (event_mean - s.mean) / s.sd)
}

/// Hedges' exact small-sample correction factor.
///
/// ```text
/// J(df) = Γ(df/2) / ( sqrt(df/2) · Γ((df − 1)/2) )
///       = exp( lnΓ(df/2) − lnΓ((df − 1)/2) − ½·ln(df/2) )
/// ```
///
/// Computed through `statrs::function::gamma::ln_gamma`, so df in the thousands does not
/// overflow. J rises from 0 (as df → 1) towards 1; J(2) = 1/sqrt(π).
///
/// # Errors
/// [`crate::Error::InvalidParameter`] unless df > 1 and finite (Γ((df − 1)/2) has a pole at
/// df = 1).
///
/// # Example
/// ```
/// let j = eventstudy::stats::hedges_j(2.0)?;
/// assert!((j - 1.0 / std::f64::consts::PI.sqrt()).abs() < 1e-12);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn hedges_j(df: f64) -> crate::Result<f64> {
    if !(df.is_finite() && df > 1.0) {
        return Err(crate::Error::param(
            "df",
            df,
            "Hedges' J needs finite degrees of freedom above 1",
        ));
    }
    Ok((ln_gamma(df / 2.0) - ln_gamma((df - 1.0) / 2.0) - 0.5 * (df / 2.0).ln()).exp())
}

/// Hedges g between the events (n values) and the baseline, whose size counts as its effective
/// number of independent values N_eff ([`Baseline::effective_n`]), not its start dates:
/// overlapping h-day windows share most of their days, so N start dates carry the information
/// of about N_eff = s_b² / se_NW² independent ones (N itself when the baseline's Newey–West lag
/// is 0, up to the divisors).
///
/// ```text
/// s_p = sqrt( ((n − 1)·s_r² + (N_eff − 1)·s_b²) / (n + N_eff − 2) )    (first term 0 when n = 1)
/// g   = (mean(r) − mean_b) / s_p · J(n + N_eff − 2)                     (J: see hedges_j)
/// ```
///
/// Returns `Ok(None)` when the pooled sd is 0 or n + N_eff − 2 ≤ 1 (one event against a
/// baseline of two values), where g is undefined.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `event_returns` is empty or holds a non-finite
/// value.
pub fn hedges_g(event_returns: &[f64], baseline: &Baseline) -> crate::Result<Option<f64>> {
    check_values("event_returns", event_returns)?;
    Ok(hedges_unchecked(event_returns, baseline).ok())
}

/// Hedges g, or the reason it is undefined.
pub(crate) fn hedges_unchecked(event_returns: &[f64], baseline: &Baseline) -> Result<f64, String> {
    let s = baseline.summary();
    let n = event_returns.len() as f64;
    let nb = baseline.effective_n();
    let df = n + nb - 2.0;
    let mean_r = mean_of(event_returns);
    let ss_r = sd_of(event_returns, mean_r).map_or(0.0, |sd| (n - 1.0) * sd * sd);
    let pooled = ((ss_r + (nb - 1.0) * s.sd * s.sd) / df).sqrt();
    if pooled.is_nan() || pooled <= 0.0 {
        return Err("Hedges g undefined: the pooled standard deviation is 0".to_string());
    }
    let j = hedges_j(df).map_err(|_| {
        format!(
            "Hedges g undefined: n + N_eff − 2 = {df} degrees of freedom (the correction needs more than 1)"
        )
    })?;
    Ok((mean_r - s.mean) / pooled * j)
}

/// Per-event percentile rank: the share of baseline returns at or below each event return.
///
/// ```text
/// rank_i = #{ b_j ≤ r_i } / N
/// ```
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `event_returns` is empty or holds a non-finite
/// value.
pub fn percentile_ranks(event_returns: &[f64], baseline: &Baseline) -> crate::Result<Vec<f64>> {
    check_values("event_returns", event_returns)?;
    Ok(ranks_unchecked(event_returns, baseline))
}

pub(crate) fn ranks_unchecked(event_returns: &[f64], baseline: &Baseline) -> Vec<f64> {
    let sorted = baseline.sorted_returns();
    let nb = sorted.len() as f64;
    event_returns
        .iter()
        .map(|&r| sorted.partition_point(|&b| b <= r) as f64 / nb)
        .collect()
}

/// Probability of superiority: the mean of the per-event percentile ranks, i.e. the share
/// of (event, baseline) pairs in which the event return is at least the baseline return
/// (ties count as wins, as in [`percentile_ranks`]).
///
/// ```text
/// PS = (1/n) Σ_i rank_i = #{ (i, j) : b_j ≤ r_i } / (n·N)
/// ```
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `event_returns` is empty or holds a non-finite
/// value.
pub fn prob_superiority(event_returns: &[f64], baseline: &Baseline) -> crate::Result<f64> {
    Ok(mean_of(&percentile_ranks(event_returns, baseline)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::{BASE12, base, close};

    #[test]
    fn hedges_uses_the_effective_baseline_size() {
        // A slow wave: 400 values, Newey-West lag 60. stats_reference.py
        // "EVW [0.9, 0.5, 1.2] vs WAVE lag 60 [N_eff, hedges_g]".
        let wave: Vec<f64> = (0..400).map(|i| (f64::from(i) / 40.0).sin()).collect();
        let days: Vec<i64> = (0..400).collect();
        let b = crate::stats::testutil::base_days(&wave, &days).with_hac_lag(60);
        assert!(
            close(b.effective_n(), 8.17794408973924, 1e-11),
            "{}",
            b.effective_n()
        );
        let g = hedges_g(&[0.9, 0.5, 1.2], &b).unwrap().unwrap();
        assert!(close(g, 1.0211910260503523, 1e-11), "{g}");
    }

    #[test]
    fn hedges_j_matches_scipy() {
        let dfs = [2.0, 3.0, 4.0, 5.0, 10.0, 13.0, 50.0, 100.0, 300.0];
        // gamma(df/2) / (sqrt(df/2) * gamma((df-1)/2)) with scipy.special.gamma, stats_reference.py
        let want = [
            0.5641895835477563,
            0.7236012545582676,
            0.7978845608028653,
            0.8407486824596893,
            0.9227456080530869,
            0.9409824674711481,
            0.9849119422955723,
            0.9924780549814445,
            0.9974975668438586,
        ];
        for (df, w) in dfs.iter().zip(want) {
            let j = hedges_j(*df).unwrap();
            assert!(close(j, w, 1e-12), "J({df}) = {j}, scipy {w}");
        }
        // scipy.special.poch((df-1)/2, 0.5) / sqrt(df/2) (gamma overflows), stats_reference.py
        for (df, w) in [
            (1000.0, 0.9992497811794344),
            (4000.0, 0.9998124863266004),
            (10000.0, 0.9999249978139646),
        ] {
            let j = hedges_j(df).unwrap();
            assert!(close(j, w, 1e-10), "J({df}) = {j}, scipy {w}");
        }
        assert!(hedges_j(1.0).is_err());
        assert!(hedges_j(f64::NAN).is_err());
        assert!(hedges_j(f64::INFINITY).is_err());
    }

    /// (events, baseline, [excess, glass, hedges g (NaN = undefined), prob superiority], ranks)
    /// printed by the "effects" section of stats_reference.py (numpy formulas,
    /// scipy.special.gamma for J, scipy.stats.percentileofscore(kind='weak') for ranks).
    #[allow(clippy::type_complexity)]
    fn cases() -> Vec<(Vec<f64>, Vec<f64>, [f64; 4], Vec<f64>)> {
        let b12 = BASE12.to_vec();
        let b2 = vec![0.01, 0.03];
        vec![
            (
                vec![0.085, 0.062, 0.097],
                b12.clone(),
                [0.07475000000000001, 2.3473312170528353, 2.3358880063967185, 1.0],
                vec![1.0, 1.0, 1.0],
            ),
            (
                vec![0.085, 0.062, 0.097],
                b2.clone(),
                [0.06133333333333334, 4.336921591277492, 2.6639183973321177, 1.0],
                vec![1.0, 1.0, 1.0],
            ),
            (
                vec![0.04],
                b12.clone(),
                [
                    0.03341666666666667,
                    1.0493643456390045,
                    0.9758666674658059,
                    0.8333333333333335,
                ],
                vec![0.8333333333333335],
            ),
            (
                vec![0.04],
                b2.clone(),
                // numpy prints glass = 1.4142135623730951 = sqrt(2)
                [0.02, std::f64::consts::SQRT_2, f64::NAN, 1.0],
                vec![1.0],
            ),
            (
                vec![0.05, -0.01],
                b12.clone(),
                [
                    0.013416666666666667,
                    0.4213158594710217,
                    0.38217897865678113,
                    0.5833333333333334,
                ],
                vec![0.9166666666666667, 0.25],
            ),
            (
                vec![0.05, -0.01],
                b2.clone(),
                [0.0, 0.0, 0.0, 0.5],
                vec![1.0, 0.0],
            ),
            (
                vec![0.02, 0.02, 0.02],
                b12,
                [
                    0.013416666666666667,
                    0.4213158594710217,
                    0.43098749827479843,
                    0.6666666666666666,
                ],
                vec![0.6666666666666667; 3],
            ),
            (vec![0.02, 0.02, 0.02], b2, [0.0, 0.0, 0.0, 0.5], vec![0.5; 3]),
        ]
    }

    #[test]
    fn effects_match_numpy_and_scipy() {
        for (ev, b, [excess, glass, g, ps], ranks) in cases() {
            let bl = base(&b);
            let got_excess = mean_of(&ev) - bl.summary().mean;
            assert!(
                close(got_excess, excess, 1e-15),
                "{ev:?}: excess {got_excess} vs {excess}"
            );
            let got = glass_delta(&ev, &bl).unwrap().unwrap();
            assert!(close(got, glass, 1e-12), "{ev:?}: glass {got} vs {glass}");
            match hedges_g(&ev, &bl).unwrap() {
                Some(got) => assert!(close(got, g, 1e-12), "{ev:?}: g {got} vs {g}"),
                None => assert!(g.is_nan(), "{ev:?}: g undefined but scipy gives {g}"),
            }
            let got = prob_superiority(&ev, &bl).unwrap();
            assert!(close(got, ps, 1e-15), "{ev:?}: ps {got} vs {ps}");
            let got = percentile_ranks(&ev, &bl).unwrap();
            assert_eq!(got.len(), ranks.len());
            for (a, w) in got.iter().zip(&ranks) {
                assert!(close(*a, *w, 1e-15), "{ev:?}: rank {a} vs {w}");
            }
        }
    }

    #[test]
    fn undefined_effects_are_none_not_nan() {
        let flat = base(&[0.01, 0.01, 0.01]);
        assert_eq!(glass_delta(&[0.02], &flat).unwrap(), None);
        assert_eq!(hedges_g(&[0.01], &flat).unwrap(), None);
        // n = 1, N = 2: df = 1, J undefined.
        let reason = hedges_unchecked(&[0.04], &base(&[0.01, 0.03])).unwrap_err();
        assert!(reason.contains("degrees of freedom"), "{reason}");
        assert!(glass_delta(&[], &flat).is_err());
        assert!(hedges_g(&[f64::NAN], &flat).is_err());
        assert!(percentile_ranks(&[], &flat).is_err());
    }
}
