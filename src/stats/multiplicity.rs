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

#[cfg(test)]
mod tests {
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
