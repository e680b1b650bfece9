//! The classic study's result rows: the tests under their typed keys, each test's value, and
//! the rows per event-window day and per CAR window.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::stats::{Caveat, TTest, ZTest};

/// A test of abnormal returns across events, by its stable key (`t`, `bw1980`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClassicTest {
    /// Cross-sectional t ([`cross_sectional_t`](crate::stats::cross_sectional_t)).
    T,
    /// Brown–Warner 1980 ([`brown_warner_1980`](crate::stats::brown_warner_1980)), days only.
    Bw1980,
    /// Brown–Warner 1985, crude dependence adjustment ([`brown_warner_1985`](crate::stats::brown_warner_1985)), days only.
    Bw1985,
    /// Patell ([`patell`](crate::stats::patell)).
    Patell,
    /// Boehmer–Musumeci–Poulsen ([`bmp`](crate::stats::bmp)).
    Bmp,
    /// Kolari–Pynnönen adjusted Patell ([`kolari_pynnonen`](crate::stats::kolari_pynnonen)).
    KpPatell,
    /// Kolari–Pynnönen adjusted BMP ([`kolari_pynnonen`](crate::stats::kolari_pynnonen)).
    KpBmp,
    /// Lamb ([`lamb`](crate::stats::lamb)).
    Lamb,
    /// Sign test, exact binomial p ([`sign_test`](crate::stats::sign_test)).
    Sign,
    /// Generalised sign (Cowan; [`generalized_sign`](crate::stats::generalized_sign)).
    Gsign,
    /// Corrado–Zivney sign ([`RankTests::cz_sign`](crate::stats::RankTests::cz_sign)).
    CzSign,
    /// Corrado rank ([`RankTests::rank`](crate::stats::RankTests::rank)), days only.
    Rank,
    /// Corrado–Zivney modified rank ([`RankTests::mrank`](crate::stats::RankTests::mrank)), days only.
    Mrank,
    /// Wilcoxon signed-rank ([`wilcoxon`](crate::stats::wilcoxon)).
    Wilcoxon,
    /// Campbell–Wasley / Cowan CAR rank ([`RankTests::cowan_rank`](crate::stats::RankTests::cowan_rank)), CAR windows only.
    CowanRank,
    /// Kolari–Pynnönen generalised rank ([`crate::stats::grank`]).
    Grank,
    /// The exact sign-flip test of the CARs ([`crate::stats::sign_flip`]), CAR windows only.
    SignFlip,
    /// The pseudo-event placebo test of the CAAR (dates drawn from each security's own
    /// history), CAR windows only.
    Placebo,
}

impl ClassicTest {
    /// The key: `t`, `bw1980`, `bw1985`, `patell`, `bmp`, `kp_patell`, `kp_bmp`, `lamb`,
    /// `sign`, `gsign`, `cz_sign`, `rank`, `mrank`, `wilcoxon`, `cowan_rank`, `grank`,
    /// `sign_flip`, `placebo`.
    pub fn key(self) -> &'static str {
        match self {
            ClassicTest::T => "t",
            ClassicTest::Bw1980 => "bw1980",
            ClassicTest::Bw1985 => "bw1985",
            ClassicTest::Patell => "patell",
            ClassicTest::Bmp => "bmp",
            ClassicTest::KpPatell => "kp_patell",
            ClassicTest::KpBmp => "kp_bmp",
            ClassicTest::Lamb => "lamb",
            ClassicTest::Sign => "sign",
            ClassicTest::Gsign => "gsign",
            ClassicTest::CzSign => "cz_sign",
            ClassicTest::Rank => "rank",
            ClassicTest::Mrank => "mrank",
            ClassicTest::Wilcoxon => "wilcoxon",
            ClassicTest::CowanRank => "cowan_rank",
            ClassicTest::Grank => "grank",
            ClassicTest::SignFlip => "sign_flip",
            ClassicTest::Placebo => "placebo",
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
    pub(super) fn of_t(t: &TTest) -> Self {
        TestValue {
            statistic: t.t,
            p: t.p_two_sided,
            undefined: t.undefined_reason.clone(),
        }
    }

    pub(super) fn of_z(z: &ZTest) -> Self {
        TestValue {
            statistic: z.z,
            p: z.p_two_sided,
            undefined: z.undefined_reason.clone(),
        }
    }

    pub(super) fn failed(e: crate::Error) -> Self {
        TestValue {
            statistic: None,
            p: None,
            undefined: Some(e.to_string()),
        }
    }
}

/// The CAAR on B sets of pseudo-event dates: what the study's events give on days when
/// nothing happened.
///
/// ```text
/// CAAR_b   = mean over the events of the CAR at event i's pseudo date of draw b, b = 1..B
/// μ        = mean_b CAAR_b;  ε = 1e-9 · max(|CAAR|, max_b |CAAR_b|)
/// p        = (1 + #{ |CAAR_b − μ| ≥ |CAAR − μ| − ε }) / (B + 1)          (two-sided)
/// MDE      = q95 − q20 of the CAAR_b (type 7): the CAAR shift a one-sided 5% placebo test
///            detects with 80% power
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceboSummary {
    /// B.
    pub draws: u32,
    /// The seed of the draws (each event's stream is derived from it and its position).
    pub seed: u64,
    /// μ, the mean placebo CAAR.
    pub mean: f64,
    /// 5th percentile of the placebo CAARs.
    pub q05: f64,
    /// 95th percentile of the placebo CAARs.
    pub q95: f64,
    /// q95 − q20.
    pub mde: f64,
    /// The fewest candidate dates any event drew from.
    pub fewest_candidates: usize,
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
    /// ABHAR: their mean buy-and-hold abnormal return.
    pub abhar: f64,
    /// The cross-sectional t of the BHARs (Lyon, Barber and Tsai 1999's conventional t).
    pub abhar_t: TestValue,
    /// Hedges' g of the CARs against 0: J(n − 1) · CAAR / sd(CAR) (None below two events or
    /// without spread).
    pub hedges_g: Option<f64>,
    /// What these n events can show: the sign-flip floor, the critical t, and the CAAR a
    /// one-sided 5% t-test detects with 80% power ([`crate::stats::t_mde`]).
    pub caveat: Caveat,
    /// The pseudo-event placebo's distribution of the CAAR (None when it could not be drawn;
    /// the `placebo` test then says why).
    pub placebo: Option<PlaceboSummary>,
    /// The placebo p adjusted across the CAR windows: Holm (family-wise), Benjamini–Hochberg
    /// (false discovery rate) and Westfall–Young (family-wise under the windows' joint
    /// placebo dependence; None without the placebo).
    pub p_holm: Option<f64>,
    /// See `p_holm`.
    pub p_bh: Option<f64>,
    /// See `p_holm`.
    pub p_wy: Option<f64>,
    /// Each test (no Brown–Warner: they are defined for days).
    pub tests: BTreeMap<ClassicTest, TestValue>,
}

/// `"τa:τb"`, a CAR window's key.
pub(crate) fn window_key((a, b): (i64, i64)) -> String {
    format!("{a}:{b}")
}

pub(super) fn window_str<S: serde::Serializer>(w: &(i64, i64), s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&window_key(*w))
}
