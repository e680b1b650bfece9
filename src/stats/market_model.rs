//! The normal-return model of the classic event study (MacKinlay 1997; Campbell, Lo and
//! MacKinlay 1997, ch. 4): the market model fitted on a security's estimation window, its
//! abnormal returns in the event window with their variances (the estimation error
//! included), and the standardised tests built on them.
//!
//! Numbers in, numbers out: which rows form the windows is decided by the study layer.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::inference::{TTest, t_distributed, t_test_unchecked};
use super::normal_model::FactorModel;
use super::summary::check_values;

/// The market model R_t = α + β R_m,t + ε_t of one security, fitted by OLS on its estimation
/// window of L rows.
///
/// ```text
/// β  = Σ (R_m,τ − R̄_m)(R_τ − R̄) / S_mm,   S_mm = Σ (R_m,τ − R̄_m)²,   α = R̄ − β R̄_m
/// σ² = Σ (R_τ − α − β R_m,τ)² / (L − 2)
/// ```
///
/// over the estimation rows τ (MacKinlay 1997, eqs. 7–8; the same as statsmodels' OLS with a
/// constant, whose `scale` is σ²).
///
/// # Example
/// ```
/// use eventstudy::stats::MarketModel;
/// // R = 0.001 + 1.5 R_m, plus residuals ±0.001.
/// let market = [0.01, -0.02, 0.015, 0.0, -0.005, 0.02];
/// let stock: Vec<f64> = market.iter().zip([1., -1., 1., -1., 1., -1.])
///     .map(|(m, e)| 0.001 + 1.5 * m + 0.001 * e).collect();
/// let model = MarketModel::fit(&stock, &market)?;
/// assert!((model.beta - 1.5).abs() < 0.1);
/// // An event day's abnormal return and its forecast-error variance.
/// let ar = model.abnormal(0.05, 0.02);
/// assert!((ar - (0.05 - model.alpha - model.beta * 0.02)).abs() < 1e-15);
/// assert!(model.ar_variance(0.02) > model.sigma2);
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MarketModel {
    /// Intercept α.
    pub alpha: f64,
    /// Slope β on the market return.
    pub beta: f64,
    /// Residual variance σ², divisor L − 2.
    pub sigma2: f64,
    /// Estimation rows L.
    pub estimation_rows: usize,
    /// Mean market return over the estimation window, R̄_m.
    pub market_mean: f64,
    /// S_mm = Σ (R_m,τ − R̄_m)² over the estimation window.
    pub market_ss: f64,
}

impl MarketModel {
    /// Fits the model on paired security and market returns of the estimation window.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when the slices differ in length, hold a value that
    /// is not finite, have fewer than three rows (σ² needs L − 2 ≥ 1), or the market return
    /// does not vary (β is then undefined).
    pub fn fit(returns: &[f64], market: &[f64]) -> crate::Result<Self> {
        check_values("market", market)?;
        if market.len() != returns.len() {
            return Err(crate::Error::param(
                "market",
                market.len(),
                format!("needs one market return per security return ({})", returns.len()),
            ));
        }
        FactorModel::fit(returns, &[market]).map(|m| MarketModel::from_ols(&m))
    }

    /// The market model of a one-regressor [`FactorModel`] (the market's).
    pub(crate) fn from_ols(m: &FactorModel) -> Self {
        MarketModel {
            alpha: m.alpha,
            beta: m.betas[0],
            sigma2: m.sigma2,
            estimation_rows: m.estimation_rows,
            market_mean: m.means[0],
            market_ss: 1.0 / m.s_inv_diagonal(0),
        }
    }

    /// The abnormal return AR_t = R_t − α − β R_m,t.
    pub fn abnormal(&self, ret: f64, market: f64) -> f64 {
        ret - self.alpha - self.beta * market
    }

    /// The variance of one event day's abnormal return, the estimation error of α and β
    /// included (MacKinlay 1997, eq. 9):
    ///
    /// ```text
    /// Var(AR_t) = σ² [ 1 + 1/L + (R_m,t − R̄_m)² / S_mm ]
    /// ```
    pub fn ar_variance(&self, market: f64) -> f64 {
        let l = self.estimation_rows as f64;
        self.sigma2 * (1.0 + 1.0 / l + (market - self.market_mean).powi(2) / self.market_ss)
    }

    /// The variance of the cumulative abnormal return over an event window of L₂ days with
    /// market returns `market_window`, with the full estimation-error term (the sum of the
    /// window's covariance matrix σ²[I + X*(X'X)⁻¹X*'], not a sum of daily variances):
    ///
    /// ```text
    /// Var(CAR) = σ² [ L₂ + L₂²/L + (Σ_t (R_m,t − R̄_m))² / S_mm ]
    /// ```
    pub fn car_variance(&self, market_window: &[f64]) -> f64 {
        let (l, l2) = (self.estimation_rows as f64, market_window.len() as f64);
        let dev: f64 = market_window.iter().map(|m| m - self.market_mean).sum();
        self.sigma2 * (l2 + l2 * l2 / l + dev * dev / self.market_ss)
    }
}

/// A z statistic with its two-sided p from the standard normal.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ZTest {
    /// z statistic.
    pub z: Option<f64>,
    /// Two-sided p-value, 2 · (1 − Φ(|z|)).
    pub p_two_sided: Option<f64>,
    /// Why z and p are undefined, if they are.
    pub undefined_reason: Option<String>,
}

/// Patell's (1976) test of standardised abnormal returns (one event day, or a CAR window
/// standardised by its own variance) across N events, each with d_i = L_i − p_i degrees of
/// freedom (L_i estimation rows, p_i estimated parameters: 2 for the market model):
///
/// ```text
/// SAR_i = AR_i / sqrt(Var(AR_i))                 (or SCAR_i = CAR_i / sqrt(Var(CAR_i)))
/// z     = Σ_i SAR_i / sqrt( Σ_i d_i/(d_i − 2) )      ~ N(0, 1) under H0
/// ```
///
/// d/(d − 2) is the variance of a t-distributed SAR with d degrees of freedom, so every d_i
/// must exceed 2 (for the market model: L_i − 2 over L_i − 4, L_i > 4). Where packages
/// differ: estudy2 standardises with the residual standard deviation of divisor L − 1 and
/// takes R̄_m and S_mm over every estimation date, even those where the security has no
/// return, so its z differs from this one by up to 1% on its own example
/// (`tests/reference/estudy2_conventions.py` reproduces its numbers).
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when the inputs are empty or not finite, differ in
/// length, or some d_i ≤ 2.
///
/// # Example
/// ```
/// // Two market-model events with L = 102 estimation rows: d = 100.
/// let z = eventstudy::stats::patell(&[1.0, 2.0], &[100, 100])?;
/// // Σ SAR = 3 over sqrt(2 · 100/98)
/// assert!((z.z.unwrap() - 3.0 / (2.0f64 * 100.0 / 98.0).sqrt()).abs() < 1e-12);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn patell(standardized: &[f64], df: &[usize]) -> crate::Result<ZTest> {
    check_values("standardized", standardized)?;
    if df.len() != standardized.len() {
        return Err(crate::Error::param(
            "df",
            df.len(),
            format!(
                "needs one degrees-of-freedom count per standardised return ({})",
                standardized.len()
            ),
        ));
    }
    if let Some(&d) = df.iter().find(|&&d| d <= 2) {
        return Err(crate::Error::param(
            "df",
            d,
            "Patell's variance d/(d − 2) needs more than 2 degrees of freedom (L − p > 2)",
        ));
    }
    let var: f64 = df.iter().map(|&d| d as f64 / (d as f64 - 2.0)).sum();
    let z = standardized.iter().sum::<f64>() / var.sqrt();
    Ok(z_test(z))
}

/// The two-sided normal p of a finite z.
pub(crate) fn z_test(z: f64) -> ZTest {
    match Normal::new(0.0, 1.0) {
        Ok(n) if z.is_finite() => ZTest {
            z: Some(z),
            p_two_sided: Some((2.0 * n.sf(z.abs())).min(1.0)),
            undefined_reason: None,
        },
        _ => ZTest {
            z: None,
            p_two_sided: None,
            undefined_reason: Some(format!("z = {z} could not be evaluated")),
        },
    }
}

/// The cross-sectional t-test of abnormal returns (one event day's, or CARs) across N
/// events, with the cross-sectional standard deviation (Campbell, Lo and MacKinlay 1997,
/// §4.4.4; estudy2's and EventStudyTools' "CSect T"):
///
/// ```text
/// t = mean_i AR_i / ( sd_i(AR_i) / sqrt(N) ),   sd with divisor N − 1,   df = N − 1
/// ```
///
/// # Errors
/// As [`crate::stats::t_test`]: empty or non-finite input.
pub fn cross_sectional_t(abnormal: &[f64]) -> crate::Result<TTest> {
    check_values("abnormal", abnormal)?;
    Ok(t_test_unchecked(abnormal, 0.0))
}

/// Boehmer, Musumeci and Poulsen's (1991) standardised cross-sectional test: the
/// cross-sectional t-test of the standardised abnormal returns, robust to an event-induced
/// change in variance.
///
/// ```text
/// t = mean_i SAR_i / ( sd_i(SAR_i) / sqrt(N) ),   df = N − 1
/// ```
///
/// The SAR are standardised as for [`patell`] (with the same difference from estudy2).
///
/// # Errors
/// As [`cross_sectional_t`].
pub fn bmp(standardized: &[f64]) -> crate::Result<TTest> {
    check_values("standardized", standardized)?;
    Ok(t_test_unchecked(standardized, 0.0))
}

/// Brown and Warner's (1980) test of one event day's average abnormal return against the
/// securities' estimation-window variances, assuming independent securities:
///
/// ```text
/// t = AAR_t / ( sqrt(Σ_i σ_i²) / N ),   Student's t with `df` degrees of freedom
/// ```
///
/// σ_i² is the variance of security i's abnormal returns over its estimation window; the
/// classic study passes the market model's σ² (divisor L − 2). estudy2 uses the residuals'
/// sample variance (divisor L − 1) and df = mean(L) − 1; given those, this function returns
/// its published statistic.
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when `variances` is empty, a value is not finite or a
/// variance is not positive, or `df` is 0.
///
/// # Example
/// ```
/// let t = eventstudy::stats::brown_warner_1980(0.02, &[0.0004, 0.0004], 100)?;
/// // sqrt(0.0008) / 2 = 0.01414…
/// assert!((t.t.unwrap() - 0.02 / (0.0008f64.sqrt() / 2.0)).abs() < 1e-12);
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn brown_warner_1980(aar: f64, variances: &[f64], df: usize) -> crate::Result<TTest> {
    check_values("aar", &[aar])?;
    check_values("variances", variances)?;
    if let Some(v) = variances.iter().find(|v| **v <= 0.0) {
        return Err(crate::Error::param("variances", v, "variances must be positive"));
    }
    if df == 0 {
        return Err(crate::Error::param(
            "df",
            df,
            "needs at least 1 degree of freedom",
        ));
    }
    let sd = variances.iter().sum::<f64>().sqrt() / variances.len() as f64;
    Ok(t_distributed(aar / sd, df))
}

/// Brown and Warner's (1985) test with their "crude dependence adjustment": the average
/// abnormal return against the time series of average abnormal returns over the estimation
/// window, so that correlation across securities (a common event date) is in the variance:
///
/// ```text
/// Ā_τ  = mean_i AR_i,τ over the securities with a return on estimation day τ, τ = 1..T
/// S(Ā) = sqrt( Σ_τ (Ā_τ − mean(Ā))² / (T − 1) )
/// t    = AAR_t / S(Ā),   Student's t with T − 1 degrees of freedom
/// ```
///
/// (estudy2's `brown_warner_1985` statistic; it takes df = mean(L) − 1.)
///
/// # Errors
/// [`crate::Error::InvalidParameter`] when the inputs are not finite, or there are fewer than
/// two estimation days or no spread among them.
pub fn brown_warner_1985(aar: f64, estimation_aar: &[f64]) -> crate::Result<TTest> {
    check_values("aar", &[aar])?;
    check_values("estimation_aar", estimation_aar)?;
    let t_days = estimation_aar.len();
    let mean = estimation_aar.iter().sum::<f64>() / t_days as f64;
    let ss: f64 = estimation_aar.iter().map(|a| (a - mean).powi(2)).sum();
    if t_days < 2 || ss <= 0.0 {
        return Err(crate::Error::param(
            "estimation_aar",
            t_days,
            "needs at least two estimation days whose average abnormal returns differ",
        ));
    }
    let sd = (ss / (t_days - 1) as f64).sqrt();
    Ok(t_distributed(aar / sd, t_days - 1))
}

/// Lamb's (1995) portfolio test of one event day, as estudy2 computes it with each event's
/// forecast correction in place of one market term: the average abnormal return against the
/// estimation-window time series of average abnormal returns (as [`brown_warner_1985`]),
/// scaled by the mean forecast-error correction of the events on the day:
///
/// ```text
/// c_i  = Var(AR_i,t) / σ_i²                 (market model: 1 + 1/L_i + (R_m,t − R̄_m,i)²/S_mm,i)
/// z    = AAR_t / ( S(Ā) · sqrt(mean_i c_i) )      ~ N(0, 1)
/// CAR window W:  z_W = Σ_{t∈W} z_t / sqrt(L_W)     (estudy2's `car_lamb`)
/// ```
///
/// Where packages differ: estudy2 uses 1 + 1/mean(L_i) + (R_m,t − R̄_m)²/S_mm with the market
/// moments over every estimation date, so its z differs in the fourth digit on its own example
/// where two stocks lack early returns (`tests/reference/classic_rank_reference.py`).
///
/// # Errors
/// As [`brown_warner_1985`], and when `corrections` is empty or not finite.
pub fn lamb(aar: f64, estimation_aar: &[f64], corrections: &[f64]) -> crate::Result<ZTest> {
    check_values("corrections", corrections)?;
    let bw = brown_warner_1985(aar, estimation_aar)?;
    let c = corrections.iter().sum::<f64>() / corrections.len() as f64;
    Ok(z_test(bw.t.unwrap_or(f64::NAN) / c.sqrt()))
}
