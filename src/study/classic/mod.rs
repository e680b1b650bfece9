//! The classic event study (MacKinlay 1997): many securities, each with its own event dates,
//! a normal-return model fitted per event, abnormal returns in event time and the test battery.

mod battery;
mod labels;
mod placebo;
mod preset;
mod report;
mod rows;

pub use battery::{aar_rows, car_rows};
pub use labels::LabelRegression;
pub use preset::{CryptoEvent, altcoin_classic_studies, altcoin_windows, crypto_events};
pub use report::{ClassicEvent, ClassicReport};
pub(crate) use rows::window_key;
pub use rows::{AarRow, CarRow, ClassicTest, PlaceboSummary, TestValue};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::data::{EventDay, PanelEvent, ReturnsPanel};
use crate::error::Result;
use crate::stats::{ModelKind, StatsOptions};
use crate::window::{EventFit, EventStatus, EventTimeWindows, fit_event};

/// The classic (market-model) event study: many securities, each with its own event dates,
/// on one returns panel (MacKinlay 1997).
///
/// Each event's date is moved to the panel's next row when it is not a trading day; τ counts
/// rows from there. Every event of the list is reported, with an [`EventStatus`] when it has
/// no (or only part of its) abnormal returns: a security missing from the panel, a duplicate
/// of an earlier event, a window outside the data, a short estimation window.
///
/// ```
/// use eventstudy::{ClassicStudy, EventTimeWindows, PanelEvent, ReturnsPanel};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
/// let events = ["AMZN", "NFLX", "FB"].map(|s| PanelEvent {
///     security: s.into(),
///     date: "2020-03-16".parse().unwrap(),
///     label: None,
/// });
/// let report = ClassicStudy::new(ReturnsPanel::from_wide_csv(path)?, "GSPC")
///     .events(events)
///     .windows(EventTimeWindows::new(-240..=-1, 0..=4))
///     .run()?;
/// assert_eq!(report.events.len(), 3);
/// assert_eq!(report.aar.len(), 5);
/// assert!(report.car[0].caar > 0.0);
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClassicStudy {
    panel: ReturnsPanel,
    market: String,
    factors: Vec<String>,
    model: ModelKind,
    events: Vec<PanelEvent>,
    windows: EventTimeWindows,
    /// Estimation and event periods as dates (estudy2's style), when given.
    periods: Option<DatePeriods>,
    event_day: EventDay,
    stats: StatsOptions,
    progress: Option<Progress>,
}

/// A callback told (events fitted, events listed) as a study fits its events.
#[derive(Clone)]
struct Progress(std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress(..)")
    }
}

/// Estimation and event periods as calendar dates, shared by every event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DatePeriods {
    estimation: (NaiveDate, NaiveDate),
    event: (NaiveDate, NaiveDate),
}

impl ClassicStudy {
    /// A study on `panel` with `market` (one of its columns) as the market return. The
    /// defaults are MacKinlay's: the market model, estimation τ = −250..−31, event −5..+5,
    /// CARs −1..+1 and −5..+5.
    pub fn new(panel: ReturnsPanel, market: impl Into<String>) -> Self {
        ClassicStudy {
            panel,
            market: market.into(),
            factors: Vec::new(),
            model: ModelKind::MarketModel,
            events: Vec::new(),
            windows: EventTimeWindows::new(-250..=-31, -5..=5).cars([-1..=1, -5..=5]),
            periods: None,
            event_day: EventDay::Next,
            stats: StatsOptions::new(),
            progress: None,
        }
    }

    /// How many events are listed.
    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    /// The events.
    pub fn events(mut self, events: impl IntoIterator<Item = PanelEvent>) -> Self {
        self.events = events.into_iter().collect();
        self
    }

    /// The windows in event time.
    pub fn windows(mut self, windows: EventTimeWindows) -> Self {
        self.windows = windows;
        self
    }

    /// Draws and seed of the Monte-Carlo sign-flip test (used beyond 20 events).
    pub fn stats(mut self, stats: StatsOptions) -> Self {
        self.stats = stats;
        self
    }

    /// Estimation and event periods as dates, as estudy2 gives them: every event's τ = 0 is
    /// the first row of the event period (each listed event must be on that day, or on a
    /// non-trading day just before it), the estimation window is the rows dated in
    /// `estimation`, the event window and its one CAR window the rows dated in `event`.
    /// Replaces [`ClassicStudy::windows`]; its minimum estimation rows still apply when set.
    pub fn periods(
        mut self,
        estimation: std::ops::RangeInclusive<NaiveDate>,
        event: std::ops::RangeInclusive<NaiveDate>,
    ) -> Self {
        self.periods = Some(DatePeriods {
            estimation: (*estimation.start(), *estimation.end()),
            event: (*event.start(), *event.end()),
        });
        self
    }

    /// The windows in event time: as given, or from the date periods on the panel's calendar.
    fn event_time(&self) -> Result<EventTimeWindows> {
        let Some(p) = self.periods else {
            return Ok(self.windows.clone());
        };
        let dates = self.panel.dates();
        let first_on_or_after = |d: NaiveDate| dates.partition_point(|x| *x < d);
        let last_on_or_before = |d: NaiveDate| dates.partition_point(|x| *x <= d) as i64 - 1;
        let row0 = first_on_or_after(p.event.0) as i64;
        let (a, b) = (
            first_on_or_after(p.estimation.0) as i64,
            last_on_or_before(p.estimation.1),
        );
        let e2 = last_on_or_before(p.event.1);
        if a > b || row0 > e2 || row0 as usize >= dates.len() {
            return Err(crate::Error::param(
                "periods",
                format!(
                    "{}..{} and {}..{}",
                    p.estimation.0, p.estimation.1, p.event.0, p.event.1
                ),
                format!("each period needs at least one row of {}", self.panel.source()),
            ));
        }
        let mut w = EventTimeWindows::new(a - row0..=b - row0, 0..=e2 - row0).cars([0..=e2 - row0]);
        w.min_estimation = self.windows.min_estimation;
        for (i, e) in self.events.iter().enumerate() {
            if self.panel.event_row(e.date, self.event_day) != Some(row0 as usize) {
                return Err(crate::Error::param(
                    "events",
                    format!("event {} ({} {})", i + 1, e.security, e.date),
                    format!(
                        "with date periods every event is on the event period's first day, {}",
                        dates[row0 as usize]
                    ),
                ));
            }
        }
        Ok(w)
    }

    /// Calls `report(fitted, listed)` from the fitting threads as events are fitted (about a
    /// hundred times per study, and once at the end): for a progress bar.
    pub fn on_progress(mut self, report: impl Fn(usize, usize) + Send + Sync + 'static) -> Self {
        self.progress = Some(Progress(std::sync::Arc::new(report)));
        self
    }

    /// Where an event dated on a day without a row goes ([`EventDay`]; default: the next row).
    pub fn event_day(mut self, rule: EventDay) -> Self {
        self.event_day = rule;
        self
    }

    /// The normal-return model (default: the market model).
    pub fn model(mut self, model: ModelKind) -> Self {
        self.model = model;
        self
    }

    /// Factor columns of the panel for [`ModelKind::Factors`] (regressed on with the market);
    /// setting any makes the factor model the study's model.
    pub fn factors<S: Into<String>>(mut self, factors: impl IntoIterator<Item = S>) -> Self {
        self.factors = factors.into_iter().map(Into::into).collect();
        if !self.factors.is_empty() {
            self.model = ModelKind::Factors;
        }
        self
    }

    /// The regressor columns of the model: none, the market, or the market and the factors.
    fn regressors(&self) -> Result<(Vec<&str>, Vec<&[f64]>)> {
        let names: Vec<&str> = match self.model {
            ModelKind::ConstantMean => Vec::new(),
            ModelKind::MarketAdjusted | ModelKind::MarketModel => vec![self.market.as_str()],
            _ => std::iter::once(self.market.as_str())
                .chain(self.factors.iter().map(String::as_str))
                .collect(),
        };
        if self.model == ModelKind::Factors && names.len() < 2 {
            return Err(crate::Error::param(
                "factors",
                "[]",
                "the factor model needs at least one factor column besides the market",
            ));
        }
        let columns = names
            .iter()
            .map(|name| {
                self.panel.column(name).ok_or_else(|| {
                    crate::Error::param(
                        "columns",
                        name,
                        format!(
                            "not a column of {} ({})",
                            self.panel.source(),
                            self.panel.names().join(", ")
                        ),
                    )
                })
            })
            .collect::<Result<_>>()?;
        Ok((names, columns))
    }

    /// Fits every event (in parallel) and tests across them.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for invalid windows, no events, or a market or factor
    /// that is not a column of the panel.
    pub fn run(&self) -> Result<ClassicReport> {
        let given = self.event_time()?;
        let windows = given.check()?;
        if self.events.is_empty() {
            return Err(crate::Error::param("events", "[]", "give at least one event"));
        }
        // The market must be a column even where the model does not regress on it: it is the
        // study's benchmark, and the report names it.
        if self.panel.column(&self.market).is_none() {
            return Err(crate::Error::param(
                "market",
                &self.market,
                format!(
                    "not a column of {} ({})",
                    self.panel.source(),
                    self.panel.names().join(", ")
                ),
            ));
        }
        let (names, regressors) = self.regressors()?;
        // The row of each event, and which events repeat an earlier one.
        let rows: Vec<Option<usize>> = self
            .events
            .iter()
            .map(|e| self.panel.event_row(e.date, self.event_day))
            .collect();
        let inside =
            |d: NaiveDate| self.panel.dates().first() <= Some(&d) && Some(&d) <= self.panel.dates().last();
        let mut first_of: std::collections::HashMap<(&str, usize), usize> = Default::default();
        let mut duplicate: Vec<Option<usize>> = vec![None; rows.len()];
        for (i, (e, row)) in self.events.iter().zip(&rows).enumerate() {
            if let Some(r) = *row {
                let first = *first_of.entry((e.security.as_str(), r)).or_insert(i);
                duplicate[i] = (first != i).then_some(first);
            }
        }
        // Per event, another event of its security whose event window lies in its estimation
        // window (flagged, not dropped).
        let mut by_security: std::collections::HashMap<&str, Vec<(usize, i64)>> = Default::default();
        for (i, (e, row)) in self.events.iter().zip(&rows).enumerate() {
            if let (Some(r), None) = (row, duplicate[i]) {
                by_security
                    .entry(e.security.as_str())
                    .or_default()
                    .push((i, *r as i64));
            }
        }
        let (t0, t1) = windows.estimation_window();
        let (e1, e2) = windows.event_window();
        let mut overlaps: Vec<Option<usize>> = vec![None; rows.len()];
        for members in by_security.values() {
            for &(i, ri) in members {
                overlaps[i] = members
                    .iter()
                    .find(|&&(j, rj)| j != i && rj + e1 <= ri + t1 && rj + e2 >= ri + t0)
                    .map(|&(j, _)| j);
            }
        }
        let kind = self.panel.kind();
        let (fitted, total) = (std::sync::atomic::AtomicUsize::new(0), self.events.len());
        let step = (total / 100).max(1);
        let fits: Vec<EventFit> = self
            .events
            .par_iter()
            .zip(rows.par_iter().zip(duplicate.par_iter()))
            .enumerate()
            .map(|(i, (event, (row, duplicate)))| {
                if let Some(Progress(report)) = &self.progress {
                    let done = fitted.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    if done % step == 0 || done == total {
                        report(done, total);
                    }
                }
                let is_regressor = event.security == self.market || names.contains(&event.security.as_str());
                match (self.panel.column(&event.security), row, duplicate) {
                    (None, _, _) => Ok(EventFit::without(EventStatus::SecurityMissing, &windows)),
                    _ if is_regressor => Ok(EventFit::without(EventStatus::SecurityIsRegressor, &windows)),
                    (_, _, Some(first)) => Ok(EventFit::without(
                        EventStatus::DuplicateEvent { first: *first },
                        &windows,
                    )),
                    (_, None, _) if inside(event.date) => {
                        Ok(EventFit::without(EventStatus::NotATradingDay, &windows))
                    }
                    (_, None, _) => Ok(EventFit::without(EventStatus::WindowOutsideData, &windows)),
                    (Some(returns), Some(row), None) => {
                        let mut fit = fit_event(returns, &regressors, *row, &windows, self.model, kind)?;
                        if let (EventStatus::Complete, Some(other)) = (&fit.status, overlaps[i]) {
                            fit.status = EventStatus::EstimationOverlapsEvent { other };
                        }
                        Ok(fit)
                    }
                }
            })
            .collect::<Result<_>>()?;
        let options = self.stats.check()?;
        let placebo_events: Vec<placebo::PlaceboEvent<'_>> = self
            .events
            .iter()
            .zip(&fits)
            .zip(&rows)
            .filter_map(|((e, fit), row)| {
                Some(placebo::PlaceboEvent {
                    returns: self.panel.column(&e.security)?,
                    security: &e.security,
                    row: *row,
                    fit,
                })
            })
            .collect();
        let draws = placebo::pseudo_event_draws(&placebo_events, &regressors, self.model, &windows, &options);
        let mut fits = fits;
        let estimations = fits
            .iter_mut()
            .map(|f| std::mem::take(&mut f.estimation))
            .collect();
        let across = battery::Across::new(&fits, estimations, &windows, &options).with_placebo(draws);
        let mut aar = across.days();
        // A day's date, where every event shares it (one common event date).
        let common = rows
            .first()
            .copied()
            .flatten()
            .filter(|r| rows.iter().all(|x| *x == Some(*r)));
        for row in &mut aar {
            row.date = common
                .and_then(|r| usize::try_from(r as i64 + row.tau).ok())
                .and_then(|i| self.panel.dates().get(i).copied());
        }
        let car = across.cars();
        drop(across);
        let labels: Vec<Option<&str>> = self.events.iter().map(|e| e.label.as_deref()).collect();
        let regressions = labels::label_regressions(&labels, &fits, windows.car_windows());
        let factors = if self.model == ModelKind::Factors {
            names[1..].iter().map(|s| s.to_string()).collect()
        } else {
            Vec::new()
        };
        let events = self
            .events
            .iter()
            .zip(&rows)
            .zip(fits)
            .map(|((event, row), fit)| {
                ClassicEvent::new(event, row.map(|r| self.panel.dates()[r]), fit, &windows, &factors)
            })
            .collect();
        Ok(ClassicReport {
            source: self.panel.source().to_string(),
            market: self.market.clone(),
            model: self.model,
            factors,
            returns: kind,
            windows: given,
            events,
            aar,
            car,
            regressions,
        })
    }
}
