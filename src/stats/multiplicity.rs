//! Adjusted p-values for many tests at once (one report tests many assets, horizons and
//! rules; the report layer applies these across every placebo p it shows).

/// Cleans one p-value for the adjustments: NaN counts as 1 (no evidence), and values are
/// clamped into [0, 1].
fn clean(p: f64) -> f64 {
    if p.is_nan() { 1.0 } else { p.clamp(0.0, 1.0) }
}

/// (input index, cleaned p) sorted by p ascending (stable, so ties keep their input order).
fn order(p: &[f64]) -> Vec<(usize, f64)> {
    let mut idx: Vec<(usize, f64)> = p.iter().map(|&v| clean(v)).enumerate().collect();
    idx.sort_by(|a, b| a.1.total_cmp(&b.1));
    idx
}

/// Holm's step-down adjusted p-values (family-wise error rate), in input order; matches
/// `statsmodels.stats.multitest.multipletests(p, method='holm')`.
///
/// ```text
/// p_(1) ≤ … ≤ p_(m)  the sorted p-values
/// adj_(k) = min(1, max_{j ≤ k} (m − j + 1) · p_(j))
/// ```
///
/// NaN inputs are treated as 1 and values outside [0, 1] are clamped, so the output is
/// always in [0, 1]. An empty slice gives an empty vector.
///
/// # Example
/// ```
/// let adj = eventstudy::stats::holm(&[0.01, 0.04, 0.03]);
/// assert_eq!(adj, vec![0.03, 0.06, 0.06]);
/// ```
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (k, (i, pi)) in order(p).into_iter().enumerate() {
        running = running.max((m - k) as f64 * pi).min(1.0);
        if let Some(slot) = out.get_mut(i) {
            *slot = running;
        }
    }
    out
}

/// Benjamini–Hochberg step-up adjusted p-values (false discovery rate), in input order;
/// matches `statsmodels.stats.multitest.multipletests(p, method='fdr_bh')`.
///
/// ```text
/// p_(1) ≤ … ≤ p_(m)  the sorted p-values
/// adj_(k) = min(1, min_{j ≥ k} p_(j) / (j / m))
/// ```
///
/// NaN inputs are treated as 1 and values outside [0, 1] are clamped, so the output is
/// always in [0, 1]. An empty slice gives an empty vector.
///
/// # Example
/// ```
/// let adj = eventstudy::stats::benjamini_hochberg(&[0.01, 0.04, 0.03]);
/// for (a, want) in adj.iter().zip([0.03, 0.04, 0.04]) {
///     assert!((a - want).abs() < 1e-15);
/// }
/// ```
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut out = vec![0.0; m];
    let mut running: f64 = 1.0;
    for (k, (i, pi)) in order(p).into_iter().enumerate().rev() {
        // p / (k/m) as statsmodels computes it, so that k = m gives p exactly.
        running = running.min(pi / ((k + 1) as f64 / m as f64));
        if let Some(slot) = out.get_mut(i) {
            *slot = running;
        }
    }
    out
}

/// Westfall–Young step-down min-p adjusted p-values (family-wise error rate under any
/// dependence the joint placebo reproduces), one-sided: a large statistic is evidence.
///
/// `observed[j]` is hypothesis j's statistic (e.g. its mean event return) and `draws` holds B
/// joint placebo draws, row-major B × m: row b has every hypothesis' statistic at the same
/// drawn dates, so the rows carry the hypotheses' dependence.
///
/// ```text
/// p_j        = (1 + #{b : T_bj ≥ T_j}) / (B + 1)                    raw p
/// p_bj       = #{b' : T_b'j ≥ T_bj} / B                             each draw's own p
/// r_1..r_m   hypotheses by raw p ascending (ties in input order)
/// q_b(m)     = p_b,r_m,   q_b(k) = min(q_b(k+1), p_b,r_k)          successive minima
/// p̃_(k)      = (1 + #{b : q_b(k) ≤ p_(k)}) / (B + 1)
/// adj_(k)    = min(1, max_{j ≤ k} p̃_(j))                           monotone
/// ```
///
/// (Westfall and Young 1993, algorithm 2.8.) Ties within 1e-12 of the larger |value| count as
/// reached. Returns `(raw, adjusted)` in input order.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `observed` is empty, `draws` is not B × m with
/// B ≥ 1, or a value is not finite.
///
/// # Example
/// ```
/// // Two hypotheses, four draws: the first is extreme in every draw but one.
/// let observed = [3.0, 0.5];
/// let draws = [1.0, 1.0, 2.0, 0.0, 3.0, 2.0, 0.0, 0.4];
/// let (raw, adj) = eventstudy::stats::westfall_young(&observed, &draws)?;
/// assert_eq!(raw, [2.0 / 5.0, 3.0 / 5.0]);
/// assert!(adj[0] >= raw[0] && adj[1] >= adj[0]);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn westfall_young(observed: &[f64], draws: &[f64]) -> crate::Result<(Vec<f64>, Vec<f64>)> {
    let m = observed.len();
    if m == 0 || draws.is_empty() || !draws.len().is_multiple_of(m) {
        return Err(crate::Error::param(
            "draws",
            draws.len(),
            format!("expected B × {m} values (B ≥ 1) for {m} hypotheses"),
        ));
    }
    if let Some(bad) = observed.iter().chain(draws).find(|v| !v.is_finite()) {
        return Err(crate::Error::param("draws", bad, "values must be finite"));
    }
    let b = draws.len() / m;
    let reached = |t: f64, at: f64| t >= at - 1e-12 * t.abs().max(at.abs());
    let denom = b as f64 + 1.0;
    let mut raw = vec![0.0; m];
    // Each draw's own p per hypothesis, from the column sorted descending.
    let mut own = vec![0.0; draws.len()];
    let mut column: Vec<f64> = Vec::with_capacity(b);
    for j in 0..m {
        column.clear();
        column.extend((0..b).map(|r| draws[r * m + j]));
        raw[j] = (1.0 + column.iter().filter(|&&t| reached(t, observed[j])).count() as f64) / denom;
        column.sort_unstable_by(|x, y| y.total_cmp(x));
        for r in 0..b {
            let t = draws[r * m + j];
            // #{b' : T_b'j ≥ t}: the descending column's prefix that reaches t.
            let count = column.partition_point(|&c| reached(c, t));
            own[r * m + j] = count as f64 / b as f64;
        }
    }
    let mut by_p: Vec<usize> = (0..m).collect();
    by_p.sort_by(|&x, &y| raw[x].total_cmp(&raw[y]));
    let mut hits = vec![0u64; m];
    for r in 0..b {
        let mut q = f64::INFINITY;
        for k in (0..m).rev() {
            q = q.min(own[r * m + by_p[k]]);
            hits[k] += u64::from(q <= raw[by_p[k]] + 1e-15);
        }
    }
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (k, &j) in by_p.iter().enumerate() {
        running = running.max((1.0 + hits[k] as f64) / denom).min(1.0);
        adjusted[j] = running;
    }
    Ok((raw, adjusted))
}

#[cfg(test)]
mod tests {
    #[test]
    fn westfall_young_matches_a_loop_implementation() {
        // stats_reference.py "Westfall-Young": 40 correlated draws of 3 statistics (seeded
        // numpy normals, rounded to 3 decimals), the algorithm written out with plain loops.
        #[rustfmt::skip]
        let draws: [f64; 120] = [
        0.001, 0.24, -0.157,
        -0.891, -0.898, -1.207,
        0.06, 1.108, -0.029,
        -0.62, 0.02, 0.344,
        0.105, -0.681, -0.284,
        0.695, -0.658, -0.676,
        -1.901, -2.172, -2.425,
        -0.235, -1.155, -0.183,
        0.157, -0.055, -2.29,
        -0.539, -0.362, -0.02,
        -1.53, -1.3, -1.33,
        -0.809, 0.363, -0.57,
        -0.033, 0.688, -0.266,
        -0.112, 0.021, 0.068,
        -1.225, -0.674, 1.001,
        -1.547, -0.241, 0.056,
        -0.641, 1.215, 1.158,
        -1.199, -0.66, 0.302,
        -0.189, 0.433, 0.107,
        0.667, 1.551, -0.043,
        0.203, -0.249, 0.016,
        -1.187, -1.176, -0.588,
        0.899, 1.455, -0.668,
        -0.795, 0.041, -1.758,
        -0.463, -0.356, 1.009,
        0.689, 0.152, -0.292,
        -0.25, 1.069, 0.022,
        -0.304, 0.1, -0.064,
        -0.197, -1.01, -0.384,
        -0.444, 0.667, 0.849,
        -0.024, 0.52, -0.11,
        1.052, 0.627, 0.734,
        -1.291, -0.497, -1.674,
        -2.035, -1.465, -1.308,
        0.164, 1.894, -0.042,
        -0.624, -0.21, 0.381,
        -0.176, -0.271, 0.535,
        0.52, -0.515, -0.277,
        0.035, -0.822, -0.075,
        -0.858, 0.263, 0.294,
        ];
        let (raw, adj) = super::westfall_young(&[1.9, 1.2, 0.3], &draws).unwrap();
        let want_raw = [0.024390243902439025, 0.12195121951219512, 0.24390243902439024];
        let want_adj = [0.024390243902439025, 0.1951219512195122, 0.24390243902439024];
        for k in 0..3 {
            assert!((raw[k] - want_raw[k]).abs() < 1e-15, "raw {k}: {raw:?}");
            assert!((adj[k] - want_adj[k]).abs() < 1e-15, "adjusted {k}: {adj:?}");
        }
        // Adjusted p never below raw, never above 1; bad shapes are errors.
        assert!(raw.iter().zip(&adj).all(|(r, a)| a >= r && *a <= 1.0));
        assert!(super::westfall_young(&[1.0, 2.0], &[1.0, 2.0, 3.0]).is_err());
        assert!(super::westfall_young(&[], &[]).is_err());
        assert!(super::westfall_young(&[f64::NAN], &[1.0]).is_err());
    }

    use super::*;
    use crate::stats::testutil::close;

    fn all_close(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(want) {
            assert!(close(*g, *w, 1e-15), "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn holm_and_bh_match_statsmodels() {
        let pv = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.9];
        // statsmodels multipletests(PV, method='holm')[1], stats_reference.py
        all_close(&holm(&pv), &[0.06, 0.16, 0.15, 0.035, 0.4, 0.16, 0.9]);
        // statsmodels multipletests(PV, method='fdr_bh')[1], stats_reference.py
        all_close(
            &benjamini_hochberg(&pv),
            &[0.035, 0.056, 0.056, 0.035, 0.23333333333333336, 0.056, 0.9],
        );
        let pv2 = [0.5, 0.001, 0.3, 0.02];
        // statsmodels multipletests(PV2, 'holm' / 'fdr_bh')[1], stats_reference.py
        all_close(&holm(&pv2), &[0.6, 0.004, 0.6, 0.06]);
        all_close(
            &benjamini_hochberg(&pv2),
            &[0.5, 0.004, 0.39999999999999997, 0.04],
        );
        // statsmodels on [0.5]: 0.5 for both
        all_close(&holm(&[0.5]), &[0.5]);
        all_close(&benjamini_hochberg(&[0.5]), &[0.5]);
    }

    #[test]
    fn edge_cases_stay_in_the_unit_interval() {
        assert!(holm(&[]).is_empty() && benjamini_hochberg(&[]).is_empty());
        all_close(&holm(&[f64::NAN, 0.01]), &[1.0, 0.02]);
        all_close(&benjamini_hochberg(&[f64::NAN, 0.01]), &[1.0, 0.02]);
        all_close(&holm(&[1.5, -0.1]), &[1.0, 0.0]);
        all_close(&holm(&[0.6, 0.7]), &[1.0, 1.0]);
    }
}
