//! The event-window engine: entry, exit, forward return and path for each event and horizon.
//!
//! # Alignment across calendars
//!
//! An event at date `d` on a trading calendar (the Russell 2000 closes at 16:00 New York time)
//! enters a 7-day UTC crypto series at the close of calendar date `d`: that close is taken at
//! 24:00 UTC, which is 19:00 or 20:00 New York time, after the US close, so a trader who learned
//! of the event at the US close could still buy it. If the crypto series has no close on `d` (a
//! missing observation) the first close after `d` is used. A trading-calendar target enters at
//! the close of `d`, or of the next trading day. Both are "the first close on or after `d`";
//! the entry may be at most [`WindowOptions::max_entry_gap_days`] days late, or the window is
//! reported as [`WindowStatus::NoEntry`].

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::horizon::{Horizon, WindowOptions};
use super::target::{ALT_SEASON_THRESHOLD, AltBasket, BasketMeasure, Target};
use crate::data::PriceSeries;
use crate::error::Result;
use crate::events::Event;

/// Whether a window could be completed, and if not, why.
///
/// ```
/// use eventstudy::{Calendar, Horizon, PriceSeries, Target, WindowOptions, WindowStatus, event_window};
/// let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
/// let closes = (100..110).map(f64::from).collect(); // 100 on day 1 up to 109 on day 10
/// let dates = (1..=10).map(day).collect();
/// let x: Target = PriceSeries::from_closes("x", Calendar::Continuous, dates, closes)?.into();
/// let w = event_window(&x, day(5), Horizon::CalendarDays(30), &WindowOptions::new());
/// let partial_return = Some(109.0 / 104.0 - 1.0); // from the entry close to the last one
/// assert_eq!(w.status, WindowStatus::Censored { last_date: day(10), partial_return });
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WindowStatus {
    /// Entry and exit both exist: the window counts in statistics.
    Complete,
    /// The asset's data starts after the event (for a basket: no member had enough history).
    NotListed {
        /// First date with data.
        first_date: NaiveDate,
    },
    /// The data ends before the exit. `partial_return` is the return from entry to the last
    /// close, when there was an entry.
    Censored {
        /// Last date with data.
        last_date: NaiveDate,
        /// Return from entry to the last close.
        partial_return: Option<f64>,
    },
    /// No close within the allowed gap after the event (a hole in the data).
    NoEntry {
        /// The first close after the event, if any.
        next_close: Option<NaiveDate>,
    },
}

impl WindowStatus {
    /// True for [`WindowStatus::Complete`].
    ///
    /// ```
    /// use eventstudy::WindowStatus;
    /// assert!(WindowStatus::Complete.is_complete());
    /// assert!(!WindowStatus::NoEntry { next_close: None }.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        matches!(self, WindowStatus::Complete)
    }
}

impl fmt::Display for WindowStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WindowStatus::Complete => f.write_str("complete"),
            WindowStatus::NotListed { first_date } => write!(f, "not listed yet (data starts {first_date})"),
            WindowStatus::Censored {
                last_date,
                partial_return: Some(r),
            } => {
                write!(
                    f,
                    "censored: data ends {last_date} before the exit (partial return {:+.1}%)",
                    r * 100.0
                )
            }
            WindowStatus::Censored {
                last_date,
                partial_return: None,
            } => {
                write!(f, "censored: data ends {last_date}, before the event")
            }
            WindowStatus::NoEntry { next_close: Some(d) } => write!(f, "no close near the event (next {d})"),
            WindowStatus::NoEntry { next_close: None } => f.write_str("no close after the event"),
        }
    }
}

/// One point of an event-aligned path: value relative to the entry close (1.0 at entry).
///
/// ```
/// use eventstudy::{Horizon, WindowOptions, datasets, event_window};
/// let btc = datasets::load("btc")?.into();
/// let opts = WindowOptions::new().pre_days(10);
/// let w = event_window(&btc, "2020-11-13".parse().unwrap(), Horizon::CalendarDays(30), &opts);
/// assert_eq!((w.path[0].day, w.path.last().unwrap().day), (-10, 30));
/// assert!(w.path.iter().any(|p| p.day == 0 && p.value == 1.0));
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PathPoint {
    /// Calendar days from entry (negative before it).
    pub day: i64,
    /// The date.
    pub date: NaiveDate,
    /// Close divided by the entry close.
    pub value: f64,
}

/// The forward return of one target after one event at one horizon.
///
/// Incomplete windows are kept, with a [`WindowStatus`] that says why, so no event is dropped
/// silently; statistics use only complete ones.
///
/// ```text
/// simple_return = exit_price / entry_price − 1
/// log_return    = ln(exit_price / entry_price)
/// max_runup     = max(close[entry..=exit]) / entry_price − 1     (≥ 0)
/// max_drawdown  = min(close[entry..=exit]) / entry_price − 1     (≤ 0)
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForwardReturn {
    /// Target name (`btc`, `eth_btc`, `alt_basket`, ...).
    pub asset: String,
    /// The event date.
    pub event_date: NaiveDate,
    /// The horizon.
    pub horizon: Horizon,
    /// Complete, or why not.
    pub status: WindowStatus,
    /// Date of the entry close.
    pub entry_date: Option<NaiveDate>,
    /// Entry close (1.0 for a basket).
    pub entry_price: Option<f64>,
    /// Date of the exit close.
    pub exit_date: Option<NaiveDate>,
    /// Exit close (basket: 1 + return).
    pub exit_price: Option<f64>,
    /// Simple return, complete windows only.
    pub simple_return: Option<f64>,
    /// Log return, complete windows only.
    pub log_return: Option<f64>,
    /// Highest close in the window relative to entry.
    pub max_runup: Option<f64>,
    /// Lowest close in the window relative to entry.
    pub max_drawdown: Option<f64>,
    /// Daily path from `pre_days` before entry to the exit (or the last close), 1.0 at entry.
    pub path: Vec<PathPoint>,
    /// Basket members held (empty for a single asset).
    pub holdings: Vec<String>,
    /// Basket members left out of this window, with the reason.
    pub notes: Vec<String>,
}

impl ForwardReturn {
    fn empty(asset: &str, event_date: NaiveDate, horizon: Horizon, status: WindowStatus) -> Self {
        ForwardReturn {
            asset: asset.to_string(),
            event_date,
            horizon,
            status,
            entry_date: None,
            entry_price: None,
            exit_date: None,
            exit_price: None,
            simple_return: None,
            log_return: None,
            max_runup: None,
            max_drawdown: None,
            path: Vec::new(),
            holdings: Vec::new(),
            notes: Vec::new(),
        }
    }
}

impl fmt::Display for ForwardReturn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} after {}: ", self.asset, self.horizon, self.event_date)?;
        match (&self.status, self.simple_return, self.entry_date, self.exit_date) {
            (WindowStatus::Complete, Some(r), Some(a), Some(b)) => {
                write!(f, "{:+.1}% ({a} → {b})", r * 100.0)?;
                if let (Some(u), Some(d)) = (self.max_runup, self.max_drawdown) {
                    write!(f, ", run-up {:+.1}%, drawdown {:+.1}%", u * 100.0, d * 100.0)?;
                }
                if !self.holdings.is_empty() {
                    write!(f, ", holds {}", self.holdings.join(" "))?;
                }
                Ok(())
            }
            (status, ..) => write!(f, "{status}"),
        }
    }
}

/// The window of `target` after `event_date` at `horizon`.
///
/// ```
/// use eventstudy::{Horizon, WindowOptions, datasets, event_window};
/// let btc = datasets::load("btc")?.into();
/// let date = "2020-11-13".parse().unwrap();
/// let w = event_window(&btc, date, Horizon::CalendarDays(30), &WindowOptions::new());
/// assert!(w.status.is_complete());
/// assert_eq!(w.entry_date, Some(date)); // crypto enters at the close of the same calendar day
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn event_window(
    target: &Target,
    event_date: NaiveDate,
    horizon: Horizon,
    options: &WindowOptions,
) -> ForwardReturn {
    match target {
        Target::Asset(s) => asset_window(s, event_date, horizon, options),
        Target::Basket(b) => basket_window(b, event_date, horizon, options),
    }
}

/// Windows of `target` for every event and every horizon of `options` (event-major order).
/// Validates the options first.
///
/// ```
/// use eventstudy::{BreakoutRule, Horizon, WindowOptions, datasets, event_windows};
/// let events = BreakoutRule::ath_close(250).detect(&datasets::load("rut")?)?;
/// let btc = datasets::load("btc")?.into();
/// let opts = WindowOptions::new().horizons([Horizon::CalendarDays(30), Horizon::CalendarDays(90)]);
/// let windows = event_windows(&btc, &events, &opts)?;
/// assert_eq!(windows.len(), 10 * 2); // ten events since 1989, the first seven before BTC's data
/// assert!(!windows[0].status.is_complete());
/// let w = &windows[17]; // event-major: the ninth event at the second horizon
/// assert_eq!((w.event_date.to_string(), w.horizon), ("2020-11-13".into(), Horizon::CalendarDays(90)));
/// assert!(w.simple_return.unwrap() > 1.0); // BTC nearly tripled in the 90 days after
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn event_windows(
    target: &Target,
    events: &[Event],
    options: &WindowOptions,
) -> Result<Vec<ForwardReturn>> {
    options.validate()?;
    let mut out = Vec::with_capacity(events.len() * options.horizon_list().len());
    for e in events {
        for &h in options.horizon_list() {
            out.push(event_window(target, e.date, h, options));
        }
    }
    Ok(out)
}

/// Index of the exit for an entry at `e`, if the data reaches it.
fn exit_index(s: &PriceSeries, e: usize, horizon: Horizon) -> Option<usize> {
    match horizon {
        Horizon::CalendarDays(n) => s.index_on_or_after(s.dates()[e] + Duration::days(i64::from(n))),
        Horizon::TradingDays(n) => Some(e + n as usize).filter(|&x| x < s.len()),
    }
}

fn asset_window(
    s: &PriceSeries,
    event: NaiveDate,
    horizon: Horizon,
    options: &WindowOptions,
) -> ForwardReturn {
    let empty = |status| ForwardReturn::empty(s.symbol(), event, horizon, status);
    if event < s.first_date() {
        return empty(WindowStatus::NotListed {
            first_date: s.first_date(),
        });
    }
    let Some(e) = s.index_on_or_after(event) else {
        return empty(WindowStatus::Censored {
            last_date: s.last_date(),
            partial_return: None,
        });
    };
    let (dates, close) = (s.dates(), s.close());
    if (dates[e] - event).num_days() > i64::from(options.max_entry_gap()) {
        return empty(WindowStatus::NoEntry {
            next_close: Some(dates[e]),
        });
    }
    let exit = exit_index(s, e, horizon);
    let last = exit.unwrap_or(s.len() - 1);
    let entry_price = close[e];
    let window = &close[e..=last];
    let (lo, hi) = window
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &c| {
            (lo.min(c), hi.max(c))
        });
    let pre_start = dates[e] - Duration::days(i64::from(options.pre()));
    let first = dates.partition_point(|d| *d < pre_start);
    let path = (first..=last)
        .map(|i| PathPoint {
            day: (dates[i] - dates[e]).num_days(),
            date: dates[i],
            value: close[i] / entry_price,
        })
        .collect();
    let mut w = empty(WindowStatus::Complete);
    w.entry_date = Some(dates[e]);
    w.entry_price = Some(entry_price);
    w.path = path;
    w.max_runup = Some(hi / entry_price - 1.0);
    w.max_drawdown = Some(lo / entry_price - 1.0);
    match exit {
        Some(x) => {
            w.exit_date = Some(dates[x]);
            w.exit_price = Some(close[x]);
            w.simple_return = Some(close[x] / entry_price - 1.0);
            w.log_return = Some((close[x] / entry_price).ln());
        }
        None => {
            w.status = WindowStatus::Censored {
                last_date: s.last_date(),
                partial_return: Some(close[last] / entry_price - 1.0),
            };
        }
    }
    w
}

fn basket_window(
    b: &AltBasket,
    event: NaiveDate,
    horizon: Horizon,
    options: &WindowOptions,
) -> ForwardReturn {
    let members: Vec<&PriceSeries> = b.eligible(event, options.basket_min_history()).collect();
    // A point-in-time basket says which of the coins that were large then it cannot price.
    let mut unpriced = Vec::new();
    if let Some(pit) = b.membership() {
        match pit.members_at(event) {
            Some((as_of, coins)) => {
                let missing: Vec<&str> = coins
                    .into_iter()
                    .filter(|c| !b.members().iter().any(|m| m.symbol().eq_ignore_ascii_case(c)))
                    .collect();
                if !missing.is_empty() {
                    unpriced.push(format!(
                        "top coins on {as_of} without a price series (not held): {}",
                        missing.join(", ")
                    ));
                }
            }
            None => unpriced.push(format!(
                "no ranking recent enough for {event}: membership unknown"
            )),
        }
    }
    if members.is_empty() {
        let first = b
            .members()
            .iter()
            .map(PriceSeries::first_date)
            .min()
            .unwrap_or(event);
        let mut w = ForwardReturn::empty(
            b.name(),
            event,
            horizon,
            WindowStatus::NotListed { first_date: first },
        );
        w.notes.push(if b.membership().is_some() {
            format!(
                "no member was among the top coins with {} days of history before {event}",
                options.basket_min_history()
            )
        } else {
            format!(
                "no member has {} days of history before {event}",
                options.basket_min_history()
            )
        });
        w.notes.extend(unpriced);
        return w;
    }
    let windows: Vec<ForwardReturn> = members
        .iter()
        .map(|m| asset_window(m, event, horizon, options))
        .collect();
    let (held, left): (Vec<&ForwardReturn>, Vec<&ForwardReturn>) =
        windows.iter().partition(|w| w.status.is_complete());
    let notes: Vec<String> = unpriced
        .into_iter()
        .chain(left.iter().map(|w| format!("{}: {}", w.asset, w.status)))
        .collect();
    if held.is_empty() {
        // Every member is incomplete: censored if any had an entry, with their mean partial return.
        let partials: Vec<f64> = left
            .iter()
            .filter_map(|w| match w.status {
                WindowStatus::Censored { partial_return, .. } => partial_return,
                _ => None,
            })
            .collect();
        let last_date = members.iter().map(|m| m.last_date()).max().unwrap_or(event);
        let partial_return =
            (!partials.is_empty()).then(|| partials.iter().sum::<f64>() / partials.len() as f64);
        let mut w = ForwardReturn::empty(
            b.name(),
            event,
            horizon,
            WindowStatus::Censored {
                last_date,
                partial_return,
            },
        );
        w.notes = notes;
        return w;
    }
    let returns: Vec<f64> = held.iter().filter_map(|w| w.simple_return).collect();
    let mut notes: Vec<String> = notes;
    let r = match b.measure() {
        BasketMeasure::Mean => mean(&returns),
        BasketMeasure::Median => median(&returns),
        BasketMeasure::ShareBeating { benchmark } => {
            let bench = asset_window(benchmark, event, horizon, options);
            let Some(rb) = bench.simple_return.filter(|_| bench.status.is_complete()) else {
                let mut w = ForwardReturn::empty(b.name(), event, horizon, bench.status.clone());
                notes.push(format!("benchmark {}: {}", benchmark.symbol(), bench.status));
                w.notes = notes;
                return w;
            };
            let beat = returns.iter().filter(|&&x| x > rb).count();
            let share = beat as f64 / returns.len() as f64;
            let season = if share >= ALT_SEASON_THRESHOLD {
                "an altcoin season"
            } else {
                "not an altcoin season"
            };
            notes.push(format!(
                "{beat} of {} coins beat {} ({:+.1}%): {season} (threshold {:.0}%)",
                returns.len(),
                benchmark.symbol(),
                rb * 100.0,
                ALT_SEASON_THRESHOLD * 100.0
            ));
            share
        }
    };
    let mut w = ForwardReturn::empty(b.name(), event, horizon, WindowStatus::Complete);
    w.entry_date = held.iter().filter_map(|w| w.entry_date).min();
    w.exit_date = held.iter().filter_map(|w| w.exit_date).max();
    w.entry_price = Some(1.0);
    w.exit_price = Some(1.0 + r);
    w.simple_return = Some(r);
    w.holdings = held.iter().map(|w| w.asset.clone()).collect();
    w.notes = notes;
    match b.measure() {
        BasketMeasure::Mean => {
            // Buy and hold: the basket has a path, a run-up and a drawdown.
            let path = mean_path(&held);
            let (lo, hi) = path
                .iter()
                .filter(|p| p.day >= 0)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p.value), hi.max(p.value))
                });
            w.log_return = Some((1.0 + r).ln());
            w.max_runup = Some(hi - 1.0);
            w.max_drawdown = Some(lo - 1.0);
            w.path = path;
        }
        BasketMeasure::Median => w.log_return = Some((1.0 + r).ln()),
        // A share is not a return: no log value and no path.
        BasketMeasure::ShareBeating { .. } => {}
    }
    w
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// Type-7 median (numpy's default) of a non-empty slice.
fn median(values: &[f64]) -> f64 {
    crate::stats::quantile_type7(values, 0.5).unwrap_or(f64::NAN)
}

/// The equal-weight mean of member paths by day offset. A member without a close on some day
/// (a missing observation) carries its last value forward; before its first point it is left out.
fn mean_path(held: &[&ForwardReturn]) -> Vec<PathPoint> {
    let (Some(lo), Some(hi)) = (
        held.iter().filter_map(|w| w.path.first()).map(|p| p.day).min(),
        held.iter().filter_map(|w| w.path.last()).map(|p| p.day).max(),
    ) else {
        return Vec::new();
    };
    let Some(entry) = held.iter().filter_map(|w| w.entry_date).min() else {
        return Vec::new();
    };
    let span = (hi - lo + 1) as usize;
    let (mut sum, mut count) = (vec![0.0; span], vec![0usize; span]);
    for w in held {
        let mut pts = w.path.iter().peekable();
        let mut last: Option<f64> = None;
        for day in lo..=hi {
            while let Some(p) = pts.next_if(|p| p.day <= day) {
                last = Some(p.value);
            }
            // Past a member's own exit, hold its exit value: the basket is buy and hold.
            if let Some(v) = last {
                sum[(day - lo) as usize] += v;
                count[(day - lo) as usize] += 1;
            }
        }
    }
    (lo..=hi)
        .zip(sum.iter().zip(&count))
        .filter(|(_, (_, c))| **c > 0)
        .map(|(day, (s, c))| PathPoint {
            day,
            date: entry + Duration::days(day),
            value: s / *c as f64,
        })
        .collect()
}

/// Forward returns from every start date with a complete window: the unconditional baseline.
///
/// ```
/// use eventstudy::{Calendar, Horizon, PriceSeries, forward_returns_all};
/// let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
/// let closes = vec![100.0, 200.0, 100.0, 100.0];
/// let x = PriceSeries::from_closes("x", Calendar::Continuous, (1..=4).map(day).collect(), closes)?;
/// let all = forward_returns_all(&x, Horizon::TradingDays(1));
/// assert_eq!(all.starts, [day(1), day(2), day(3)]); // day 4 has no exit
/// assert_eq!(all.returns, [1.0, -0.5, 0.0]);
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForwardReturns {
    /// Target name.
    pub asset: String,
    /// The horizon.
    pub horizon: Horizon,
    /// Start dates (observation dates), ascending.
    pub starts: Vec<NaiveDate>,
    /// Simple return from each start to its exit, aligned with `starts`.
    pub returns: Vec<f64>,
}

/// The forward return at `horizon` from every observation date whose window the data
/// completes, in O(n): the exit index only moves forward as the start does.
///
/// ```
/// use eventstudy::{Horizon, datasets, forward_returns_all};
/// let btc = datasets::load("btc")?;
/// let all = forward_returns_all(&btc, Horizon::CalendarDays(30));
/// assert_eq!(all.starts.len(), all.returns.len());
/// assert!(*all.starts.last().unwrap() <= btc.last_date() - chrono::Duration::days(30));
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn forward_returns_all(series: &PriceSeries, horizon: Horizon) -> ForwardReturns {
    let (dates, close) = (series.dates(), series.close());
    let mut out = ForwardReturns {
        asset: series.symbol().to_string(),
        horizon,
        starts: Vec::with_capacity(dates.len()),
        returns: Vec::with_capacity(dates.len()),
    };
    // Day numbers once, so the walk compares integers rather than doing date arithmetic.
    let days: Vec<i32> = match horizon {
        Horizon::CalendarDays(_) => dates.iter().map(Datelike::num_days_from_ce).collect(),
        Horizon::TradingDays(_) => Vec::new(),
    };
    let mut j = 0;
    for i in 0..dates.len() {
        let exit = match horizon {
            Horizon::CalendarDays(n) => {
                let target = i64::from(days[i]) + i64::from(n);
                j = j.max(i);
                while j < dates.len() && i64::from(days[j]) < target {
                    j += 1;
                }
                j
            }
            Horizon::TradingDays(n) => i + n as usize,
        };
        if exit >= dates.len() {
            break;
        }
        out.starts.push(dates[i]);
        out.returns.push(close[exit] / close[i] - 1.0);
    }
    out
}

/// Every complete window of one series from its day numbers: `each(start day, simple
/// return)`, the exit found as in [`forward_returns_all`].
fn member_windows(close: &[f64], days: &[i32], horizon: Horizon, mut each: impl FnMut(i32, f64)) {
    let mut j = 0;
    for i in 0..days.len() {
        let exit = match horizon {
            Horizon::CalendarDays(n) => {
                let target = i64::from(days[i]) + i64::from(n);
                j = j.max(i);
                while j < days.len() && i64::from(days[j]) < target {
                    j += 1;
                }
                j
            }
            Horizon::TradingDays(n) => i + n as usize,
        };
        if exit >= days.len() {
            break;
        }
        each(days[i], close[exit] / close[i] - 1.0);
    }
}

/// [`forward_returns_all`] for any target. For a basket, each start date's value is the
/// basket's measure ([`crate::BasketMeasure`]: mean, median, or share beating the benchmark)
/// over the members eligible on that date (the same rule as for events) that have a complete
/// window from it; a share needs the benchmark's window from that date too.
///
/// ```
/// use eventstudy::{AltBasket, Calendar, Horizon, PriceSeries, WindowOptions, target_forward_returns_all};
/// let day = |d| chrono::NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
/// let coin = |s: &str, c| PriceSeries::from_closes(s, Calendar::Continuous, (1..=3).map(day).collect(), c);
/// let members = vec![coin("a", vec![1.0, 2.0, 2.0])?, coin("b", vec![1.0; 3])?];
/// let basket = AltBasket::new("pair", members)?.into();
/// let opts = WindowOptions::new().basket_min_history_days(0);
/// let all = target_forward_returns_all(&basket, Horizon::CalendarDays(1), &opts);
/// assert_eq!(all.returns, [0.5, 0.0]); // the mean of a's +100% and b's 0%, then of 0% and 0%
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn target_forward_returns_all(
    target: &Target,
    horizon: Horizon,
    options: &WindowOptions,
) -> ForwardReturns {
    let b = match target {
        Target::Asset(s) => return forward_returns_all(s, horizon),
        Target::Basket(b) => b,
    };
    // One slot per calendar day of the members' dates (members are on continuous calendars).
    let held = b.held(options.basket_min_history());
    let len = held.len();
    let members = b.members();
    // Each held member's window from each start, as (slot, return), in member order.
    let windows = |each: &mut dyn FnMut(usize, f64)| {
        for (k, m) in members.iter().enumerate() {
            let row = held.row(k);
            member_windows(m.close(), held.days(k), horizon, |day, r| {
                let slot = held.slot(day);
                if row[slot] {
                    each(slot, r);
                }
            });
        }
    };
    // Per start date, the measure over the members held then: the mean from running sums (in
    // member order, as a list per date would add them), the share from running counts, the
    // median from a counting sort by day into one flat buffer.
    let mut per_slot: Vec<Option<f64>> = vec![None; len];
    match b.measure() {
        BasketMeasure::Mean => {
            let mut sums = vec![0.0; len];
            let mut counts = vec![0u32; len];
            windows(&mut |slot, r| {
                sums[slot] += r;
                counts[slot] += 1;
            });
            for ((v, &sum), &count) in per_slot.iter_mut().zip(&sums).zip(&counts) {
                *v = (count > 0).then(|| sum / f64::from(count));
            }
        }
        BasketMeasure::ShareBeating { benchmark } => {
            // The benchmark's return from each slot; only start dates where it has a complete
            // window count.
            let mut bench = vec![None; len];
            let first_day = held.first().num_days_from_ce();
            let fr = forward_returns_all(benchmark, horizon);
            for (d, &r) in fr.starts.iter().zip(&fr.returns) {
                if let Some(b) = usize::try_from(d.num_days_from_ce() - first_day)
                    .ok()
                    .and_then(|k| bench.get_mut(k))
                {
                    *b = Some(r);
                }
            }
            let mut beats = vec![0u32; len];
            let mut counts = vec![0u32; len];
            windows(&mut |slot, r| {
                if let Some(rb) = bench[slot] {
                    beats[slot] += u32::from(r > rb);
                    counts[slot] += 1;
                }
            });
            for ((v, &beat), &count) in per_slot.iter_mut().zip(&beats).zip(&counts) {
                *v = (count > 0).then(|| f64::from(beat) / f64::from(count));
            }
        }
        BasketMeasure::Median => {
            let mut offsets = vec![0usize; len + 1];
            windows(&mut |slot, _| offsets[slot + 1] += 1);
            for i in 0..len {
                offsets[i + 1] += offsets[i];
            }
            let mut fill = offsets.clone();
            let mut values = vec![0.0; offsets[len]];
            windows(&mut |slot, r| {
                values[fill[slot]] = r;
                fill[slot] += 1;
            });
            for (i, v) in per_slot.iter_mut().enumerate() {
                let held_then = &mut values[offsets[i]..offsets[i + 1]];
                if !held_then.is_empty() {
                    *v = Some(crate::stats::select_quantiles(held_then, [0.5])[0]);
                }
            }
        }
    }
    let mut starts = Vec::new();
    let mut returns = Vec::new();
    let mut date = held.first();
    for v in per_slot {
        if let Some(v) = v {
            starts.push(date);
            returns.push(v);
        }
        date = date.succ_opt().unwrap_or(date);
    }
    ForwardReturns {
        asset: b.name().to_string(),
        horizon,
        starts,
        returns,
    }
}
