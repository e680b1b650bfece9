//! The normal-return models of the classic event study: constant mean, market-adjusted, the
//! market model and multi-factor OLS, each fitted on one event's estimation window, with the
//! abnormal return's and the CAR's variance (estimation error included).
//!
//! Regressors are passed as columns (`&[&[f64]]`, one slice per regressor, rows aligned with
//! the returns), so that the study layer hands over contiguous series and no row is copied.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::market_model::MarketModel;
use super::summary::check_values;

/// Which normal-return model an event study fits (MacKinlay 1997, section 4; Campbell, Lo and
/// MacKinlay 1997, ch. 4.3).
///
/// | kind | normal return | regressors | parameters p |
/// | --- | --- | --- | --- |
/// | `ConstantMean` | μ | none | 1 |
/// | `MarketAdjusted` | R_m,t (α = 0, β = 1 fixed) | market | 0 |
/// | `MarketModel` | α + β R_m,t | market | 2 |
/// | `Factors` | α + β_m R_m,t + Σ_j β_j F_j,t | market, then the factors | 2 + #factors |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ModelKind {
    /// The security's mean estimation-window return.
    ConstantMean,
    /// The market's return (nothing estimated but σ²).
    MarketAdjusted,
    /// OLS on the market return.
    MarketModel,
    /// OLS on the market return and further factor columns (e.g. Fama–French SMB, HML).
    Factors,
}

impl ModelKind {
    /// The key used on the command line and in JSON: `constant_mean`, `market_adjusted`,
    /// `market_model`, `factors`.
    pub fn key(self) -> &'static str {
        match self {
            ModelKind::ConstantMean => "constant_mean",
            ModelKind::MarketAdjusted => "market_adjusted",
            ModelKind::MarketModel => "market_model",
            ModelKind::Factors => "factors",
        }
    }

    /// Every kind, in the order of the table above.
    pub const ALL: [ModelKind; 4] = [
        ModelKind::ConstantMean,
        ModelKind::MarketAdjusted,
        ModelKind::MarketModel,
        ModelKind::Factors,
    ];
}

impl std::fmt::Display for ModelKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ModelKind::ConstantMean => "constant-mean model",
            ModelKind::MarketAdjusted => "market-adjusted returns",
            ModelKind::MarketModel => "market model",
            ModelKind::Factors => "factor model",
        })
    }
}

impl std::str::FromStr for ModelKind {
    type Err = crate::Error;

    /// Parses a [`ModelKind::key`].
    fn from_str(s: &str) -> crate::Result<Self> {
        ModelKind::ALL.into_iter().find(|k| k.key() == s).ok_or_else(|| {
            crate::Error::param(
                "model",
                s,
                "one of constant_mean, market_adjusted, market_model, factors",
            )
        })
    }
}

/// OLS of the returns on a constant and k regressors, fitted on an estimation window of L
/// rows, in centred form:
///
/// ```text
/// x̄_j = mean of regressor j,   S = Σ_τ (x_τ − x̄)(x_τ − x̄)'   (k × k)
/// b   = S⁻¹ Σ_τ (x_τ − x̄)(R_τ − R̄),   α = R̄ − b'x̄
/// σ²  = Σ_τ (R_τ − α − b'x_τ)² / (L − k − 1)
/// ```
///
/// This is the textbook OLS (`statsmodels.OLS(y, add_constant(X))`), written around the means
/// so that the forecast-error variances below take MacKinlay's form. With k = 0 it is the
/// constant-mean model (α = R̄, σ² the sample variance); with k = 1 the market model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorModel {
    /// Intercept α.
    pub alpha: f64,
    /// Slopes b, one per regressor.
    pub betas: Vec<f64>,
    /// Residual variance σ², divisor L − k − 1.
    pub sigma2: f64,
    /// Estimation rows L.
    pub estimation_rows: usize,
    /// Regressor means x̄ over the estimation window.
    pub means: Vec<f64>,
    /// S⁻¹, row-major k × k.
    #[serde(skip)]
    s_inv: Vec<f64>,
}

impl FactorModel {
    /// Fits the model on the estimation rows: `returns` and each of `regressors` hold L values.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when a slice is not finite or differs in length,
    /// there are no more rows than parameters plus one (σ² needs L − k − 1 ≥ 1), or the
    /// regressors are constant or collinear over the window.
    pub fn fit(returns: &[f64], regressors: &[&[f64]]) -> crate::Result<Self> {
        check_values("returns", returns)?;
        let (l, k) = (returns.len(), regressors.len());
        for x in regressors {
            check_values("regressor", x)?;
            if x.len() != l {
                return Err(crate::Error::param(
                    "regressor",
                    x.len(),
                    format!("needs one value per return ({l})"),
                ));
            }
        }
        if l < k + 2 {
            return Err(crate::Error::param(
                "returns",
                l,
                format!(
                    "{} parameters need at least {} estimation rows (σ² has L − {} degrees of freedom)",
                    k + 1,
                    k + 2,
                    k + 1
                ),
            ));
        }
        let n = l as f64;
        let mean_r = returns.iter().sum::<f64>() / n;
        let means: Vec<f64> = regressors.iter().map(|x| x.iter().sum::<f64>() / n).collect();
        let mut s = vec![0.0; k * k];
        let mut sxy = vec![0.0; k];
        for (a, xa) in regressors.iter().enumerate() {
            for (&x, &r) in xa.iter().zip(returns) {
                sxy[a] += (x - means[a]) * (r - mean_r);
            }
            for (b, xb) in regressors.iter().enumerate().take(a + 1) {
                let v: f64 = xa
                    .iter()
                    .zip(xb.iter())
                    .map(|(&x, &y)| (x - means[a]) * (y - means[b]))
                    .sum();
                s[a * k + b] = v;
                s[b * k + a] = v;
            }
        }
        let s_inv = invert_spd(&s, k).ok_or_else(|| {
            crate::Error::param(
                "regressors",
                k,
                "a regressor is constant, or the regressors are collinear, over the estimation window: the slopes are undefined",
            )
        })?;
        let betas: Vec<f64> = (0..k)
            .map(|a| (0..k).map(|b| s_inv[a * k + b] * sxy[b]).sum())
            .collect();
        let alpha = mean_r - betas.iter().zip(&means).map(|(b, m)| b * m).sum::<f64>();
        let mut model = FactorModel {
            alpha,
            betas,
            sigma2: 0.0,
            estimation_rows: l,
            means,
            s_inv,
        };
        let sse: f64 = (0..l)
            .map(|i| (returns[i] - model.expected(regressors, i)).powi(2))
            .sum();
        model.sigma2 = sse / (n - k as f64 - 1.0);
        Ok(model)
    }

    /// The normal return α + b'x at row `i` of `regressors`.
    pub fn expected(&self, regressors: &[&[f64]], i: usize) -> f64 {
        self.alpha
            + self
                .betas
                .iter()
                .zip(regressors)
                .map(|(b, x)| b * x[i])
                .sum::<f64>()
    }

    /// (S⁻¹)_jj.
    pub(crate) fn s_inv_diagonal(&self, j: usize) -> f64 {
        self.s_inv[j * self.betas.len() + j]
    }

    /// d'S⁻¹d for a deviation vector d.
    fn quad(&self, d: &[f64]) -> f64 {
        let k = d.len();
        (0..k)
            .map(|a| d[a] * (0..k).map(|b| self.s_inv[a * k + b] * d[b]).sum::<f64>())
            .sum()
    }

    /// The forecast-error variance of one event day's abnormal return (MacKinlay 1997,
    /// eq. 9, for k regressors):
    ///
    /// ```text
    /// Var(AR_t) = σ² [ 1 + 1/L + (x_t − x̄)' S⁻¹ (x_t − x̄) ]
    /// ```
    pub fn ar_variance(&self, regressors: &[&[f64]], i: usize) -> f64 {
        let d: Vec<f64> = regressors
            .iter()
            .zip(&self.means)
            .map(|(x, m)| x[i] - m)
            .collect();
        self.sigma2 * (1.0 + 1.0 / self.estimation_rows as f64 + self.quad(&d))
    }

    /// The variance of the CAR over the event rows `rows` (L₂ of them), the sum of the
    /// window's covariance matrix σ²[I + X*(X'X)⁻¹X*'] (MacKinlay 1997, eqs. 14–17), in
    /// centred form:
    ///
    /// ```text
    /// Var(CAR) = σ² [ L₂ + L₂²/L + d' S⁻¹ d ],   d = Σ_{t ∈ rows} (x_t − x̄)
    /// ```
    pub fn car_variance(&self, regressors: &[&[f64]], rows: Range<usize>) -> f64 {
        let l2 = rows.len() as f64;
        let d: Vec<f64> = regressors
            .iter()
            .zip(&self.means)
            .map(|(x, m)| x[rows.clone()].iter().map(|v| v - m).sum())
            .collect();
        self.sigma2 * (l2 + l2 * l2 / self.estimation_rows as f64 + self.quad(&d))
    }
}

/// The inverse of a symmetric positive-definite k × k matrix (row-major) by Cholesky, or None
/// when a pivot is not positive relative to its diagonal (a constant or collinear regressor).
pub(crate) fn invert_spd(s: &[f64], k: usize) -> Option<Vec<f64>> {
    // L L' = S.
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let dot: f64 = (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum();
            if i == j {
                let pivot = s[i * k + i] - dot;
                if pivot.is_nan() || pivot <= 1e-12 * s[i * k + i] || s[i * k + i] <= 0.0 {
                    return None;
                }
                l[i * k + i] = pivot.sqrt();
            } else {
                l[i * k + j] = (s[i * k + j] - dot) / l[j * k + j];
            }
        }
    }
    // S⁻¹ = L'⁻¹ L⁻¹: invert L column by column, then multiply.
    let mut li = vec![0.0; k * k];
    for c in 0..k {
        for i in c..k {
            let rhs = if i == c { 1.0 } else { 0.0 };
            let dot: f64 = (c..i).map(|m| l[i * k + m] * li[m * k + c]).sum();
            li[i * k + c] = (rhs - dot) / l[i * k + i];
        }
    }
    let mut inv = vec![0.0; k * k];
    for a in 0..k {
        for b in 0..k {
            inv[a * k + b] = (a.max(b)..k).map(|m| li[m * k + a] * li[m * k + b]).sum();
        }
    }
    Some(inv)
}

/// One event's fitted normal-return model.
///
/// Regressor columns follow [`ModelKind`]'s table: none for the constant-mean model, the
/// market for the market-adjusted and market models, the market then the factors for a factor
/// model. For every kind, with p estimated parameters and L estimation rows:
///
/// ```text
/// AR_t      = R_t − E[R_t]                       (E[R_t] the normal return of the table)
/// df        = L − p                              (σ²'s degrees of freedom)
/// OLS kinds : Var(AR_t) and Var(CAR) of FactorModel (k = 0 for the constant mean:
///             Var(CAR) = σ² (L₂ + L₂²/L))
/// adjusted  : σ² = Σ (A_τ − Ā)² / (L − 1) over the estimation ARs A_τ = R_τ − R_m,τ,
///             Var(AR_t) = σ²,  Var(CAR) = L₂ σ²  (nothing estimated, no estimation error)
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
#[non_exhaustive]
pub enum NormalModel {
    /// Constant mean (a [`FactorModel`] with no regressor: α = the mean return).
    ConstantMean(FactorModel),
    /// Market-adjusted returns.
    MarketAdjusted {
        /// Variance of the estimation-window market-adjusted returns, divisor L − 1.
        sigma2: f64,
        /// Estimation rows L.
        estimation_rows: usize,
    },
    /// The market model (a [`FactorModel`] on the market alone).
    MarketModel(FactorModel),
    /// OLS on the market and the factors.
    Factors(FactorModel),
}

impl NormalModel {
    /// Fits `kind` on the estimation rows: `regressors` as in the table of [`ModelKind`].
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when the regressors do not fit the kind (a factor
    /// model needs the market and at least one factor), the values are not finite, there are
    /// too few rows, or the regressors are constant or collinear.
    pub fn fit(kind: ModelKind, returns: &[f64], regressors: &[&[f64]]) -> crate::Result<Self> {
        let needs = match kind {
            ModelKind::ConstantMean => regressors.is_empty(),
            ModelKind::MarketAdjusted | ModelKind::MarketModel => regressors.len() == 1,
            ModelKind::Factors => regressors.len() >= 2,
        };
        if !needs {
            return Err(crate::Error::param(
                "regressors",
                regressors.len(),
                format!("do not fit the {kind}: see ModelKind's table"),
            ));
        }
        Ok(match kind {
            ModelKind::ConstantMean => NormalModel::ConstantMean(FactorModel::fit(returns, &[])?),
            ModelKind::MarketModel => NormalModel::MarketModel(FactorModel::fit(returns, regressors)?),
            ModelKind::Factors => NormalModel::Factors(FactorModel::fit(returns, regressors)?),
            ModelKind::MarketAdjusted => {
                check_values("returns", returns)?;
                check_values("market", regressors[0])?;
                let l = returns.len();
                if l < 2 || regressors[0].len() != l {
                    return Err(crate::Error::param(
                        "returns",
                        l,
                        "market-adjusted returns need at least 2 estimation rows, one market return each",
                    ));
                }
                let ar: Vec<f64> = returns.iter().zip(regressors[0]).map(|(r, m)| r - m).collect();
                let mean = ar.iter().sum::<f64>() / l as f64;
                NormalModel::MarketAdjusted {
                    sigma2: ar.iter().map(|a| (a - mean).powi(2)).sum::<f64>() / (l - 1) as f64,
                    estimation_rows: l,
                }
            }
        })
    }

    /// Which kind this is.
    pub fn kind(&self) -> ModelKind {
        match self {
            NormalModel::ConstantMean(_) => ModelKind::ConstantMean,
            NormalModel::MarketAdjusted { .. } => ModelKind::MarketAdjusted,
            NormalModel::MarketModel(_) => ModelKind::MarketModel,
            NormalModel::Factors(_) => ModelKind::Factors,
        }
    }

    /// The OLS fit behind the model (None for market-adjusted returns).
    pub fn ols(&self) -> Option<&FactorModel> {
        match self {
            NormalModel::ConstantMean(m) | NormalModel::MarketModel(m) | NormalModel::Factors(m) => Some(m),
            NormalModel::MarketAdjusted { .. } => None,
        }
    }

    /// The market model as a [`MarketModel`] (None for other kinds).
    pub fn market_model(&self) -> Option<MarketModel> {
        match self {
            NormalModel::MarketModel(m) => Some(MarketModel::from_ols(m)),
            _ => None,
        }
    }

    /// σ².
    pub fn sigma2(&self) -> f64 {
        match self {
            NormalModel::MarketAdjusted { sigma2, .. } => *sigma2,
            _ => self.ols().map_or(f64::NAN, |m| m.sigma2),
        }
    }

    /// Estimation rows L.
    pub fn estimation_rows(&self) -> usize {
        match self {
            NormalModel::MarketAdjusted { estimation_rows, .. } => *estimation_rows,
            _ => self.ols().map_or(0, |m| m.estimation_rows),
        }
    }

    /// σ²'s degrees of freedom L − p.
    pub fn df(&self) -> usize {
        match self {
            NormalModel::MarketAdjusted { estimation_rows, .. } => estimation_rows - 1,
            _ => self.ols().map_or(0, |m| m.estimation_rows - m.betas.len() - 1),
        }
    }

    /// The normal return at row `i`.
    pub fn expected(&self, regressors: &[&[f64]], i: usize) -> f64 {
        match self {
            NormalModel::MarketAdjusted { .. } => regressors[0][i],
            _ => self.ols().map_or(f64::NAN, |m| m.expected(regressors, i)),
        }
    }

    /// `AR_t = R_t − E[R_t]` at row `i`.
    pub fn abnormal(&self, ret: f64, regressors: &[&[f64]], i: usize) -> f64 {
        ret - self.expected(regressors, i)
    }

    /// Var(AR_t) at row `i`.
    pub fn ar_variance(&self, regressors: &[&[f64]], i: usize) -> f64 {
        match self {
            NormalModel::MarketAdjusted { sigma2, .. } => *sigma2,
            _ => self.ols().map_or(f64::NAN, |m| m.ar_variance(regressors, i)),
        }
    }

    /// Var(CAR) over the event rows `rows`.
    pub fn car_variance(&self, regressors: &[&[f64]], rows: Range<usize>) -> f64 {
        match self {
            NormalModel::MarketAdjusted { sigma2, .. } => sigma2 * rows.len() as f64,
            _ => self.ols().map_or(f64::NAN, |m| m.car_variance(regressors, rows)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inverse_is_an_inverse_and_collinearity_is_refused() {
        let s = [4.0, 1.0, 0.5, 1.0, 3.0, 0.2, 0.5, 0.2, 2.0];
        let inv = invert_spd(&s, 3).unwrap();
        for a in 0..3 {
            for b in 0..3 {
                let v: f64 = (0..3).map(|m| s[a * 3 + m] * inv[m * 3 + b]).sum();
                assert!((v - f64::from(u8::from(a == b))).abs() < 1e-14, "{a}{b} {v}");
            }
        }
        assert!(invert_spd(&[1.0, 2.0, 2.0, 4.0], 2).is_none());
        assert!(invert_spd(&[0.0], 1).is_none());
        assert_eq!(invert_spd(&[], 0), Some(vec![]));
    }

    #[test]
    fn kinds_parse_from_their_keys() {
        for k in ModelKind::ALL {
            assert_eq!(k.key().parse::<ModelKind>().unwrap(), k);
        }
        assert!("ols".parse::<ModelKind>().is_err());
    }
}
