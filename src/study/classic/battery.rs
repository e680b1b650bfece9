//! The classic event study's tests across events: per event-window day (AAR) and per CAR
//! window (CAAR), each test under a typed key, from the events' [`EventFit`]s.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::placebo::PlaceboDraws;
use super::rows::{AarRow, CarRow, ClassicTest, PlaceboSummary, TestValue};
use crate::error::Result;
use crate::stats::{
    Caveat, CheckedOptions, StatsOptions, TIE_RTOL, benjamini_hochberg, counted_p, hedges_j, holm,
    select_quantiles, sign_flip_unchecked, t_mde, tail_counts, westfall_young,
};
use crate::stats::{GrankEvent, grank_prepared};
use crate::stats::{
    KpAdjustment, RankTests, TTest, ZTest, bmp, brown_warner_1980, brown_warner_1985, cross_sectional_t,
    estimation_positive_share, generalized_sign, kolari_pynnonen, lamb, patell, sign_test, wilcoxon,
};
use crate::window::{CarValue, CheckedEventTime, EstimationDay, EventFit};

/// The tests across events of every event-window day, from the events' fits (those with no
/// model are left out of every row; an event missing one day's return is left out of that day).
///
/// Per day τ, over the n events with AR_τ (SAR = AR / sqrt(Var AR), d_i = L_i − p_i):
///
/// ```text
/// t          cross_sectional_t(AR)                        t(n − 1)
/// bw1980     AAR / (sqrt(Σ σ_i²)/n)                       t(min d_i)
/// bw1985     AAR / sd_τ'(Ā_τ'), Ā_τ' = mean over events of the estimation residuals at τ'
/// patell     Σ SAR / sqrt(Σ d_i/(d_i − 2))                N(0, 1)
/// bmp        cross_sectional_t(SAR)                       t(n − 1)
/// kp_patell  patell · sqrt((1 − r̄)/(1 + (N − 1) r̄))      N(0, 1)   (r̄ over all fitted events)
/// kp_bmp     bmp · the same factor                        N(0, 1)
/// lamb       bw1985's t / sqrt(mean_i Var(AR_i)/σ_i²)     N(0, 1)
/// sign       exact binomial on #{AR > 0}
/// gsign      against p̂, the estimation windows' share of positive residuals
/// cz_sign    Corrado–Zivney sign over estimation + event days     N(0, 1)
/// rank       Corrado rank, mrank Corrado–Zivney rank      N(0, 1)
/// wilcoxon   exact signed-rank (n ≤ 50, no ties)
/// grank      Kolari–Pynnönen generalised rank             t(T − 2)
/// ```
///
/// The rank and sign tests rank each event's residuals over its estimation and event
/// windows together ([`RankTests`]).
///
/// # Errors
/// None so far: a test that cannot be computed is a [`TestValue`] with the reason.
pub fn aar_rows(fits: &[EventFit], windows: &CheckedEventTime) -> Result<Vec<AarRow>> {
    let estimations = fits.iter().map(|f| f.estimation.clone()).collect();
    Ok(Across::new(fits, estimations, windows, &StatsOptions::new().check()?).days())
}

/// The tests across events of every CAR window, each CAR standardised by its own variance
/// (SCAR = CAR / sqrt(Var CAR)): `t`, `patell`, `bmp`, `kp_patell`, `kp_bmp`, `lamb` (the
/// window's daily Lamb z summed over sqrt(L_W)), `sign`, `gsign` (with the daily p̂), `cz_sign`
/// (summed over the window), `wilcoxon`, `cowan_rank` and `grank` (on the SCARs), as in
/// [`aar_rows`]; the exact sign-flip test of the CARs (`sign_flip`, Monte Carlo beyond 20
/// events with the default [`StatsOptions`]); the ABHAR with the cross-sectional t of the
/// BHARs; Hedges' g; and the [`Caveat`].
///
/// # Errors
/// None so far: a test that cannot be computed is a [`TestValue`] with the reason.
pub fn car_rows(fits: &[EventFit], windows: &CheckedEventTime) -> Result<Vec<CarRow>> {
    let estimations = fits.iter().map(|f| f.estimation.clone()).collect();
    Ok(Across::new(fits, estimations, windows, &StatsOptions::new().check()?).cars())
}

fn of_t(r: Result<TTest>) -> TestValue {
    r.map_or_else(TestValue::failed, |t| TestValue::of_t(&t))
}

fn of_z(r: Result<ZTest>) -> TestValue {
    r.map_or_else(TestValue::failed, |z| TestValue::of_z(&z))
}

fn undefined(why: &str) -> TestValue {
    TestValue {
        statistic: None,
        p: None,
        undefined: Some(why.to_string()),
    }
}

/// What every row's tests share, computed once from the fitted events.
pub(super) struct Across<'a> {
    windows: &'a CheckedEventTime,
    options: &'a CheckedOptions,
    placebo: Option<std::result::Result<PlaceboDraws, String>>,
    fitted: Vec<&'a EventFit>,
    /// Ā_τ over the estimation window.
    estimation_aar: Vec<f64>,
    /// p̂ of the generalised sign test.
    share: Option<f64>,
    /// Ranks over the grid of estimation days then event days.
    ranks: std::result::Result<RankTests, String>,
    kp: std::result::Result<KpAdjustment, String>,
    /// Each fitted event's estimation SARs on the estimation grid (NaN where missing).
    estimation_sar: Vec<GrankEvent>,
    /// The daily Lamb z by event-window day.
    lamb: Vec<Option<f64>>,
}

impl<'a> Across<'a> {
    /// From the fits and their estimation days (`estimations[i]` is `fits[i]`'s, consumed
    /// here one event at a time so that a large study does not hold them twice).
    pub(super) fn new(
        fits: &'a [EventFit],
        estimations: Vec<Vec<EstimationDay>>,
        windows: &'a CheckedEventTime,
        options: &'a CheckedOptions,
    ) -> Self {
        let (t0, t1) = windows.estimation_window();
        let grid = (t1 - t0 + 1) as usize;
        let fitted_estimations: Vec<(&EventFit, Vec<EstimationDay>)> = fits
            .iter()
            .zip(estimations)
            .filter(|(f, _)| f.model.is_some())
            .collect();
        let estimation_aar = estimation_aar(fitted_estimations.iter().map(|x| x.1.as_slice()));
        let share = positive_share(fitted_estimations.iter().map(|x| x.1.as_slice()));
        let on_grid = |days: &[EstimationDay], value: fn(&EstimationDay) -> f64| {
            let mut v = vec![f64::NAN; grid];
            for d in days {
                v[(d.tau - t0) as usize] = value(d);
            }
            v
        };
        // Each event's residual grid and prepared SARs, its estimation days dropped as it goes.
        let (fitted, prepared): (Vec<&EventFit>, Vec<(Vec<f64>, GrankEvent)>) = fitted_estimations
            .into_par_iter()
            .map(|(f, days)| {
                let residuals = on_grid(&days, |d| d.ar);
                let sar = GrankEvent::new(&on_grid(&days, |d| d.ar / d.variance.sqrt()));
                (f, (residuals, sar))
            })
            .unzip();
        let (residuals, estimation_sar): (Vec<Vec<f64>>, Vec<GrankEvent>) = prepared.into_iter().unzip();
        // The rank tests' daily sums, over estimation then event days, in parallel.
        let event_len = windows.event_len();
        let ranks = fitted
            .par_iter()
            .zip(residuals.par_iter())
            .fold(
                || Ok((RankTests::empty(grid + event_len), vec![0.0; grid + event_len])),
                |acc: std::result::Result<(RankTests, Vec<f64>), String>, (f, r)| {
                    let (mut sums, mut buf) = acc?;
                    buf[..grid].copy_from_slice(r);
                    for (b, a) in buf[grid..].iter_mut().zip(&f.ar) {
                        *b = a.unwrap_or(f64::NAN);
                    }
                    sums.add(&buf)
                        .map_err(|m| format!("an event has {m} residuals: a rank test needs two"))?;
                    Ok((sums, buf))
                },
            )
            .map(|x| x.map(|(sums, _)| sums))
            .reduce(|| Ok(RankTests::empty(grid + event_len)), |a, b| Ok(a?.merge(b?)))
            .and_then(|r| {
                if r.events() == 0 {
                    Err("no event has residuals".to_string())
                } else {
                    Ok(r)
                }
            });
        let residual_refs: Vec<&[f64]> = residuals.iter().map(Vec::as_slice).collect();
        let kp = kolari_pynnonen(&residual_refs).map_err(|e| e.to_string());
        drop(residual_refs);
        drop(residuals);
        let mut across = Across {
            windows,
            options,
            placebo: None,
            share,
            ranks,
            kp,
            estimation_sar,
            lamb: Vec::new(),
            estimation_aar,
            fitted,
        };
        across.lamb = (0..windows.event_len())
            .map(|k| {
                let on_day: Vec<(f64, f64)> = across
                    .fitted
                    .iter()
                    .filter_map(|f| Some((f.ar[k]?, f.ar_variance[k]? / f.model.as_ref()?.sigma2())))
                    .collect();
                if on_day.is_empty() {
                    return None;
                }
                let aar = on_day.iter().map(|x| x.0).sum::<f64>() / on_day.len() as f64;
                let c: Vec<f64> = on_day.iter().map(|x| x.1).collect();
                lamb(aar, &across.estimation_aar, &c).ok().and_then(|z| z.z)
            })
            .collect();
        across
    }

    /// With the pseudo-event placebo draws (or why there are none).
    pub(super) fn with_placebo(mut self, draws: std::result::Result<PlaceboDraws, String>) -> Self {
        self.placebo = Some(draws);
        self
    }

    /// The placebo test and summary of window `k` with observed CAAR `caar`.
    fn placebo_of(&self, k: usize, caar: f64) -> (TestValue, Option<PlaceboSummary>) {
        let draws = match &self.placebo {
            None => return (undefined("no placebo was drawn"), None),
            Some(Err(e)) => return (undefined(e), None),
            Some(Ok(d)) => d,
        };
        let caars = &draws.caar[k];
        let b = caars.len();
        let mean = caars.iter().sum::<f64>() / b as f64;
        let scale = caars.iter().fold(caar.abs(), |m, c| m.max(c.abs()));
        let (_, far) = tail_counts(caars, caar, mean, TIE_RTOL * scale);
        let mut sorted = caars.clone();
        let [q05, q20, q95] = select_quantiles(&mut sorted, [0.05, 0.20, 0.95]);
        let p = counted_p(far, b as u64);
        (
            TestValue {
                statistic: Some(caar - mean),
                p: Some(p),
                undefined: None,
            },
            Some(PlaceboSummary {
                draws: self.options.draws(),
                seed: self.options.seed(),
                mean,
                q05,
                q95,
                mde: q95 - q20,
                fewest_candidates: draws.fewest_candidates,
            }),
        )
    }

    /// Holm, Benjamini–Hochberg and Westfall–Young across the CAR windows, on the placebo p.
    fn adjust(&self, rows: &mut [CarRow]) {
        let p: Vec<Option<f64>> = rows
            .iter()
            .map(|r| r.tests.get(&ClassicTest::Placebo).and_then(|t| t.p))
            .collect();
        let Some(p) = p.into_iter().collect::<Option<Vec<f64>>>() else {
            return;
        };
        let (holm, bh) = (holm(&p), benjamini_hochberg(&p));
        // Westfall–Young on |CAAR − μ|: draw b's statistics of every window share its dates.
        let wy = match &self.placebo {
            Some(Ok(d)) if !rows.is_empty() => {
                let windows: Vec<usize> = rows
                    .iter()
                    .map(|r| {
                        self.windows
                            .car_windows()
                            .iter()
                            .position(|w| *w == r.window)
                            .unwrap_or(0)
                    })
                    .collect();
                let means: Vec<f64> = rows
                    .iter()
                    .map(|r| r.placebo.as_ref().map_or(0.0, |s| s.mean))
                    .collect();
                let observed: Vec<f64> = rows.iter().zip(&means).map(|(r, m)| (r.caar - m).abs()).collect();
                let b = d.caar[0].len();
                let mut joint = Vec::with_capacity(b * rows.len());
                for draw in 0..b {
                    for (&k, m) in windows.iter().zip(&means) {
                        joint.push((d.caar[k][draw] - m).abs());
                    }
                }
                westfall_young(&observed, &joint).ok().map(|(_, adj)| adj)
            }
            _ => None,
        };
        for (i, r) in rows.iter_mut().enumerate() {
            r.p_holm = Some(holm[i]);
            r.p_bh = Some(bh[i]);
            r.p_wy = wy.as_ref().map(|w| w[i]);
        }
    }

    /// The estimation grid's length: where event day k sits on the rank grid.
    fn offset(&self) -> usize {
        let (t0, t1) = self.windows.estimation_window();
        (t1 - t0 + 1) as usize
    }

    fn kp_adjusted(&self, test: &TestValue, p_of: fn(f64) -> TestValue) -> TestValue {
        match (&self.kp, test.statistic) {
            (Ok(kp), Some(s)) => p_of(s * kp.factor),
            (Err(e), _) => undefined(e),
            (_, None) => undefined("the unadjusted test is undefined"),
        }
    }

    fn rank_test(&self, f: impl Fn(&RankTests) -> ZTest) -> TestValue {
        match &self.ranks {
            Ok(r) => TestValue::of_z(&f(r)),
            Err(e) => undefined(e),
        }
    }

    /// GRANK on the events `events` (positions in `fitted`) with their standardised values.
    fn grank_of(&self, chosen: &[(usize, f64)]) -> TestValue {
        let sar: Vec<&GrankEvent> = chosen.iter().map(|&(i, _)| &self.estimation_sar[i]).collect();
        let scar: Vec<f64> = chosen.iter().map(|x| x.1).collect();
        of_t(grank_prepared(&sar, &scar))
    }

    /// The tests days and CAR windows share, over the chosen events (positions in `fitted`).
    fn common(
        &self,
        values: &[f64],
        standardized: &[f64],
        dfs: &[usize],
    ) -> BTreeMap<ClassicTest, TestValue> {
        let mut tests = BTreeMap::new();
        tests.insert(ClassicTest::T, of_t(cross_sectional_t(values)));
        let patell = of_z(patell(standardized, dfs));
        let bmp = of_t(bmp(standardized));
        let normal = |s: f64| TestValue::of_z(&z_of(s));
        tests.insert(ClassicTest::KpPatell, self.kp_adjusted(&patell, normal));
        tests.insert(ClassicTest::KpBmp, self.kp_adjusted(&bmp, normal));
        tests.insert(ClassicTest::Patell, patell);
        tests.insert(ClassicTest::Bmp, bmp);
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
            match self.share {
                Some(p) => of_z(generalized_sign(values, p)),
                None => undefined("no estimation residuals"),
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

    pub(super) fn days(&self) -> Vec<AarRow> {
        let taus: Vec<(usize, i64)> = self.windows.taus().enumerate().collect();
        // Days are independent: each on its own thread.
        taus.par_iter()
            .filter_map(|&(k, tau)| self.day_row(k, tau))
            .collect()
    }

    fn day_row(&self, k: usize, tau: i64) -> Option<AarRow> {
        let offset = self.offset();
        let on_day: Vec<(usize, f64, f64)> = self
            .fitted
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, f.ar[k]?, f.ar_variance[k]?)))
            .collect();
        if on_day.is_empty() {
            return None;
        }
        let ars: Vec<f64> = on_day.iter().map(|x| x.1).collect();
        let sars: Vec<(usize, f64)> = on_day.iter().map(|x| (x.0, x.1 / x.2.sqrt())).collect();
        let models = on_day.iter().filter_map(|x| self.fitted[x.0].model.as_ref());
        let (variances, dfs): (Vec<f64>, Vec<usize>) = models.map(|m| (m.sigma2(), m.df())).unzip();
        let mean_ar = ars.iter().sum::<f64>() / ars.len() as f64;
        let df = dfs.iter().min().map_or(1, |&d| d.max(1));
        let standardized: Vec<f64> = sars.iter().map(|x| x.1).collect();
        let mut tests = self.common(&ars, &standardized, &dfs);
        tests.insert(
            ClassicTest::Bw1980,
            of_t(brown_warner_1980(mean_ar, &variances, df)),
        );
        tests.insert(
            ClassicTest::Bw1985,
            of_t(brown_warner_1985(mean_ar, &self.estimation_aar)),
        );
        tests.insert(
            ClassicTest::Lamb,
            self.lamb[k].map_or_else(
                || undefined("Lamb's test needs estimation residuals"),
                |z| TestValue::of_z(&z_of(z)),
            ),
        );
        tests.insert(
            ClassicTest::CzSign,
            self.rank_test(|r| r.cz_sign(offset + k..offset + k + 1)),
        );
        tests.insert(ClassicTest::Rank, self.rank_test(|r| r.rank(offset + k)));
        tests.insert(ClassicTest::Mrank, self.rank_test(|r| r.mrank(offset + k)));
        tests.insert(ClassicTest::Grank, self.grank_of(&sars));
        Some(AarRow {
            tau,
            date: None,
            n: ars.len(),
            mean_ar,
            tests,
        })
    }

    pub(super) fn cars(&self) -> Vec<CarRow> {
        let windows: Vec<(usize, (i64, i64))> =
            self.windows.car_windows().iter().copied().enumerate().collect();
        let mut rows: Vec<CarRow> = windows
            .par_iter()
            .filter_map(|&(k, w)| self.car_row(k, w))
            .collect();
        self.adjust(&mut rows);
        rows
    }

    fn car_row(&self, k: usize, window: (i64, i64)) -> Option<CarRow> {
        let (e1, _) = self.windows.event_window();
        let offset = self.offset();
        let with: Vec<(usize, usize, CarValue)> = self
            .fitted
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, f.model.as_ref()?.df(), f.car[k]?)))
            .collect();
        if with.is_empty() {
            return None;
        }
        let cars: Vec<f64> = with.iter().map(|x| x.2.car).collect();
        let scars: Vec<(usize, f64)> = with
            .iter()
            .map(|x| (x.0, x.2.car / x.2.variance.sqrt()))
            .collect();
        let standardized: Vec<f64> = scars.iter().map(|x| x.1).collect();
        let bhars: Vec<f64> = with.iter().map(|x| x.2.bhar).collect();
        let dfs: Vec<usize> = with.iter().map(|x| x.1).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let mut tests = self.common(&cars, &standardized, &dfs);
        let days = (window.0 - e1) as usize..(window.1 - e1) as usize + 1;
        let daily: Option<Vec<f64>> = days.clone().map(|d| self.lamb[d]).collect();
        tests.insert(
            ClassicTest::Lamb,
            daily.map_or_else(
                || undefined("a day of the window has no Lamb z"),
                |z| TestValue::of_z(&z_of(z.iter().sum::<f64>() / (z.len() as f64).sqrt())),
            ),
        );
        let grid = offset + days.start..offset + days.end;
        tests.insert(ClassicTest::CzSign, self.rank_test(|r| r.cz_sign(grid.clone())));
        tests.insert(
            ClassicTest::CowanRank,
            self.rank_test(|r| r.cowan_rank(grid.clone())),
        );
        tests.insert(ClassicTest::Grank, self.grank_of(&scars));
        let flip = sign_flip_unchecked(&cars, self.options);
        tests.insert(
            ClassicTest::SignFlip,
            TestValue {
                statistic: Some(mean(&cars)),
                p: Some(flip.p),
                undefined: None,
            },
        );
        let n = cars.len();
        let caar = mean(&cars);
        let (placebo_test, placebo) = self.placebo_of(k, caar);
        tests.insert(ClassicTest::Placebo, placebo_test);
        let sd = (cars.iter().map(|c| (c - caar).powi(2)).sum::<f64>() / (n as f64 - 1.0)).sqrt();
        let t = cross_sectional_t(&cars).ok();
        let hedges_g = (n >= 3 && sd > 0.0)
            .then(|| hedges_j((n - 1) as f64).ok().map(|j| j * caar / sd))
            .flatten();
        Some(CarRow {
            window,
            n,
            caar,
            abhar: mean(&bhars),
            abhar_t: of_t(cross_sectional_t(&bhars)),
            hedges_g,
            caveat: Caveat::new(
                n,
                t.and_then(|t| t.critical_t),
                placebo
                    .as_ref()
                    .map(|p| p.mde)
                    .or_else(|| t_mde(sd, n))
                    .unwrap_or(f64::NAN),
            ),
            placebo,
            p_holm: None,
            p_bh: None,
            p_wy: None,
            tests,
        })
    }
}

/// A z statistic with its normal p.
fn z_of(z: f64) -> ZTest {
    crate::stats::z_test(z)
}

/// Ā_τ over the estimation window: at each τ, the mean residual of the events with one.
fn estimation_aar<'b>(estimations: impl Iterator<Item = &'b [EstimationDay]>) -> Vec<f64> {
    let mut by_tau: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    for days in estimations {
        for d in days {
            let slot = by_tau.entry(d.tau).or_default();
            slot.0 += d.ar;
            slot.1 += 1;
        }
    }
    by_tau.values().map(|&(sum, n)| sum / n as f64).collect()
}

/// p̂ of the generalised sign test, when there are residuals.
fn positive_share<'b>(estimations: impl Iterator<Item = &'b [EstimationDay]>) -> Option<f64> {
    let windows: Vec<Vec<f64>> = estimations
        .map(|days| days.iter().map(|d| d.ar).collect())
        .collect();
    estimation_positive_share(windows.iter().map(Vec::as_slice)).ok()
}
