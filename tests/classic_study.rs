//! The classic study as a whole on estudy2's and eventstudies' fixtures and on synthetic
//! panels: every event's status, the models, BHAR, the rank and adjusted tests, the
//! pseudo-event placebo, the cross-sectional regression, date periods and the loaders.
//! Expected values come from the scripts in `tests/reference/` named beside each test.

use eventstudy::stats::{MarketModel, ModelKind};
use eventstudy::{
    ClassicStudy, ClassicTest, EventDay, EventStatus, EventTimeWindows, PanelEvent, ReturnKind, ReturnsPanel,
};

use super::classic::{MODELS, close};

#[test]
fn the_classic_study_reports_every_event_with_its_status() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let panel = ReturnsPanel::from_wide_csv(path)
        .unwrap()
        .with_kind(ReturnKind::Log);
    let mut list = String::from("security,date\n");
    for s in ["AMZN", "ZM", "UBER", "NFLX", "SHOP", "FB", "UPWK"] {
        list.push_str(&format!("{s},2020-03-16\n"));
    }
    // A duplicate (Sunday 2020-03-15 is Monday's row), a security the panel lacks, the market
    // itself, and an event too early for a 240-row estimation window.
    list.push_str("AMZN,2020-03-15\nTSLA,2020-03-16\nGSPC,2020-03-16\nFB,2019-06-03\n");
    let events = PanelEvent::from_csv_bytes(list.as_bytes(), "<events>").unwrap();
    let report = ClassicStudy::new(panel, "GSPC")
        .events(events)
        .windows(EventTimeWindows::new(-240..=-1, 0..=4))
        .run()
        .unwrap();
    let statuses: Vec<String> = report.events.iter().map(|e| e.status.to_string()).collect();
    assert_eq!(&statuses[..5], ["complete"; 5]);
    assert_eq!(statuses[6], "complete");
    // FB's estimation window holds the days of its own 2019-06-03 event (which has too little
    // history to be fitted itself): flagged, still fitted and used.
    assert_eq!(
        report.events[5].status,
        EventStatus::EstimationOverlapsEvent { other: 10 }
    );
    assert_eq!(report.events[7].status, EventStatus::DuplicateEvent { first: 0 });
    assert_eq!(report.events[7].day0.unwrap().to_string(), "2020-03-16");
    assert_eq!(report.events[8].status, EventStatus::SecurityMissing);
    assert_eq!(report.events[9].status, EventStatus::SecurityIsRegressor);
    assert_eq!(report.events[10].status, EventStatus::WindowOutsideData);
    // The tests use the seven complete events only: the reference values.
    assert_eq!(report.aar[0].n, 7);
    assert!(close(report.aar[3].mean_ar, 0.0767202708897054, 1e-9));
    assert!(close(report.car[0].caar, 0.11066594808165, 1e-9));
    // With events on different dates there is no common date.
    assert_eq!(report.aar[0].date, None);
    let amzn = &report.events[0];
    assert_eq!(amzn.estimation_n, Some(240));
    assert!(close(amzn.beta.unwrap(), MODELS[0].3, 1e-9));
    assert!(close(amzn.car["0:4"], MODELS[0].5, 1e-9));
    assert_eq!(amzn.ar.keys().copied().collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    // JSON: the documented names.
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["events"][0]["status"], "complete");
    assert_eq!(json["events"][7]["status"], "duplicate_event");
    assert_eq!(json["car"][0]["window"], "0:4");
    assert!(json["aar"][0]["tests"]["bw1985"]["p"].is_f64());
    assert!(json["events"][0]["ar"]["3"].is_f64());
    // A common event date gives each day its date.
    let common = ClassicStudy::new(ReturnsPanel::from_wide_csv(path).unwrap(), "GSPC")
        .events(report.events[..7].iter().map(|e| PanelEvent {
            security: e.security.clone(),
            date: e.event_date,
            label: None,
        }))
        .windows(EventTimeWindows::new(-240..=-1, 0..=4))
        .run()
        .unwrap();
    assert_eq!(common.aar[4].date.unwrap().to_string(), "2020-03-20");
    // In words: the statuses, then each day's and window's mean (percent) and p-values.
    let text = report.to_string();
    assert!(
        text.starts_with("Classic event study (market model on GSPC, log returns): 11 events, 7 fitted"),
        "{text}"
    );
    assert!(
        text.contains("TSLA 2020-03-16: security not in the panel"),
        "{text}"
    );
    assert!(text.contains("p patell") && text.contains("0:4"), "{text}");
    assert!(text.contains("+11.1"), "{text}"); // CAAR 11.07%
    // Bad study parameters fail at once.
    let panel = ReturnsPanel::from_wide_csv(path).unwrap();
    assert!(
        ClassicStudy::new(panel.clone(), "SPX")
            .events(common_events())
            .run()
            .is_err()
    );
    assert!(ClassicStudy::new(panel.clone(), "GSPC").run().is_err());
    assert!(
        ClassicStudy::new(panel, "GSPC")
            .events(common_events())
            .windows(EventTimeWindows::new(-5..=0, 0..=4))
            .run()
            .is_err()
    );
}

fn common_events() -> Vec<PanelEvent> {
    vec![PanelEvent {
        security: "AMZN".into(),
        date: "2020-03-16".parse().unwrap(),
        label: None,
    }]
}

#[test]
fn the_car_variance_keeps_its_covariance_term_and_is_calibrated() {
    // Simulated market-model securities with no event effect: L = 30 estimation days, a
    // 10-day CAR window. SCAR = CAR / sqrt(Var CAR) has the variance of a t with L − 2 df,
    // (L − 2)/(L − 4) = 1.077; dividing by the sum of the daily variances instead (dropping
    // the covariance the shared α̂ and β̂ put between days) gives about 1.4, as the issue says
    // (a numpy run of the same design with 20,000 draws: 1.084 and 1.399). Seeded, so the test is deterministic.
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(11);
    let mut normal = || {
        // Box–Muller from two uniforms on (0, 1).
        let mut unit = || ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        let (u, v) = (unit(), unit());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    let (l, l2, n) = (30, 10, 8_000);
    let (mut full, mut daily) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for _ in 0..n {
        let m: Vec<f64> = (0..l + l2).map(|_| 0.01 * normal()).collect();
        let r: Vec<f64> = m.iter().map(|x| 0.0005 + 1.2 * x + 0.02 * normal()).collect();
        let model = MarketModel::fit(&r[..l], &m[..l]).unwrap();
        let car: f64 = (l..l + l2).map(|t| model.abnormal(r[t], m[t])).sum();
        let summed: f64 = (l..l + l2).map(|t| model.ar_variance(m[t])).sum();
        full.push(car / model.car_variance(&m[l..]).sqrt());
        daily.push(car / summed.sqrt());
    }
    let var = |z: &[f64]| {
        let mean = z.iter().sum::<f64>() / z.len() as f64;
        z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (z.len() - 1) as f64
    };
    let (v_full, v_daily) = (var(&full), var(&daily));
    // Standard error of a sample variance of 8,000 near-normal values: about 1.077·sqrt(2/8000) = 0.017.
    assert!((v_full - 28.0 / 26.0).abs() < 0.06, "{v_full}");
    assert!((1.3..1.5).contains(&v_daily), "{v_daily}");
}

/// A synthetic panel: `n` securities driven by one common shock (which the constant-mean
/// model does not remove) plus their own noise; deterministic.
fn common_shock_panel(n: usize, rows: usize) -> ReturnsPanel {
    let mut state = 99u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    let common: Vec<f64> = (0..rows).map(|_| 0.04 * next()).collect();
    let start: chrono::NaiveDate = "2015-01-01".parse().unwrap();
    let dates = (0..rows).map(|i| start + chrono::Days::new(i as u64)).collect();
    let mut names = Vec::new();
    let mut columns = Vec::new();
    for s in 0..n {
        names.push(format!("s{s}"));
        columns.push((0..rows).map(|t| common[t] + 0.01 * next()).collect());
    }
    names.push("m".into());
    columns.push(common.clone());
    ReturnsPanel::from_columns("synthetic", dates, names, columns).unwrap()
}

#[test]
fn the_pseudo_event_placebo_keeps_clustering_and_finds_a_real_effect() {
    let panel = common_shock_panel(12, 1200);
    let windows = EventTimeWindows::new(-200..=-21, -5..=10).cars([0..=0, 0..=10]);
    let study = |events: Vec<PanelEvent>, p: &ReturnsPanel| {
        ClassicStudy::new(p.clone(), "m")
            .model(ModelKind::ConstantMean)
            .windows(windows.clone())
            .events(events)
            .stats(eventstudy::stats::StatsOptions::new().draws(4000).seed(5))
            .run()
            .unwrap()
    };
    let on = |row: usize| -> Vec<PanelEvent> {
        (0..12)
            .map(|s| PanelEvent {
                security: format!("s{s}"),
                date: panel.dates()[row],
                label: None,
            })
            .collect()
    };
    let spread: Vec<PanelEvent> = (0..12)
        .map(|s| PanelEvent {
            security: format!("s{s}"),
            date: panel.dates()[300 + 70 * s],
            label: None,
        })
        .collect();
    // Twelve events on one date share the common shock: the placebo, drawing one pseudo date
    // for all of them, is as wide as a single security's; spread over twelve dates the shocks
    // average out and it is about sqrt(12) times narrower.
    let clustered = study(on(600), &panel);
    let apart = study(spread, &panel);
    let width = |r: &eventstudy::ClassicReport| {
        let p = r.car[1].placebo.as_ref().unwrap();
        p.q95 - p.q05
    };
    let ratio = width(&clustered) / width(&apart);
    assert!(
        ratio > 2.5 && ratio < 4.5,
        "clustered/apart placebo width {ratio}"
    );
    assert_eq!(clustered.car[1].placebo.as_ref().unwrap().draws, 4000);
    // The same seed gives the same p; the p is a proper placebo p.
    let again = study(on(600), &panel);
    assert_eq!(
        clustered.car[1].tests[&ClassicTest::Placebo],
        again.car[1].tests[&ClassicTest::Placebo]
    );
    // A +30% jump on the event day of every security: far outside the placebo, and the
    // adjusted p are at least the raw ones.
    let mut columns: Vec<Vec<f64>> = panel.columns().to_vec();
    for c in columns.iter_mut().take(12) {
        c[600] += 0.30;
    }
    let shocked =
        ReturnsPanel::from_columns("shocked", panel.dates().to_vec(), panel.names().to_vec(), columns)
            .unwrap();
    let r = study(on(600), &shocked);
    let p = r.car[0].tests[&ClassicTest::Placebo].p.unwrap();
    assert!(p < 0.002, "placebo p {p}");
    for row in &r.car {
        let raw = row.tests[&ClassicTest::Placebo].p.unwrap();
        assert!(row.p_holm.unwrap() >= raw && row.p_bh.unwrap() >= raw && row.p_wy.unwrap() >= raw - 1e-12);
    }
    // Without the jump the day-0 CAAR is ordinary.
    assert!(clustered.car[0].tests[&ClassicTest::Placebo].p.unwrap() > 0.05);
}

/// Labels become dummies against the first label: the intercept is the reference group's mean
/// CAR and each coefficient a difference of group means (CARs 0:4 from
/// `classic_models_reference.py`, Part 1, market model; the means by hand).
#[test]
fn labels_are_regressed_on_as_dummies() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let groups = [
        ("AMZN", "platform"),
        ("ZM", "gig"),
        ("UBER", "gig"),
        ("NFLX", "platform"),
        ("SHOP", "platform"),
        ("FB", "platform"),
        ("UPWK", "gig"),
    ];
    let report = ClassicStudy::new(ReturnsPanel::from_wide_csv(path).unwrap(), "GSPC")
        .events(groups.map(|(s, g)| PanelEvent {
            security: s.into(),
            date: "2020-03-16".parse().unwrap(),
            label: Some(g.into()),
        }))
        .windows(EventTimeWindows::new(-240..=-1, 0..=4))
        .run()
        .unwrap();
    let r = &report.regressions[0];
    assert_eq!(r.reference.as_deref(), Some("gig"));
    let fit = r.regression.as_ref().unwrap();
    let gig = (0.231682202719754 + 0.139001984247276 - 0.0154857808639376) / 3.0;
    let platform = (0.173292650245959 + 0.145823611577326 + 0.0625495299744575 + 0.0377974386707117) / 4.0;
    assert_eq!(fit.coefficients[1].name, "label=platform");
    assert!(close(fit.coefficients[0].estimate, gig, 1e-9));
    assert!(close(fit.coefficients[1].estimate, platform - gig, 1e-9));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["regressions"][0]["window"], "0:4");
}

#[test]
fn a_long_dataframe_gives_the_same_panel_as_the_wide_csv() {
    use polars::prelude::*;
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let wide = ReturnsPanel::from_wide_csv(path).unwrap();
    let (mut d, mut s, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for (name, column) in wide.names().iter().zip(wide.columns()) {
        for (date, x) in wide.dates().iter().zip(column) {
            d.push(date.to_string());
            s.push(name.clone());
            v.push(if x.is_nan() { None } else { Some(*x) });
        }
    }
    let df = df!("date" => d.clone(), "security" => s.clone(), "value" => v.clone()).unwrap();
    let long = ReturnsPanel::from_long_dataframe(&df).unwrap();
    assert_eq!(long.names(), wide.names());
    assert_eq!(long.dates(), wide.dates());
    for (a, b) in long.columns().iter().zip(wide.columns()) {
        assert!(a.iter().zip(b).all(|(x, y)| x == y || (x.is_nan() && y.is_nan())));
    }
    // A pair given twice names both rows; a bad date names its row and value.
    let (mut d2, mut s2, mut v2) = (d.clone(), s.clone(), v.clone());
    d2.push(d[0].clone());
    s2.push(s[0].clone());
    v2.push(Some(0.0));
    let twice = df!("date" => d2, "security" => s2, "value" => v2).unwrap();
    let err = ReturnsPanel::from_long_dataframe(&twice).unwrap_err().to_string();
    assert!(
        err.contains(&format!("row {}", d.len() + 2)) && err.contains("already given on row 2"),
        "{err}"
    );
    let mut bad = d.clone();
    bad[3] = "2020-13-45".into();
    let err = ReturnsPanel::from_long_dataframe(&df!("date" => bad, "security" => s, "value" => v).unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 5") && err.contains("2020-13-45"), "{err}");
}

/// estudy2's way of giving the windows: estimation 2019-04-01..2020-03-13 and event
/// 2020-03-16..2020-03-20 as dates give the same study as τ = −240..−1 and 0..4.
#[test]
fn date_periods_give_the_event_time_study() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let events: Vec<PanelEvent> = ["AMZN", "ZM", "UBER", "NFLX", "SHOP", "FB", "UPWK"]
        .map(|s| PanelEvent {
            security: s.into(),
            date: "2020-03-16".parse().unwrap(),
            label: None,
        })
        .to_vec();
    let day = |s: &str| -> chrono::NaiveDate { s.parse().unwrap() };
    let by_date = ClassicStudy::new(ReturnsPanel::from_wide_csv(path).unwrap(), "GSPC")
        .events(events.clone())
        .periods(
            day("2019-04-01")..=day("2020-03-13"),
            day("2020-03-16")..=day("2020-03-20"),
        )
        .run()
        .unwrap();
    let by_tau = ClassicStudy::new(ReturnsPanel::from_wide_csv(path).unwrap(), "GSPC")
        .events(events.clone())
        .windows(EventTimeWindows::new(-240..=-1, 0..=4))
        .run()
        .unwrap();
    assert_eq!(by_date.windows.estimation, (-240, -1));
    assert_eq!(by_date.car, by_tau.car);
    assert_eq!(by_date.aar, by_tau.aar);
    // An event on another day cannot share the periods.
    let mut off = events;
    off[2].date = day("2020-03-17");
    let err = ClassicStudy::new(ReturnsPanel::from_wide_csv(path).unwrap(), "GSPC")
        .events(off)
        .periods(
            day("2019-04-01")..=day("2020-03-13"),
            day("2020-03-16")..=day("2020-03-20"),
        )
        .run()
        .unwrap_err();
    assert!(err.to_string().contains("event 3 (UBER 2020-03-17)"), "{err}");
}

#[test]
fn progress_is_reported_up_to_every_event() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let events: Vec<PanelEvent> = (0..250)
        .map(|i| PanelEvent {
            security: ["AMZN", "NFLX", "FB"][i % 3].into(),
            date: ReturnsPanel::from_wide_csv(path).unwrap().dates()[i % 250],
            label: None,
        })
        .collect();
    let (calls, last) = (Arc::new(AtomicUsize::new(0)), Arc::new(Mutex::new((0, 0))));
    let (c, l) = (calls.clone(), last.clone());
    let study = ClassicStudy::new(ReturnsPanel::from_wide_csv(path).unwrap(), "GSPC")
        .events(events)
        .windows(EventTimeWindows::new(-100..=-11, -5..=5))
        .on_progress(move |done, total| {
            c.fetch_add(1, Ordering::Relaxed);
            let mut m = l.lock().unwrap();
            *m = (m.0.max(done), total);
        });
    assert_eq!(study.event_count(), 250);
    study.run().unwrap();
    assert_eq!(*last.lock().unwrap(), (250, 250));
    let n = calls.load(Ordering::Relaxed);
    assert!((100..=130).contains(&n), "{n} calls");
}

#[test]
fn the_event_day_rule_and_overlapping_windows_are_reported() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/estudy2_rates.csv");
    let panel = ReturnsPanel::from_wide_csv(path).unwrap();
    let sunday: chrono::NaiveDate = "2020-03-15".parse().unwrap();
    assert_eq!(
        panel.dates()[panel.event_row(sunday, EventDay::Next).unwrap()].to_string(),
        "2020-03-16"
    );
    assert_eq!(
        panel.dates()[panel.event_row(sunday, EventDay::Previous).unwrap()].to_string(),
        "2020-03-13"
    );
    assert_eq!(panel.event_row(sunday, EventDay::Exact), None);
    assert_eq!(
        panel.event_row("2030-01-01".parse().unwrap(), EventDay::Previous),
        None
    );
    let one = |date: &str| PanelEvent {
        security: "AMZN".into(),
        date: date.parse().unwrap(),
        label: None,
    };
    let report = ClassicStudy::new(panel.clone(), "GSPC")
        .events([one("2020-03-15")])
        .event_day(EventDay::Exact)
        .windows(EventTimeWindows::new(-200..=-11, -5..=5))
        .run()
        .unwrap();
    assert_eq!(report.events[0].status, EventStatus::NotATradingDay);
    // Two AMZN events 20 rows apart: the later one's estimation window holds the earlier one's
    // event window; it is fitted and used, and says so.
    let report = ClassicStudy::new(panel, "GSPC")
        .events([one("2020-02-14"), one("2020-03-16")])
        .windows(EventTimeWindows::new(-200..=-11, -5..=5))
        .run()
        .unwrap();
    assert_eq!(
        report.events[1].status,
        EventStatus::EstimationOverlapsEvent { other: 0 }
    );
    assert_eq!(report.events[1].status.key(), "estimation_overlaps_event");
    assert!(report.events[1].estimation_n.is_some());
    assert_eq!(report.car[0].n, 2);
}
