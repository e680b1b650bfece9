//! The classic study's tests across events against independent reference values on estudy2's
//! and eventstudies' fixtures: the rank, sign, Lamb and Kolari–Pynnönen tests, the
//! constant-mean, market-adjusted and factor models with BHAR, and the cross-sectional
//! regression. Each test names the script in `tests/reference/` its numbers come from.

use eventstudy::stats::ModelKind;
use eventstudy::{
    ClassicStudy, ClassicTest, EventStatus, EventTimeWindows, PanelEvent, ReturnKind, ReturnsPanel, fit_event,
};

use super::classic::close;

/// The rank, sign and cross-correlation-adjusted tests on estudy2's example (seven stocks, one
/// event date, estimation τ = −240..−1, event 0..4). Expected values:
/// `python3 tests/reference/classic_rank_reference.py`, Part B (numpy/scipy, formulas in its
/// docstring): `adj_patell`, `adj_bmp` (p from N(0, 1)), `lamb`, `csign`, `corrado_rank`,
/// `rank` (the Corrado–Zivney U; the CAR line is the Campbell–Wasley/Cowan test) and `grank`.
#[test]
fn rank_sign_and_adjusted_tests_match_the_reference() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let report = ClassicStudy::new(ReturnsPanel::from_wide_csv(path).unwrap(), "GSPC")
        .events(
            ["AMZN", "ZM", "UBER", "NFLX", "SHOP", "FB", "UPWK"].map(|s| PanelEvent {
                security: s.into(),
                date: "2020-03-16".parse().unwrap(),
                label: None,
            }),
        )
        .windows(EventTimeWindows::new(-240..=-1, 0..=4))
        .run()
        .unwrap();
    // (test, [day 0..4 statistic], [day 0..4 p])
    let days: [(ClassicTest, [f64; 5], [f64; 5]); 8] = [
        (
            ClassicTest::KpPatell,
            [
                1.66487639829355,
                -1.92505627450249,
                0.215246839855571,
                5.4980487238018,
                4.12596493774888,
            ],
            [
                0.0959374178185061,
                0.0542223184167699,
                0.829574873757489,
                3.84016835910551e-08,
                3.69183516085478e-05,
            ],
        ),
        (
            ClassicTest::KpBmp,
            [
                0.787986726188506,
                -0.768942387957881,
                0.0499752612284952,
                1.41783610591513,
                5.66283120208379,
            ],
            [
                0.430704470173077,
                0.441927512457274,
                0.960142102361342,
                0.156238620137169,
                1.48895612064064e-08,
            ],
        ),
        (
            ClassicTest::Lamb,
            [
                1.61963938229938,
                -2.43522230051261,
                -1.2545664678492,
                6.10575484603846,
                4.5650478237377,
            ],
            [
                0.105309764602482,
                0.0148826433444642,
                0.209636182600473,
                1.02315954036075e-09,
                4.99380484309443e-06,
            ],
        ),
        (
            ClassicTest::CzSign,
            [
                0.896633877213965,
                0.298877959071322,
                0.896633877213965,
                1.49438979535661,
                2.09214571349925,
            ],
            [
                0.369914314749289,
                0.765033164983334,
                0.369914314749289,
                0.135073767220142,
                0.0364254829329951,
            ],
        ),
        (
            ClassicTest::Rank,
            [
                0.83432346867553,
                -0.194611247889673,
                1.06939844137395,
                2.21394380024985,
                3.06560886527198,
            ],
            [
                0.404098730447141,
                0.845697296879539,
                0.284890169349218,
                0.0268326451846365,
                0.00217227280304638,
            ],
        ),
        (
            ClassicTest::Mrank,
            [
                0.877889567611713,
                -0.235902781521813,
                1.01897707505746,
                2.23782250738493,
                3.07667369194281,
            ],
            [
                0.380003651197737,
                0.81350810981827,
                0.308213850217261,
                0.0252326320557268,
                0.00209324309197588,
            ],
        ),
        (
            ClassicTest::Grank,
            [
                0.858619734535686,
                -0.663980881321415,
                0.307403600716665,
                1.66761582742894,
                3.22889298419239,
            ],
            [
                0.391410641499469,
                0.507342572078175,
                0.758803882899013,
                0.0967017093376923,
                0.00141702535974495,
            ],
        ),
        (
            ClassicTest::Patell,
            [
                2.54443973410956,
                -2.94207406643613,
                0.328962926335788,
                8.40269803046667,
                6.30573485209565,
            ],
            [
                0.0109453197297059,
                0.00326021939361392,
                0.742183710347236,
                4.363356715111e-17,
                2.86829708185845e-10,
            ],
        ),
    ];
    for (test, stats, ps) in days {
        for (k, row) in report.aar.iter().enumerate() {
            let v = &row.tests[&test];
            let (s, p) = (v.statistic.unwrap(), v.p.unwrap());
            assert!(
                close(s, stats[k], 1e-8) && close(p, ps[k], 1e-7),
                "{test:?} day {k}: {s} {p}"
            );
        }
    }
    // The CAR window 0:4.
    let car: [(ClassicTest, f64, f64); 6] = [
        (ClassicTest::KpPatell, 4.16526235888588, 3.10994718421894e-05),
        (ClassicTest::KpBmp, 1.82259247009084, 0.068365136937551),
        (ClassicTest::Lamb, 3.84632907865813, 0.000119900703343301),
        (ClassicTest::CzSign, 2.53958344714752, 0.0110984565812676),
        (ClassicTest::CowanRank, 3.11952057391143, 0.00181145609925242),
        (ClassicTest::Grank, 1.87795143175162, 0.0616054688670269),
    ];
    for (test, stat, p) in car {
        let v = &report.car[0].tests[&test];
        let (s, q) = (v.statistic.unwrap(), v.p.unwrap());
        assert!(close(s, stat, 1e-8) && close(q, p, 1e-7), "{test:?} car: {s} {q}");
    }
    // Days have no CAR rank test, windows no Brown–Warner or single-day rank tests.
    assert!(!report.aar[0].tests.contains_key(&ClassicTest::CowanRank));
    assert!(!report.car[0].tests.contains_key(&ClassicTest::Rank));
}

/// The constant-mean and market-adjusted models and BHAR on estudy2's example (log returns:
/// BHAR = exp(Σ r) − exp(Σ r̂)), τ = −240..−1 and 0..4. Expected values:
/// `python3 tests/reference/classic_models_reference.py`, Part 1 (numpy/statsmodels).
#[test]
fn constant_mean_market_adjusted_and_bhar_match_the_reference() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let panel = ReturnsPanel::from_wide_csv(path)
        .unwrap()
        .with_kind(ReturnKind::Log);
    let windows = EventTimeWindows::new(-240..=-1, 0..=4).cars([0..=4, 0..=1]);
    let checked = windows.check().unwrap();
    let (amzn, market) = (panel.column("AMZN").unwrap(), panel.column("GSPC").unwrap());
    // (model, regressors, σ², AR_0, Var AR_0, CAR 0:4, Var CAR 0:4, BHAR 0:4), AMZN.
    type Case<'a> = (ModelKind, Vec<&'a [f64]>, [f64; 6]);
    let cases: [Case; 3] = [
        (
            ModelKind::ConstantMean,
            vec![],
            [
                0.000274852001198657,
                -0.0551253711969361,
                0.000275997217870318,
                0.0339893852927996,
                0.00140289042278481,
                0.0345619434829759,
            ],
        ),
        (
            ModelKind::MarketAdjusted,
            vec![market],
            [
                0.000115961626341856,
                0.0724592403728784,
                0.000115961626341856,
                0.195930475676998,
                0.000579808131709279,
                0.184020123366924,
            ],
        ),
        (
            ModelKind::MarketModel,
            vec![market],
            [
                0.000112439804942823,
                0.0550454271523773,
                0.00014796575500058,
                0.173292650245959,
                0.000629960770683516,
                0.164553849087699,
            ],
        ),
    ];
    for (kind, regressors, [sigma2, ar0, var0, car, var_car, bhar]) in &cases {
        let fit = fit_event(amzn, regressors, 240, &checked, *kind, ReturnKind::Log).unwrap();
        let m = fit.model.as_ref().unwrap();
        let c = fit.car[0].unwrap();
        assert!(close(m.sigma2(), *sigma2, 1e-9), "{kind:?} σ² {}", m.sigma2());
        assert!(
            close(fit.ar[0].unwrap(), *ar0, 1e-9) && close(fit.ar_variance[0].unwrap(), *var0, 1e-9),
            "{kind:?}"
        );
        assert!(
            close(c.car, *car, 1e-9) && close(c.variance, *var_car, 1e-9),
            "{kind:?}"
        );
        assert!(close(c.bhar, *bhar, 1e-9), "{kind:?} BHAR {}", c.bhar);
    }
    // Across the seven stocks, CAR 0:4: (CAAR, ABHAR, BHAR t, p, Patell z with d = L − p).
    let across: [(ModelKind, [f64; 5]); 3] = [
        (
            ModelKind::ConstantMean,
            [
                -0.0323850089717382,
                -0.0256188326600194,
                -0.572213806647352,
                0.587959563945708,
                -1.60993264268043,
            ],
        ),
        (
            ModelKind::MarketAdjusted,
            [
                0.128360195814038,
                0.122709621942326,
                2.6243544239589,
                0.0393559977017594,
                7.39059900810636,
            ],
        ),
        (
            ModelKind::MarketModel,
            [
                0.11066594808165,
                0.106479925420014,
                3.15028629304924,
                0.0198075263257371,
                6.36579331643061,
            ],
        ),
    ];
    for (kind, [caar, abhar, t, p, z]) in across {
        let report = ClassicStudy::new(panel.clone(), "GSPC")
            .model(kind)
            .events(
                ["AMZN", "ZM", "UBER", "NFLX", "SHOP", "FB", "UPWK"].map(|s| PanelEvent {
                    security: s.into(),
                    date: "2020-03-16".parse().unwrap(),
                    label: None,
                }),
            )
            .windows(windows.clone())
            .run()
            .unwrap();
        let row = &report.car[0];
        assert!(
            close(row.caar, caar, 1e-9) && close(row.abhar, abhar, 1e-9),
            "{kind:?}"
        );
        assert!(
            close(row.abhar_t.statistic.unwrap(), t, 1e-9) && close(row.abhar_t.p.unwrap(), p, 1e-8),
            "{kind:?}"
        );
        assert!(
            close(row.tests[&ClassicTest::Patell].statistic.unwrap(), z, 1e-9),
            "{kind:?}"
        );
    }
}

/// A factor model on the eventstudies package's stock splits: returns in per cent (÷ 100,
/// simple), the market NiftyIndex and the factor USDINR, estimation τ = −120..−11 (at least 60
/// complete rows), event −5..+5. Expected values: `classic_models_reference.py`, Part 2
/// (`factor_nifty_usdinr`, statsmodels OLS).
#[test]
fn a_factor_model_on_the_split_events_matches_statsmodels() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/");
    let stocks = ReturnsPanel::from_wide_csv(format!("{dir}eventstudies_StockPriceReturns_pct.csv")).unwrap();
    let other = ReturnsPanel::from_wide_csv(format!("{dir}eventstudies_OtherReturns_pct.csv")).unwrap();
    assert_eq!(stocks.dates(), other.dates());
    let names: Vec<String> = stocks.names().iter().chain(other.names()).cloned().collect();
    let columns: Vec<Vec<f64>> = stocks
        .columns()
        .iter()
        .chain(other.columns())
        .map(|c| c.iter().map(|v| v / 100.0).collect())
        .collect();
    let panel = ReturnsPanel::from_columns("splits", stocks.dates().to_vec(), names, columns).unwrap();
    let events = PanelEvent::from_csv(format!("{dir}eventstudies_SplitDates.csv")).unwrap();
    assert_eq!(events.len(), 22);
    let report = ClassicStudy::new(panel, "NiftyIndex")
        .factors(["USDINR"])
        .events(events)
        .windows(
            EventTimeWindows::new(-120..=-11, -5..=5)
                .cars([-1..=1, -5..=5, 0..=5])
                .min_estimation(60),
        )
        .run()
        .unwrap();
    assert_eq!(report.model, ModelKind::Factors);
    let fitted: Vec<&str> = report
        .events
        .iter()
        .filter(|e| e.estimation_n.is_some())
        .map(|e| e.security.as_str())
        .collect();
    assert_eq!(fitted, ["BHEL", "HDFC.Bank", "ONGC", "Tata.Motors", "Tata.Power"]);
    assert_eq!(
        report
            .events
            .iter()
            .filter(|e| e.status == EventStatus::WindowOutsideData)
            .count(),
        17
    );
    // BHEL's τ = +3 is a holiday row: its −5:5 and 0:5 windows are missing.
    assert_eq!(
        report.events[0].status,
        EventStatus::MissingEventReturns { taus: vec![3] }
    );
    let ongc = &report.events[15];
    assert_eq!(ongc.estimation_n, Some(107));
    assert!(close(ongc.alpha.unwrap(), -0.00136871897839526, 1e-9));
    assert!(close(ongc.beta.unwrap(), 0.579741955973313, 1e-9));
    assert!(close(ongc.factor_betas["USDINR"], -0.512773317162842, 1e-9));
    assert!(close(ongc.sigma.unwrap().powi(2), 0.000116508828772502, 1e-9));
    assert!(close(ongc.car["-1:1"], -0.0606355785727354, 1e-9));
    assert!(close(ongc.bhar["-1:1"], -0.0595068665035855, 1e-9));
    // Across events, −1:1 (N = 5): CAAR, cross-sectional t, Patell (d = L − 3), BMP.
    let row = &report.car[0];
    assert_eq!(row.n, 5);
    assert!(close(row.caar, -0.0155641292859137, 1e-9));
    assert!(close(
        row.tests[&ClassicTest::T].statistic.unwrap(),
        -0.932955628394893,
        1e-9
    ));
    assert!(close(
        row.tests[&ClassicTest::Patell].statistic.unwrap(),
        -1.34442879073732,
        1e-9
    ));
    assert!(close(
        row.tests[&ClassicTest::Bmp].statistic.unwrap(),
        -0.804758355784594,
        1e-9
    ));
    assert!(close(row.abhar_t.statistic.unwrap(), -0.914305542332393, 1e-9));
    assert_eq!(report.car[1].n, 4);
    assert!(close(report.car[1].caar, 0.02956523724858, 1e-9));
}

/// OLS with classical, HC1 and HC3 standard errors. Expected values:
/// `python3 tests/reference/regression_reference.py` (statsmodels, use_t=True).
#[test]
fn the_cross_sectional_regression_matches_statsmodels() {
    let y = [
        0.021, -0.013, 0.034, 0.008, 0.052, 0.047, -0.006, 0.071, -0.022, -0.031, 0.004, -0.017,
    ];
    let b: Vec<f64> = (0..12)
        .map(|i| f64::from(u8::from((4..8).contains(&i))))
        .collect();
    let c: Vec<f64> = (0..12).map(|i| f64::from(u8::from(i >= 8))).collect();
    let size = [1.2, 0.7, 2.5, 1.1, 3.0, 0.4, 1.9, 2.2, 0.9, 1.6, 2.8, 0.5];
    let r = eventstudy::stats::ols_robust(&y, &[("b", &b), ("c", &c), ("size", &size)]).unwrap();
    // (estimate, se, se_hc1, se_hc3, t_hc3, p_hc3)
    let expected = [
        (
            "const",
            [
                -0.000923590504451068,
                0.016022319691127,
                0.0113598103848526,
                0.0151515500283108,
                -0.0609568329791559,
                0.952888924749489,
            ],
        ),
        (
            "b",
            [
                0.0236186943620178,
                0.0169298934322304,
                0.0196418734868703,
                0.0242468395635544,
                0.974093728797516,
                0.358539466589423,
            ],
        ),
        (
            "c",
            [
                -0.0297321958456973,
                0.0164598105624543,
                0.00944062150179073,
                0.0113263517829,
                -2.62504612390599,
                0.0304112099578199,
            ],
        ),
        (
            "size",
            [
                0.00976261127596441,
                0.00801429103968174,
                0.00555850728146717,
                0.00850899080312198,
                1.14732892558568,
                0.284397709430789,
            ],
        ),
    ];
    for (coef, (name, v)) in r.coefficients.iter().zip(expected) {
        assert_eq!(coef.name, name);
        let got = [
            coef.estimate,
            coef.se,
            coef.se_hc1,
            coef.se_hc3,
            coef.t_hc3,
            coef.p_hc3,
        ];
        for (g, e) in got.iter().zip(v) {
            assert!(close(*g, e, 1e-9), "{name}: {got:?} vs {v:?}");
        }
    }
    assert!(close(r.r2, 0.631405015960272, 1e-12));
    // A group of one event has leverage 1: HC3 is undefined, and says so.
    let single: Vec<f64> = (0..12).map(|i| f64::from(u8::from(i == 0))).collect();
    let err = eventstudy::stats::ols_robust(&y, &[("one", &single)]).unwrap_err();
    assert!(err.to_string().contains("leverage 1"), "{err}");
    assert!(eventstudy::stats::ols_robust(&y[..1], &[]).is_err());
}
