//! The classic event study's statistics (market model, abnormal returns and their variances,
//! the cross-sectional, Patell and BMP tests) on estudy2's example: seven stocks and the S&P
//! 500, estimation 2019-04-01..2020-03-13, event window 2020-03-16..2020-03-20 (the COVID
//! crash). Expected values: `python3 tests/reference/classic_reference.py` (numpy and
//! statsmodels, formulas in its docstring), pasted below at 15 significant digits.

use eventstudy::stats::{
    MarketModel, bmp, brown_warner_1980, brown_warner_1985, cross_sectional_t, estimation_positive_share,
    generalized_sign, patell, sign_test, wilcoxon,
};

/// (date, one column per security then the market), `None` for `NA`.
pub(crate) fn rates() -> (Vec<String>, Vec<String>, Vec<Vec<Option<f64>>>) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/estudy2_rates.csv"
    ))
    .expect("fixture");
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .skip(1)
        .map(|h| h.trim_matches('"').to_string())
        .collect();
    let (mut dates, mut rows) = (Vec::new(), Vec::new());
    for line in lines {
        let mut cells = line.split(',');
        dates.push(cells.next().unwrap().to_string());
        rows.push(cells.map(|c| c.parse().ok()).collect());
    }
    (header, dates, rows)
}

/// One security's market model and event-window results.
struct Fitted {
    model: MarketModel,
    ar: Vec<f64>,
    ar_var: Vec<f64>,
    car: f64,
    car_var: f64,
    /// Estimation-window residuals by fixture row.
    residuals: Vec<(usize, f64)>,
}

fn fitted() -> (Vec<String>, Vec<Fitted>) {
    let (header, dates, rows) = rates();
    let market = header.len() - 1;
    let in_window = |d: &str, from: &str, to: &str| d >= from && d <= to;
    let names = header[..market].to_vec();
    let fits = (0..market)
        .map(|k| {
            let (mut r, mut m, mut at) = (Vec::new(), Vec::new(), Vec::new());
            for (i, (d, row)) in dates.iter().zip(&rows).enumerate() {
                if let (true, Some(x), Some(y)) =
                    (in_window(d, "2019-04-01", "2020-03-13"), row[k], row[market])
                {
                    r.push(x);
                    m.push(y);
                    at.push(i);
                }
            }
            let model = MarketModel::fit(&r, &m).unwrap();
            let residuals = at
                .iter()
                .zip(r.iter().zip(&m))
                .map(|(&i, (&x, &y))| (i, model.abnormal(x, y)))
                .collect();
            let event: Vec<(f64, f64)> = dates
                .iter()
                .zip(&rows)
                .filter(|(d, _)| in_window(d, "2020-03-16", "2020-03-20"))
                .map(|(_, row)| (row[k].unwrap(), row[market].unwrap()))
                .collect();
            assert_eq!(event.len(), 5);
            let ar: Vec<f64> = event.iter().map(|&(x, y)| model.abnormal(x, y)).collect();
            let ar_var = event.iter().map(|&(_, y)| model.ar_variance(y)).collect();
            let market_window: Vec<f64> = event.iter().map(|e| e.1).collect();
            Fitted {
                model,
                car: ar.iter().sum(),
                ar,
                ar_var,
                car_var: model.car_variance(&market_window),
                residuals,
            }
        })
        .collect();
    (names, fits)
}

pub(crate) fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

/// classic_reference.py, "per security": (name, L, alpha, beta, sigma2, CAR, Var(CAR)).
pub(crate) const MODELS: [(&str, usize, f64, f64, f64, f64, f64); 7] = [
    (
        "AMZN",
        240,
        0.000134189146722981,
        0.864635122597955,
        0.000112439804942823,
        0.173292650245959,
        0.000629960770683516,
    ),
    (
        "ZM",
        227,
        0.00251653973513334,
        0.306387919491648,
        0.00142416270957538,
        0.231682202719754,
        0.00798635773538254,
    ),
    (
        "UBER",
        212,
        -0.00254850768521084,
        1.13443388551092,
        0.000781726859721453,
        0.139001984247276,
        0.00439463386293536,
    ),
    (
        "NFLX",
        240,
        -0.000139928669381005,
        0.958199900903876,
        0.000339046426691468,
        0.145823611577326,
        0.00189955815349076,
    ),
    (
        "SHOP",
        240,
        0.00295466060180173,
        1.22728388012752,
        0.000679261579310358,
        0.0625495299744575,
        0.00380566426823358,
    ),
    (
        "FB",
        240,
        0.000280158807482268,
        1.03407527342128,
        0.000179257816692561,
        0.0377974386707117,
        0.00100431864331421,
    ),
    (
        "UPWK",
        240,
        -0.00381021497716732,
        0.692841945362454,
        0.000804774093782035,
        -0.0154857808639376,
        0.00450886684304426,
    ),
];

#[test]
fn market_model_fits_and_abnormal_returns_match_statsmodels() {
    let (names, fits) = fitted();
    for ((f, (name, l, alpha, beta, sigma2, car, car_var)), column) in fits.iter().zip(MODELS).zip(&names) {
        assert_eq!(column, name);
        let m = &f.model;
        assert_eq!(m.estimation_rows, l, "{name}");
        for (got, want, what) in [
            (m.alpha, alpha, "alpha"),
            (m.beta, beta, "beta"),
            (m.sigma2, sigma2, "sigma2"),
            (f.car, car, "CAR"),
            (f.car_var, car_var, "Var(CAR)"),
        ] {
            assert!(close(got, want, 1e-9), "{name} {what}: {got} vs {want}");
        }
    }
    // AMZN's daily ARs and their variances (classic_reference.py, "AMZN").
    let amzn = &fits[0];
    let ar = [
        0.0550454271523773,
        0.0174285817304007,
        0.0580668797347511,
        0.0232552235629236,
        0.0194965380655066,
    ];
    let var = [
        0.00014796575500058,
        0.0001202877866567,
        0.000118971240617972,
        0.000112960788385136,
        0.000117106640178922,
    ];
    for t in 0..5 {
        assert!(
            close(amzn.ar[t], ar[t], 1e-9) && close(amzn.ar_var[t], var[t], 1e-9),
            "day {t}"
        );
    }
    // The CAR variance is not the sum of the daily variances: the estimation error of α and β
    // is common to the five days.
    assert!(amzn.car_var > amzn.ar_var.iter().sum::<f64>());
}

#[test]
fn cross_sectional_patell_and_bmp_tests_match_the_reference() {
    let (_, fits) = fitted();
    let lengths: Vec<usize> = fits.iter().map(|f| f.model.estimation_rows - 2).collect(); // d = L − 2
    // classic_reference.py, "per event day": (AAR, cs t, cs p, Patell z, Patell p, BMP t, BMP p).
    let days: [(f64, f64, f64, f64, f64, f64, f64); 5] = [
        (
            0.0232973978262161,
            1.39414971957268,
            0.21271249732809,
            2.54443973410956,
            0.0109453197297059,
            1.20428443704289,
            0.273826197782111,
        ),
        (
            -0.0315786717755343,
            -1.27690749546656,
            0.248823330278637,
            -2.94207406643613,
            0.00326021939361392,
            -1.17517887043537,
            0.284442122803111,
        ),
        (
            -0.0161785006909956,
            -0.402313511383381,
            0.701394001471254,
            0.328962926335788,
            0.742183710347236,
            0.0763774659323792,
            0.941601910297896,
        ),
        (
            0.0767202708897054,
            1.79582749222481,
            0.122659123023566,
            8.40269803046667,
            4.363356715111e-17,
            2.16688669984349,
            0.0733763811532861,
        ),
        (
            0.0584054518322579,
            5.12332806258541,
            0.00217114360056894,
            6.30573485209565,
            2.86829708185845e-10,
            8.65453599612916,
            0.000131191865720832,
        ),
    ];
    for (t, (aar, cs_t, cs_p, z, z_p, b_t, b_p)) in days.into_iter().enumerate() {
        let ars: Vec<f64> = fits.iter().map(|f| f.ar[t]).collect();
        let sars: Vec<f64> = fits.iter().map(|f| f.ar[t] / f.ar_var[t].sqrt()).collect();
        assert!(close(ars.iter().sum::<f64>() / 7.0, aar, 1e-9), "day {t} AAR");
        let cs = cross_sectional_t(&ars).unwrap();
        let pz = patell(&sars, &lengths).unwrap();
        let b = bmp(&sars).unwrap();
        for (got, want, what) in [
            (cs.t.unwrap(), cs_t, "cs t"),
            (cs.p_two_sided.unwrap(), cs_p, "cs p"),
            (pz.z.unwrap(), z, "Patell z"),
            (pz.p_two_sided.unwrap(), z_p, "Patell p"),
            (b.t.unwrap(), b_t, "BMP t"),
            (b.p_two_sided.unwrap(), b_p, "BMP p"),
        ] {
            assert!(close(got, want, 1e-7), "day {t} {what}: {got} vs {want}");
        }
        assert_eq!(cs.df, 6);
    }
    // The CAR window, each CAR standardised by its own variance ("CAR window").
    let cars: Vec<f64> = fits.iter().map(|f| f.car).collect();
    let scars: Vec<f64> = fits.iter().map(|f| f.car / f.car_var.sqrt()).collect();
    let cs = cross_sectional_t(&cars).unwrap();
    let pz = patell(&scars, &lengths).unwrap();
    let b = bmp(&scars).unwrap();
    assert!(close(cars.iter().sum::<f64>() / 7.0, 0.11066594808165, 1e-9));
    assert!(close(cs.t.unwrap(), 3.41347265121337, 1e-9));
    assert!(close(cs.p_two_sided.unwrap(), 0.0142576329058086, 1e-7));
    assert!(close(pz.z.unwrap(), 6.36579331643061, 1e-9));
    assert!(close(pz.p_two_sided.unwrap(), 1.94282907592205e-10, 1e-6));
    assert!(close(b.t.unwrap(), 2.78547807197056, 1e-9));
    assert!(close(b.p_two_sided.unwrap(), 0.0317664763742619, 1e-7));
}

#[test]
fn aar_and_cross_sectional_t_match_estudy2s_published_output() {
    // estudy2 @ 14946383b9d1, docs/articles/estudy2-intro.html (`parametric_tests`, columns
    // `mean` and `t_test`), printed to 7-8 significant digits. Its Patell and BMP columns use
    // other conventions (σ with divisor L − 1; market moments over every estimation date,
    // even where a stock has no return), so they differ from ours by up to 0.8%.
    let published = [
        (0.02329740, 1.3941497),
        (-0.03157867, -1.2769075),
        (-0.01617850, -0.4023135),
        (0.07672027, 1.7958275),
        (0.05840545, 5.1233281),
    ];
    let (_, fits) = fitted();
    for (t, (mean, t_test)) in published.into_iter().enumerate() {
        let ars: Vec<f64> = fits.iter().map(|f| f.ar[t]).collect();
        let aar = ars.iter().sum::<f64>() / 7.0;
        assert!((aar - mean).abs() < 5e-9, "day {t}: {aar} vs {mean}");
        let cs = cross_sectional_t(&ars).unwrap().t.unwrap();
        assert!((cs - t_test).abs() < 5e-7, "day {t}: {cs} vs {t_test}");
    }
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    assert!(MarketModel::fit(&[0.01, 0.02], &[0.0, 0.01]).is_err()); // L < 3
    assert!(MarketModel::fit(&[0.01, 0.02, 0.03], &[0.01, 0.01, 0.01]).is_err()); // flat market
    assert!(MarketModel::fit(&[0.01, 0.02, 0.03], &[0.0, 0.01]).is_err()); // lengths
    assert!(MarketModel::fit(&[0.01, f64::NAN, 0.03], &[0.0, 0.01, 0.02]).is_err());
    assert!(patell(&[1.0], &[2]).is_err()); // d/(d − 2) undefined
    assert!(patell(&[1.0, 2.0], &[50]).is_err());
    let one = cross_sectional_t(&[0.01]).unwrap();
    assert!(one.t.is_none() && one.undefined_reason.is_some());
}

#[test]
fn brown_warner_tests_match_the_reference_and_estudy2() {
    let (_, fits) = fitted();
    // Ā_τ: the mean residual over the stocks with one on each estimation date (240 dates).
    let mut by_row: std::collections::BTreeMap<usize, (f64, usize)> = Default::default();
    for f in &fits {
        for &(i, e) in &f.residuals {
            let slot = by_row.entry(i).or_default();
            slot.0 += e;
            slot.1 += 1;
        }
    }
    let abar: Vec<f64> = by_row.values().map(|(sum, n)| sum / *n as f64).collect();
    assert_eq!(abar.len(), 240);
    let sigma2: Vec<f64> = fits.iter().map(|f| f.model.sigma2).collect();
    // estudy2's variance: the residuals' sample variance, divisor L − 1.
    let ddof1: Vec<f64> = fits
        .iter()
        .map(|f| {
            let l = f.model.estimation_rows as f64;
            f.model.sigma2 * (l - 2.0) / (l - 1.0)
        })
        .collect();
    // classic_reference.py, "Brown-Warner": (bw1980, p with df 233, bw1985, p with df 239).
    let expected = [
        (
            2.48101815746333,
            0.0138078018493145,
            1.85851388293791,
            0.0643254703703376,
        ),
        (
            -3.36291883961018,
            0.000901460559182435,
            -2.51913970553089,
            0.0124178284275825,
        ),
        (
            -1.72290288702223,
            0.0862328584329281,
            -1.29061487311261,
            0.198084376743501,
        ),
        (
            8.17019937345422,
            1.95825967743804e-14,
            6.1202409648869,
            3.79745015033463e-09,
        ),
        (
            6.21979276705414,
            2.28410664508062e-09,
            4.65920459783567,
            5.27399350100185e-06,
        ),
    ];
    // estudy2 @ 14946383b9d1, docs/articles/estudy2-intro.html, columns bw_1980 and bw_1985.
    let published = [
        (2.486449, 1.858514),
        (-3.370281, -2.519140),
        (-1.726675, -1.290615),
        (8.188085, 6.120241),
        (6.233409, 4.659205),
    ];
    for (t, ((bw80, p80, bw85, p85), (e2_80, e2_85))) in expected.into_iter().zip(published).enumerate() {
        let aar = fits.iter().map(|f| f.ar[t]).sum::<f64>() / 7.0;
        let b80 = brown_warner_1980(aar, &sigma2, 233).unwrap();
        let b85 = brown_warner_1985(aar, &abar).unwrap();
        assert!(close(b80.t.unwrap(), bw80, 1e-9), "day {t}: {:?}", b80.t);
        assert!(
            close(b80.p_two_sided.unwrap(), p80, 1e-6),
            "day {t}: {:?}",
            b80.p_two_sided
        );
        assert!(close(b85.t.unwrap(), bw85, 1e-9), "day {t}: {:?}", b85.t);
        assert!(
            close(b85.p_two_sided.unwrap(), p85, 1e-6),
            "day {t}: {:?}",
            b85.p_two_sided
        );
        assert_eq!(b85.df, 239);
        // With estudy2's variance convention: its printed digits.
        let b80_e2 = brown_warner_1980(aar, &ddof1, 233).unwrap().t.unwrap();
        assert!((b80_e2 - e2_80).abs() < 5e-6, "day {t}: {b80_e2} vs {e2_80}");
        assert!((b85.t.unwrap() - e2_85).abs() < 5e-6, "day {t}");
    }
    assert!(brown_warner_1980(0.01, &[0.0], 10).is_err());
    assert!(brown_warner_1980(0.01, &[0.001], 0).is_err());
    assert!(brown_warner_1985(0.01, &[0.002]).is_err());
    assert!(brown_warner_1985(0.01, &[0.002, 0.002]).is_err());
}

/// (n_pos, sign z, normal p, exact p, generalized sign z and p, W+, exact Wilcoxon p).
type SignRow = (usize, f64, f64, f64, f64, f64, f64, f64);

#[test]
fn sign_and_signed_rank_tests_match_scipy() {
    let (_, fits) = fitted();
    let residuals: Vec<Vec<f64>> = fits
        .iter()
        .map(|f| f.residuals.iter().map(|r| r.1).collect())
        .collect();
    let p_hat = estimation_positive_share(residuals.iter().map(Vec::as_slice)).unwrap();
    // classic_reference.py, "sign tests and Wilcoxon": p_hat, then per column (n_pos, sign z,
    // normal p, exact binomial p (scipy binomtest), generalized sign z and p, W+, exact
    // Wilcoxon p (scipy.stats.wilcoxon, method="exact")).
    assert!(close(p_hat, 0.496381470882759, 1e-12));
    let expected: [SignRow; 6] = [
        (
            5,
            1.13389341902768,
            0.256839257957857,
            0.453125,
            1.15307107179075,
            0.248881214125847,
            23.0,
            0.15625,
        ),
        (
            4,
            0.377964473009227,
            0.705456986111273,
            1.0,
            0.397122329100886,
            0.69127725470776,
            10.0,
            0.578125,
        ),
        (
            5,
            1.13389341902768,
            0.256839257957857,
            0.453125,
            1.15307107179075,
            0.248881214125847,
            15.0,
            0.9375,
        ),
        (
            6,
            1.88982236504614,
            0.0587817213553589,
            0.125,
            1.90901981448061,
            0.0562595356185473,
            27.0,
            0.03125,
        ),
        (
            7,
            2.64575131106459,
            0.0081509715935027,
            0.015625,
            2.66496855717048,
            0.00769955214294809,
            28.0,
            0.015625,
        ),
        (
            6,
            1.88982236504614,
            0.0587817213553589,
            0.125,
            1.90901981448061,
            0.0562595356185473,
            27.0,
            0.03125,
        ),
    ];
    for (k, (n_pos, z, p_norm, p_exact, gz, gp, w_plus, wp)) in expected.into_iter().enumerate() {
        // Five event days, then the CARs.
        let x: Vec<f64> = fits.iter().map(|f| if k < 5 { f.ar[k] } else { f.car }).collect();
        let s = sign_test(&x).unwrap();
        assert_eq!((s.n, s.positive), (7, n_pos), "column {k}");
        assert!(
            close(s.z, z, 1e-12) && close(s.p_normal, p_norm, 1e-9),
            "column {k}: {s:?}"
        );
        assert!(close(s.p_exact, p_exact, 1e-12), "column {k}: {s:?}");
        let g = generalized_sign(&x, p_hat).unwrap();
        assert!(
            close(g.z.unwrap(), gz, 1e-9) && close(g.p_two_sided.unwrap(), gp, 1e-9),
            "column {k}: {g:?}"
        );
        let w = wilcoxon(&x).unwrap();
        assert!(w.exact && w.w_plus == w_plus, "column {k}: {w:?}");
        assert!(close(w.p_two_sided, wp, 1e-12), "column {k}: {w:?}");
    }
}

#[test]
fn wilcoxon_with_ties_or_many_values_uses_the_normal_approximation() {
    // Ties (2, 2 and 5, 5): mean ranks 1, 2.5, 2.5, 4, 5, 6.5, 6.5, 8, so W+ = 36 − 4 = 32, and
    // var = 8·9·17/24 − 2·(2³ − 2)/48 = 50.75, z = (32 − 18)/sqrt(50.75) = 1.96521...
    // scipy.stats.wilcoxon([1, 2, 2, -3, 4, 5, 5, 6], method="approx", correction=False).pvalue
    // = 0.04938938891204152 (scipy 1.17.1).
    let w = wilcoxon(&[1.0, 2.0, 2.0, -3.0, 4.0, 5.0, 5.0, 6.0]).unwrap();
    assert!(!w.exact);
    assert_eq!(w.w_plus, 32.0);
    assert!(close(w.p_two_sided, 0.04938938891204152, 1e-9), "{w:?}");
    assert!(sign_test(&[0.0, 0.0]).is_err());
    assert!(generalized_sign(&[0.01], 1.0).is_err());
}
