//! [`PriceSeries`]: one asset's daily bars, validated once at construction.

use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::csv::LoadInfo;
use crate::error::{Error, Result};

/// Which days a series has rows for.
///
/// The calendar decides how the window engine moves through a series: a trading-calendar series
/// has a row per exchange session, a continuous one a row per UTC calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Calendar {
    /// Exchange sessions (NYSE for the bundled indices): weekdays minus holidays. Saturday and
    /// Sunday rows are rejected.
    Trading,
    /// Every calendar day (crypto, 24/7, UTC days).
    Continuous,
    /// One row a week (the bundled total crypto market cap).
    Weekly,
}

impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad` honours width and alignment, so tables can align calendars.
        f.pad(match self {
            Calendar::Trading => "trading",
            Calendar::Continuous => "continuous",
            Calendar::Weekly => "weekly",
        })
    }
}

/// One optional price column: `None` for a row means "unknown", never zero.
pub type OptionalColumn = Vec<Option<f64>>;

/// The raw columns of a series before validation; see [`PriceSeries::new`].
///
/// `open`, `high`, `low` and `volume` are `None` when the source has no such column, and hold
/// `None` per row where the value is unknown.
#[derive(Debug, Clone, Default)]
pub struct SeriesColumns {
    /// Observation dates.
    pub dates: Vec<NaiveDate>,
    /// Closing prices (the column a loader takes as the close: see [`LoadInfo::close_column`]).
    pub close: Vec<f64>,
    /// Opening prices, where known.
    pub open: Option<OptionalColumn>,
    /// Intraday highs, where known.
    pub high: Option<OptionalColumn>,
    /// Intraday lows, where known.
    pub low: Option<OptionalColumn>,
    /// Volume, where known.
    pub volume: Option<OptionalColumn>,
    /// Dates whose row had no close (an empty field or FRED's `.`), skipped by the loader.
    pub missing: Vec<NaiveDate>,
}

impl SeriesColumns {
    /// Sets open, high, low and volume (in that order) at once; loaders fill them side by side.
    pub(crate) fn set_extras(&mut self, [open, high, low, volume]: [Option<OptionalColumn>; 4]) {
        self.open = open;
        self.high = high;
        self.low = low;
        self.volume = volume;
    }
}

/// A validated daily price series.
///
/// Invariants, checked by every constructor: at least one row; dates strictly ascending and
/// unique; every close, open, high and low finite and `> 0`; volume finite and `>= 0`; high
/// `>=` low where both are known; no Saturday or Sunday on a [`Calendar::Trading`] series.
///
/// Rows that had no close in the source (missing observations) are not in the series; their
/// dates are kept in [`PriceSeries::missing_dates`] so nothing is dropped silently.
///
/// ```
/// use eventstudy::{Calendar, PriceSeries};
/// use chrono::NaiveDate;
///
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// let s = PriceSeries::from_closes("demo", Calendar::Continuous,
///     vec![d("2024-01-01"), d("2024-01-02"), d("2024-01-03")], vec![100.0, 110.0, 99.0])?;
/// assert_eq!(s.len(), 3);
/// assert!((s.simple_returns()[0] - 0.10).abs() < 1e-12);
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceSeries {
    symbol: String,
    calendar: Calendar,
    dates: Vec<NaiveDate>,
    close: Vec<f64>,
    open: Option<OptionalColumn>,
    high: Option<OptionalColumn>,
    low: Option<OptionalColumn>,
    volume: Option<OptionalColumn>,
    missing: Vec<NaiveDate>,
    /// How a loader read the series (layout, close column, date format, warnings).
    info: Option<Box<LoadInfo>>,
}

impl PriceSeries {
    /// Builds a series from raw columns, checking every invariant listed on [`PriceSeries`].
    ///
    /// `source` names where the data came from (a path, `bundled:rut.csv`, `<DataFrame>`) and
    /// appears in errors, whose `row` is the 0-based index plus 2 (a spreadsheet row under one
    /// header line). Loaders that skip rows validate cells themselves and give exact rows.
    pub fn new(
        symbol: impl Into<String>,
        calendar: Calendar,
        columns: SeriesColumns,
        source: &str,
    ) -> Result<Self> {
        Self::with_rows(symbol.into(), calendar, columns, source, None)
    }

    /// [`PriceSeries::new`] with the spreadsheet row of each observation, for errors that point
    /// at the right line of a file whose skipped rows shift the numbering.
    pub(crate) fn with_rows(
        symbol: String,
        calendar: Calendar,
        columns: SeriesColumns,
        source: &str,
        rows: Option<&[usize]>,
    ) -> Result<Self> {
        let SeriesColumns {
            dates,
            close,
            open,
            high,
            low,
            volume,
            missing,
        } = columns;
        let n = dates.len();
        let file = || source.to_string();
        if n == 0 {
            return Err(Error::NoData {
                file: file(),
                detail: describe_missing(&missing),
            });
        }
        if close.len() != n {
            return Err(Error::InvalidSeries {
                file: file(),
                message: format!("{} dates but {} closes", n, close.len()),
            });
        }
        for (name, col) in [
            ("open", &open),
            ("high", &high),
            ("low", &low),
            ("volume", &volume),
        ] {
            if let Some(c) = col
                && c.len() != n
            {
                return Err(Error::InvalidSeries {
                    file: file(),
                    message: format!("{n} dates but {} values in column {name}", c.len()),
                });
            }
        }
        let row_of = |i: usize| rows.and_then(|r| r.get(i).copied()).unwrap_or(i + 2);
        for i in 0..n {
            let row = row_of(i);
            if i > 0 {
                check_order(source, row, row_of(i - 1), dates[i - 1], dates[i])?;
            }
            if calendar == Calendar::Trading {
                check_weekday(source, row, dates[i])?;
            }
            check_price(source, row, "close", close[i])?;
            for (name, col) in [("open", &open), ("high", &high), ("low", &low)] {
                if let Some(v) = col.as_ref().and_then(|c| c[i]) {
                    check_price(source, row, name, v)?;
                }
            }
            if let Some(v) = volume.as_ref().and_then(|c| c[i])
                && (!v.is_finite() || v < 0.0)
            {
                return Err(Error::InvalidPrice {
                    file: file(),
                    row,
                    column: "volume".into(),
                    value: v.to_string(),
                    reason: "volume must be finite and >= 0".into(),
                });
            }
            if let (Some(h), Some(l)) = (high.as_ref().and_then(|c| c[i]), low.as_ref().and_then(|c| c[i]))
                && h < l
            {
                return Err(Error::InvalidPrice {
                    file: file(),
                    row,
                    column: "high".into(),
                    value: h.to_string(),
                    reason: format!("high is below low ({l})"),
                });
            }
        }
        // A column that is unknown on every row carries no information: drop it so that
        // `high()` answers "no highs" rather than a column of `None`s.
        let keep = |c: Option<OptionalColumn>| c.filter(|v| v.iter().any(Option::is_some));
        Ok(PriceSeries {
            symbol,
            calendar,
            dates,
            close,
            open: keep(open),
            high: keep(high),
            low: keep(low),
            volume: keep(volume),
            missing,
            info: None,
        })
    }

    /// The series with what its loader decided attached.
    pub(crate) fn with_load_info(mut self, info: LoadInfo) -> Self {
        self.info = Some(Box::new(info));
        self
    }

    /// What the loader decided when the series was read from a file: layout, close column,
    /// date format, row order, calendar and warnings (`None` for series built in code).
    pub fn load_info(&self) -> Option<&LoadInfo> {
        self.info.as_deref()
    }

    /// Builds a close-only series from dates and closes.
    pub fn from_closes(
        symbol: impl Into<String>,
        calendar: Calendar,
        dates: Vec<NaiveDate>,
        close: Vec<f64>,
    ) -> Result<Self> {
        let symbol = symbol.into();
        let source = format!("<{symbol}>");
        PriceSeries::new(
            symbol,
            calendar,
            SeriesColumns {
                dates,
                close,
                ..Default::default()
            },
            &source,
        )
    }

    /// The symbol, e.g. `rut` or `btc`.
    pub fn symbol(&self) -> &str {
        &self.symbol
    }

    /// Returns the same series under another symbol.
    pub fn with_symbol(mut self, symbol: impl Into<String>) -> Self {
        self.symbol = symbol.into();
        self
    }

    /// The calendar the series' rows follow.
    pub fn calendar(&self) -> Calendar {
        self.calendar
    }

    /// Number of observations (rows with a close).
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// Always `false` for a constructed series (construction rejects empty input); provided for
    /// symmetry with [`PriceSeries::len`].
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Observation dates, strictly ascending.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// Closing prices, aligned with [`PriceSeries::dates`].
    pub fn close(&self) -> &[f64] {
        &self.close
    }

    /// Opening prices where the source has them (`None` per row: unknown).
    pub fn open(&self) -> Option<&[Option<f64>]> {
        self.open.as_deref()
    }

    /// Intraday highs where the source has them (`None` per row: unknown).
    pub fn high(&self) -> Option<&[Option<f64>]> {
        self.high.as_deref()
    }

    /// Intraday lows where the source has them (`None` per row: unknown).
    pub fn low(&self) -> Option<&[Option<f64>]> {
        self.low.as_deref()
    }

    /// Volume where the source has it (`None` per row: unknown).
    pub fn volume(&self) -> Option<&[Option<f64>]> {
        self.volume.as_deref()
    }

    /// Dates that had a row in the source but no close (missing observations), ascending.
    pub fn missing_dates(&self) -> &[NaiveDate] {
        &self.missing
    }

    /// First observation date.
    pub fn first_date(&self) -> NaiveDate {
        self.dates[0] // non-empty by construction
    }

    /// Last observation date.
    pub fn last_date(&self) -> NaiveDate {
        self.dates[self.dates.len() - 1] // non-empty by construction
    }

    /// Index of the first observation on or after `date`, if any.
    pub fn index_on_or_after(&self, date: NaiveDate) -> Option<usize> {
        let i = self.dates.partition_point(|d| *d < date);
        (i < self.dates.len()).then_some(i)
    }

    /// Index of the last observation on or before `date`, if any.
    pub fn index_on_or_before(&self, date: NaiveDate) -> Option<usize> {
        self.dates.partition_point(|d| *d <= date).checked_sub(1)
    }

    /// Close on `date` exactly, if there is an observation that day.
    pub fn close_on(&self, date: NaiveDate) -> Option<f64> {
        self.dates.binary_search(&date).ok().map(|i| self.close[i])
    }

    /// Simple returns between consecutive observations, `close[i+1] / close[i] - 1`
    /// (length `len() - 1`). Across a missing observation the return spans the gap.
    pub fn simple_returns(&self) -> Vec<f64> {
        self.close.windows(2).map(|w| w[1] / w[0] - 1.0).collect()
    }

    /// Log returns between consecutive observations, `ln(close[i+1] / close[i])`.
    pub fn log_returns(&self) -> Vec<f64> {
        self.close.windows(2).map(|w| (w[1] / w[0]).ln()).collect()
    }

    /// The observations with `from <= date <= to`, as a new series (missing dates outside the
    /// range are dropped with the rows). Errors if the range selects nothing.
    pub fn slice(&self, from: NaiveDate, to: NaiveDate) -> Result<PriceSeries> {
        let lo = self.dates.partition_point(|d| *d < from);
        let hi = self.dates.partition_point(|d| *d <= to);
        if from > to || lo >= hi {
            return Err(Error::OutOfRange {
                symbol: self.symbol.clone(),
                message: format!(
                    "no observations between {from} and {to} (data covers {}..{})",
                    self.first_date(),
                    self.last_date()
                ),
            });
        }
        Ok(self.take_rows(lo, hi, |d| d >= from && d <= to))
    }

    /// The ratio `self / other` on the dates both have, named `self/other` (e.g. `rut/gspc`,
    /// `eth/btc`). Continuous only when both series are; otherwise trading.
    ///
    /// ```
    /// use eventstudy::datasets;
    /// let eth_btc = datasets::load("eth")?.ratio_to(&datasets::load("btc")?)?;
    /// assert_eq!(eth_btc.symbol(), "eth/btc");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn ratio_to(&self, other: &PriceSeries) -> Result<PriceSeries> {
        let (mut i, mut j) = (0, 0);
        let (mut dates, mut close) = (Vec::new(), Vec::new());
        while i < self.len() && j < other.len() {
            match self.dates[i].cmp(&other.dates[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    dates.push(self.dates[i]);
                    close.push(self.close[i] / other.close[j]);
                    i += 1;
                    j += 1;
                }
            }
        }
        let calendar = match (self.calendar, other.calendar) {
            (Calendar::Continuous, Calendar::Continuous) => Calendar::Continuous,
            (Calendar::Weekly, _) | (_, Calendar::Weekly) => Calendar::Weekly,
            _ => Calendar::Trading,
        };
        let symbol = format!("{}/{}", self.symbol, other.symbol);
        if dates.is_empty() {
            return Err(Error::OutOfRange {
                symbol,
                message: "the two series share no dates".into(),
            });
        }
        PriceSeries::from_closes(symbol, calendar, dates, close)
    }

    /// The first `len` rows, as if the data ended there (used to prove rules see no future).
    pub fn truncate_rows(&self, len: usize) -> Result<PriceSeries> {
        if len == 0 || len > self.len() {
            return Err(Error::param("len", len, format!("must be in 1..={}", self.len())));
        }
        let last = self.dates[len - 1];
        Ok(self.take_rows(0, len, |d| d <= last))
    }

    fn take_rows(&self, lo: usize, hi: usize, keep_missing: impl Fn(NaiveDate) -> bool) -> PriceSeries {
        let cut = |c: &Option<OptionalColumn>| c.as_ref().map(|v| v[lo..hi].to_vec());
        PriceSeries {
            symbol: self.symbol.clone(),
            calendar: self.calendar,
            dates: self.dates[lo..hi].to_vec(),
            close: self.close[lo..hi].to_vec(),
            open: cut(&self.open),
            high: cut(&self.high),
            low: cut(&self.low),
            volume: cut(&self.volume),
            missing: self
                .missing
                .iter()
                .copied()
                .filter(|d| keep_missing(*d))
                .collect(),
            info: self.info.clone(),
        }
    }
}

impl fmt::Display for PriceSeries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.close[self.close.len() - 1];
        write!(
            f,
            "{} ({} calendar): {} closes {}..{}, first {} last {}",
            self.symbol,
            self.calendar,
            self.len(),
            self.first_date(),
            self.last_date(),
            fmt_price(self.close[0]),
            fmt_price(last),
        )?;
        let (min, max) = self
            .close
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &c| {
                (lo.min(c), hi.max(c))
            });
        write!(f, ", range {}..{}", fmt_price(min), fmt_price(max))?;
        if let Some(h) = &self.high {
            let known = h.iter().filter(|v| v.is_some()).count();
            write!(f, "; intraday high on {known} rows")?;
        }
        if !self.missing.is_empty() {
            write!(
                f,
                "; {}",
                describe_missing(&self.missing).trim_start_matches("; ")
            )?;
        }
        if let Some(info) = &self.info {
            write!(f, "\n  read as {info}")?;
        }
        Ok(())
    }
}

/// Prices span 1e-4 (early DOGE) to 1e5 (BTC): keep about six significant digits.
fn fmt_price(p: f64) -> String {
    if p >= 100.0 {
        format!("{p:.2}")
    } else if p >= 1.0 {
        format!("{p:.4}")
    } else {
        format!("{p:.6e}")
    }
}

fn describe_missing(missing: &[NaiveDate]) -> String {
    match missing {
        [] => String::new(),
        [d] => format!("; 1 missing observation skipped ({d})"),
        [first, .., last] if missing.len() > 5 => {
            format!(
                "; {} missing observations skipped ({first}..{last})",
                missing.len()
            )
        }
        _ => {
            let list: Vec<String> = missing.iter().map(ToString::to_string).collect();
            format!(
                "; {} missing observations skipped ({})",
                missing.len(),
                list.join(", ")
            )
        }
    }
}

fn check_order(
    source: &str,
    row: usize,
    previous_row: usize,
    previous: NaiveDate,
    date: NaiveDate,
) -> Result<()> {
    if date == previous {
        return Err(Error::DuplicateDate {
            file: source.to_string(),
            row,
            first_row: previous_row,
            date,
        });
    }
    if date < previous {
        return Err(Error::UnsortedDates {
            file: source.to_string(),
            row,
            date,
            previous_row,
            previous,
        });
    }
    Ok(())
}

fn check_weekday(source: &str, row: usize, date: NaiveDate) -> Result<()> {
    match date.weekday() {
        w @ (Weekday::Sat | Weekday::Sun) => Err(Error::WeekendOnTradingCalendar {
            file: source.to_string(),
            row,
            date,
            weekday: if w == Weekday::Sat { "Saturday" } else { "Sunday" }.to_string(),
        }),
        _ => Ok(()),
    }
}

fn check_price(source: &str, row: usize, column: &str, v: f64) -> Result<()> {
    let reason = if v.is_nan() {
        "NaN is not a price (leave the field empty for a missing observation)"
    } else if v.is_infinite() {
        "an infinite price is not a price"
    } else if v == 0.0 {
        "a price of zero is not a price (leave the field empty for a missing observation)"
    } else if v < 0.0 {
        "prices must be > 0"
    } else {
        return Ok(());
    };
    Err(Error::InvalidPrice {
        file: source.to_string(),
        row,
        column: column.to_string(),
        value: v.to_string(),
        reason: reason.to_string(),
    })
}
