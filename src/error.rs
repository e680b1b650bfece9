//! The crate's one error type.
//!
//! Every way that user data or user parameters can be wrong has a variant here, and each
//! variant carries what a person needs to find the problem: the file (or other source), the
//! row as a spreadsheet shows it (1-based, the header is row 1), the column and the value.

use std::path::PathBuf;

use chrono::NaiveDate;

/// A specialised `Result` whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in `eventstudy`.
///
/// Variants name the source of the data in `file`: a path for files on disk,
/// `bundled:rut.csv` for the embedded datasets and `<DataFrame>` for polars input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be opened or read.
    #[error("{}: cannot read file: {source}", path.display())]
    Io {
        /// The path as given.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },

    /// The file holds no bytes (or only white space).
    #[error("{file}: the file is empty")]
    EmptyFile {
        /// Where the data came from.
        file: String,
    },

    /// The file has a header but no data row with a usable observation.
    #[error("{file}: no data rows below the header{detail}")]
    NoData {
        /// Where the data came from.
        file: String,
        /// Extra context, e.g. how many rows were missing observations.
        detail: String,
    },

    /// The header matches none of the recognised CSV layouts.
    #[error(
        "{file}: unknown CSV layout with columns [{}]; recognised: Yahoo (Date,Open,High,Low,Close,Adj Close,Volume), \
         yfinance (Price/Ticker/Date header rows), Stooq/OHLCV (Date,Open,High,Low,Close[,Volume]; Polish Data,Zamkniecie), \
         Investing.com (Date,Price,…,Change %), CoinMarketCap (timeOpen;…;close), CryptoDataDownload (unix,…,close), \
         Binance klines, Kaggle coin_*.csv, Nasdaq (Date,Close/Last), Alpha Vantage (timestamp,…,close), WSJ, \
         CoinGecko (snapped_at,price,...), FRED (observation_date,VALUE), plain (date,close); or name the columns with CsvOptions",
        headers.join(",")
    )]
    UnknownLayout {
        /// Where the data came from.
        file: String,
        /// The header as read.
        headers: Vec<String>,
    },

    /// A column that the layout or the options require is not in the header.
    #[error("{file}: no column named {column:?} (columns: [{}])", headers.join(","))]
    MissingColumn {
        /// Where the data came from.
        file: String,
        /// The column that was looked for.
        column: String,
        /// The header as read.
        headers: Vec<String>,
    },

    /// The CSV reader itself failed (not UTF-8 text, a broken record).
    #[error("{file}: malformed CSV: {message}")]
    Csv {
        /// Where the data came from.
        file: String,
        /// The reader's message.
        message: String,
    },

    /// A data row has more or fewer fields than the header.
    #[error("{file}: row {row} has {fields} fields, but the header has {expected}")]
    RaggedRow {
        /// Where the data came from.
        file: String,
        /// 1-based line of the row in the file (header = 1).
        row: usize,
        /// Fields in the row.
        fields: usize,
        /// Fields in the header.
        expected: usize,
    },

    /// A date cell could not be parsed.
    #[error("{file}: row {row}, column {column:?}: cannot parse date {value:?} (expected {expected})")]
    BadDate {
        /// Where the data came from.
        file: String,
        /// 1-based row as a spreadsheet shows it (header = row 1).
        row: usize,
        /// Column name.
        column: String,
        /// The cell as read.
        value: String,
        /// The accepted formats.
        expected: String,
    },

    /// A numeric cell is not a number.
    #[error("{file}: row {row}, column {column:?}: {value:?} is not a number{hint}")]
    BadNumber {
        /// Where the data came from.
        file: String,
        /// 1-based row as a spreadsheet shows it (header = row 1).
        row: usize,
        /// Column name.
        column: String,
        /// The cell as read.
        value: String,
        /// What the cell looks like, when that says more (empty otherwise), e.g. that
        /// `14.748.800.659.179.600` is a number damaged by a European-locale spreadsheet.
        hint: String,
    },

    /// Numeric dates whose day and month are 12 or less on every row: `01/02/2021` is January 2
    /// on a US site and February 1 elsewhere, and nothing in the file says which.
    #[error(
        "{file}: column {column:?}: dates such as {value:?} (row {row}) read both as month/day and \
         day/month, and no day above 12 proves which; set CsvOptions::date_format, e.g. \
         \"%m/%d/%Y\" (US sites) or \"%d/%m/%Y\""
    )]
    AmbiguousDates {
        /// Where the data came from.
        file: String,
        /// The date column.
        column: String,
        /// Row of the first date.
        row: usize,
        /// The first date as written.
        value: String,
    },

    /// A yfinance file with columns for several tickers.
    #[error("{file}: the header has columns for several tickers ({}); choose one with CsvOptions::ticker", tickers.join(", "))]
    MultipleTickers {
        /// Where the data came from.
        file: String,
        /// The tickers named in the header.
        tickers: Vec<String>,
    },

    /// Bars finer than daily (several rows on one date at different times).
    #[error(
        "{file}: row {row}: a second bar on {date} (intraday data); the studies use daily closes: \
         set CsvOptions::resample_daily(true) to keep the last bar of each date"
    )]
    Intraday {
        /// Where the data came from.
        file: String,
        /// Row of the second bar of the date.
        row: usize,
        /// The date.
        date: NaiveDate,
    },

    /// A price is a number but not a valid price (zero, negative, NaN or infinite), or the
    /// row's prices contradict each other (high below low).
    #[error("{file}: row {row}, column {column:?}: invalid value {value:?}: {reason}")]
    InvalidPrice {
        /// Where the data came from.
        file: String,
        /// 1-based row as a spreadsheet shows it (header = row 1).
        row: usize,
        /// Column name.
        column: String,
        /// The cell as read.
        value: String,
        /// Why it is rejected.
        reason: String,
    },

    /// The same date appears twice.
    #[error("{file}: row {row}: duplicate date {date} (first seen in row {first_row})")]
    DuplicateDate {
        /// Where the data came from.
        file: String,
        /// Row of the second occurrence.
        row: usize,
        /// Row of the first occurrence.
        first_row: usize,
        /// The repeated date.
        date: NaiveDate,
    },

    /// Dates are neither ascending nor (as a whole file) descending.
    #[error(
        "{file}: row {row}: date {date} comes after {previous} in row {previous_row}; dates must be in \
         ascending order (a file in strictly descending order is reversed; any other order is rejected)"
    )]
    UnsortedDates {
        /// Where the data came from.
        file: String,
        /// Row of the out-of-order date.
        row: usize,
        /// The out-of-order date.
        date: NaiveDate,
        /// Row of the date before it.
        previous_row: usize,
        /// The date before it.
        previous: NaiveDate,
    },

    /// A Saturday or Sunday row in a series declared to be on a trading calendar.
    #[error(
        "{file}: row {row}: {date} is a {weekday} but the series was declared Calendar::Trading \
         (use Calendar::Continuous for 7-day data)"
    )]
    WeekendOnTradingCalendar {
        /// Where the data came from.
        file: String,
        /// 1-based row.
        row: usize,
        /// The weekend date.
        date: NaiveDate,
        /// "Saturday" or "Sunday".
        weekday: String,
    },

    /// Columns of a series have different lengths, or other construction invariants fail.
    #[error("{file}: {message}")]
    InvalidSeries {
        /// Where the data came from.
        file: String,
        /// What is wrong.
        message: String,
    },

    /// No bundled dataset has this symbol.
    #[error("unknown dataset {symbol:?}; bundled datasets: {}", known.join(", "))]
    UnknownDataset {
        /// The symbol asked for.
        symbol: String,
        /// The symbols that exist.
        known: Vec<String>,
    },

    /// A parameter is outside its valid range.
    #[error("invalid parameter {name} = {value}: {reason}")]
    InvalidParameter {
        /// Parameter name, e.g. `draws`.
        name: &'static str,
        /// The value given, formatted.
        value: String,
        /// What is allowed.
        reason: String,
    },

    /// A date range selects nothing, or a date lies outside the data.
    #[error("{symbol}: {message}")]
    OutOfRange {
        /// The series concerned.
        symbol: String,
        /// What was asked and what the data covers.
        message: String,
    },

    /// A rule needs a column the series does not have (e.g. intraday highs).
    #[error("{symbol}: {message}")]
    MissingData {
        /// The series concerned.
        symbol: String,
        /// What is missing and why it is needed.
        message: String,
    },

    /// An error from polars at the DataFrame boundary.
    #[error("polars: {0}")]
    Polars(#[from] polars::error::PolarsError),

    /// Drawing a chart failed.
    #[error("chart {chart:?}: {message}")]
    Chart {
        /// The chart's title.
        chart: String,
        /// What went wrong.
        message: String,
    },

    /// Writing a report or chart failed.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The path being written.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// Shorthand for [`Error::InvalidParameter`].
    pub(crate) fn param(
        name: &'static str,
        value: impl std::fmt::Display,
        reason: impl Into<String>,
    ) -> Self {
        Error::InvalidParameter {
            name,
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}
