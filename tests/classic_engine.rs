//! The classic study's engine in event time on estudy2's example: windows in rows, each
//! event's status, the tests across events against `tests/reference/classic_reference.py`,
//! and the panel and event-list loaders.

use eventstudy::{
    ClassicTest, Error, EventStatus, EventTimeWindows, PanelEvent, ReturnsPanel, aar_rows, car_rows,
    market_model_event,
};

use super::classic::{MODELS, close, rates};

/// Column k of the fixture as contiguous f64, NaN for `NA`.
fn column(rows: &[Vec<Option<f64>>], k: usize) -> Vec<f64> {
    rows.iter().map(|r| r[k].unwrap_or(f64::NAN)).collect()
}

#[test]
fn event_time_windows_reproduce_the_date_windows() {
    // estudy2's windows in event time: 2020-03-16 is row 240, so 2019-04-02..2020-03-13 (the
    // first 240 rows) is τ = −240..−1 and the event window τ = 0..4.
    let (header, dates, rows) = rates();
    let event_row = dates.iter().position(|d| d == "2020-03-16").unwrap();
    assert_eq!(event_row, 240);
    let windows = EventTimeWindows::new(-240..=-1, 0..=4).check().unwrap();
    let market = column(&rows, header.len() - 1);
    for (k, (name, l, alpha, beta, sigma2, car, car_var)) in MODELS.into_iter().enumerate() {
        let fit = market_model_event(&column(&rows, k), &market, event_row, &windows).unwrap();
        assert_eq!(fit.status, EventStatus::Complete, "{name}");
        let m = fit.model.as_ref().and_then(|m| m.market_model()).unwrap();
        assert_eq!(m.estimation_rows, l, "{name}"); // ZM and UBER: their NA rows are left out
        assert_eq!(fit.estimation.len(), l);
        assert!(
            close(m.alpha, alpha, 1e-9) && close(m.beta, beta, 1e-9) && close(m.sigma2, sigma2, 1e-9),
            "{name}"
        );
        let c = fit.car[0].unwrap();
        assert!(
            close(c.car, car, 1e-9) && close(c.variance, car_var, 1e-9),
            "{name}"
        );
        assert_eq!(fit.ar.len(), 5);
    }
}

#[test]
fn events_the_data_cannot_serve_get_a_status() {
    let (header, _, rows) = rates();
    let market = column(&rows, header.len() - 1);
    let zm = column(&rows, 1);
    let windows = EventTimeWindows::new(-240..=-1, 0..=4).cars([0..=1, 2..=4]);
    let checked = windows.clone().check().unwrap();
    // Too early for the estimation window, too late for the event window.
    for row in [100, 250] {
        let fit = market_model_event(&zm, &market, row, &checked).unwrap();
        assert_eq!(fit.status, EventStatus::WindowOutsideData, "row {row}");
        assert!(fit.model.is_none() && fit.car.iter().all(Option::is_none));
    }
    // ZM has 227 complete estimation rows: fewer than a minimum of 230.
    let strict = windows.clone().min_estimation(230).check().unwrap();
    let fit = market_model_event(&zm, &market, 240, &strict).unwrap();
    assert_eq!(
        fit.status,
        EventStatus::EstimationTooShort {
            rows: 227,
            needed: 230
        }
    );
    // A missing event-day return: its AR and the CAR window holding it are left out.
    let mut gap = zm.clone();
    gap[243] = f64::NAN; // τ = 3
    let fit = market_model_event(&gap, &market, 240, &checked).unwrap();
    assert_eq!(fit.status, EventStatus::MissingEventReturns { taus: vec![3] });
    assert!(fit.ar[3].is_none() && fit.ar[2].is_some());
    assert!(fit.car[0].is_some() && fit.car[1].is_none());
    assert!(fit.status.to_string().contains("τ = [3]"));
    // Windows are checked once, with the reason.
    assert!(EventTimeWindows::new(-10..=0, 0..=5).check().is_err());
    assert!(
        EventTimeWindows::new(-10..=-1, 0..=5)
            .cars([3..=7])
            .check()
            .is_err()
    );
    assert!(
        EventTimeWindows::new(-10..=-1, 0..=5)
            .min_estimation(2)
            .check()
            .is_err()
    );
    assert!(market_model_event(&zm, &market[1..], 240, &checked).is_err());
}

#[test]
fn tests_across_events_in_event_time_match_the_reference() {
    let (header, _, rows) = rates();
    let windows = EventTimeWindows::new(-240..=-1, 0..=4)
        .cars([0..=4, 0..=1])
        .check()
        .unwrap();
    let market = column(&rows, header.len() - 1);
    let fits: Vec<_> = (0..7)
        .map(|k| market_model_event(&column(&rows, k), &market, 240, &windows).unwrap())
        .collect();
    let days = aar_rows(&fits, &windows).unwrap();
    assert_eq!(days.iter().map(|r| r.tau).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    let stat =
        |r: &std::collections::BTreeMap<ClassicTest, eventstudy::TestValue>, t| r[&t].statistic.unwrap();
    let p = |r: &std::collections::BTreeMap<ClassicTest, eventstudy::TestValue>, t| r[&t].p.unwrap();
    // classic_reference.py: per day (AAR, cs t, Patell z, BMP t, bw1985, W+ and its exact p),
    // and bw1980 with p from t(210) = t(min L − 2) by scipy.stats.t.sf (scipy 1.17.1).
    let expected = [
        (
            0.0232973978262161,
            1.39414971957268,
            2.54443973410956,
            1.20428443704289,
            1.85851388293791,
            2.48101815746333,
            0.013886073889292682,
        ),
        (
            -0.0315786717755343,
            -1.27690749546656,
            -2.94207406643613,
            -1.17517887043537,
            -2.51913970553089,
            -3.36291883961018,
            0.0009164774043996789,
        ),
        (
            -0.0161785006909956,
            -0.402313511383381,
            0.328962926335788,
            0.0763774659323792,
            -1.29061487311261,
            -1.72290288702223,
            0.08637815998983643,
        ),
        (
            0.0767202708897054,
            1.79582749222481,
            8.40269803046667,
            2.16688669984349,
            6.1202409648869,
            8.17019937345422,
            2.860038353823584e-14,
        ),
        (
            0.0584054518322579,
            5.12332806258541,
            6.30573485209565,
            8.65453599612916,
            4.65920459783567,
            6.21979276705414,
            2.6517976351969523e-09,
        ),
    ];
    let wilcoxon_p = [0.15625, 0.578125, 0.9375, 0.03125, 0.015625];
    for ((row, (aar, t, z, b, bw85, bw80, bw80_p)), wp) in days.iter().zip(expected).zip(wilcoxon_p) {
        assert_eq!(row.n, 7);
        assert!(close(row.mean_ar, aar, 1e-9), "τ {}", row.tau);
        for (test, want) in [
            (ClassicTest::T, t),
            (ClassicTest::Patell, z),
            (ClassicTest::Bmp, b),
            (ClassicTest::Bw1985, bw85),
            (ClassicTest::Bw1980, bw80),
        ] {
            assert!(
                close(stat(&row.tests, test), want, 1e-9),
                "τ {} {}",
                row.tau,
                test.key()
            );
        }
        assert!(
            close(p(&row.tests, ClassicTest::Bw1980), bw80_p, 1e-6),
            "τ {}",
            row.tau
        );
        assert!(
            close(p(&row.tests, ClassicTest::Wilcoxon), wp, 1e-12),
            "τ {}",
            row.tau
        );
    }
    let cars = car_rows(&fits, &windows).unwrap();
    assert_eq!(
        cars.iter().map(|r| r.window).collect::<Vec<_>>(),
        [(0, 4), (0, 1)]
    );
    let whole = &cars[0];
    assert!(close(whole.caar, 0.11066594808165, 1e-9));
    assert!(close(stat(&whole.tests, ClassicTest::T), 3.41347265121337, 1e-9));
    assert!(close(
        stat(&whole.tests, ClassicTest::Patell),
        6.36579331643061,
        1e-9
    ));
    assert!(close(
        stat(&whole.tests, ClassicTest::Bmp),
        2.78547807197056,
        1e-9
    ));
    assert!(close(p(&whole.tests, ClassicTest::Sign), 0.125, 1e-12));
    assert!(!whole.tests.contains_key(&ClassicTest::Bw1980));
    // The keys are the JSON names.
    let json = serde_json::to_value(&cars[0]).unwrap();
    assert!(json["tests"]["patell"]["statistic"].is_f64(), "{json}");
    // An event without a fit is left out of every row, not counted as zero.
    let mut with_gap = fits.clone();
    with_gap.push(market_model_event(&column(&rows, 1), &market, 100, &windows).unwrap());
    assert_eq!(aar_rows(&with_gap, &windows).unwrap()[0].n, 7);
}

#[test]
fn the_panel_and_event_list_loaders_read_the_fixture_and_name_bad_cells() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let panel = ReturnsPanel::from_wide_csv(path).unwrap();
    assert_eq!(panel.names().len(), 8);
    assert_eq!(panel.dates().len(), 252);
    assert_eq!(
        panel.column("ZM").unwrap().iter().filter(|v| v.is_nan()).count(),
        13
    );
    assert_eq!(
        panel
            .column("UBER")
            .unwrap()
            .iter()
            .filter(|v| v.is_nan())
            .count(),
        28
    );
    let events = PanelEvent::from_csv_bytes(
        b"security,date,label\nAMZN,2020-03-15,retail\nZM,2020-03-16,\n",
        "<events>",
    )
    .unwrap();
    assert_eq!(events[0].label.as_deref(), Some("retail"));
    assert_eq!(events[1].label, None);
    // 2020-03-15 is a Sunday: the event moves to Monday's row, 240.
    let row = panel.row_on_or_after(events[0].date).unwrap();
    assert_eq!(panel.dates()[row].to_string(), "2020-03-16");
    let windows = EventTimeWindows::new(-240..=-1, 0..=4).check().unwrap();
    let fit = market_model_event(
        panel.column("AMZN").unwrap(),
        panel.column("GSPC").unwrap(),
        row,
        &windows,
    )
    .unwrap();
    let m = fit.model.and_then(|m| m.market_model()).unwrap();
    assert!(close(m.beta, MODELS[0].3, 1e-9) && m.estimation_rows == 240);

    // Bad cells are errors naming row, column and value.
    let bad = |text: &str| ReturnsPanel::from_wide_csv_bytes(text.as_bytes(), "<panel>").unwrap_err();
    match bad("date,A,M\n2020-01-02,0.1,0.2\n2020-01-03,x,0.1\n") {
        Error::BadNumber {
            row, column, value, ..
        } => assert_eq!((row, column.as_str(), value.as_str()), (3, "A", "x")),
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        bad("date,A\n2020-01-03,0.1\n2020-01-02,0.2\n"),
        Error::UnsortedDates { row: 3, .. }
    ));
    assert!(matches!(
        bad("date,A\n2020-01-03,0.1\n2020-01-03,0.2\n"),
        Error::DuplicateDate { row: 3, .. }
    ));
    assert!(matches!(
        bad("date,A\n03/01/2020,0.1\n"),
        Error::BadDate { row: 2, .. }
    ));
    assert!(matches!(
        bad("date,A\n2020-01-02,0.1,9\n"),
        Error::RaggedRow { row: 2, .. }
    ));
    assert!(matches!(bad("date\n2020-01-02\n"), Error::NoData { .. }));
    let text = "date,A\n2020-01-02,NA\n2020-01-03,\n2020-01-06,.\n2020-01-07,0.01\n";
    let sparse = ReturnsPanel::from_wide_csv_bytes(text.as_bytes(), "<panel>").unwrap();
    assert_eq!(
        sparse.column("A").unwrap().iter().filter(|v| v.is_nan()).count(),
        3
    );
    assert!(PanelEvent::from_csv_bytes(b"security,date\nA,someday\n", "<events>").is_err());
    assert!(PanelEvent::from_csv_bytes(b"security,date\n,2020-01-02\n", "<events>").is_err());
    assert!(PanelEvent::from_csv_bytes(b"security\nA\n", "<events>").is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Arbitrary CSV-like text: the panel and event loaders return a value or a typed error
    /// naming the source, never panic; a panel's dates ascend and its columns are as long.
    #[test]
    fn panel_loaders_never_panic(body in "[0-9a-zA-Z\\-., \"\r\n]{0,200}") {
        let text = format!("date,A,B\n{body}");
        match ReturnsPanel::from_wide_csv_bytes(text.as_bytes(), "<fuzz>") {
            Ok(p) => {
                proptest::prop_assert!(p.dates().windows(2).all(|w| w[0] < w[1]));
                proptest::prop_assert!(p.names().iter().all(|n| p.column(n).unwrap().len() == p.dates().len()));
            }
            Err(e) => proptest::prop_assert!(e.to_string().contains("<fuzz>"), "{}", e),
        }
        let events = format!("security,date\n{body}");
        if let Err(e) = PanelEvent::from_csv_bytes(events.as_bytes(), "<fuzz>") {
            proptest::prop_assert!(e.to_string().contains("<fuzz>"), "{}", e);
        }
    }
}
