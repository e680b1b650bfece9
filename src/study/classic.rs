//! The classic event study's tests across events: per event-window day (AAR) and per CAR
//! window (CAAR), each test under a typed key, from the events' [`EventFit`]s.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use crate::data::{PanelEvent, ReturnsPanel};
use crate::error::Result;
use crate::stats::{
    TTest, ZTest, bmp, brown_warner_1980, brown_warner_1985, cross_sectional_t, estimation_positive_share,
    generalized_sign, patell, sign_test, wilcoxon,
};
use crate::window::{CheckedEventTime, EventFit, EventStatus, EventTimeWindows, market_model_event};

/// A test of abnormal returns across events, by its stable key (`t`, `bw1980`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClassicTest {
    /// Cross-sectional t ([`cross_sectional_t`]).
    T,
    /// Brown–Warner 1980 ([`brown_warner_1980`]), days only.
    Bw1980,
    /// Brown–Warner 1985, crude dependence adjustment ([`brown_warner_1985`]), days only.
    Bw1985,
    /// Patell ([`patell`]).
    Patell,
    /// Boehmer–Musumeci–Poulsen ([`bmp`]).
    Bmp,
    /// Sign test, exact binomial p ([`sign_test`]).
    Sign,
    /// Generalised sign (Cowan; [`generalized_sign`]).
    Gsign,
    /// Wilcoxon signed-rank ([`wilcoxon`]).
    Wilcoxon,
}

impl ClassicTest {
    /// The key: `t`, `bw1980`, `bw1985`, `patell`, `bmp`, `sign`, `gsign`, `wilcoxon`.
    pub fn key(self) -> &'static str {
        match self {
            ClassicTest::T => "t",
            ClassicTest::Bw1980 => "bw1980",
            ClassicTest::Bw1985 => "bw1985",
            ClassicTest::Patell => "patell",
            ClassicTest::Bmp => "bmp",
            ClassicTest::Sign => "sign",
            ClassicTest::Gsign => "gsign",
            ClassicTest::Wilcoxon => "wilcoxon",
        }
    }
}

/// One test's statistic and two-sided p (None where undefined, with the reason).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestValue {
    /// The statistic (t, z, n₊ for the sign test, W₊ for Wilcoxon).
    pub statistic: Option<f64>,
    /// Two-sided p.
    pub p: Option<f64>,
    /// Why there is no value, if there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

impl TestValue {
    fn of_t(t: &TTest) -> Self {
        TestValue {
            statistic: t.t,
            p: t.p_two_sided,
            undefined: t.undefined_reason.clone(),
        }
    }

    fn of_z(z: &ZTest) -> Self {
        TestValue {
            statistic: z.z,
            p: z.p_two_sided,
            undefined: z.undefined_reason.clone(),
        }
    }

    fn failed(e: crate::Error) -> Self {
        TestValue {
            statistic: None,
            p: None,
            undefined: Some(e.to_string()),
        }
    }
}

/// One event-window day across events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AarRow {
    /// τ.
    pub tau: i64,
    /// The day's date, when every event shares one (a common event date).
    pub date: Option<NaiveDate>,
    /// Events with an abnormal return on this day.
    pub n: usize,
    /// AAR: their mean abnormal return.
    pub mean_ar: f64,
    /// Each test.
    pub tests: BTreeMap<ClassicTest, TestValue>,
}

/// One CAR window across events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarRow {
    /// The window (τa, τb), `"τa:τb"` in JSON.
    #[serde(serialize_with = "window_str")]
    pub window: (i64, i64),
    /// Events with a CAR over the whole window.
    pub n: usize,
    /// CAAR: their mean CAR.
    pub caar: f64,
    /// Each test (no Brown–Warner: they are defined for days).
    pub tests: BTreeMap<ClassicTest, TestValue>,
}

/// The tests across events of every event-window day, from the events' fits (those with no
/// model are left out of every row; an event missing one day's return is left out of that day).
///
/// Per day τ, over the n events with AR_τ (SAR = AR / sqrt(Var AR)):
///
/// ```text
/// t        cross_sectional_t(AR)                       t(n − 1)
/// bw1980   AAR / (sqrt(Σ σ_i²)/n)                     t(min L_i − 2)
/// bw1985   AAR / sd_τ'(Ā_τ'), Ā_τ' = mean over events of the estimation residuals at τ'
/// patell   Σ SAR / sqrt(Σ (L_i − 2)/(L_i − 4))        N(0, 1)
/// bmp      cross_sectional_t(SAR)                      t(n − 1)
/// sign     exact binomial on #{AR > 0}
/// gsign    against p̂, the estimation windows' share of positive residuals
/// wilcoxon exact signed-rank (n ≤ 50, no ties)
/// ```
///
/// # Errors
/// None so far: a test that cannot be computed is a [`TestValue`] with the reason.
pub fn aar_rows(fits: &[EventFit], windows: &CheckedEventTime) -> Result<Vec<AarRow>> {
    let fitted: Vec<&EventFit> = fits.iter().filter(|f| f.model.is_some()).collect();
    let estimation_aar = estimation_aar(&fitted);
    let share = positive_share(&fitted);
    let mut rows = Vec::with_capacity(windows.event_len());
    for (k, tau) in windows.taus().enumerate() {
        let on_day: Vec<(&EventFit, f64, f64)> = fitted
            .iter()
            .filter_map(|f| Some((*f, f.ar[k]?, f.ar_variance[k]?)))
            .collect();
        if on_day.is_empty() {
            continue;
        }
        let ars: Vec<f64> = on_day.iter().map(|x| x.1).collect();
        let sars: Vec<f64> = on_day.iter().map(|x| x.1 / x.2.sqrt()).collect();
        let models = on_day.iter().filter_map(|x| x.0.model);
        let (variances, lengths): (Vec<f64>, Vec<usize>) =
            models.map(|m| (m.sigma2, m.estimation_rows)).unzip();
        let mean_ar = ars.iter().sum::<f64>() / ars.len() as f64;
        let df = lengths.iter().min().map_or(1, |l| l.saturating_sub(2).max(1));
        let mut tests = common_tests(&ars, &sars, &lengths, share);
        tests.insert(
            ClassicTest::Bw1980,
            brown_warner_1980(mean_ar, &variances, df)
                .map_or_else(TestValue::failed, |t| TestValue::of_t(&t)),
        );
        tests.insert(
            ClassicTest::Bw1985,
            brown_warner_1985(mean_ar, &estimation_aar)
                .map_or_else(TestValue::failed, |t| TestValue::of_t(&t)),
        );
        rows.push(AarRow {
            tau,
            date: None,
            n: ars.len(),
            mean_ar,
            tests,
        });
    }
    Ok(rows)
}

/// The tests across events of every CAR window, each CAR standardised by its own variance
/// (SCAR = CAR / sqrt(Var CAR)): `t`, `patell`, `bmp`, `sign`, `gsign` (with the daily p̂) and
/// `wilcoxon`, as in [`aar_rows`].
///
/// # Errors
/// None so far: a test that cannot be computed is a [`TestValue`] with the reason.
pub fn car_rows(fits: &[EventFit], windows: &CheckedEventTime) -> Result<Vec<CarRow>> {
    let fitted: Vec<&EventFit> = fits.iter().filter(|f| f.model.is_some()).collect();
    let share = positive_share(&fitted);
    let mut rows = Vec::with_capacity(windows.car_windows().len());
    for (k, &window) in windows.car_windows().iter().enumerate() {
        let with: Vec<(usize, f64, f64)> = fitted
            .iter()
            .filter_map(|f| {
                let (car, var) = f.car[k]?;
                Some((f.model?.estimation_rows, car, var))
            })
            .collect();
        if with.is_empty() {
            continue;
        }
        let cars: Vec<f64> = with.iter().map(|x| x.1).collect();
        let scars: Vec<f64> = with.iter().map(|x| x.1 / x.2.sqrt()).collect();
        let lengths: Vec<usize> = with.iter().map(|x| x.0).collect();
        rows.push(CarRow {
            window,
            n: cars.len(),
            caar: cars.iter().sum::<f64>() / cars.len() as f64,
            tests: common_tests(&cars, &scars, &lengths, share),
        });
    }
    Ok(rows)
}

/// The tests days and CAR windows share.
fn common_tests(
    values: &[f64],
    standardized: &[f64],
    lengths: &[usize],
    share: Option<f64>,
) -> BTreeMap<ClassicTest, TestValue> {
    let mut tests = BTreeMap::new();
    let t = |r: Result<TTest>| r.map_or_else(TestValue::failed, |t| TestValue::of_t(&t));
    let z = |r: Result<ZTest>| r.map_or_else(TestValue::failed, |z| TestValue::of_z(&z));
    tests.insert(ClassicTest::T, t(cross_sectional_t(values)));
    tests.insert(ClassicTest::Patell, z(patell(standardized, lengths)));
    tests.insert(ClassicTest::Bmp, t(bmp(standardized)));
    tests.insert(
        ClassicTest::Sign,
        sign_test(values).map_or_else(TestValue::failed, |s| TestValue {
            statistic: Some(s.positive as f64),
            p: Some(s.p_exact),
            undefined: None,
        }),
    );
    tests.insert(
        ClassicTest::Gsign,
        match share {
            Some(p) => z(generalized_sign(values, p)),
            None => TestValue::failed(crate::Error::param(
                "estimation_share",
                "none",
                "no estimation residuals",
            )),
        },
    );
    tests.insert(
        ClassicTest::Wilcoxon,
        wilcoxon(values).map_or_else(TestValue::failed, |w| TestValue {
            statistic: Some(w.w_plus),
            p: Some(w.p_two_sided),
            undefined: None,
        }),
    );
    tests
}

/// Ā_τ over the estimation window: at each τ, the mean residual of the events with one.
fn estimation_aar(fitted: &[&EventFit]) -> Vec<f64> {
    let mut by_tau: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    for f in fitted {
        for &(tau, e) in &f.estimation_residuals {
            let slot = by_tau.entry(tau).or_default();
            slot.0 += e;
            slot.1 += 1;
        }
    }
    by_tau.values().map(|&(sum, n)| sum / n as f64).collect()
}

/// p̂ of the generalised sign test, when there are residuals.
fn positive_share(fitted: &[&EventFit]) -> Option<f64> {
    let windows: Vec<Vec<f64>> = fitted
        .iter()
        .map(|f| f.estimation_residuals.iter().map(|r| r.1).collect())
        .collect();
    estimation_positive_share(windows.iter().map(Vec::as_slice)).ok()
}

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
    events: Vec<PanelEvent>,
    windows: EventTimeWindows,
}

impl ClassicStudy {
    /// A study on `panel` with `market` (one of its columns) as the market return. The default
    /// windows are MacKinlay's: estimation τ = −250..−31, event −5..+5, CARs −1..+1 and −5..+5.
    pub fn new(panel: ReturnsPanel, market: impl Into<String>) -> Self {
        ClassicStudy {
            panel,
            market: market.into(),
            events: Vec::new(),
            windows: EventTimeWindows::new(-250..=-31, -5..=5).cars([-1..=1, -5..=5]),
        }
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

    /// Fits every event (in parallel) and tests across them.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] for invalid windows, no events, or a market that is
    /// not a column of the panel.
    pub fn run(&self) -> Result<ClassicReport> {
        let windows = self.windows.check()?;
        if self.events.is_empty() {
            return Err(crate::Error::param("events", "[]", "give at least one event"));
        }
        let market = self.panel.column(&self.market).ok_or_else(|| {
            crate::Error::param(
                "market",
                &self.market,
                format!(
                    "not a column of {} ({})",
                    self.panel.source(),
                    self.panel.names().join(", ")
                ),
            )
        })?;
        // The row of each event, and which events repeat an earlier one.
        let rows: Vec<Option<usize>> = self
            .events
            .iter()
            .map(|e| self.panel.row_on_or_after(e.date))
            .collect();
        let mut first_of: std::collections::HashMap<(&str, usize), usize> = Default::default();
        let mut duplicate: Vec<Option<usize>> = vec![None; rows.len()];
        for (i, (e, row)) in self.events.iter().zip(&rows).enumerate() {
            if let Some(r) = *row {
                duplicate[i] =
                    Some(*first_of.entry((e.security.as_str(), r)).or_insert(i)).filter(|&f| f != i);
            }
        }
        let fits: Vec<EventFit> = self
            .events
            .par_iter()
            .zip(rows.par_iter().zip(duplicate.par_iter()))
            .map(|(event, (row, duplicate))| {
                let returns = (event.security != self.market)
                    .then(|| self.panel.column(&event.security))
                    .flatten();
                match (returns, row, duplicate) {
                    (None, _, _) => Ok(EventFit::without(EventStatus::SecurityMissing, &windows)),
                    (_, _, Some(first)) => Ok(EventFit::without(
                        EventStatus::DuplicateEvent { first: *first },
                        &windows,
                    )),
                    (_, None, _) => Ok(EventFit::without(EventStatus::WindowOutsideData, &windows)),
                    (Some(returns), Some(row), None) => market_model_event(returns, market, *row, &windows),
                }
            })
            .collect::<Result<_>>()?;
        let mut aar = aar_rows(&fits, &windows)?;
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
        let car = car_rows(&fits, &windows)?;
        let events = self
            .events
            .iter()
            .zip(&rows)
            .zip(fits)
            .map(|((event, row), fit)| {
                ClassicEvent::new(event, row.map(|r| self.panel.dates()[r]), fit, &windows)
            })
            .collect();
        Ok(ClassicReport {
            market: self.market.clone(),
            windows: self.windows.clone(),
            events,
            aar,
            car,
        })
    }
}

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
    /// Market-model α.
    pub alpha: Option<f64>,
    /// Market-model β.
    pub beta: Option<f64>,
    /// Residual standard deviation σ.
    pub sigma: Option<f64>,
    /// AR by τ (days without a return left out).
    pub ar: BTreeMap<i64, f64>,
    /// CAR by window `"τa:τb"`.
    pub car: BTreeMap<String, f64>,
}

impl ClassicEvent {
    fn new(event: &PanelEvent, day0: Option<NaiveDate>, fit: EventFit, windows: &CheckedEventTime) -> Self {
        ClassicEvent {
            security: event.security.clone(),
            event_date: event.date,
            day0,
            label: event.label.clone(),
            estimation_n: fit.model.map(|m| m.estimation_rows),
            alpha: fit.model.map(|m| m.alpha),
            beta: fit.model.map(|m| m.beta),
            sigma: fit.model.map(|m| m.sigma2.sqrt()),
            ar: windows
                .taus()
                .zip(&fit.ar)
                .filter_map(|(t, a)| Some((t, (*a)?)))
                .collect(),
            car: windows
                .car_windows()
                .iter()
                .zip(&fit.car)
                .filter_map(|(&w, c)| Some((window_key(w), (*c)?.0)))
                .collect(),
            status: fit.status,
        }
    }
}

/// `"τa:τb"`, a CAR window's key.
pub(crate) fn window_key((a, b): (i64, i64)) -> String {
    format!("{a}:{b}")
}

/// The result of a [`ClassicStudy`]: every event with its status, and the tests across events
/// per day and per CAR window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassicReport {
    /// The market column.
    pub market: String,
    /// The windows used.
    pub windows: EventTimeWindows,
    /// Every listed event, in order.
    pub events: Vec<ClassicEvent>,
    /// Per event-window day.
    pub aar: Vec<AarRow>,
    /// Per CAR window.
    pub car: Vec<CarRow>,
}

fn window_str<S: serde::Serializer>(w: &(i64, i64), s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&window_key(*w))
}

impl std::fmt::Display for ClassicReport {
    /// The events' statuses, then per day and per CAR window the mean and each test's p.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::report::text::{p3, pct};
        let complete = self
            .events
            .iter()
            .filter(|e| e.status == EventStatus::Complete)
            .count();
        writeln!(
            f,
            "Classic event study (market model on {}): {} events, {complete} complete",
            self.market,
            self.events.len()
        )?;
        for e in self.events.iter().filter(|e| e.status != EventStatus::Complete) {
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
