//! Windows in event time for the classic event study: rows of a security's own calendar
//! counted from its event row (τ = 0), an estimation window before it, an event window around
//! it, and CAR windows inside that; one function fits the market model on one event's
//! estimation window and measures its abnormal returns.

use std::fmt;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::stats::MarketModel;

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

/// [`EventTimeWindows`] after [`EventTimeWindows::check`]: what [`market_model_event`] takes.
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
    /// The estimation or event window reaches before the first or after the last row.
    WindowOutsideData,
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
    /// The event's security is not a column of the panel (or is the market itself).
    SecurityMissing,
    /// The same security on the same (trading) day as an earlier event of the list.
    DuplicateEvent {
        /// The earlier event's position in the list (0-based).
        first: usize,
    },
}

impl fmt::Display for EventStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventStatus::Complete => f.write_str("complete"),
            EventStatus::EstimationTooShort { rows, needed } => {
                write!(f, "estimation too short: {rows} complete rows, {needed} needed")
            }
            EventStatus::WindowOutsideData => f.write_str("window outside the data"),
            EventStatus::MissingEventReturns { taus } => {
                write!(f, "event-window returns missing at τ = {taus:?}")
            }
            EventStatus::Unfitted { reason } => write!(f, "model not fitted: {reason}"),
            EventStatus::SecurityMissing => f.write_str("security not in the panel"),
            EventStatus::DuplicateEvent { first } => write!(f, "duplicate of event {}", first + 1),
        }
    }
}

/// One event's market model and abnormal returns in event time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventFit {
    /// What happened to the event.
    pub status: EventStatus,
    /// The fitted model (None when it could not be fitted).
    pub model: Option<MarketModel>,
    /// Abnormal return at each τ of the event window, in order (None where a return is missing).
    pub ar: Vec<Option<f64>>,
    /// Var(AR_τ) with the estimation error, likewise.
    pub ar_variance: Vec<Option<f64>>,
    /// Per CAR window: the CAR and its variance (None when a day of it is missing).
    pub car: Vec<Option<(f64, f64)>>,
    /// The estimation-window residuals, with their τ (for the Brown–Warner 1985 and sign tests).
    pub estimation_residuals: Vec<(i64, f64)>,
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
            estimation_residuals: Vec::new(),
        }
    }
}

/// Fits the market model on one event's estimation window and measures its abnormal returns.
///
/// `returns` and `market` are one security's and the market's returns on the same calendar,
/// row by row, NaN marking a missing return; `event_row` is τ = 0. Estimation rows where
/// either return is missing are left out (L counts the complete ones), as estudy2 and
/// statsmodels' `missing="drop"` do. For each event-window τ:
///
/// ```text
/// AR_τ = R_τ − α − β R_m,τ,   Var(AR_τ) = σ² [1 + 1/L + (R_m,τ − R̄_m)²/S_mm]
/// CAR(τa, τb) = Σ_{τa..τb} AR_τ,   Var(CAR) = σ² [L₂ + L₂²/L + (Σ (R_m,τ − R̄_m))²/S_mm]
/// ```
///
/// ([`MarketModel::ar_variance`], [`MarketModel::car_variance`]).
///
/// # Errors
/// [`Error::InvalidParameter`] when the two series differ in length. Everything the data
/// cannot give (a short history, a window past its end) is an [`EventStatus`], not an error.
pub fn market_model_event(
    returns: &[f64],
    market: &[f64],
    event_row: usize,
    windows: &CheckedEventTime,
) -> Result<EventFit> {
    if returns.len() != market.len() {
        return Err(Error::param(
            "market",
            market.len(),
            format!("needs one market return per security return ({})", returns.len()),
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
    let present = |i: usize| returns[i].is_finite() && market[i].is_finite();
    let (mut r, mut m, mut taus) = (Vec::new(), Vec::new(), Vec::new());
    for tau in t0..=t1 {
        // In the data: rows t0 and e2 are, and t0 ≤ τ < e2.
        let i = (event_row as i64 + tau) as usize;
        if present(i) {
            r.push(returns[i]);
            m.push(market[i]);
            taus.push(tau);
        }
    }
    if r.len() < windows.min_estimation {
        return Ok(EventFit::without(
            EventStatus::EstimationTooShort {
                rows: r.len(),
                needed: windows.min_estimation,
            },
            windows,
        ));
    }
    let model = match MarketModel::fit(&r, &m) {
        Ok(model) => model,
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
    fit.model = Some(model);
    fit.estimation_residuals = taus
        .iter()
        .zip(r.iter().zip(&m))
        .map(|(&tau, (&x, &y))| (tau, model.abnormal(x, y)))
        .collect();
    let mut missing = Vec::new();
    for (k, tau) in (e1..=e2).enumerate() {
        let i = (event_row as i64 + tau) as usize;
        if present(i) {
            fit.ar[k] = Some(model.abnormal(returns[i], market[i]));
            fit.ar_variance[k] = Some(model.ar_variance(market[i]));
        } else {
            missing.push(tau);
        }
    }
    for (slot, &(a, b)) in fit.car.iter_mut().zip(&windows.cars) {
        let days = (a - e1) as usize..=(b - e1) as usize;
        if days.clone().all(|k| fit.ar[k].is_some()) {
            let car = days.clone().filter_map(|k| fit.ar[k]).sum();
            let market_window: Vec<f64> = (a..=b)
                .map(|tau| market[(event_row as i64 + tau) as usize])
                .collect();
            *slot = Some((car, model.car_variance(&market_window)));
        }
    }
    if !missing.is_empty() {
        fit.status = EventStatus::MissingEventReturns { taus: missing };
    }
    Ok(fit)
}
