//! Placebo designs ([`Null`]): each against a hand-built series whose answer is known, the
//! Russell 2000 → BTC/ETH study against an independent Python implementation of the
//! definitions, and a simulation showing why the halving-phase design is the right default.

use chrono::{Duration, NaiveDate};
use eventstudy::stats::{Baseline, Candidates, StatsOptions, matched_placebo};
use eventstudy::{
    BreakoutRule, Calendar, DateLabels, Horizon, Null, NullContext, PriceSeries, Study, StudyReport,
    WindowOptions, btc_halvings, datasets, target_forward_returns_all,
};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn days_from(start: &str, n: i64) -> Vec<NaiveDate> {
    (0..n).map(|i| d(start) + Duration::days(i)).collect()
}

fn pools(c: &Candidates) -> &[Vec<u32>] {
    match c {
        Candidates::PerEvent(p) => p,
        other => panic!("expected per-event pools, got {other:?}"),
    }
}

/// A daily series: closes rising from 100 for 60 days (always at a record), then 10 (94% below
/// the record) for 60 days.
fn step_series() -> PriceSeries {
    let dates = days_from("2020-01-01", 120);
    let closes = (0..120)
        .map(|i| if i < 60 { 100.0 + i as f64 } else { 10.0 })
        .collect();
    PriceSeries::from_closes("step", Calendar::Continuous, dates, closes).unwrap()
}

fn ctx<'a>(
    starts: &'a [NaiveDate],
    events: &'a [NaiveDate],
    halvings: &'a [NaiveDate],
    series: &'a PriceSeries,
) -> NullContext<'a> {
    NullContext {
        baseline_starts: starts,
        event_starts: events,
        halvings,
        regime_series: Some(series),
        event_series: series,
    }
}

#[test]
fn keys_words_and_serde_are_stable() {
    let cases = [
        (Null::Random, "random"),
        (Null::Spaced { days: 90 }, "spaced_90"),
        (Null::halving_phase(60), "halving_phase_60"),
        (
            Null::HalvingPhase {
                tolerance_days: 30,
                other_cycles_only: true,
            },
            "halving_phase_30_other_cycles",
        ),
        (Null::TrendRegime { sma_days: 200 }, "trend_regime_200"),
        (Null::NearRecord { within: 0.05 }, "near_record_5pct"),
        (Null::NearRecord { within: 0.025 }, "near_record_2_5pct"),
        (
            Null::Labels(DateLabels::new(
                "Fed regime",
                [(d("2020-01-01"), "easing".to_string())],
            )),
            "labels_fed_regime",
        ),
        (Null::ShiftedSet, "shifted_set"),
    ];
    for (null, key) in cases {
        assert_eq!(null.key(), key);
        assert!(!null.to_string().is_empty());
        let json = serde_json::to_string(&null).unwrap();
        let back: Null = serde_json::from_str(&json).unwrap();
        assert_eq!(back, null, "{json}");
    }
    assert_eq!(
        Null::NearRecord { within: 0.05 }.to_string(),
        "start dates with the event series within 5% of its running record, as at the event"
    );
    let both = Null::All(vec![Null::halving_phase(60), Null::ShiftedSet]);
    assert_eq!(both.key(), "halving_phase_60_and_shifted_set");
    for bad in [
        Null::Spaced { days: 0 },
        Null::TrendRegime { sma_days: 1 },
        Null::NearRecord { within: 1.0 },
        Null::All(vec![]),
        Null::All(vec![Null::All(vec![Null::Random])]),
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
    }
}

#[test]
fn halving_phase_keeps_dates_at_the_same_distance_from_a_halving() {
    let s = step_series();
    let starts = days_from("2020-01-01", 120);
    // Halvings on day 10 and day 70; the event on day 80 is 10 days into the second cycle.
    let halvings = [d("2020-01-11"), d("2020-03-11")];
    let events = [d("2020-03-21")];
    let c = ctx(&starts, &events, &halvings, &s);
    let (cands, spacing) = Null::halving_phase(3).candidates(&c).unwrap();
    // Phase 7..=13: days 17..=23 (first cycle) and 77..=83 (second); nothing before day 10.
    let expected: Vec<u32> = (17..=23).chain(77..=83).collect();
    assert_eq!(pools(&cands)[0], expected);
    assert_eq!(spacing, None);
    let other = Null::HalvingPhase {
        tolerance_days: 3,
        other_cycles_only: true,
    };
    let (cands, _) = other.candidates(&c).unwrap();
    assert_eq!(pools(&cands)[0], (17..=23).collect::<Vec<u32>>());
    // An event before the first halving has no phase, so no candidates.
    let early = [d("2020-01-05")];
    let (cands, _) = Null::halving_phase(3)
        .candidates(&ctx(&starts, &early, &halvings, &s))
        .unwrap();
    assert!(pools(&cands)[0].is_empty());
}

#[test]
fn trend_regime_matches_the_side_of_the_moving_average() {
    // Rising for 60 days (above its 5-day average), then flat at 10 (equal to it after 5 days:
    // not above), so days 60.. are "below" once the average has caught up.
    let s = step_series();
    let starts = days_from("2020-01-01", 120);
    let events = [d("2020-01-31"), d("2020-04-15")]; // day 30 (above), day 105 (not above)
    let c = ctx(&starts, &events, &[], &s);
    let (cands, _) = Null::TrendRegime { sma_days: 5 }.candidates(&c).unwrap();
    let p = pools(&cands);
    // Above: days 4..=59 (day 4 is the first with 5 rows); not above: days 60..=119.
    assert_eq!(p[0], (4..=59).collect::<Vec<u32>>());
    assert_eq!(p[1], (60..=119).collect::<Vec<u32>>());
    // Without a regime series (a basket with none given) the design is an error with a reason.
    let none = NullContext {
        regime_series: None,
        ..c
    };
    let err = Null::TrendRegime { sma_days: 5 }.candidates(&none).unwrap_err();
    assert!(err.to_string().contains("regime series"), "{err}");
}

#[test]
fn near_record_and_labels_match_the_event_state() {
    let s = step_series();
    let starts = days_from("2020-01-01", 120);
    let events = [d("2020-02-15")]; // day 45, at its record
    let c = ctx(&starts, &events, &[], &s);
    let (cands, _) = Null::NearRecord { within: 0.05 }.candidates(&c).unwrap();
    // Rising closes are always at their record; the drop to 10 is 94% below it.
    assert_eq!(pools(&cands)[0], (0..60).collect::<Vec<u32>>());
    // Labels: a step function, the latest label on or before the date.
    let labels = DateLabels::new(
        "regime",
        [
            (d("2020-01-11"), "a".to_string()),
            (d("2020-02-10"), "b".to_string()),
            (d("2020-03-01"), "a".to_string()),
        ],
    );
    assert_eq!(labels.at(d("2020-01-10")), None);
    assert_eq!(labels.at(d("2020-02-20")), Some("b"));
    let (cands, _) = Null::Labels(labels).candidates(&c).unwrap();
    // "b" from day 40 to day 59.
    assert_eq!(pools(&cands)[0], (40..=59).collect::<Vec<u32>>());
}

#[test]
fn intersections_spacing_and_shifted_sets() {
    let s = step_series();
    let starts = days_from("2020-01-01", 120);
    let events = [d("2020-01-21"), d("2020-01-31")]; // days 20 and 30
    let c = ctx(&starts, &events, &[], &s);
    // Spacing is returned for the sampler; the pools stay whole.
    let (cands, spacing) = Null::Spaced { days: 7 }.candidates(&c).unwrap();
    assert_eq!((pools(&cands)[0].len(), spacing), (120, Some(7)));
    // Shifted set: offsets o ≠ 0 with both days 20 + o and 30 + o in 0..120: o in −20..=89.
    let (cands, spacing) = Null::ShiftedSet.candidates(&c).unwrap();
    let Candidates::Joint(sets) = &cands else {
        panic!("{cands:?}")
    };
    assert_eq!((sets.len(), spacing), (109, None));
    assert_eq!(sets.get(0), Some(&[0, 10][..]));
    assert!(sets.iter().all(|s| s[1] - s[0] == 10), "spacing kept");
    // Shifted within the near-record days (0..60): both shifted dates must be before day 60.
    let near_shift = Null::All(vec![Null::NearRecord { within: 0.05 }, Null::ShiftedSet]);
    let (cands, _) = near_shift.candidates(&c).unwrap();
    let Candidates::Joint(sets) = &cands else {
        panic!("{cands:?}")
    };
    assert_eq!(sets.len(), 49, "o in −20..=29 without 0");
    // An intersection of two filters keeps what both admit.
    let both = Null::All(vec![
        Null::NearRecord { within: 0.05 },
        Null::TrendRegime { sma_days: 5 },
    ]);
    let (cands, _) = both.candidates(&c).unwrap();
    assert_eq!(pools(&cands)[0], (4..60).collect::<Vec<u32>>());
}

// ---- the study against an independent implementation ----

/// Expected values from `tests/reference/null_reference.py` (pandas 3.1.1, numpy 2.4.6), which
/// reads data/{rut,btc,eth}.csv and follows the definitions in its docstring (the same as
/// `Null`'s rustdoc): per (asset, null) at 90 days after the ATH-close events 2016-11-14,
/// 2020-11-13, 2025-09-18: candidates per event, matched baseline mean (exact), and the one-sided
/// p (Monte Carlo, B = 200,000; for btc halving_phase_60 also the exact p 16079435/88862400).
const REFERENCE: [(&str, &str, [usize; 3], f64, f64); 10] = [
    (
        "btc",
        "halving_phase_60",
        [400, 459, 484],
        0.41308366434823823,
        0.18094756612470517,
    ),
    (
        "btc",
        "halving_phase_60_other_cycles",
        [279, 338, 363],
        0.35298080091677303,
        0.12833435832820836,
    ),
    (
        "btc",
        "trend_regime_200",
        [2679, 2679, 2679],
        0.26412630529346265,
        0.10582447087764561,
    ),
    (
        "btc",
        "near_record_5pct",
        [2022, 2022, 2022],
        0.3780714172694349,
        0.20491897540512297,
    ),
    (
        "btc",
        "shifted_set",
        [1570, 1570, 1570],
        0.2988356025451302,
        0.09643951780241099,
    ),
    (
        "eth",
        "halving_phase_60",
        [363, 363, 363],
        1.1262832428032548,
        0.4936075319623402,
    ),
    (
        "eth",
        "halving_phase_60_other_cycles",
        [242, 242, 242],
        1.2188968596581113,
        0.5000974995125025,
    ),
    (
        "eth",
        "trend_regime_200",
        [1539, 2183, 2183],
        0.4283111646781769,
        0.16416917915410423,
    ),
    (
        "eth",
        "near_record_5pct",
        [1286, 1286, 1286],
        0.8469291938701673,
        0.35967820160899194,
    ),
    (
        "eth",
        "shifted_set",
        [690, 690, 690],
        0.9831396933657912,
        0.34612326938365306,
    ),
];

/// The script's exact calendar weights of btc halving_phase_60 (mean over events of each pool's
/// share per year), to four decimals.
const BTC_HALVING_WEIGHTS: [(i32, f64); 9] = [
    (2013, 0.1014),
    (2014, 0.0833),
    (2016, 0.1263),
    (2017, 0.1209),
    (2018, 0.0248),
    (2020, 0.1792),
    (2021, 0.0920),
    (2024, 0.1887),
    (2025, 0.0833),
];

fn reference_report() -> StudyReport {
    Study::new(datasets::load("rut").unwrap())
        .rules([BreakoutRule::ath_close(250)])
        .targets([datasets::load("btc").unwrap(), datasets::load("eth").unwrap()])
        .nulls([
            Null::Random,
            Null::halving_phase(60),
            Null::HalvingPhase {
                tolerance_days: 60,
                other_cycles_only: true,
            },
            Null::TrendRegime { sma_days: 200 },
            Null::NearRecord { within: 0.05 },
            Null::ShiftedSet,
        ])
        .window(WindowOptions::new().horizons([Horizon::CalendarDays(90)]))
        .stats(StatsOptions::new().draws(20_000))
        .run()
        .unwrap()
}

#[test]
fn matched_placebos_match_the_python_reference() {
    let report = reference_report();
    for (asset, key, candidates, matched_mean, p) in REFERENCE {
        let r = report.results.iter().find(|r| r.asset == asset).unwrap();
        let n = r.nulls.iter().find(|n| n.key == key).unwrap();
        let at = format!("{asset} {key}");
        assert_eq!(n.candidates, candidates, "{at}");
        let got = n.baseline_mean.unwrap();
        assert!(
            (got - matched_mean).abs() <= 1e-9 * matched_mean.abs(),
            "{at}: {got} vs {matched_mean}"
        );
        let excess = n.excess.unwrap();
        assert!(
            (excess - (r.detail.event_mean - matched_mean)).abs() < 1e-12,
            "{at}"
        );
        // Monte Carlo on both sides (20,000 vs 200,000 draws): sd of the difference ≤ 0.0037;
        // 0.02 is over five of them.
        let got = n.p.unwrap();
        assert!((got - p).abs() < 0.02, "{at}: p {got} vs {p}");
        assert!(n.warning.is_none(), "{at}: {:?}", n.warning);
    }
    // The random design's matched mean is the plain baseline mean.
    let btc = &report.results[0];
    let random = &btc.nulls[0];
    assert_eq!(random.key, "random");
    assert!((random.baseline_mean.unwrap() - btc.baseline.mean).abs() < 1e-12);
    // What the halving-phase draws weigh: the script's exact weights, within Monte-Carlo error.
    let w = &btc.nulls[1].calendar_weights;
    assert_eq!(
        w.keys().copied().collect::<Vec<_>>(),
        BTC_HALVING_WEIGHTS.map(|(y, _)| y)
    );
    for (year, share) in BTC_HALVING_WEIGHTS {
        assert!(
            (w[&year] - share).abs() < 0.005,
            "{year}: {} vs {share}",
            w[&year]
        );
    }
    // JSON carries every design per result and the halvings at the top.
    let v: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
    let nulls = &v["results"][0]["nulls"];
    assert_eq!(nulls.as_array().unwrap().len(), 6);
    for key in [
        "key",
        "null",
        "candidates",
        "baseline_mean",
        "excess",
        "p",
        "p_two_sided",
        "calendar_weights",
    ] {
        assert!(nulls[1].get(key).is_some(), "nulls[].{key}");
    }
    assert_eq!(nulls[1]["key"], "halving_phase_60");
    assert_eq!(v["halvings"][0], "2012-11-28");
    assert_eq!(report.nulls_dataframe().unwrap().height(), 2 * 6);
    let text = report.to_string();
    assert!(
        text.contains("against each placebo design") && text.contains("halving_phase_60"),
        "{text}"
    );
    assert!(
        report
            .to_markdown()
            .contains("| asset | h | n | random | halving_phase_60 |")
    );
}

// ---- why the default changed: a simulation ----

/// Fake "events" with no Russell effect at all, drawn at the real events' halving phases (for
/// each real entry date, a random start date within 60 days of its phase, in any cycle), tested
/// 600 times at 90 days. A calibrated test gives p uniform on (0, 1): mean 0.5, below 0.10 one
/// time in ten. The random-days test is not calibrated here (the halving cycle alone makes such
/// dates look special: its p averages about a third), the halving-phase design is.
#[test]
fn halving_matched_placebo_is_calibrated_where_random_days_are_not() {
    let btc = datasets::load("btc").unwrap();
    let all = target_forward_returns_all(
        &btc.clone().into(),
        Horizon::CalendarDays(90),
        &WindowOptions::new(),
    );
    let starts = all.starts.clone();
    let baseline = Baseline::new(all.starts, all.returns).unwrap();
    let halvings = btc_halvings();
    // Where fake events come from: the real entry dates' halving-phase pools.
    let real = [d("2016-11-14"), d("2020-11-13"), d("2025-09-18")];
    let (at_real_phases, _) = Null::halving_phase(60)
        .candidates(&ctx(&starts, &real, &halvings, &btc))
        .unwrap();
    let sources = pools(&at_real_phases).to_vec();
    let mut rng = ChaCha8Rng::seed_from_u64(20_261_201);
    let (studies, draws) = (600u32, 400);
    let mut p_random = Vec::new();
    let mut p_matched = Vec::new();
    for study in 0..studies {
        let mut idx: Vec<u32> = Vec::new();
        for pool in &sources {
            let i = loop {
                let i = pool[rng.random_range(0..pool.len())];
                if !idx.contains(&i) {
                    break i;
                }
            };
            idx.push(i);
        }
        let events: Vec<NaiveDate> = idx.iter().map(|&i| starts[i as usize]).collect();
        let returns: Vec<f64> = idx.iter().map(|&i| baseline.returns()[i as usize]).collect();
        let c = ctx(&starts, &events, &halvings, &btc);
        let p_of = |null: &Null| {
            let (cands, _) = null.candidates(&c).unwrap();
            let opts = StatsOptions::new().draws(draws).seed(u64::from(study));
            matched_placebo(&returns, &baseline, &cands, &opts).unwrap().p
        };
        p_random.push(p_of(&Null::Random));
        p_matched.push(p_of(&Null::halving_phase(60)));
    }
    let mean = |p: &[f64]| p.iter().sum::<f64>() / p.len() as f64;
    let below = |p: &[f64], a: f64| p.iter().filter(|&&x| x < a).count() as f64 / p.len() as f64;
    eprintln!(
        "simulation (600 studies at the real halving phases, 90 days): random days mean p {:.3}, \
         p < 0.10 in {:.3}, p < 0.05 in {:.3}; halving-matched mean p {:.3}, p < 0.10 in {:.3}, p < 0.05 in {:.3}",
        mean(&p_random),
        below(&p_random, 0.10),
        below(&p_random, 0.05),
        mean(&p_matched),
        below(&p_matched, 0.10),
        below(&p_matched, 0.05)
    );
    // The standard error of a mean of 600 uniform p is 0.012.
    assert!(
        (mean(&p_matched) - 0.5).abs() < 0.05,
        "matched mean p {}",
        mean(&p_matched)
    );
    assert!(mean(&p_random) < 0.40, "random-days mean p {}", mean(&p_random));
    // Below 0.10 one time in ten when calibrated (sd 1.2 points over 600 studies).
    assert!(below(&p_matched, 0.10) < 0.14, "{}", below(&p_matched, 0.10));
    assert!(below(&p_random, 0.10) > below(&p_matched, 0.10));
}

/// Each sample's designs use the pools worked out once on all events (a per-event pool depends
/// on its own event only): the in-sample result must equal the design applied from scratch to
/// the in-sample events, on the same stream. The random-days design is the result's own
/// random-days placebo, not a second estimate of it.
#[test]
fn samples_reuse_the_pools_of_all_events_and_random_days_is_the_placebo() {
    let btc = datasets::load("btc").unwrap();
    let nulls = [
        Null::Random,
        Null::halving_phase(60),
        Null::TrendRegime { sma_days: 200 },
        Null::NearRecord { within: 0.05 },
        Null::ShiftedSet,
    ];
    let h = Horizon::CalendarDays(90);
    let rule = BreakoutRule::ath_close(250);
    let report = Study::new(datasets::load("rut").unwrap())
        .rules([rule.clone()])
        .targets([btc.clone()])
        .nulls(nulls.clone())
        .claim_formed(d("2021-12-31"))
        .window(WindowOptions::new().horizons([h]))
        .stats(StatsOptions::new().draws(5_000))
        .run()
        .unwrap();
    let all = target_forward_returns_all(&btc.clone().into(), h, &WindowOptions::new());
    let baseline = Baseline::new(all.starts, all.returns).unwrap();
    let rut = datasets::load("rut").unwrap();
    for sample in [
        eventstudy::report::Sample::InSample,
        eventstudy::report::Sample::OutOfSample,
    ] {
        let r = report.results.iter().find(|r| r.sample == sample).unwrap();
        let random = r.nulls.iter().find(|n| n.key == "random").unwrap();
        assert_eq!(
            (random.p, random.p_two_sided, random.mde),
            (Some(r.p_placebo), Some(r.p_placebo_two_sided), Some(r.mde))
        );
        let halvings = btc_halvings();
        let ctx = ctx(baseline.starts(), &r.entry_dates, &halvings, &btc);
        let ctx = NullContext {
            event_series: &rut,
            ..ctx
        };
        for null in &nulls[1..] {
            let key = null.key();
            let seed = eventstudy::stats::derive_seed(
                eventstudy::stats::DEFAULT_SEED,
                &["btc", &rule.to_string(), "90d", &key, sample.key()],
            );
            let (cands, spacing) = null.candidates(&ctx).unwrap();
            let opts = StatsOptions::new()
                .draws(5_000)
                .seed(seed)
                .placebo_spacing_days(spacing);
            let fresh = matched_placebo(&r.event_returns, &baseline, &cands, &opts).unwrap();
            let got = r.nulls.iter().find(|n| n.key == key).unwrap();
            assert_eq!(got.candidates, fresh.candidates, "{key} {sample:?}");
            assert_eq!(
                (got.p, got.excess),
                (Some(fresh.p), Some(fresh.excess)),
                "{key} {sample:?}"
            );
            assert_eq!(got.exact, fresh.exact, "{key} {sample:?}");
        }
    }
}
