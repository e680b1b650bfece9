//! Reading price CSVs in the layouts people download.
//!
//! The file is split into text cells by the `csv` crate (nothing is inferred: with type
//! inference one bad date can silently leave a whole column as text), the layout is recognised
//! from the header ([`Layout`]), and each cell is parsed here, so an error can name the file,
//! row, column and value. What was decided is kept on the series as [`LoadInfo`].

mod cells;
mod info;
mod layout;
mod load;
mod table;

use std::path::Path;

use chrono::NaiveDate;

pub use info::{LoadInfo, LoadWarning};
pub use layout::Layout;

use cells::iso_date;
pub(crate) use layout::{find_close, find_key, key};
pub(crate) use load::infer_calendar;
pub(crate) use table::{Table, read_table};

use super::series::{Calendar, PriceSeries};
use crate::error::{Error, Result};

/// The earlier name of [`Layout`].
pub type CsvLayout = Layout;

/// How to read a CSV: explicit columns, date format, calendar and the few choices a layout
/// leaves open. Anything left unset is detected from the header ([`Layout`]) or the data.
///
/// ```
/// use eventstudy::{Calendar, CsvOptions};
/// let opts = CsvOptions::new().calendar(Calendar::Trading).close_column("Adj Close");
/// let unadjusted = CsvOptions::new().adjusted_close(false).two_digit_year_pivot(50);
/// let from_calendar: CsvOptions = Calendar::Continuous.into();
/// # let _ = (opts, unadjusted, from_calendar);
/// ```
#[derive(Debug, Clone)]
pub struct CsvOptions {
    pub(crate) calendar: Option<Calendar>,
    pub(crate) date_column: Option<String>,
    pub(crate) close_column: Option<String>,
    pub(crate) open_column: Option<String>,
    pub(crate) high_column: Option<String>,
    pub(crate) low_column: Option<String>,
    pub(crate) volume_column: Option<String>,
    pub(crate) date_format: Option<String>,
    pub(crate) delimiter: Option<u8>,
    pub(crate) adjusted: bool,
    pub(crate) pivot: u32,
    pub(crate) resample_daily: bool,
    pub(crate) ticker: Option<String>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            calendar: None,
            date_column: None,
            close_column: None,
            open_column: None,
            high_column: None,
            low_column: None,
            volume_column: None,
            date_format: None,
            delimiter: None,
            adjusted: true,
            pivot: cells::DEFAULT_PIVOT,
            resample_daily: false,
            ticker: None,
        }
    }
}

impl CsvOptions {
    /// Detect everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declare the calendar. Without it: weekly if the median gap between dates is 6 days or
    /// more, continuous if any date is a Saturday or Sunday, otherwise trading.
    pub fn calendar(mut self, calendar: Calendar) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// Name the date column (case-insensitive).
    pub fn date_column(mut self, name: impl Into<String>) -> Self {
        self.date_column = Some(name.into());
        self
    }

    /// Name the close column (case-insensitive); it overrides the layout's choice.
    pub fn close_column(mut self, name: impl Into<String>) -> Self {
        self.close_column = Some(name.into());
        self
    }

    /// Name the open column (case-insensitive).
    pub fn open_column(mut self, name: impl Into<String>) -> Self {
        self.open_column = Some(name.into());
        self
    }

    /// Name the intraday-high column (case-insensitive).
    pub fn high_column(mut self, name: impl Into<String>) -> Self {
        self.high_column = Some(name.into());
        self
    }

    /// Name the intraday-low column (case-insensitive).
    pub fn low_column(mut self, name: impl Into<String>) -> Self {
        self.low_column = Some(name.into());
        self
    }

    /// Name the volume column (case-insensitive).
    pub fn volume_column(mut self, name: impl Into<String>) -> Self {
        self.volume_column = Some(name.into());
        self
    }

    /// A chrono format for the dates, e.g. `"%m/%d/%Y"` for `01/02/2020`. Without it the
    /// format is inferred from the whole column: ISO (`2020-01-02`, optionally with a time),
    /// `2020/01/02`, `20200102`, month names (`Dec 30, 2003`, `30-Dec-03`), and numeric
    /// day/month dates only when some row proves the order (a first number above 12 means
    /// day-first, a second one month-first); `01/02/2020` on every row is refused
    /// ([`Error::AmbiguousDates`]), except in layouts that state month-first (Nasdaq, WSJ).
    pub fn date_format(mut self, format: impl Into<String>) -> Self {
        self.date_format = Some(format.into());
        self
    }

    /// The field separator (`b','`, `b';'`, `b'\t'`); detected from the header line otherwise.
    /// In a `;`-separated file whose closes contain a `,`, the comma is the decimal point
    /// (`1.234,5`), as European spreadsheets write it.
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Prefer the adjusted close (`Adj Close`, `adjusted_close`) where a layout has one
    /// (default `true`: returns include dividends and splits); `false` takes the close as
    /// traded.
    pub fn adjusted_close(mut self, adjusted: bool) -> Self {
        self.adjusted = adjusted;
        self
    }

    /// Two-digit years (`06/01/22`, `30-Dec-03`): `yy < pivot` is 20yy, otherwise 19yy.
    /// The default, 69, is the POSIX `%y` rule; the pivot used is recorded in
    /// [`LoadInfo::date_format`].
    pub fn two_digit_year_pivot(mut self, pivot: u32) -> Self {
        self.pivot = pivot.min(100);
        self
    }

    /// Intraday files (several bars on a date): keep the last bar of each date as its close
    /// instead of refusing the file ([`Error::Intraday`]). Dates follow the layout's rule
    /// (see [`Layout`]).
    pub fn resample_daily(mut self, resample: bool) -> Self {
        self.resample_daily = resample;
        self
    }

    /// The ticker to read from a yfinance file with columns for several.
    pub fn ticker(mut self, ticker: impl Into<String>) -> Self {
        self.ticker = Some(ticker.into());
        self
    }
}

impl From<Calendar> for CsvOptions {
    fn from(calendar: Calendar) -> Self {
        CsvOptions::new().calendar(calendar)
    }
}

impl PriceSeries {
    /// Reads a price CSV, detecting its layout from the header (see [`Layout`] for every
    /// layout and the column each takes as the close).
    ///
    /// Rows with an empty close (or FRED's `.`, `null`, `NA`) are missing observations: skipped
    /// and listed in [`PriceSeries::missing_dates`]. A file whose first date is later than its
    /// last (newest first, as many sites export) is reversed; any other disorder, a duplicate
    /// date (unless the whole row repeats the one before, which is collapsed and reported), a
    /// non-positive or non-finite price, or an unparsable date or price is an error naming the
    /// file, row, column and value. A bad volume is a warning (the studies never read volume).
    /// Quoted thousands separators (`"1,234.5"`), `$`, a UTF-8 BOM, CRLF line endings and blank
    /// lines are accepted. What was decided is in [`PriceSeries::load_info`].
    ///
    /// ```no_run
    /// let btc = eventstudy::PriceSeries::from_csv("BTC-USD.csv", "btc")?;
    /// println!("{btc}");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn from_csv(path: impl AsRef<Path>, symbol: &str) -> Result<PriceSeries> {
        Self::from_csv_with(path, symbol, CsvOptions::new())
    }

    /// [`PriceSeries::from_csv`] with explicit options.
    pub fn from_csv_with(
        path: impl AsRef<Path>,
        symbol: &str,
        options: impl Into<CsvOptions>,
    ) -> Result<PriceSeries> {
        let path = path.as_ref();
        Self::from_csv_bytes(&read_file(path)?, symbol, options, &path.display().to_string())
    }

    /// Parses CSV bytes already in memory; `source` names them in errors.
    ///
    /// ```
    /// let csv = "\"Date\",\"Price\",\"Open\",\"High\",\"Low\",\"Vol.\",\"Change %\"\n\
    ///            \"01/31/2021\",\"1,234.5\",\"1,200\",\"1,240\",\"1,190\",\"1.2M\",\"2.5%\"\n\
    ///            \"01/29/2021\",\"1,204.4\",\"1,190\",\"1,210\",\"1,180\",\"0.9M\",\"-0.1%\"\n";
    /// let s = eventstudy::PriceSeries::from_csv_bytes(csv.as_bytes(), "x", eventstudy::CsvOptions::new(), "inv.csv")?;
    /// let info = s.load_info().unwrap();
    /// assert_eq!((info.layout, info.close_column.as_str()), (eventstudy::Layout::Investing, "Price"));
    /// assert!(info.newest_first && info.date_format.starts_with("%m/%d/%Y"));
    /// assert_eq!(s.close(), [1204.4, 1234.5]);
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn from_csv_bytes(
        bytes: &[u8],
        symbol: &str,
        options: impl Into<CsvOptions>,
        source: &str,
    ) -> Result<PriceSeries> {
        load::load(bytes, symbol, &options.into(), source)
    }
}

/// A file's bytes, or [`Error::Io`] naming it.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses an ISO date, or an ISO date followed by a time (`2014-01-03 00:00:00 UTC`,
/// `2020-01-02T00:00:00Z`): the date label is kept.
pub(crate) fn parse_date(value: &str) -> Option<NaiveDate> {
    iso_date(value.trim())
}

/// Parses a number (`1234.5`, `"1,234.5"`, `$12`, `8.61E+11`).
pub(crate) fn parse_number(value: &str) -> Option<f64> {
    cells::parse_number(value, false).ok()
}

/// A date cell of a table, or [`Error::BadDate`] naming its row, column and value.
pub(crate) fn date_cell(table: &Table, col: usize, row: usize, source: &str) -> Result<NaiveDate> {
    let cell = table.cell(col, row).unwrap_or("");
    parse_date(cell).ok_or_else(|| Error::BadDate {
        file: source.to_string(),
        row: table.rows[row],
        column: table.headers[col].clone(),
        value: cell.to_string(),
        expected: "YYYY-MM-DD".into(),
    })
}

/// A header column by name, case-insensitive.
pub(crate) fn find(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| h.eq_ignore_ascii_case(name))
}

/// The layout [`PriceSeries::from_csv`] would detect for a header line (a single line: the
/// yfinance and headerless Binance layouts need the rows that follow, so give the whole file
/// to [`detect_layout`]).
///
/// ```
/// use eventstudy::{Layout, detect_csv_layout};
/// assert_eq!(detect_csv_layout("snapped_at,price,market_cap,total_volume"), Some(Layout::CoinGecko));
/// assert_eq!(detect_csv_layout("observation_date,CBBTCUSD"), Some(Layout::Fred));
/// assert_eq!(detect_csv_layout("timeOpen;timeClose;timeHigh;timeLow;name;open;high;low;close;volume;marketCap;timestamp"), Some(Layout::CoinMarketCap));
/// assert_eq!(detect_csv_layout("when,what"), None);
/// ```
pub fn detect_csv_layout(header: &str) -> Option<Layout> {
    detect_layout(header.as_bytes())
}

/// The layout [`PriceSeries::from_csv`] would detect for a file's bytes (`None` if it knows
/// none, or the text is not a CSV it can read).
///
/// ```
/// let yf = "Price,Close,High,Low,Open,Volume\nTicker,SPY,SPY,SPY,SPY,SPY\nDate,,,,,\n2015-07-01,174.9,175.3,174.1,175.1,135979900\n";
/// assert_eq!(eventstudy::detect_layout(yf.as_bytes()), Some(eventstudy::Layout::Yfinance));
/// ```
pub fn detect_layout(bytes: &[u8]) -> Option<Layout> {
    let table = table::read_table_with(
        bytes,
        "<header>",
        table::TableOptions {
            delimiter: None,
            price_file: true,
        },
    )
    .ok()?;
    layout::detect(&table, true).map(|spec| spec.layout)
}
