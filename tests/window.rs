//! Stage 3: event windows across calendars, censoring, listing and the basket.

use chrono::{Duration, NaiveDate};
use eventstudy::{
    AltBasket, BasketMeasure, BreakoutRule, Calendar, Horizon, PriceSeries, Target, WindowOptions,
    WindowStatus, datasets, event_window, event_windows, forward_returns_all, target_forward_returns_all,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn series(symbol: &str, cal: Calendar, rows: &[(&str, f64)]) -> PriceSeries {
    let (dates, close) = rows.iter().map(|(s, c)| (d(s), *c)).unzip();
    PriceSeries::from_closes(symbol, cal, dates, close).unwrap()
}

/// A continuous series: closes `f(i)` on consecutive days from `start`.
fn crypto(symbol: &str, start: &str, n: usize, f: impl Fn(usize) -> f64) -> PriceSeries {
    let dates = (0..n).map(|i| d(start) + Duration::days(i as i64)).collect();
    PriceSeries::from_closes(symbol, Calendar::Continuous, dates, (0..n).map(f).collect()).unwrap()
}

fn opts() -> WindowOptions {
    WindowOptions::new()
}

#[test]
fn crypto_target_enters_at_the_close_of_the_event_date() {
    let btc: Target = crypto("btc", "2024-01-01", 40, |i| 100.0 + i as f64).into();
    // Friday 2024-01-05 event on a trading calendar: the crypto close of that same UTC day.
    let w = event_window(&btc, d("2024-01-05"), Horizon::CalendarDays(7), &opts());
    assert_eq!(
        (w.entry_date, w.entry_price),
        (Some(d("2024-01-05")), Some(104.0))
    );
    // Exit: first close on or after entry + 7 calendar days (a Friday again: crypto trades).
    assert_eq!((w.exit_date, w.exit_price), (Some(d("2024-01-12")), Some(111.0)));
    assert!((w.simple_return.unwrap() - (111.0 / 104.0 - 1.0)).abs() < 1e-15);
    assert!((w.log_return.unwrap() - (111.0f64 / 104.0).ln()).abs() < 1e-15);
}

#[test]
fn missing_crypto_day_enters_at_the_next_close() {
    let s = series(
        "btc",
        Calendar::Continuous,
        &[("2024-01-04", 10.0), ("2024-01-06", 11.0), ("2024-01-20", 12.0)],
    );
    let w = event_window(&s.into(), d("2024-01-05"), Horizon::CalendarDays(7), &opts());
    assert_eq!(w.entry_date, Some(d("2024-01-06")));
    // Exit: no close between 01-13 and 01-19, so the first close after is 01-20.
    assert_eq!(w.exit_date, Some(d("2024-01-20")));
}

#[test]
fn weekend_and_holiday_events_enter_a_trading_target_on_the_next_session() {
    // Mon 2024-01-01 is a holiday; sessions Tue 02 .. Fri 05, Mon 08.
    let spx = series(
        "spx",
        Calendar::Trading,
        &[
            ("2023-12-29", 1.0),
            ("2024-01-02", 2.0),
            ("2024-01-03", 3.0),
            ("2024-01-05", 5.0),
            ("2024-01-08", 8.0),
        ],
    );
    let t: Target = spx.into();
    // A Saturday event (from a crypto-calendar rule) enters on Tuesday after the holiday.
    let w = event_window(&t, d("2023-12-30"), Horizon::TradingDays(2), &opts());
    assert_eq!(w.entry_date, Some(d("2024-01-02")));
    assert_eq!(
        w.exit_date,
        Some(d("2024-01-05")),
        "two sessions later: 03, then 05 (04 missing)"
    );
    // Trading-day horizon past the data: censored with the partial return to the last close.
    let w = event_window(&t, d("2024-01-05"), Horizon::TradingDays(3), &opts());
    assert_eq!(
        w.status,
        WindowStatus::Censored {
            last_date: d("2024-01-08"),
            partial_return: Some(8.0 / 5.0 - 1.0)
        }
    );
    assert_eq!(w.simple_return, None);
}

#[test]
fn event_on_the_last_day_and_after_the_data_are_censored() {
    let t: Target = crypto("eth", "2024-01-01", 10, |i| 1.0 + i as f64).into();
    let w = event_window(&t, d("2024-01-10"), Horizon::CalendarDays(30), &opts());
    assert_eq!(
        w.status,
        WindowStatus::Censored {
            last_date: d("2024-01-10"),
            partial_return: Some(0.0)
        }
    );
    assert_eq!(w.entry_date, Some(d("2024-01-10")));
    let w = event_window(&t, d("2024-02-10"), Horizon::CalendarDays(30), &opts());
    assert_eq!(
        w.status,
        WindowStatus::Censored {
            last_date: d("2024-01-10"),
            partial_return: None
        }
    );
    assert!(!w.status.is_complete());
    assert!(w.to_string().contains("censored"), "{w}");
}

#[test]
fn not_listed_and_no_entry() {
    let t: Target = crypto("sol", "2024-03-01", 10, |_| 1.0).into();
    let w = event_window(&t, d("2024-02-28"), Horizon::CalendarDays(5), &opts());
    assert_eq!(
        w.status,
        WindowStatus::NotListed {
            first_date: d("2024-03-01")
        }
    );
    let gap = series(
        "x",
        Calendar::Continuous,
        &[("2024-01-01", 1.0), ("2024-01-20", 2.0), ("2024-03-01", 3.0)],
    );
    let w = event_window(&gap.into(), d("2024-01-02"), Horizon::CalendarDays(5), &opts());
    assert_eq!(
        w.status,
        WindowStatus::NoEntry {
            next_close: Some(d("2024-01-20"))
        }
    );
}

#[test]
fn path_runup_and_drawdown() {
    // Closes 10, 8, 12, 6, 11 from 2024-01-01; entry on 01-02 (8), exit 01-05 (11).
    let t: Target = series(
        "x",
        Calendar::Continuous,
        &[
            ("2024-01-01", 10.0),
            ("2024-01-02", 8.0),
            ("2024-01-03", 12.0),
            ("2024-01-04", 6.0),
            ("2024-01-05", 11.0),
        ],
    )
    .into();
    let w = event_window(&t, d("2024-01-02"), Horizon::CalendarDays(3), &opts().pre_days(1));
    let days: Vec<i64> = w.path.iter().map(|p| p.day).collect();
    assert_eq!(days, vec![-1, 0, 1, 2, 3]);
    let values: Vec<f64> = w.path.iter().map(|p| p.value).collect();
    assert_eq!(values, vec![1.25, 1.0, 1.5, 0.75, 1.375]);
    assert_eq!((w.max_runup, w.max_drawdown), (Some(0.5), Some(-0.25)));
}

#[test]
fn basket_holds_members_with_history_and_reports_the_rest() {
    let old_a = crypto("a", "2023-01-01", 500, |i| 1.0 + i as f64 * 0.01); // long history
    let old_b = crypto("b", "2023-01-01", 420, |_| 2.0); // flat, ends 2024-02-24
    let young = crypto("c", "2023-12-15", 200, |_| 5.0); // < 90 days before the event
    let basket: Target = AltBasket::new("alt_basket", vec![old_a.clone(), old_b, young])
        .unwrap()
        .into();
    let event = d("2024-01-15");
    let w = event_window(&basket, event, Horizon::CalendarDays(30), &opts());
    assert!(w.status.is_complete());
    // b ends 2024-02-24, after the 30-day exit (2024-02-14): held. c is too young: not eligible.
    assert_eq!(w.holdings, vec!["a", "b"]);
    let ra = event_window(&old_a.into(), event, Horizon::CalendarDays(30), &opts())
        .simple_return
        .unwrap();
    assert!((w.simple_return.unwrap() - (ra + 0.0) / 2.0).abs() < 1e-12);
    assert_eq!(w.path.iter().find(|p| p.day == 0).unwrap().value, 1.0);
    // At 60 days b's data has ended: it is left out and named.
    let w60 = event_window(&basket, event, Horizon::CalendarDays(60), &opts());
    assert_eq!(w60.holdings, vec!["a"]);
    assert!(
        w60.notes.iter().any(|n| n.starts_with("b: censored")),
        "{:?}",
        w60.notes
    );
    // Before any member has 90 days of history: not listed, with the reason.
    let early = event_window(&basket, d("2023-02-01"), Horizon::CalendarDays(30), &opts());
    assert!(matches!(early.status, WindowStatus::NotListed { .. }));
    assert!(early.notes[0].contains("90 days"));
}

#[test]
fn forward_returns_all_matches_brute_force() {
    // Gappy continuous series: days missing at irregular places.
    let rows: Vec<(NaiveDate, f64)> = (0..200)
        .filter(|i| i % 7 != 3 && i % 11 != 5)
        .map(|i| {
            (
                d("2024-01-01") + Duration::days(i),
                100.0 + ((i * 37) % 23) as f64,
            )
        })
        .collect();
    let (dates, close): (Vec<_>, Vec<_>) = rows.iter().copied().unzip();
    let s = PriceSeries::from_closes("g", Calendar::Continuous, dates.clone(), close.clone()).unwrap();
    for h in [
        Horizon::CalendarDays(1),
        Horizon::CalendarDays(30),
        Horizon::TradingDays(10),
    ] {
        let fast = forward_returns_all(&s, h);
        let (mut starts, mut rets) = (Vec::new(), Vec::new());
        for i in 0..dates.len() {
            let exit = match h {
                Horizon::CalendarDays(n) => {
                    (0..dates.len()).find(|&j| dates[j] >= dates[i] + Duration::days(n as i64))
                }
                Horizon::TradingDays(n) => Some(i + n as usize).filter(|&j| j < dates.len()),
            };
            if let Some(j) = exit {
                starts.push(dates[i]);
                rets.push(close[j] / close[i] - 1.0);
            }
        }
        assert_eq!(fast.starts, starts, "{h}");
        assert_eq!(fast.returns, rets, "{h}");
        // Every start's window matches event_window on the same date.
        let w = event_window(&s.clone().into(), starts[5], h, &opts());
        assert_eq!(w.simple_return, Some(rets[5]));
    }
}

#[test]
fn basket_baseline_is_the_mean_over_eligible_members() {
    let a = crypto("a", "2024-01-01", 100, |i| 1.0 + i as f64);
    let b = crypto("b", "2024-01-31", 70, |_| 3.0);
    let basket = AltBasket::new("bk", vec![a.clone(), b]).unwrap();
    let o = WindowOptions::new().basket_min_history_days(10);
    let all = target_forward_returns_all(&basket.into(), Horizon::CalendarDays(5), &o);
    // First start: a is eligible from 2024-01-11 (10 days of history); b from 2024-02-10.
    assert_eq!(all.starts[0], d("2024-01-11"));
    let a_only = 16.0 / 11.0 - 1.0;
    assert!((all.returns[0] - a_only).abs() < 1e-12);
    let i = all.starts.iter().position(|s| *s == d("2024-02-10")).unwrap();
    let a_ret = (41.0 + 5.0) / 41.0 - 1.0;
    assert!(
        (all.returns[i] - a_ret / 2.0).abs() < 1e-12,
        "mean of a's return and b's 0"
    );
}

#[test]
fn options_are_validated_once() {
    let t: Target = crypto("x", "2024-01-01", 10, |_| 1.0).into();
    assert!(event_windows(&t, &[], &WindowOptions::new().horizons([])).is_err());
    assert!(
        event_windows(
            &t,
            &[],
            &WindowOptions::new().horizons([Horizon::CalendarDays(0)])
        )
        .is_err()
    );
    assert!("0d".parse::<Horizon>().is_err());
    assert!(
        "abc"
            .parse::<Horizon>()
            .unwrap_err()
            .to_string()
            .contains("horizon")
    );
}

#[test]
fn bundled_btc_eth_basket_and_ratio_after_the_close_breakouts() {
    let rut = datasets::load("rut").unwrap();
    let events = BreakoutRule::default().detect(&rut).unwrap();
    let btc: Target = datasets::load("btc").unwrap().into();
    let windows = event_windows(&btc, &events, &WindowOptions::new()).unwrap();
    // Ten events since 1989 × three horizons; the seven before 2013-04-28 are not listed.
    assert_eq!(windows.len(), 30);
    let (done, early): (Vec<_>, Vec<_>) = windows.iter().partition(|w| w.status.is_complete());
    assert_eq!((done.len(), early.len()), (9, 21));
    assert!(early.iter().all(|w| w.event_date < d("2013-04-28")
        && w.status
            == WindowStatus::NotListed {
                first_date: d("2013-04-28")
            }));
    // Hand check from data/btc.csv: closes on 2016-11-14 and 2016-12-14.
    let w = done[0];
    assert_eq!(
        (w.entry_date, w.exit_date),
        (Some(d("2016-11-14")), Some(d("2016-12-14")))
    );
    let btc_s = datasets::load("btc").unwrap();
    let expected = btc_s.close_on(d("2016-12-14")).unwrap() / btc_s.close_on(d("2016-11-14")).unwrap() - 1.0;
    assert_eq!(w.simple_return, Some(expected));

    let basket: Target = AltBasket::bundled().unwrap().into();
    let bw = event_windows(&basket, &events, &WindowOptions::new()).unwrap();
    let at = |date: &str| bw.iter().find(|w| w.event_date == d(date)).unwrap();
    // SOURCES.md: the 2016 event has full windows for XRP, DOGE and LTC among today's coins,
    // and the faded XMR, DASH, ETC and XEM were listed then too.
    assert_eq!(
        at("2016-11-14").holdings,
        vec!["xrp", "doge", "ltc", "xmr", "dash", "etc", "xem"]
    );
    // 2025-09-18: LTC ends 2025-06-13 and XEM 2022-05-08; both are named, not silently dropped.
    let notes = &at("2025-09-18").notes;
    assert!(notes.iter().any(|n| n.starts_with("ltc")), "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("xem: censored: data ends 2022-05-08")),
        "{notes:?}"
    );
    // 2013-01-02: no altcoin had 90 days of history (DASH is the first, from 2014-02-14).
    assert!(matches!(at("2013-01-02").status, WindowStatus::NotListed { .. }));

    let eth_btc = Target::ratio(
        &datasets::load("eth").unwrap(),
        &datasets::load("btc").unwrap(),
        "eth_btc",
    )
    .unwrap();
    let rw = event_window(&eth_btc, d("2020-11-13"), Horizon::CalendarDays(30), &opts());
    assert!(rw.status.is_complete());
    assert_eq!(rw.asset, "eth_btc");
}

#[test]
fn basket_measures_mean_median_and_share_beating_a_benchmark() {
    let day = |i: i64| d("2024-01-01") + Duration::days(i);
    let series = |s: &str, c: Vec<f64>| {
        PriceSeries::from_closes(s, Calendar::Continuous, (0..c.len() as i64).map(day).collect(), c).unwrap()
    };
    // One-day returns from day 0: a +100%, b 0%, c −50%, benchmark +10%; from day 1: a 0%,
    // b +100%, c +100%, benchmark +100%.
    let members = vec![
        series("a", vec![1.0, 2.0, 2.0]),
        series("b", vec![1.0, 1.0, 2.0]),
        series("c", vec![2.0, 1.0, 2.0]),
    ];
    let btc = series("btc", vec![10.0, 11.0, 22.0]);
    let opts = WindowOptions::new().basket_min_history_days(0);
    let h = Horizon::CalendarDays(1);
    let mean: Target = AltBasket::new("mean", members.clone()).unwrap().into();
    let median: Target = AltBasket::new("m", members.clone())
        .unwrap()
        .with_measure("median", BasketMeasure::Median)
        .into();
    let share: Target = AltBasket::new("s", members)
        .unwrap()
        .with_measure("share", BasketMeasure::ShareBeating { benchmark: btc })
        .into();
    let at0 = |t: &Target| event_window(t, day(0), h, &opts);
    assert_eq!(at0(&mean).simple_return, Some((1.0 + 0.0 - 0.5) / 3.0));
    assert_eq!(at0(&median).simple_return, Some(0.0));
    let w = at0(&share);
    assert_eq!(w.simple_return, Some(1.0 / 3.0), "only a beats +10%");
    assert_eq!(w.holdings, ["a", "b", "c"]);
    assert!(
        w.notes
            .iter()
            .any(|n| n.starts_with("1 of 3 coins beat btc (+10.0%): not an altcoin season")),
        "{:?}",
        w.notes
    );
    // Baselines from every start date: day 0 and day 1.
    let all = |t: &Target| target_forward_returns_all(t, h, &opts).returns;
    assert_eq!(all(&mean), [0.5 / 3.0, 2.0 / 3.0]);
    assert_eq!(all(&median), [0.0, 1.0]);
    // From day 1 nobody beats the benchmark's +100% (ties do not count).
    assert_eq!(all(&share), [1.0 / 3.0, 0.0]);
    assert!((eventstudy::ALT_SEASON_THRESHOLD - 0.75).abs() < 1e-15);
}

#[test]
fn point_in_time_basket_holds_the_top_coins_of_the_day() {
    let pit = eventstudy::PointInTime::new(
        vec![
            (datasets::universe("cmc_top10_weekly").unwrap(), 7),
            (datasets::universe("cmc_top200_monthly").unwrap(), 31),
        ],
        10,
    );
    let basket: Target = AltBasket::bundled()
        .unwrap()
        .point_in_time("alt_top10", pit.clone())
        .into();
    let w = event_window(
        &basket,
        d("2016-11-14"),
        Horizon::CalendarDays(90),
        &WindowOptions::new(),
    );
    // The 2016-11-13 list (data/universe/cmc_top10_weekly.csv): BTC ETH XRP LTC XMR ETC DASH REP
    // XEM WAVES. Held: the priced altcoins among them; REP and WAVES have no price file.
    assert_eq!(w.holdings, ["xrp", "ltc", "xmr", "dash", "etc", "xem"]);
    assert!(
        w.notes
            .iter()
            .any(|n| n == "top coins on 2016-11-13 without a price series (not held): REP, WAVES"),
        "{:?}",
        w.notes
    );
    // After the weekly list ends (2023-07-09) the monthly top 200 serves for a month.
    let (as_of, coins) = pit.members_at(d("2025-09-18")).unwrap();
    assert_eq!(as_of, d("2025-09-01"));
    assert!(coins.len() <= 8 && !coins.iter().any(|c| ["BTC", "ETH", "USDT", "USDC"].contains(c)));
    let late = event_window(
        &basket,
        d("2026-01-08"),
        Horizon::CalendarDays(30),
        &WindowOptions::new(),
    );
    assert!(
        late.notes.iter().any(|n| n.contains("no ranking recent enough")),
        "{:?}",
        late.notes
    );
    assert!(!late.status.is_complete());
    // The baseline uses the same rule on every start date: DOGE counts only while in the top 10.
    let all = target_forward_returns_all(&basket, Horizon::CalendarDays(30), &WindowOptions::new());
    let plain = target_forward_returns_all(
        &AltBasket::bundled().unwrap().into(),
        Horizon::CalendarDays(30),
        &WindowOptions::new(),
    );
    assert!(all.starts.len() < plain.starts.len());
    assert!(all.starts.iter().all(|s| pit.members_at(*s).is_some()));
}
