//! Stages 4–5 end to end: the Russell 2000 → crypto study on the bundled data, its report in
//! every format, the sensitivity grid and the 2026 scorecard.

use std::sync::OnceLock;

use chrono::NaiveDate;
use eventstudy::datasets::DataSource;
use eventstudy::report::{ExclusionKind, Outcome, RUSSELL_CLAIM_2026, Sample};
use eventstudy::stats::StatsOptions;
use eventstudy::{
    BreakoutRule, Horizon, RUSSELL_CRYPTO_ASSETS, Study, StudyReport, WindowOptions, datasets, russell_crypto,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Few draws keep the debug-mode test fast; the statistics' own tests cover the draw count.
fn study() -> Study {
    russell_crypto(&DataSource::Bundled, &RUSSELL_CRYPTO_ASSETS)
        .unwrap()
        .stats(StatsOptions::new().draws(2_000).seed(7))
}

fn report() -> &'static StudyReport {
    static REPORT: OnceLock<StudyReport> = OnceLock::new();
    REPORT.get_or_init(|| study().run().unwrap())
}

fn events_of(r: &StudyReport, rule: &BreakoutRule) -> Vec<NaiveDate> {
    let rule = rule.to_string();
    r.events
        .iter()
        .filter(|e| e.rule == rule)
        .map(|e| e.date)
        .collect()
}

#[test]
fn detects_the_documented_event_dates() {
    let r = report();
    assert_eq!(r.rules.len(), 5);
    // The Russell 2000 from 1987-09-10: records after a 250-session drought since 1989.
    let dates = |s: &[&str]| s.iter().map(|x| d(x)).collect::<Vec<_>>();
    assert_eq!(
        events_of(r, &BreakoutRule::ath_close(250)),
        dates(&crate::events::RUT_ATH_CLOSE_250)
    );
    assert_eq!(
        events_of(r, &BreakoutRule::ath_high(250)),
        dates(&[
            "1989-06-02",
            "1991-10-16",
            "1995-05-15",
            "1999-12-29",
            "2004-11-11",
            "2011-04-05",
            "2013-01-02",
            "2016-11-14",
            "2020-11-09",
            "2024-11-25"
        ])
    );
    assert_eq!(
        events_of(r, &BreakoutRule::level_cross(2600.0)),
        vec![d("2026-01-08")]
    );
    assert_eq!(
        events_of(r, &BreakoutRule::level_cross(2700.0)),
        vec![d("2026-01-22")]
    );
    assert_eq!(r.data_through, d("2026-08-27"));
}

#[test]
fn every_result_carries_a_caveat_and_no_nan() {
    let r = report();
    assert!(r.results.len() > 100, "{}", r.results.len());
    for res in &r.results {
        assert_eq!(res.caveat.n, res.n_events);
        assert!(
            res.caveat
                .sentence
                .starts_with(&format!("{} event", res.n_events)),
            "{}",
            res.caveat
        );
        assert!(res.p_placebo > 0.0 && res.p_placebo <= 1.0);
        assert!(
            res.p_holm >= res.p_placebo && res.p_bh >= res.p_placebo,
            "adjusted p never below raw"
        );
        assert_eq!(res.event_returns.len(), res.n_events);
        assert_eq!(res.entry_dates.len(), res.n_events);
    }
    let json = r.to_json().unwrap();
    assert!(!json.contains("NaN") && !json.contains("null,\n      \"p_placebo\""));
    // Three events: the sign-flip floor the caveat states.
    let btc = r
        .results
        .iter()
        .find(|x| x.asset == "btc" && x.rule == "ATH close after 250-day drought")
        .unwrap();
    assert_eq!((btc.n_events, btc.caveat.sign_flip_floor), (3, 0.25));
}

#[test]
fn windows_that_cannot_complete_are_reported_not_dropped() {
    let r = report();
    // DOGE ends 2026-02-17: after the January 2026 events its longer windows are censored.
    let doge: Vec<_> = r
        .excluded
        .iter()
        .filter(|x| x.asset == "doge" && x.event_date == d("2026-01-08"))
        .collect();
    // DOGE now ends 2026-02-17: the 30-day window after 2026-01-08 completes, the longer ones
    // are censored, with a reason.
    assert_eq!(doge.len(), 2);
    assert!(
        doge.iter()
            .all(|x| x.kind == ExclusionKind::Censored && x.horizon_days > 30)
    );
    assert!(doge[0].reason.starts_with("censored"), "{}", doge[0].reason);
    // SOL was not listed in 2016.
    assert!(r.excluded.iter().any(|x| x.asset == "sol"
        && x.event_date == d("2016-11-14")
        && x.kind == ExclusionKind::NotListed
        && x.reason.contains("not listed")));
    // The early Russell events predate every coin: summarised per rule and asset, not listed
    // one by one. BTC's data starts 2013-04-28, after seven of the ten ATH-close events.
    let rule = BreakoutRule::ath_close(250).to_string();
    let summary = r.not_listed_summary();
    let btc = summary
        .iter()
        .find(|s| s.rule == rule && s.asset == "btc")
        .unwrap();
    assert_eq!((btc.events_before_listing, btc.events), (7, 10));
    assert_eq!(
        (btc.first_event, btc.last_event),
        (d("1989-06-02"), d("2013-01-02"))
    );
    let sol = summary
        .iter()
        .find(|s| s.rule == rule && s.asset == "sol")
        .unwrap();
    assert_eq!((sol.events_before_listing, sol.last_event), (8, d("2016-11-14")));
    for s in &summary {
        let listed = r
            .excluded
            .iter()
            .filter(|x| x.rule == s.rule && x.asset == s.asset && x.kind == ExclusionKind::NotListed);
        let mut events: Vec<NaiveDate> = listed.map(|x| x.event_date).collect();
        events.sort_unstable();
        events.dedup();
        assert_eq!(events.len(), s.events_before_listing, "{s:?}");
    }
    let text = r.to_string();
    assert!(
        text.contains(&format!(
            "{rule}: events before the data starts, 7 of 10 (to 2013-01-02): btc, eth"
        )),
        "{text}"
    );
    let md = r.to_markdown();
    assert!(
        md.contains(&format!("| {rule} | btc | 7 of 10 | 1989-06-02 | 2013-01-02 |")),
        "{md}"
    );
    assert!(
        !md.contains("| btc | ATH close after 250-day drought | 1989-06-02 |"),
        "not one row per window"
    );
    // Every (rule, asset, horizon, event) is either in a result or excluded.
    for rule in &r.rules {
        let n_events = r.events.iter().filter(|e| &e.rule == rule).count();
        for asset in RUSSELL_CRYPTO_ASSETS {
            for h in [30, 60, 90] {
                let used = r
                    .results
                    .iter()
                    .find(|x| &x.rule == rule && x.asset == asset && x.horizon_days == h)
                    .map_or(0, |x| x.n_events);
                let left = r
                    .excluded
                    .iter()
                    .filter(|x| &x.rule == rule && x.asset == asset && x.horizon_days == h)
                    .count();
                assert_eq!(used + left, n_events, "{rule} {asset} {h}");
            }
        }
    }
}

#[test]
fn primary_family_and_in_and_out_of_sample_results() {
    let r = report();
    let rule = BreakoutRule::ath_close(250).to_string();
    assert_eq!(r.claim_formed, Some(d("2021-12-31")));
    let primary: Vec<_> = r.primary_results();
    // Three assets × (all, in-sample 2016 and 2020, out-of-sample 2025) × (simple, log).
    assert_eq!(primary.len(), 18);
    // A log result is the same windows, transformed: ln(1 + r).
    for x in primary.iter().filter(|x| x.outcome == Outcome::Log) {
        let simple = primary
            .iter()
            .find(|y| y.outcome == Outcome::Simple && y.asset == x.asset && y.sample == x.sample)
            .unwrap();
        for (l, s) in x.event_returns.iter().zip(&simple.event_returns) {
            assert!((l - s.ln_1p()).abs() < 1e-12);
        }
        assert_eq!(x.baseline.n, simple.baseline.n);
    }
    for x in &primary {
        assert!(
            x.rule == rule
                && x.horizon_days == 90
                && ["btc", "eth", "alt_basket"].contains(&x.asset.as_str())
        );
        let p = x.p_wy.expect("every primary result has a family-wise p");
        assert!(
            p >= x.p_placebo - 0.02 && p <= 1.0,
            "{} {:?}: WY {p} vs raw {}",
            x.asset,
            x.sample,
            x.p_placebo
        );
    }
    assert!(r.results.iter().filter(|x| !x.primary).all(|x| x.p_wy.is_none()));
    // The splits partition the events by the claim date, and keep every statistic's inputs.
    for x in r.results_all_events() {
        let split = |s: Sample| {
            r.results
                .iter()
                .find(|y| y.sample == s && y.rule == x.rule && y.asset == x.asset && y.horizon == x.horizon)
        };
        let (before, after) = (split(Sample::InSample), split(Sample::OutOfSample));
        let n = before.map_or(0, |y| y.n_events) + after.map_or(0, |y| y.n_events);
        assert_eq!(n, x.n_events, "{} {} {}", x.rule, x.asset, x.horizon);
        assert!(before.is_none_or(|y| y.event_dates.iter().all(|e| *e <= d("2021-12-31"))));
        assert!(after.is_none_or(|y| y.event_dates.iter().all(|e| *e > d("2021-12-31"))));
        if let (Some(b), Some(a)) = (before, after) {
            let mut joined = b.event_returns.clone();
            joined.extend(&a.event_returns);
            assert_eq!(joined, x.event_returns);
        }
    }
    let out = primary
        .iter()
        .find(|x| x.asset == "btc" && x.sample == Sample::OutOfSample)
        .unwrap();
    assert_eq!(out.event_dates, [d("2025-09-18")]);
    // Every output labels primary results and samples.
    let v: serde_json::Value = serde_json::from_str(&r.to_json().unwrap()).unwrap();
    assert_eq!(
        v["primary"]["assets"],
        serde_json::json!(["btc", "eth", "alt_basket"])
    );
    assert_eq!(v["primary"]["horizon"], "90d");
    assert_eq!(v["claim_formed"], "2021-12-31");
    let samples: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["sample"].as_str().unwrap())
        .collect();
    assert!(samples.contains(&"in_sample") && samples.contains(&"out_of_sample"));
    let results = v["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .all(|x| x.get("p_wy").is_some() && x["primary"].is_boolean())
    );
    assert_eq!(results.iter().filter(|x| x["primary"] == true).count(), 18);
    assert!(results.iter().any(|x| x["outcome"] == "log"));
    let df = r.to_dataframe().unwrap();
    assert_eq!(df.height(), r.results.len());
    assert!(df.column("sample").is_ok() && df.column("primary").is_ok() && df.column("p_wy").is_ok());
    let text = r.to_string();
    let first = text
        .find("Primary question")
        .expect("the terminal report leads with the primary question");
    assert!(
        first < text.find("== ATH close").unwrap(),
        "primary before the exploratory tables"
    );
    assert!(text.contains("out-of-sample") && text.contains("p WY"), "{text}");
    assert!(r.to_markdown().contains("## Primary question"));
}

#[test]
fn spec_curve_covers_every_combination_and_agrees_with_the_study() {
    use eventstudy::{Null, RuleKind, SpecCurveOptions};
    let s = study();
    let mut options = SpecCurveOptions::new().draws(4_000);
    options.rules = vec![RuleKind::AthClose, RuleKind::LevelCross];
    options.droughts = vec![250];
    options.nulls = vec![Null::Random, Null::halving_phase(60)];
    options.horizons = vec![Horizon::CalendarDays(90)];
    options.assets = vec!["btc".into(), "alt_season".into()];
    let curve = s.spec_curve(&options).unwrap();
    // 2 rules × 1 drought × 2 designs × 1 horizon × (btc simple and log, alt_season simple).
    assert_eq!(curve.rows.len(), 2 * 2 * 3);
    assert_eq!(curve.summary.specifications, 12);
    // The ATH-close 250 / 90 days / btc / simple specifications are the study's primary result.
    let r = report();
    let primary = r
        .primary_results()
        .into_iter()
        .find(|x| x.asset == "btc" && x.sample == Sample::All && x.outcome == Outcome::Simple)
        .unwrap();
    for key in ["random", "halving_phase_60"] {
        let row = curve
            .rows
            .iter()
            .find(|x| {
                x.rule == "ath_close" && x.null == key && x.asset == "btc" && x.outcome == Outcome::Simple
            })
            .unwrap();
        let n = primary.nulls.iter().find(|n| n.key == key).unwrap();
        assert_eq!(row.n_events, 3);
        assert!((row.excess.unwrap() - n.excess.unwrap()).abs() < 1e-12, "{key}");
        // Monte Carlo on both sides (4,000 and 2,000 draws): within 0.05.
        assert!(
            (row.p.unwrap() - n.p.unwrap()).abs() < 0.05,
            "{key}: {:?} vs {:?}",
            row.p,
            n.p
        );
    }
    // A level cross at 2,600 happens once, in January 2026; BTC's 90 days complete.
    let cross = curve
        .rows
        .iter()
        .find(|x| x.rule == "level_cross" && x.asset == "btc")
        .unwrap();
    assert_eq!(cross.n_events, 1);
    // The summary counts what the rows say.
    let ps: Vec<f64> = curve.rows.iter().filter_map(|x| x.p).collect();
    let below = ps.iter().filter(|&&p| p < 0.05).count() as f64 / ps.len() as f64;
    assert_eq!(curve.summary.tested, ps.len());
    assert!((curve.summary.share_p_below_05 - below).abs() < 1e-15);
    assert_eq!(curve.to_dataframe().unwrap().height(), 12);
    let svg = curve.to_svg().unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Specification curve"));
    assert!(
        curve
            .to_string()
            .starts_with("Specification curve: 12 specifications")
    );
    let json = serde_json::to_value(&curve).unwrap();
    assert_eq!(json["rows"][0]["horizon"], "90d");
    assert!(json["summary"].get("median_p").is_some());
    // No study asset in the options: an error, not an empty curve.
    options.assets = vec!["nope".into()];
    assert!(s.spec_curve(&options).is_err());
}

#[test]
fn report_level_adjustments_are_the_tested_procedures_on_each_family() {
    use eventstudy::stats::{benjamini_hochberg, holm};
    let r = report();
    // Holm and BH (checked against statsmodels in the unit tests) over exactly the results of
    // one sample and outcome, in report order.
    for (sample, outcome) in [
        (Sample::All, Outcome::Simple),
        (Sample::InSample, Outcome::Simple),
        (Sample::OutOfSample, Outcome::Log),
    ] {
        let family: Vec<_> = r
            .results
            .iter()
            .filter(|x| x.sample == sample && x.outcome == outcome)
            .collect();
        assert!(!family.is_empty());
        let p: Vec<f64> = family.iter().map(|x| x.p_placebo).collect();
        for ((x, h), b) in family.iter().zip(holm(&p)).zip(benjamini_hochberg(&p)) {
            assert_eq!(
                (x.p_holm, x.p_bh),
                (h, b),
                "{} {} {:?}",
                x.asset,
                x.horizon,
                sample
            );
        }
    }
    // Westfall-Young runs once per sample over the six primary hypotheses (3 assets × simple
    // and log), each adjusted p a probability (its algorithm is checked in the unit tests).
    for sample in [Sample::All, Sample::InSample, Sample::OutOfSample] {
        let fam: Vec<_> = r
            .primary_results()
            .into_iter()
            .filter(|x| x.sample == sample)
            .collect();
        assert_eq!(fam.len(), 6);
        assert!(fam.iter().all(|x| x.p_wy.is_some_and(|p| p > 0.0 && p <= 1.0)));
    }
    // The conclusion states the counts the results give.
    let raw = r.results_all_events().filter(|x| x.p_placebo < 0.05).count();
    let total = r.results_all_events().count();
    let conclusion = r.conclusion().join(" ");
    assert!(
        conclusion.contains(&format!("{total} results"))
            && conclusion.contains(&format!("{raw} have a one-sided placebo p below 0.05")),
        "{conclusion}"
    );
}

#[test]
fn path_bands_are_the_baseline_quantiles_at_their_days() {
    // The band under each chart's paths: p05/median/p95 of the forward return from every
    // start date, at 16 days from 0 to 90. At 30, 60 and 90 days those are the baseline's
    // (whose quantiles tests/reference.rs checks against numpy).
    let r = report();
    assert!(!r.paths.is_empty());
    for paths in &r.paths {
        let days: Vec<i64> = paths.band.iter().map(|b| b.day).collect();
        assert_eq!(
            days,
            (0..=15).map(|k| 6 * k).collect::<Vec<_>>(),
            "{}",
            paths.asset
        );
        assert_eq!((paths.band[0].p05, paths.band[0].p95), (0.0, 0.0));
        for point in &paths.band {
            assert!(point.p05 <= point.p50 && point.p50 <= point.p95, "{point:?}");
        }
        for h in [30, 60, 90] {
            let Some(result) = r.results.iter().find(|x| {
                x.asset == paths.asset
                    && x.horizon == Horizon::CalendarDays(h)
                    && x.outcome == Outcome::Simple
            }) else {
                continue;
            };
            let point = paths.band.iter().find(|b| b.day == i64::from(h)).unwrap();
            let b = &result.baseline;
            assert_eq!(
                (point.p05, point.p50, point.p95),
                (b.p05, b.median, b.p95),
                "{} {h}",
                paths.asset
            );
        }
    }
}

#[test]
fn every_window_is_kept_and_tabulated() {
    let r = report();
    // Each complete window is used once on all events (and again in its in- or out-of-sample split).
    let used: usize = r.results_all_events().map(|x| x.n_events).sum();
    assert_eq!(r.windows.len(), used + r.excluded.len());
    let df = r.windows_dataframe().unwrap();
    assert_eq!(df.height(), r.windows.len());
    let status = df.column("status").unwrap().str().unwrap();
    let complete = status.iter().filter(|s| *s == Some("complete")).count();
    assert_eq!(complete, used);
    assert_eq!(r.events_dataframe().unwrap().height(), r.events.len());
}

#[test]
fn basket_reports_its_holdings() {
    let r = report();
    let basket = r
        .results
        .iter()
        .find(|x| x.asset == "alt_basket" && x.rule == "ATH close after 250-day drought")
        .unwrap();
    assert_eq!(basket.holdings.len(), 3);
    // 2016-11-14: the coins with 90 days of history then, faded ones (XMR, DASH, ETC, XEM) included.
    assert_eq!(
        basket.holdings[0],
        vec!["xrp", "doge", "ltc", "xmr", "dash", "etc", "xem"]
    );
    assert_eq!(basket.event_dates[0], d("2016-11-14"));
}

#[test]
fn json_has_the_documented_keys() {
    let v: serde_json::Value = serde_json::from_str(&report().to_json().unwrap()).unwrap();
    for key in [
        "rules",
        "events",
        "results",
        "excluded",
        "seed",
        "draws",
        "data_through",
        "nulls",
        "halvings",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["nulls"][1]["kind"], "halving_phase");
    for key in ["date", "rule", "level", "previous_record", "previous_record_date"] {
        assert!(v["events"][0].get(key).is_some(), "events[0] missing {key}");
    }
    let res = &v["results"][0];
    for key in [
        "asset",
        "rule",
        "horizon_days",
        "n_events",
        "event_returns",
        "entry_dates",
        "baseline",
        "excess",
        "glass_delta",
        "hedges_g",
        "percentile_ranks",
        "p_placebo",
        "p_sign_flip",
        "t_stat",
        "p_t",
        "p_holm",
        "p_bh",
        "mde",
        "caveat",
        "nulls",
    ] {
        assert!(res.get(key).is_some(), "results[0] missing {key}");
    }
    // One entry per design of the preset, each with its documented keys.
    assert_eq!(res["nulls"].as_array().unwrap().len(), 5);
    for key in [
        "key",
        "null",
        "candidates",
        "baseline_mean",
        "excess",
        "p",
        "p_two_sided",
        "mde",
        "calendar_weights",
        "warning",
    ] {
        assert!(
            res["nulls"][1].get(key).is_some(),
            "results[0].nulls[1] missing {key}"
        );
    }
    for key in ["n", "mean", "sd", "median", "p05", "p95"] {
        assert!(res["baseline"].get(key).is_some(), "baseline missing {key}");
    }
    for key in ["asset", "event_date", "kind", "reason"] {
        assert!(v["excluded"][0].get(key).is_some(), "excluded[0] missing {key}");
    }
    assert_eq!(v["seed"], 7);
    assert_eq!(v["draws"], 2000);
    assert_eq!(res["rule"], "ATH close after 250-day drought");
    assert_eq!(res["asset"], "btc");
}

#[test]
fn every_format_shows_the_caveat() {
    let r = report();
    let sentence = &r.results[0].caveat.sentence;
    assert!(r.to_string().contains(sentence.as_str()), "terminal");
    // Markdown escapes the "|t|" pipes so the table keeps its columns.
    assert!(
        r.to_markdown().contains(&sentence.replace('|', "\\|")),
        "markdown"
    );
    let table_row = r
        .to_markdown()
        .lines()
        .find(|l| l.starts_with("| btc | 30d |"))
        .unwrap()
        .to_string();
    // 16 cells (15 columns and the caveat) are bounded by 17 unescaped pipes.
    let unescaped = table_row.matches('|').count() - table_row.matches("\\|").count();
    assert_eq!(unescaped, 17, "{table_row}");
    assert!(
        r.to_html()
            .contains("even a perfect record cannot reach p &lt; 0.25"),
        "html"
    );
    assert!(r.to_json().unwrap().contains(sentence.as_str()), "json");
    let df = r.to_dataframe().unwrap();
    assert_eq!(df.height(), r.results.len());
    let caveats = df
        .column("caveat")
        .unwrap()
        .str()
        .unwrap()
        .get(0)
        .unwrap()
        .to_string();
    assert_eq!(&caveats, sentence, "dataframe");
    assert!(r.to_string().contains("Conclusion"));
}

#[test]
fn writes_report_files_and_charts() {
    let dir = std::env::temp_dir().join(format!("eventstudy-report-{}", std::process::id()));
    let written = report().write_files(&dir).unwrap();
    for name in ["report.md", "report.json", "results.csv", "nulls.csv"] {
        let p = dir.join(name);
        assert!(
            written.contains(&p) && std::fs::metadata(&p).unwrap().len() > 1000,
            "{name}"
        );
    }
    let charts: Vec<_> = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        charts
            .iter()
            .any(|p| p.ends_with("paths_ath_close_after_250_day_drought_btc.svg"))
    );
    assert!(
        charts
            .iter()
            .any(|p| p.ends_with("effects_ath_close_after_250_day_drought.svg"))
    );
    let svg =
        std::fs::read_to_string(dir.join("charts/paths_ath_close_after_250_day_drought_btc.svg")).unwrap();
    assert!(svg.contains("2020-11-13") && svg.contains("baseline median"));
    let csv = std::fs::read_to_string(dir.join("results.csv")).unwrap();
    assert_eq!(csv.lines().count(), report().results.len() + 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn scorecard_of_the_2026_claim() {
    let r = report();
    let crosses = [
        BreakoutRule::level_cross(2600.0),
        BreakoutRule::level_cross(2700.0),
    ];
    let card = r.scorecard(RUSSELL_CLAIM_2026, &crosses, &["eth", "alt_basket", "doge"]);
    // ETH and the basket: one event per rule, three horizons each; DOGE (data to 2026-02-17)
    // only 30 days after 2026-01-08.
    assert_eq!(card.rows.len(), 2 * 2 * 3 + 1);
    for row in &card.rows {
        let res = r
            .results
            .iter()
            .find(|x| x.rule == row.rule && x.asset == row.asset && x.horizon_days == row.horizon_days)
            .unwrap();
        assert_eq!(row.realised, res.event_returns[0]);
        // A rally beats the baseline median and every matched median (one event: its own).
        assert_eq!(row.matched_medians.len(), 4, "{:?}", row.matched_medians);
        let beats =
            row.realised > row.baseline_median && row.matched_medians.values().all(|m| row.realised > *m);
        assert_eq!(row.rallied, beats);
    }
    // DOGE's data ends before the other exits: named, grouped over horizons.
    assert!(
        card.missing
            .iter()
            .any(|m| m.starts_with("doge after 2026-01-08 (60d, 90d): censored")),
        "{:?}",
        card.missing
    );
    assert!(card.to_string().contains("Scorecard") && card.to_markdown().contains(&card.summary));
    assert_eq!(card.to_dataframe().unwrap().height(), card.rows.len());
    assert!(card.to_html().contains("<q>ETH and altcoins react"));
}

#[test]
fn rising_is_not_a_rally_when_typical_windows_rise_more() {
    // Closes grow 1% a day, except 0.1% a day for 30 days from day 100: the 30-day return from
    // day 100 is +3.0%, while the median 30-day window gains 1.01^30 − 1 = 34.8%.
    let dates: Vec<NaiveDate> = (0..200)
        .map(|i| d("2020-01-01") + chrono::Duration::days(i))
        .collect();
    let mut closes = Vec::new();
    let mut c = 100.0;
    for i in 0..200 {
        closes.push(c);
        c *= if (100..130).contains(&i) { 1.001 } else { 1.01 };
    }
    let s =
        eventstudy::PriceSeries::from_closes("x", eventstudy::Calendar::Continuous, dates.clone(), closes)
            .unwrap();
    let rule = BreakoutRule::Dates(vec![dates[100]]);
    let r = Study::new(s.clone())
        .rules([rule.clone()])
        .targets([s])
        .nulls([eventstudy::Null::Random, eventstudy::Null::ShiftedSet])
        .window(WindowOptions::new().horizons([Horizon::CalendarDays(30)]))
        .stats(StatsOptions::new().draws(500))
        .run()
        .unwrap();
    let card = r.scorecard("x rallies", &[rule], &["x"]);
    let row = &card.rows[0];
    assert!((row.realised - (1.001f64.powi(30) - 1.0)).abs() < 1e-12);
    assert!(row.realised > 0.0 && !row.rallied, "{row:?}");
    assert!(
        row.verdict.starts_with("rose, but no more than"),
        "{}",
        row.verdict
    );
    assert!(
        (row.baseline_median - (1.01f64.powi(30) - 1.0)).abs() < 1e-9,
        "{}",
        row.baseline_median
    );
    assert!(
        card.summary.starts_with("0 of 1 outcomes were rallies"),
        "{}",
        card.summary
    );
}

#[test]
fn sensitivity_grid_covers_droughts_bases_and_horizons() {
    let s = study().window(WindowOptions::new().horizons([Horizon::CalendarDays(30)]));
    let mut calls = Vec::new();
    let grid = s
        .sensitivity(&[60, 500], &["btc", "alt_basket"], |done, total| {
            calls.push((done, total))
        })
        .unwrap();
    assert_eq!(calls, vec![(1, 4), (2, 4), (3, 4), (4, 4)]);
    assert_eq!(grid.rows.len(), 2 * 2 * 2);
    let row = grid
        .rows
        .iter()
        .find(|r| r.basis == "close" && r.drought == 500 && r.asset == "btc")
        .unwrap();
    // A 500-session drought on the history since 1987: 2004, 2011 and 1991 as well.
    assert_eq!(
        row.event_dates,
        vec![
            d("1991-10-16"),
            d("2004-04-05"),
            d("2011-04-27"),
            d("2020-11-13"),
            d("2025-09-18")
        ]
    );
    assert_eq!(row.n_events, 2, "btc has data for the last two only");
    assert!(grid.to_string().contains("intraday") && grid.to_markdown().contains("| close | 500 | btc |"));
    assert_eq!(grid.to_dataframe().unwrap().height(), grid.rows.len());
    assert!(grid.to_html().contains("<td>intraday</td>"));
}

#[test]
fn baseline_and_placebo_options_change_the_numbers() {
    let base = Study::new(datasets::load("rut").unwrap())
        .targets([datasets::load("btc").unwrap()])
        .window(WindowOptions::new().horizons([Horizon::CalendarDays(60)]))
        .stats(StatsOptions::new().draws(2_000));
    let plain = base.clone().run().unwrap();
    let excl = base
        .clone()
        .exclude_event_windows_from_baseline(true)
        .run()
        .unwrap();
    let spaced = base.clone().space_placebo_dates(true).run().unwrap();
    assert!(excl.results[0].baseline.n < plain.results[0].baseline.n);
    assert!(excl.baseline_excludes_event_windows && spaced.placebo_dates_spaced);
    assert_ne!(spaced.results[0].p_placebo, plain.results[0].p_placebo);
    // The same seed gives the same numbers.
    assert_eq!(
        base.run().unwrap().results[0].p_placebo,
        plain.results[0].p_placebo
    );
}

#[test]
fn bad_study_parameters_fail_at_once() {
    let s = Study::new(datasets::load("rut").unwrap());
    assert!(s.clone().run().is_err(), "no targets");
    let s = s.target(datasets::load("btc").unwrap());
    assert!(s.clone().stats(StatsOptions::new().draws(0)).run().is_err());
    assert!(s.clone().rules([]).run().is_err());
    assert!(s.clone().window(WindowOptions::new().horizons([])).run().is_err());
    assert!(russell_crypto(&DataSource::Bundled, &["nope"]).is_err());
}

#[test]
fn data_dir_source_reads_files_and_names_bad_ones() {
    let dir = std::env::temp_dir().join(format!("eventstudy-datadir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for s in ["rut", "gspc", "btc"] {
        std::fs::write(dir.join(format!("{s}.csv")), datasets::get(s).unwrap().csv()).unwrap();
    }
    let src = DataSource::Dir(dir.clone());
    let r = russell_crypto(&src, &["btc"])
        .unwrap()
        .stats(StatsOptions::new().draws(500))
        .run()
        .unwrap();
    assert_eq!(events_of(&r, &BreakoutRule::ath_close(250)).len(), 10);
    std::fs::write(dir.join("btc.csv"), "date,close\n2020-01-01,1\n2020-01-02,-3\n").unwrap();
    let err = russell_crypto(&src, &["btc"]).unwrap_err().to_string();
    assert!(err.contains("btc.csv") && err.contains("row 3"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn complete_windows_without_a_baseline_are_excluded_with_the_reason() {
    // 31 daily closes: the event's 30-day window completes, but it is the only complete window,
    // so there is no baseline to compare it with.
    let dates = (0..31)
        .map(|i| d("2020-11-13") + chrono::Duration::days(i))
        .collect();
    let short = eventstudy::PriceSeries::from_closes(
        "short",
        eventstudy::Calendar::Continuous,
        dates,
        (0..31).map(|i| 100.0 + i as f64).collect(),
    )
    .unwrap();
    let r = Study::new(datasets::load("rut").unwrap())
        .rules([BreakoutRule::Dates(vec![d("2020-11-13")])])
        .targets([short])
        .window(WindowOptions::new().horizons([Horizon::CalendarDays(30)]))
        .stats(StatsOptions::new().draws(100))
        .run()
        .unwrap();
    assert!(r.results.is_empty());
    assert_eq!(r.excluded.len(), 1);
    assert!(
        r.excluded[0].reason.contains("fewer than 2 complete 30d windows"),
        "{}",
        r.excluded[0].reason
    );
    assert!(r.windows[0].window.status.is_complete());
}

/// The README's "What the study finds" numbers, recomputed with the example's defaults (10,000
/// draws, default seed): if the data or the method changes, this fails until the README is
/// updated, so the README stays true.
#[test]
fn readme_findings_match_the_study() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .unwrap()
        .replace('−', "-");
    let r = russell_crypto(&DataSource::Bundled, &RUSSELL_CRYPTO_ASSETS)
        .unwrap()
        .run()
        .unwrap();
    let raw = r.results_all_events().filter(|x| x.p_placebo < 0.05).count();
    let adjusted = r
        .results_all_events()
        .filter(|x| x.p_holm < 0.05 || x.p_bh < 0.05)
        .count();
    let claim = format!("Of {} results", r.results_all_events().count());
    assert!(readme.contains(&claim), "README should say {claim:?}");
    assert!(
        readme.contains(&format!("{raw} have a raw placebo p below 0.05")),
        "raw count {raw}"
    );
    assert_eq!(adjusted, 0, "README says none survive adjustment");
    let rule = BreakoutRule::ath_close(250).to_string();
    for asset in ["btc", "eth", "alt_basket"] {
        for x in r
            .results_all_events()
            .filter(|x| x.rule == rule && x.asset == asset)
        {
            let cell = format!("{:+.1} pp (p {:.3})", x.excess * 100.0, x.p_placebo);
            assert!(
                readme.contains(&cell),
                "README table should show {asset} {}: {cell}",
                x.horizon
            );
        }
    }
    // The specification curve's summary, at the example's default draws.
    let curve = russell_crypto(&DataSource::Bundled, &RUSSELL_CRYPTO_ASSETS)
        .unwrap()
        .spec_curve(&eventstudy::SpecCurveOptions::new())
        .unwrap();
    let sm = &curve.summary;
    let words = format!(
        "{} specifications, {} with a test, 10,000 draws each. p < 0.05 in {:.1}% of them\n(chance alone gives about 5%), median p {:.3}, excess positive in {:.0}%",
        sm.specifications,
        sm.tested,
        sm.share_p_below_05 * 100.0,
        sm.median_p.unwrap(),
        sm.share_positive * 100.0
    );
    assert!(readme.contains(&words), "README should say {words:?}");
    // The Mt.Gox sensitivity's sentence.
    let mtgox = russell_crypto(&DataSource::Bundled, &["btc_with_mtgox"])
        .unwrap()
        .rules([BreakoutRule::ath_close(250)])
        .window(WindowOptions::new().horizons([Horizon::CalendarDays(90)]))
        .run()
        .unwrap();
    let m = mtgox.results_all_events().next().unwrap();
    let halving = m.nulls.iter().find(|n| n.key == "halving_phase_60").unwrap();
    assert_eq!((m.n_events, m.event_dates[0]), (4, d("2013-01-02")));
    let words = format!(
        "followed by BTC {:+.0}% in 90 days: the 2013 bubble, 35 days after the first\nhalving. BTC's 90-day excess becomes {:+.1} pp (p {:.3} against random days, {:.3} against days\nat the same halving phase)",
        m.event_returns[0] * 100.0,
        m.excess * 100.0,
        m.p_placebo,
        halving.p.unwrap()
    );
    assert!(readme.contains(&words), "README should say {words:?}");
    assert_eq!((d("2013-01-02") - eventstudy::btc_halvings()[0]).num_days(), 35);
    // The point-in-time basket's sentence.
    let top = r
        .results_all_events()
        .find(|x| x.rule == rule && x.asset == "alt_top10" && x.horizon_days == 90)
        .unwrap();
    let halving = top.nulls.iter().find(|n| n.key == "halving_phase_60").unwrap();
    let rets: Vec<String> = top
        .event_returns
        .iter()
        .map(|v| format!("{:+.1}%", v * 100.0))
        .collect();
    let words = format!(
        "{}, {} and {} over 90 days,\n  excess {:+.1} pp over random days (p {:.3}) but {:+.1} pp against days at the same halving phase\n  (p {:.3})",
        rets[0],
        rets[1],
        rets[2],
        top.excess * 100.0,
        top.p_placebo,
        halving.excess.unwrap() * 100.0,
        halving.p.unwrap()
    );
    assert!(readme.contains(&words), "README should say {words:?}");
    assert!(top.holdings.iter().all(|h| h.len() == 6));
    // The altcoin-season bullet: how many coins beat BTC, and the excess share's p.
    let season = r
        .results_all_events()
        .find(|x| x.rule == rule && x.asset == "alt_season" && x.horizon_days == 90)
        .unwrap();
    let counts: Vec<String> = season
        .event_returns
        .iter()
        .zip(&season.holdings)
        .map(|(share, held)| format!("{} of {}", (share * held.len() as f64).round(), held.len()))
        .collect();
    let counts = format!("{}, {} and {} coins beat BTC", counts[0], counts[1], counts[2]);
    assert!(readme.contains(&counts), "README should say {counts:?}");
    let halving = season.nulls.iter().find(|n| n.key == "halving_phase_60").unwrap();
    let words = format!(
        "excess {:+.1} points, p {:.3} against random days, {:.3} against days at the same halving\n  phase",
        season.excess * 100.0,
        season.p_placebo,
        halving.p.unwrap()
    );
    assert!(readme.contains(&words), "README should say {words:?}");
    // The primary table: every sample and design, in the README's column order.
    let keys = [
        "random",
        "halving_phase_60",
        "trend_regime_200",
        "near_record_5pct",
        "shifted_set",
    ];
    let primary = r.primary_results();
    assert_eq!(primary.len(), 18, "3 assets × 3 samples × simple and log returns");
    for x in primary {
        let label = match x.asset.as_str() {
            "btc" => "BTC",
            "eth" => "ETH",
            _ => "altcoin basket",
        };
        let sample = match x.sample {
            Sample::All => "all",
            Sample::InSample => "in-sample",
            Sample::OutOfSample => "out-of-sample",
        };
        let cells: Vec<String> = keys
            .iter()
            .map(|k| {
                let n = x.nulls.iter().find(|n| n.key == *k).unwrap();
                format!("{:+.1} pp (p {:.3})", n.excess.unwrap() * 100.0, n.p.unwrap())
            })
            .collect();
        let row = format!(
            "| {label} | {} | {sample} | {} | {:.3} | {} |",
            x.outcome.key(),
            x.n_events,
            x.p_wy.unwrap(),
            cells.join(" | ")
        );
        assert!(readme.contains(&row), "README primary table should have {row:?}");
    }
    let crosses = [
        BreakoutRule::level_cross(2600.0),
        BreakoutRule::level_cross(2700.0),
    ];
    let card = r.scorecard(
        RUSSELL_CLAIM_2026,
        &crosses,
        &["eth", "alt_basket", "xrp", "sol", "bnb", "btc"],
    );
    let rallies = card.rows.iter().filter(|x| x.rallied).count();
    assert_eq!(
        (rallies, card.rows.len()),
        (0, 36),
        "README: none of the 36 outcomes was a rally"
    );
}

#[test]
fn rules_that_read_the_same_are_refused_rather_than_merged() {
    let day = |s: &str| -> chrono::NaiveDate { s.parse().unwrap() };
    let a = eventstudy::BreakoutRule::Dates(vec![day("2016-11-14"), day("2020-11-13")]);
    let b = eventstudy::BreakoutRule::Dates(vec![day("2017-01-03"), day("2021-01-04")]);
    let study = |rules: Vec<eventstudy::BreakoutRule>| {
        eventstudy::Study::new(eventstudy::datasets::load("rut").unwrap())
            .rules(rules)
            .targets([eventstudy::datasets::load("btc").unwrap()])
            .run()
    };
    let err = study(vec![a.clone(), b]).unwrap_err().to_string();
    assert!(err.contains("reads the same as another rule"), "{err}");
    let err = study(vec![a.clone(), a]).unwrap_err().to_string();
    assert!(err.contains("is given twice"), "{err}");
}
