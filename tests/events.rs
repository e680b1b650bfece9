//! Stage 2: breakout rules, on synthetic series and on the bundled Russell 2000.

use chrono::{Duration, NaiveDate};
use eventstudy::{BreakoutRule, Calendar, Error, PriceSeries, RelativeBasis, SeriesColumns, datasets};
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A continuous series from `start`, one close a day.
fn daily(start: &str, closes: &[f64]) -> PriceSeries {
    let dates = (0..closes.len())
        .map(|i| d(start) + Duration::days(i as i64))
        .collect();
    PriceSeries::from_closes("syn", Calendar::Continuous, dates, closes.to_vec()).unwrap()
}

fn event_dates(rule: &BreakoutRule, s: &PriceSeries) -> Vec<NaiveDate> {
    rule.detect(s).unwrap().into_iter().map(|e| e.date).collect()
}

// ---- every rule on small synthetic series (expected values worked by hand) ----

#[test]
fn ath_close_after_drought_on_synthetic() {
    // Record 5 on day 1; day 5 beats it after 4 days; day 6 beats day 5 after 1 day.
    let s = daily("2024-01-01", &[4.0, 5.0, 3.0, 4.0, 4.5, 6.0, 7.0]);
    assert_eq!(
        event_dates(&BreakoutRule::ath_close(3), &s),
        vec![d("2024-01-06")]
    );
    let e = &BreakoutRule::ath_close(3).detect(&s).unwrap()[0];
    assert_eq!(
        (
            e.level,
            e.previous_record,
            e.previous_record_date,
            e.days_since_record
        ),
        (6.0, Some(5.0), Some(d("2024-01-02")), Some(4))
    );
    assert_eq!(event_dates(&BreakoutRule::ath_close(1), &s).len(), 3);
}

#[test]
fn ath_high_uses_close_where_high_is_unknown() {
    let dates: Vec<NaiveDate> = (0..6).map(|i| d("2024-01-01") + Duration::days(i)).collect();
    let close = vec![10.0, 9.0, 9.5, 9.8, 10.2, 10.1];
    // Highs known only on the last three rows; on row 3 the high (10.1) beats the record close.
    let high = vec![None, None, None, Some(10.1), Some(10.3), Some(10.4)];
    let cols = SeriesColumns {
        dates,
        close,
        high: Some(high),
        ..Default::default()
    };
    let s = PriceSeries::new("syn", Calendar::Continuous, cols, "<test>").unwrap();
    let events = BreakoutRule::ath_high(2).detect(&s).unwrap();
    assert_eq!(
        events.iter().map(|e| e.date).collect::<Vec<_>>(),
        vec![d("2024-01-04")]
    );
    assert_eq!(events[0].level, 10.1);
    assert_eq!(
        event_dates(&BreakoutRule::ath_close(2), &s),
        vec![d("2024-01-05")]
    );

    let no_highs = daily("2024-01-01", &[1.0, 2.0]);
    let err = BreakoutRule::ath_high(1).detect(&no_highs).unwrap_err();
    assert!(matches!(err, Error::MissingData { .. }), "{err:?}");
    assert!(err.to_string().contains("intraday highs"), "{err}");
}

#[test]
fn level_cross_on_synthetic() {
    let s = daily("2024-01-01", &[1.0, 1.5, 2.5, 1.0, 1.0, 1.0, 2.1]);
    let rule = BreakoutRule::LevelCross {
        level: 2.0,
        min_days_below: 3,
    };
    // Day 2 follows 2 closes below (not enough); day 6 follows 3.
    assert_eq!(event_dates(&rule, &s), vec![d("2024-01-07")]);
    let e = &rule.detect(&s).unwrap()[0];
    assert_eq!(
        (e.previous_record, e.previous_record_date, e.days_since_record),
        (Some(2.0), Some(d("2024-01-03")), Some(4))
    );
    assert!(
        BreakoutRule::LevelCross {
            level: f64::NAN,
            min_days_below: 1
        }
        .detect(&s)
        .is_err()
    );
}

#[test]
fn rolling_high_on_synthetic() {
    let s = daily("2024-01-01", &[1.0, 2.0, 3.0, 4.0, 3.0, 5.0, 6.0]);
    let rule = BreakoutRule::RollingHigh {
        lookback: 2,
        min_gap: 2,
    };
    assert_eq!(event_dates(&rule, &s), vec![d("2024-01-03"), d("2024-01-06")]);
    assert!(
        BreakoutRule::RollingHigh {
            lookback: 0,
            min_gap: 1
        }
        .detect(&s)
        .is_err()
    );
}

#[test]
fn relative_high_uses_common_dates() {
    // Numerator doubles on day 4 while the denominator is flat: the ratio makes a new high.
    let num = daily("2024-01-01", &[10.0, 9.0, 9.0, 9.0, 20.0]);
    let den = daily("2024-01-01", &[1.0, 1.0, 1.0, 1.0, 1.0]);
    let rule = BreakoutRule::RelativeHigh {
        other: "den".into(),
        basis: RelativeBasis::AthAfterDrought { min_days: 3 },
    };
    let events = rule.detect_with(&num, &den).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].date, events[0].symbol.as_str(), events[0].level),
        (d("2024-01-05"), "syn/syn", 20.0)
    );
    // `detect` loads a bundled denominator by symbol; an unknown one is a clear error.
    assert!(matches!(
        rule.detect(&num).unwrap_err(),
        Error::UnknownDataset { .. }
    ));
}

#[test]
fn given_dates_map_to_the_next_observation() {
    let s = daily("2024-01-01", &[1.0, 2.0, 3.0]);
    let rule = BreakoutRule::Dates(vec![d("2024-01-02"), d("2023-12-31")]);
    assert!(matches!(rule.detect(&s).unwrap_err(), Error::OutOfRange { .. }));
    let ok = BreakoutRule::Dates(vec![d("2024-01-03"), d("2024-01-02")])
        .detect(&s)
        .unwrap();
    assert_eq!(
        ok.iter().map(|e| e.date).collect::<Vec<_>>(),
        vec![d("2024-01-02"), d("2024-01-03")]
    );
    assert!(BreakoutRule::Dates(vec![d("2024-02-01")]).detect(&s).is_err());
}

#[test]
fn rules_state_themselves_in_words_and_round_trip_through_serde() {
    let rules = [
        (BreakoutRule::ath_close(250), "ATH close after 250-day drought"),
        (
            BreakoutRule::ath_high(250),
            "ATH intraday high after 250-day drought",
        ),
        (
            BreakoutRule::level_cross(2600.0),
            "first close above 2600 after 250 days at or below",
        ),
        (
            BreakoutRule::RollingHigh {
                lookback: 60,
                min_gap: 20,
            },
            "close above prior 60-day high, events 20+ days apart",
        ),
        (
            BreakoutRule::relative_ath("gspc"),
            "ratio to gspc: record after 250-day drought",
        ),
        (
            BreakoutRule::Dates(vec![d("2020-01-02")]),
            "given date 2020-01-02",
        ),
    ];
    for (rule, words) in rules {
        assert_eq!(rule.to_string(), words);
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(
            serde_json::from_str::<BreakoutRule>(&json).unwrap(),
            rule,
            "{json}"
        );
    }
}

// ---- no look-ahead: cutting the series after t never changes the answer for t ----

fn assert_no_lookahead(rule: &BreakoutRule, s: &PriceSeries, step: usize) {
    let full = event_dates(rule, s);
    for len in (1..=s.len()).step_by(step) {
        let cut = s.truncate_rows(len).unwrap();
        let last = cut.last_date();
        let expected: Vec<NaiveDate> = full.iter().copied().filter(|d| *d <= last).collect();
        assert_eq!(event_dates(rule, &cut), expected, "{rule} cut at {last}");
    }
}

#[test]
fn no_rule_looks_ahead_on_the_russell_2000() {
    let rut = datasets::load("rut").unwrap();
    for rule in [
        BreakoutRule::ath_close(250),
        BreakoutRule::ath_high(250),
        BreakoutRule::level_cross(2000.0),
        BreakoutRule::RollingHigh {
            lookback: 120,
            min_gap: 60,
        },
    ] {
        assert_no_lookahead(&rule, &rut, 11);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn no_rule_looks_ahead_on_random_walks(steps in proptest::collection::vec(-0.05f64..0.05, 2..120),
                                           drought in 1usize..20, lookback in 1usize..15, gap in 1usize..10) {
        let mut p = 100.0;
        let closes: Vec<f64> = steps.iter().map(|r| { p *= 1.0 + r; p }).collect();
        let s = daily("2024-01-01", &closes);
        for rule in [
            BreakoutRule::ath_close(drought),
            BreakoutRule::LevelCross { level: 100.0, min_days_below: drought },
            BreakoutRule::RollingHigh { lookback, min_gap: gap },
        ] {
            assert_no_lookahead(&rule, &s, 1);
        }
    }
}

// ---- the bundled Russell 2000 against press reports ----

/// The ATH closes after a 250-session drought on the bundled Russell 2000, whose history starts
/// 1987-09-10 (data/SOURCES.md, "Added 2026-12-01"); the same dates as the independent pandas
/// recomputation in tests/reference/study_reference.py. Shared with the study tests.
pub(crate) const RUT_ATH_CLOSE_250: [&str; 10] = [
    "1989-06-02",
    "1991-10-16",
    "1995-05-16",
    "1999-12-29",
    "2004-04-05",
    "2011-04-27",
    "2013-01-02",
    "2016-11-14",
    "2020-11-13",
    "2025-09-18",
];

#[test]
fn russell_2000_close_breakouts_since_1989_end_with_late_2016_late_2020_and_2025() {
    let rut = datasets::load("rut").unwrap();
    let events = BreakoutRule::default().detect(&rut).unwrap();
    let dates: Vec<NaiveDate> = events.iter().map(|e| e.date).collect();
    assert_eq!(dates, RUT_ATH_CLOSE_250.map(d));
    // Press: 2004-04-05 ended the longest drought, 1,022 sessions after the 2000-03-09 record
    // of 606.05 (SOURCES.md's "earlier records").
    let e = &events[4];
    assert_eq!(
        (e.previous_record, e.previous_record_date, e.days_since_record),
        (Some(606.05), Some(d("2000-03-09")), Some(1022))
    );
    assert_eq!(
        events.iter().filter_map(|e| e.days_since_record).max(),
        Some(1022),
        "the longest drought"
    );
    // SOURCES.md: records 855.77 on 2007-07-13 and 865.29 on 2011-04-29, broken by the 2011 and 2013 events.
    assert_eq!(events[5].previous_record_date, Some(d("2007-07-13")));
    assert_eq!(
        (events[6].previous_record, events[6].previous_record_date),
        (Some(865.29), Some(d("2011-04-29")))
    );
    // Press: 2020-11-13 was the first record close in over two years.
    assert!(events[8].days_since_record.unwrap() > 2 * 250);
    // Press: record close 2,442.74 on 2021-11-08; first record close after it 2025-09-18 at 2,467.70.
    let e = &events[9];
    assert_eq!(
        (e.previous_record, e.previous_record_date, e.level),
        (Some(2442.74), Some(d("2021-11-08")), 2467.70)
    );
}

#[test]
fn russell_2000_intraday_record_of_november_2024() {
    let rut = datasets::load("rut").unwrap();
    let events = BreakoutRule::ath_high(250).detect(&rut).unwrap();
    let nov = events
        .iter()
        .find(|e| e.date == d("2024-11-25"))
        .expect("2024-11-25 intraday record");
    // Press: intraday record 2,466.49 above the 2021 intraday high 2,458.85 ...
    assert_eq!((nov.level, nov.previous_record), (2466.49, Some(2458.85)));
    // ... but the close, 2,442.03, stayed 0.71 below the 2021 record close: no close event.
    assert_eq!(rut.close_on(d("2024-11-25")), Some(2442.03));
    let close_events = BreakoutRule::ath_close(250).detect(&rut).unwrap();
    assert!(
        close_events
            .iter()
            .all(|e| e.date.format("%Y-%m").to_string() != "2024-11")
    );
}

#[test]
fn russell_2000_first_closes_above_2600_and_2700() {
    let rut = datasets::load("rut").unwrap();
    assert_eq!(
        event_dates(&BreakoutRule::level_cross(2600.0), &rut),
        vec![d("2026-01-08")]
    );
    assert_eq!(
        event_dates(&BreakoutRule::level_cross(2700.0), &rut),
        vec![d("2026-01-22")]
    );
}
