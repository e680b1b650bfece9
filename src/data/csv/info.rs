//! What a loader decided about a file, kept on the series it made.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::layout::Layout;
use crate::data::Calendar;

/// How a series was read: the layout detected, the column taken as the close, the date format
/// and row order, the calendar and anything worth a warning. Kept on the series
/// ([`PriceSeries::load_info`](crate::PriceSeries::load_info)) and shown by its `Display`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LoadInfo {
    /// Where the data came from (the path as given).
    pub source: String,
    /// The layout detected (or [`Layout::Custom`] for named columns).
    pub layout: Layout,
    /// The date column, as the header names it.
    pub date_column: String,
    /// The column taken as the close, as the header names it.
    pub close_column: String,
    /// How dates were read, e.g. `%Y-%m-%d`, `%m/%d/%Y (inferred: day 31 in the second field,
    /// row 5)` or `unix time … → UTC date`.
    pub date_format: String,
    /// The file listed its rows newest first (they were reversed).
    pub newest_first: bool,
    /// The calendar, and whether it was inferred from the dates (not declared).
    pub calendar: Calendar,
    /// `true` when the calendar was inferred.
    pub calendar_inferred: bool,
    /// The field separator.
    pub delimiter: char,
    /// Numbers used `,` as the decimal point (a `;`-separated European spreadsheet).
    pub decimal_comma: bool,
    /// The ticker a yfinance header names, if any.
    pub ticker: Option<String>,
    /// Data rows read from the file (with a close, missing, or collapsed as duplicates).
    pub rows_read: usize,
    /// What was accepted with a remark: nothing in it changed a close.
    pub warnings: Vec<LoadWarning>,
}

/// Something a loader accepted but reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LoadWarning {
    /// A value in a column the studies never use (volume) was not valid and is treated as
    /// unknown.
    UnusedValue {
        /// File line.
        row: usize,
        /// Column as the header names it.
        column: String,
        /// The cell.
        value: String,
        /// Why it was not used.
        reason: String,
    },
    /// A row identical to the one before it (an Excel artefact) was collapsed into it.
    DuplicateRow {
        /// File line of the repeat.
        row: usize,
        /// File line of the row kept.
        first_row: usize,
        /// Their date.
        date: NaiveDate,
    },
    /// A one-field line above the header was skipped (CryptoDataDownload's URL line).
    SkippedLine {
        /// File line.
        line: usize,
        /// Its text.
        text: String,
    },
    /// Rows that omit trailing fields, accepted because the layout is known to (Stooq).
    ShortRows {
        /// How many rows.
        count: usize,
        /// The first of them (file line).
        first_row: usize,
        /// The columns they omit.
        columns: Vec<String>,
    },
    /// Intraday bars were resampled to daily closes, as asked.
    Resampled {
        /// Bars read.
        bars: usize,
        /// Days kept (the last bar of each date).
        days: usize,
    },
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadWarning::UnusedValue {
                row,
                column,
                value,
                reason,
            } => write!(
                f,
                "row {row}, column {column:?}: {value:?} {reason}; read as unknown"
            ),
            LoadWarning::DuplicateRow { row, first_row, date } => {
                write!(f, "row {row} repeats row {first_row} ({date}) exactly; collapsed")
            }
            LoadWarning::SkippedLine { line, text } => {
                write!(f, "line {line} above the header skipped: {text:?}")
            }
            LoadWarning::ShortRows {
                count,
                first_row,
                columns,
            } => write!(
                f,
                "{count} rows (first: row {first_row}) omit {}; read as unknown",
                columns.join(", ")
            ),
            LoadWarning::Resampled { bars, days } => {
                write!(
                    f,
                    "{bars} intraday bars resampled to {days} daily closes (last bar of each date)"
                )
            }
        }
    }
}

impl fmt::Display for LoadInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} layout, close column {:?}, dates {:?} {}",
            self.layout, self.close_column, self.date_column, self.date_format
        )?;
        if self.newest_first {
            write!(f, ", newest first (reversed)")?;
        }
        write!(
            f,
            ", {} calendar {}",
            self.calendar,
            if self.calendar_inferred {
                "inferred"
            } else {
                "declared"
            }
        )?;
        if self.delimiter != ',' {
            write!(f, ", separator {:?}", self.delimiter)?;
        }
        if self.decimal_comma {
            write!(f, ", decimal comma")?;
        }
        if let Some(t) = &self.ticker {
            write!(f, ", ticker {t}")?;
        }
        match self.warnings.as_slice() {
            [] => Ok(()),
            [w] => write!(f, "; warning: {w}"),
            [w, rest @ ..] => write!(f, "; {} warnings, first: {w}", rest.len() + 1),
        }
    }
}
