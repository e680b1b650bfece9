//! The classic event study's tests across events: per event-window day (AAR) and per CAR
//! window (CAAR), each test under a typed key, from the events' [`EventFit`]s.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::Result;
use crate::stats::{
    TTest, ZTest, bmp, brown_warner_1980, brown_warner_1985, cross_sectional_t, estimation_positive_share,
    generalized_sign, patell, sign_test, wilcoxon,
};
use crate::window::{CheckedEventTime, EventFit};

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
    /// The window (τa, τb).
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
