//! Windows in event time for the classic event study: rows of a security's own calendar
//! counted from its event row (τ = 0), an estimation window before it, an event window around
//! it, and CAR windows inside that; one function fits the market model on one event's
//! estimation window and measures its abnormal returns.

use std::fmt;

use serde::Serialize;

use crate::data::ReturnKind;
use crate::error::{Error, Result};
use crate::stats::{ModelKind, NormalModel};

/// Estimation, event and CAR windows in event time (rows relative to the event row, τ = 0),
/// checked once by [`EventTimeWindows::check`].
///
/// ```
/// use eventstudy::EventTimeWindows;
/// // MacKinlay's layout: estimate on τ = −250..−31, measure τ = −5..+5, CARs on 0..+1 and −5..+5.
/// let w = EventTimeWindows::new(-250..=-31, -5..=5).cars([0..=1, -5..=5]).check()?;
/// assert_eq!(w.event_len(), 11);
/// assert!(EventTimeWindows::new(-10..=2, 0..=5).check().is_err()); // overlapping
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventTimeWindows {
    /// Estimation window [T0, T1].
    pub estimation: (i64, i64),
    /// Event window [τ1, τ2].
    pub event: (i64, i64),
    /// CAR windows, each inside the event window (the whole event window when none is given).
    pub cars: Vec<(i64, i64)>,
    /// The fewest estimation rows with both returns present for a fit (default: half the
    /// window, at least 3).
    pub min_estimation: Option<usize>,
}

impl EventTimeWindows {
    /// An estimation and an event window, in rows relative to the event row.
    pub fn new(estimation: std::ops::RangeInclusive<i64>, event: std::ops::RangeInclusive<i64>) -> Self {
        EventTimeWindows {
            estimation: (*estimation.start(), *estimation.end()),
            event: (*event.start(), *event.end()),
            cars: Vec::new(),
            min_estimation: None,
        }
    }

    /// CAR windows, each within the event window.
    pub fn cars(mut self, cars: impl IntoIterator<Item = std::ops::RangeInclusive<i64>>) -> Self {
        self.cars = cars.into_iter().map(|c| (*c.start(), *c.end())).collect();
        self
    }

    /// The fewest complete estimation rows an event needs (at least 3: σ² has L − 2 degrees of
    /// freedom).
    pub fn min_estimation(mut self, rows: usize) -> Self {
        self.min_estimation = Some(rows);
        self
    }

    /// Validates the windows once: each non-empty, the estimation window wholly before the
    /// event window (they must not overlap), CAR windows inside the event window.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the window and what is wrong with it.
    pub fn check(&self) -> Result<CheckedEventTime> {
        let show = |(a, b): (i64, i64)| format!("{a}..={b}");
        let (t0, t1) = self.estimation;
        let (e1, e2) = self.event;
        if t0 > t1 {
            return Err(Error::param(
                "estimation",
                show(self.estimation),
                "the window is empty",
            ));
        }
        if e1 > e2 {
            return Err(Error::param("event", show(self.event), "the window is empty"));
        }
        if t1 >= e1 {
            return Err(Error::param(
                "estimation",
                show(self.estimation),
                format!("must end before the event window {} starts", show(self.event)),
            ));
        }
        let cars = if self.cars.is_empty() {
            vec![self.event]
        } else {
            self.cars.clone()
        };
        if let Some(&c) = cars.iter().find(|&&(a, b)| a > b || a < e1 || b > e2) {
            return Err(Error::param(
                "cars",
                show(c),
                format!(
                    "a CAR window must be non-empty and inside the event window {}",
                    show(self.event)
                ),
            ));
        }
        let length = (t1 - t0 + 1) as usize;
        let min = self.min_estimation.unwrap_or((length / 2).max(3));
        if min < 3 || min > length {
            return Err(Error::param(
                "min_estimation",
                min,
                format!("must be between 3 and the estimation window's {length} rows"),
            ));
        }
        Ok(CheckedEventTime {
            estimation: self.estimation,
            event: self.event,
            cars,
            min_estimation: min,
        })
    }
}

/// [`EventTimeWindows`] after [`EventTimeWindows::check`]: what [`fit_event`] takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckedEventTime {
    estimation: (i64, i64),
    event: (i64, i64),
    cars: Vec<(i64, i64)>,
    min_estimation: usize,
}

impl CheckedEventTime {
    /// Days in the event window.
    pub fn event_len(&self) -> usize {
        (self.event.1 - self.event.0 + 1) as usize
    }

    /// The event window's τ, in order.
    pub fn taus(&self) -> impl Iterator<Item = i64> + '_ {
        self.event.0..=self.event.1
    }

    /// The fewest complete estimation rows a fit needs.
    pub fn min_estimation_rows(&self) -> usize {
        self.min_estimation
    }

    /// The estimation window [T0, T1].
    pub fn estimation_window(&self) -> (i64, i64) {
        self.estimation
    }

    /// The event window [τ1, τ2].
    pub fn event_window(&self) -> (i64, i64) {
        self.event
    }

    /// The CAR windows.
    pub fn car_windows(&self) -> &[(i64, i64)] {
        &self.cars
    }
}

/// Why an event has no (or only part of its) abnormal returns. Never a silent drop: every
/// event of a study is reported with its status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventStatus {
    /// Fitted, with every event-window return present.
    Complete,
    /// Fewer complete estimation rows than the minimum.
    EstimationTooShort {
        /// Complete rows found.
        rows: usize,
        /// Rows needed.
        needed: usize,
    },
    /// The estimation or event window reaches before the first or after the last row (or the
    /// event date itself is outside the panel's dates).
    WindowOutsideData,
    /// The event date is not a row of the panel, and the study places events on their exact
    /// day ([`crate::EventDay::Exact`]).
    NotATradingDay,
    /// Fitted, but some event-window returns are missing: their AR and every CAR window that
    /// holds them are left out.
    MissingEventReturns {
        /// The τ without a return.
        taus: Vec<i64>,
    },
    /// The model cannot be fitted on the estimation rows (e.g. a constant market return).
    Unfitted {
        /// Why.
        reason: String,
    },
    /// The event's security is not a column of the panel.
    SecurityMissing,
    /// The event's security is the market or a factor column: its abnormal return against
    /// itself is zero by construction.
    SecurityIsRegressor,
    /// Fitted and used, but another event of the same security has its event window inside
    /// this event's estimation window, so the fit may carry that event's returns.
    EstimationOverlapsEvent {
        /// The other event's position in the list (0-based).
        other: usize,
    },
    /// The same security on the same (trading) day as an earlier event of the list.
    DuplicateEvent {
        /// The earlier event's position in the list (0-based).
        first: usize,
    },
}

impl EventStatus {
    /// The key used in JSON and CSV: `complete`, `estimation_too_short`, `window_outside_data`,
    /// `not_a_trading_day`, `missing_event_returns`, `unfitted`, `security_missing`,
    /// `security_is_regressor`, `estimation_overlaps_event`,
    /// `duplicate_event`.
    pub fn key(&self) -> &'static str {
        match self {
            EventStatus::Complete => "complete",
            EventStatus::EstimationTooShort { .. } => "estimation_too_short",
            EventStatus::WindowOutsideData => "window_outside_data",
            EventStatus::NotATradingDay => "not_a_trading_day",
            EventStatus::MissingEventReturns { .. } => "missing_event_returns",
            EventStatus::Unfitted { .. } => "unfitted",
            EventStatus::SecurityMissing => "security_missing",
            EventStatus::SecurityIsRegressor => "security_is_regressor",
            EventStatus::DuplicateEvent { .. } => "duplicate_event",
            EventStatus::EstimationOverlapsEvent { .. } => "estimation_overlaps_event",
        }
    }

    /// Whether the event was fitted with every event-window return.
    pub fn is_complete(&self) -> bool {
        *self == EventStatus::Complete
    }
}

impl fmt::Display for EventStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStatus::Complete => f.write_str("complete"),
            EventStatus::EstimationTooShort { rows, needed } => {
                write!(f, "estimation too short: {rows} complete rows, {needed} needed")
            }
            EventStatus::WindowOutsideData => f.write_str("window outside the data"),
            EventStatus::NotATradingDay => f.write_str("not a trading day of the panel"),
            EventStatus::MissingEventReturns { taus } => {
                write!(f, "event-window returns missing at τ = {taus:?}")
            }
            EventStatus::Unfitted { reason } => write!(f, "model not fitted: {reason}"),
            EventStatus::SecurityMissing => f.write_str("security not in the panel"),
            EventStatus::SecurityIsRegressor => {
                f.write_str("the security is the market or a factor of the model")
            }
            EventStatus::DuplicateEvent { first } => write!(f, "duplicate of event {}", first + 1),
            EventStatus::EstimationOverlapsEvent { other } => {
                write!(
                    f,
                    "fitted, but the estimation window holds event {}'s event window",
                    other + 1
                )
            }
        }
    }
}

/// One CAR window of one event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CarValue {
    /// CAR(τa, τb) = Σ AR_τ.
    pub car: f64,
    /// Var(CAR) with the estimation error ([`NormalModel::car_variance`]).
    pub variance: f64,
    /// The buy-and-hold abnormal return: the window's compounded return less its compounded
    /// normal return ([`ReturnKind::compound`]).
    pub bhar: f64,
}

/// One event's normal-return model and abnormal returns in event time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventFit {
    /// What happened to the event.
    pub status: EventStatus,
    /// The fitted model (None when it could not be fitted).
    pub model: Option<NormalModel>,
    /// Abnormal return at each τ of the event window, in order (None where a return is missing).
    pub ar: Vec<Option<f64>>,
    /// Var(AR_τ) with the estimation error, likewise.
    pub ar_variance: Vec<Option<f64>>,
    /// Per CAR window (None when a day of it is missing).
    pub car: Vec<Option<CarValue>>,
    /// The estimation-window residuals (for the Brown–Warner 1985, sign and rank tests).
    pub estimation: Vec<EstimationDay>,
}

/// One estimation-window day of an event: its residual and forecast-error variance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EstimationDay {
    /// τ.
    pub tau: i64,
    /// The residual, the day's abnormal return under the fitted model.
    pub ar: f64,
    /// Its forecast-error variance, as [`NormalModel::ar_variance`] gives for an event day
    /// (the standardisation of GRANK's estimation SARs).
    pub variance: f64,
}

impl EventFit {
    /// An event with no fit, and why.
    pub(crate) fn without(status: EventStatus, windows: &CheckedEventTime) -> Self {
        EventFit {
            status,
            model: None,
            ar: vec![None; windows.event_len()],
            ar_variance: vec![None; windows.event_len()],
            car: vec![None; windows.cars.len()],
            estimation: Vec::new(),
        }
    }
}

/// Fits the market model on one event's estimation window and measures its abnormal returns:
/// [`fit_event`] with [`ModelKind::MarketModel`] on simple returns.
///
/// # Errors
/// As [`fit_event`].
pub fn market_model_event(
    returns: &[f64],
    market: &[f64],
    event_row: usize,
    windows: &CheckedEventTime,
) -> Result<EventFit> {
    fit_event(
        returns,
        &[market],
        event_row,
        windows,
        ModelKind::MarketModel,
        ReturnKind::Simple,
    )
}

/// Fits a normal-return model on one event's estimation window and measures its abnormal
/// returns.
///
/// `returns` and each of `regressors` (as [`ModelKind`]'s table says: none, the market, or
/// the market and the factors) are one security's series on one calendar, row by row, NaN
/// marking a missing value; `event_row` is τ = 0. Estimation rows where any value is missing
/// are left out (L counts the complete ones), as estudy2 and statsmodels' `missing="drop"`
/// do. For each event-window τ and CAR window (τa, τb):
///
/// ```text
/// AR_τ = R_τ − E[R_τ],   Var(AR_τ)            (NormalModel::ar_variance)
/// CAR  = Σ_{τa..τb} AR_τ,   Var(CAR)            (NormalModel::car_variance: the full
///                                               estimation-error term, not Σ Var(AR_τ))
/// BHAR = compound(R_τa..R_τb) − compound(E[R_τa]..E[R_τb])      (ReturnKind::compound)
/// ```
///
/// # Errors
/// [`Error::InvalidParameter`] when a regressor differs in length from the returns. Everything
/// the data cannot give (a short history, a window past its end, collinear regressors) is an
/// [`EventStatus`], not an error.
pub fn fit_event(
    returns: &[f64],
    regressors: &[&[f64]],
    event_row: usize,
    windows: &CheckedEventTime,
    model: ModelKind,
    kind: ReturnKind,
) -> Result<EventFit> {
    if let Some(x) = regressors.iter().find(|x| x.len() != returns.len()) {
        return Err(Error::param(
            "regressors",
            x.len(),
            format!("needs one value per security return ({})", returns.len()),
        ));
    }
    let row = |tau: i64| -> Option<usize> {
        let r = event_row as i64 + tau;
        (r >= 0 && (r as usize) < returns.len()).then_some(r as usize)
    };
    let (t0, t1) = windows.estimation;
    let (e1, e2) = windows.event;
    if row(t0).is_none() || row(e2).is_none() {
        return Ok(EventFit::without(EventStatus::WindowOutsideData, windows));
    }
    let present = |i: usize| returns[i].is_finite() && regressors.iter().all(|x| x[i].is_finite());
    // In the data: rows t0 and e2 are, and t0 ≤ τ < e2.
    let at = |tau: i64| (event_row as i64 + tau) as usize;
    let used: Vec<i64> = (t0..=t1).filter(|&tau| present(at(tau))).collect();
    if used.len() < windows.min_estimation {
        return Ok(EventFit::without(
            EventStatus::EstimationTooShort {
                rows: used.len(),
                needed: windows.min_estimation,
            },
            windows,
        ));
    }
    let r: Vec<f64> = used.iter().map(|&tau| returns[at(tau)]).collect();
    let x: Vec<Vec<f64>> = regressors
        .iter()
        .map(|col| used.iter().map(|&tau| col[at(tau)]).collect())
        .collect();
    let x: Vec<&[f64]> = x.iter().map(Vec::as_slice).collect();
    let fitted = match NormalModel::fit(model, &r, &x) {
        Ok(m) => m,
        Err(e) => {
            return Ok(EventFit::without(
                EventStatus::Unfitted {
                    reason: e.to_string(),
                },
                windows,
            ));
        }
    };
    let mut fit = EventFit::without(EventStatus::Complete, windows);
    fit.estimation = used
        .iter()
        .enumerate()
        .map(|(j, &tau)| EstimationDay {
            tau,
            ar: fitted.abnormal(r[j], &x, j),
            variance: fitted.ar_variance(&x, j),
        })
        .collect();
    let mut missing = Vec::new();
    for (k, tau) in (e1..=e2).enumerate() {
        let i = at(tau);
        if present(i) {
            fit.ar[k] = Some(fitted.abnormal(returns[i], regressors, i));
            fit.ar_variance[k] = Some(fitted.ar_variance(regressors, i));
        } else {
            missing.push(tau);
        }
    }
    for (slot, &(a, b)) in fit.car.iter_mut().zip(&windows.cars) {
        let days = (a - e1) as usize..=(b - e1) as usize;
        if days.clone().all(|k| fit.ar[k].is_some()) {
            let rows = at(a)..at(b) + 1;
            *slot = Some(CarValue {
                car: days.filter_map(|k| fit.ar[k]).sum(),
                variance: fitted.car_variance(regressors, rows.clone()),
                bhar: kind.compound(rows.clone().map(|i| returns[i]))
                    - kind.compound(rows.map(|i| fitted.expected(regressors, i))),
            });
        }
    }
    fit.model = Some(fitted);
    if !missing.is_empty() {
        fit.status = EventStatus::MissingEventReturns { taus: missing };
    }
    Ok(fit)
}
