//! OLS with heteroskedasticity-robust standard errors: the cross-sectional regression of
//! abnormal returns on event characteristics.

use serde::Serialize;

use super::inference::t_distributed;
use super::normal_model::invert_spd;
use super::summary::check_values;

/// One coefficient of [`ols_robust`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    /// The regressor's name (`const` for the intercept).
    pub name: String,
    /// The OLS estimate.
    pub estimate: f64,
    /// The classical standard error, sqrt(s² (X'X)⁻¹_jj).
    pub se: f64,
    /// White's standard error with the n/(n − k) correction (HC1).
    pub se_hc1: f64,
    /// The jackknife-like HC3 standard error (MacKinnon and White 1985).
    pub se_hc3: f64,
    /// estimate / se_hc3.
    pub t_hc3: f64,
    /// Two-sided p of t_hc3 from Student's t with n − k degrees of freedom.
    pub p_hc3: f64,
}

/// The result of [`ols_robust`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regression {
    /// Observations n.
    pub n: usize,
    /// The intercept, then one coefficient per regressor.
    pub coefficients: Vec<Coefficient>,
    /// R².
    pub r2: f64,
}

/// OLS of `y` on a constant and the `regressors` (columns, with their names), with classical,
/// HC1 and HC3 standard errors:
///
/// ```text
/// b       = (X'X)⁻¹ X'y,   e = y − X b,   k = 1 + #regressors,   s² = e'e / (n − k)
/// V_ols   = s² (X'X)⁻¹
/// V_HC1   = n/(n − k) · (X'X)⁻¹ X' diag(e_i²) X (X'X)⁻¹                (White 1980)
/// V_HC3   = (X'X)⁻¹ X' diag(e_i² / (1 − h_ii)²) X (X'X)⁻¹,  h_ii = x_i'(X'X)⁻¹x_i
/// t       = b_j / sqrt(V_HC3,jj)  ~ t(n − k)
/// ```
///
/// (statsmodels' `OLS(y, X).fit(cov_type="HC1" | "HC3")`; its p-values use the normal
/// distribution unless `use_t=True`, ours Student's t, which is the safer choice with few
/// events.)
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when a value is not finite, the columns differ in
/// length from `y`, there are no more observations than coefficients, the regressors are
/// collinear, or an observation has leverage 1 (HC3 is then undefined).
///
/// # Example
/// ```
/// // y = 1 + 2x exactly but for one point: the slope is near 2.
/// let x = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
/// let y = [1.0, 3.1, 4.9, 7.0, 9.2, 10.9];
/// let r = eventstudy::stats::ols_robust(&y, &[("x", &x[..])])?;
/// assert!((r.coefficients[1].estimate - 2.0).abs() < 0.1);
/// assert!(r.coefficients[1].se_hc3 > 0.0 && r.r2 > 0.99);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn ols_robust(y: &[f64], regressors: &[(&str, &[f64])]) -> crate::Result<Regression> {
    check_values("y", y)?;
    let n = y.len();
    let k = regressors.len() + 1;
    for (name, x) in regressors {
        check_values("regressor", x)?;
        if x.len() != n {
            return Err(crate::Error::param(
                "regressor",
                format!("{name}: {} values", x.len()),
                format!("needs one value per observation ({n})"),
            ));
        }
    }
    if n <= k {
        return Err(crate::Error::param(
            "y",
            n,
            format!("{k} coefficients need more than {k} observations"),
        ));
    }
    let row = |i: usize| -> Vec<f64> {
        std::iter::once(1.0)
            .chain(regressors.iter().map(|(_, x)| x[i]))
            .collect()
    };
    let rows: Vec<Vec<f64>> = (0..n).map(row).collect();
    let mut xtx = vec![0.0; k * k];
    let mut xty = vec![0.0; k];
    for (r, &yi) in rows.iter().zip(y) {
        for a in 0..k {
            xty[a] += r[a] * yi;
            for b in 0..k {
                xtx[a * k + b] += r[a] * r[b];
            }
        }
    }
    let inv = invert_spd(&xtx, k).ok_or_else(|| {
        crate::Error::param(
            "regressors",
            k - 1,
            "the regressors are collinear (or one is constant)",
        )
    })?;
    let mul = |m: &[f64], v: &[f64]| -> Vec<f64> {
        (0..k)
            .map(|a| (0..k).map(|b| m[a * k + b] * v[b]).sum())
            .collect()
    };
    let beta = mul(&inv, &xty);
    let resid: Vec<f64> = rows
        .iter()
        .zip(y)
        .map(|(r, yi)| yi - r.iter().zip(&beta).map(|(x, b)| x * b).sum::<f64>())
        .collect();
    let sse: f64 = resid.iter().map(|e| e * e).sum();
    let mean = y.iter().sum::<f64>() / n as f64;
    let sst: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let df = n - k;
    let s2 = sse / df as f64;
    // Meat matrices Σ w_i x_i x_i' for the two weightings.
    let (mut meat1, mut meat3) = (vec![0.0; k * k], vec![0.0; k * k]);
    for (r, e) in rows.iter().zip(&resid) {
        let h: f64 = mul(&inv, r).iter().zip(r).map(|(a, b)| a * b).sum();
        if 1.0 - h <= 1e-12 {
            return Err(crate::Error::param(
                "regressors",
                format!("leverage {h}"),
                "an observation has leverage 1 (a category with one event): HC3 is undefined",
            ));
        }
        let (w1, w3) = (e * e, e * e / (1.0 - h).powi(2));
        for a in 0..k {
            for b in 0..k {
                meat1[a * k + b] += w1 * r[a] * r[b];
                meat3[a * k + b] += w3 * r[a] * r[b];
            }
        }
    }
    let sandwich = |meat: &[f64]| -> Vec<f64> {
        let mut out = vec![0.0; k * k];
        for a in 0..k {
            for b in 0..k {
                out[a * k + b] = (0..k)
                    .map(|c| inv[a * k + c] * (0..k).map(|d| meat[c * k + d] * inv[d * k + b]).sum::<f64>())
                    .sum();
            }
        }
        out
    };
    let (v1, v3) = (sandwich(&meat1), sandwich(&meat3));
    let names = std::iter::once("const").chain(regressors.iter().map(|(name, _)| *name));
    let coefficients = names
        .enumerate()
        .map(|(j, name)| {
            let se_hc3 = v3[j * k + j].sqrt();
            let t = t_distributed(beta[j] / se_hc3, df);
            Coefficient {
                name: name.to_string(),
                estimate: beta[j],
                se: (s2 * inv[j * k + j]).sqrt(),
                se_hc1: (v1[j * k + j] * n as f64 / df as f64).sqrt(),
                se_hc3,
                t_hc3: beta[j] / se_hc3,
                p_hc3: t.p_two_sided.unwrap_or(f64::NAN),
            }
        })
        .collect();
    Ok(Regression {
        n,
        coefficients,
        r2: if sst > 0.0 { 1.0 - sse / sst } else { f64::NAN },
    })
}
