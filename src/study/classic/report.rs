//! What a classic study reports: every event with its status, and the rows across events.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::rows::{AarRow, CarRow, ClassicTest, TestValue, window_key};
use crate::data::{PanelEvent, ReturnKind};
use crate::stats::{ModelKind, NormalModel};
use crate::window::{CheckedEventTime, EventFit, EventStatus, EventTimeWindows};

/// One event of a classic study, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassicEvent {
    /// The security.
    pub security: String,
    /// The event date as listed.
    pub event_date: NaiveDate,
    /// The panel row τ = 0 is on (the next trading day when the date is not one).
    pub day0: Option<NaiveDate>,
    /// The event's label, if any.
    pub label: Option<String>,
    /// What happened to it.
    #[serde(flatten)]
    pub status: EventStatus,
    /// Complete estimation rows L.
    pub estimation_n: Option<usize>,
    /// The model's intercept α (the mean return of the constant-mean model; None for
    /// market-adjusted returns, where α = 0 is fixed).
    pub alpha: Option<f64>,
    /// The slope on the market (None for the constant-mean model and market-adjusted returns,
    /// where β = 1 is fixed).
    pub beta: Option<f64>,
    /// The slopes on the factors of a factor model, by column.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub factor_betas: BTreeMap<String, f64>,
    /// Residual standard deviation σ.
    pub sigma: Option<f64>,
    /// AR by τ (days without a return left out).
    pub ar: BTreeMap<i64, f64>,
    /// CAR by window `"τa:τb"`.
    pub car: BTreeMap<String, f64>,
    /// BHAR by window `"τa:τb"`.
    pub bhar: BTreeMap<String, f64>,
}

impl ClassicEvent {
    pub(super) fn new(
        event: &PanelEvent,
        day0: Option<NaiveDate>,
        fit: EventFit,
        windows: &CheckedEventTime,
        factors: &[String],
    ) -> Self {
        let ols = fit.model.as_ref().and_then(NormalModel::ols);
        let by_window = |f: fn(&crate::window::CarValue) -> f64| -> BTreeMap<String, f64> {
            windows
                .car_windows()
                .iter()
                .zip(&fit.car)
                .filter_map(|(&w, c)| Some((window_key(w), f(c.as_ref()?))))
                .collect()
        };
        ClassicEvent {
            security: event.security.clone(),
            event_date: event.date,
            day0,
            label: event.label.clone(),
            estimation_n: fit.model.as_ref().map(NormalModel::estimation_rows),
            alpha: ols.map(|m| m.alpha),
            beta: ols.and_then(|m| m.betas.first().copied()),
            factor_betas: ols
                .map(|m| {
                    factors
                        .iter()
                        .cloned()
                        .zip(m.betas.iter().skip(1).copied())
                        .collect()
                })
                .unwrap_or_default(),
            sigma: fit.model.as_ref().map(|m| m.sigma2().sqrt()),
            ar: windows
                .taus()
                .zip(&fit.ar)
                .filter_map(|(t, a)| Some((t, (*a)?)))
                .collect(),
            car: by_window(|c| c.car),
            bhar: by_window(|c| c.bhar),
            status: fit.status,
        }
    }
}

/// The result of a [`ClassicStudy`](super::ClassicStudy): every event with its status, and the tests across events
/// per day and per CAR window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassicReport {
    /// Where the returns came from (the panel's source: a file, or the series it was built from).
    pub source: String,
    /// The market column.
    pub market: String,
    /// The normal-return model.
    pub model: ModelKind,
    /// The factor columns of a factor model.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<String>,
    /// What the returns are (how BHARs compound).
    pub returns: ReturnKind,
    /// The windows used.
    pub windows: EventTimeWindows,
    /// Every listed event, in order.
    pub events: Vec<ClassicEvent>,
    /// Per event-window day.
    pub aar: Vec<AarRow>,
    /// Per CAR window.
    pub car: Vec<CarRow>,
    /// Per CAR window, the CARs regressed on the events' labels (empty without two labels).
    pub regressions: Vec<super::LabelRegression>,
}

impl std::fmt::Display for ClassicReport {
    /// The events' statuses, then per day and per CAR window the mean and each test's p.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::report::text::{p3, pct};
        writeln!(f, "{}", self.headline())?;
        for e in self.events.iter().filter(|e| !e.status.is_complete()) {
            writeln!(f, "  {} {}: {}", e.security, e.event_date, e.status)?;
        }
        let keys: Vec<ClassicTest> = self
            .aar
            .first()
            .map(|r| r.tests.keys().copied().collect())
            .unwrap_or_default();
        let head: String = keys
            .iter()
            .map(|k| format!(" {:>9}", format!("p {}", k.key())))
            .collect();
        writeln!(f, "\n{:>6} {:>3} {:>9}{head}", "τ", "n", "AAR %")?;
        let p_of = |tests: &BTreeMap<ClassicTest, TestValue>, k: &ClassicTest| {
            tests.get(k).and_then(|v| v.p).map_or("–".to_string(), p3)
        };
        for r in &self.aar {
            let ps: String = keys
                .iter()
                .map(|k| format!(" {:>9}", p_of(&r.tests, k)))
                .collect();
            writeln!(f, "{:>6} {:>3} {:>9}{ps}", r.tau, r.n, pct(r.mean_ar))?;
        }
        for r in &self.car {
            let ps: String = keys
                .iter()
                .map(|k| {
                    format!(
                        " {:>9}",
                        if r.tests.contains_key(k) {
                            p_of(&r.tests, k)
                        } else {
                            String::new()
                        }
                    )
                })
                .collect();
            writeln!(f, "{:>6} {:>3} {:>9}{ps}", window_key(r.window), r.n, pct(r.caar))?;
        }
        Ok(())
    }
}
