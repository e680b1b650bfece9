//! Reading price CSVs in the layouts people download.
//!
//! The file is split into text cells by the `csv` crate (nothing is inferred: with type
//! inference one bad date can silently leave a whole column as text), then each cell is parsed
//! here, so an error can name the file, row, column and value.

use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::series::{Calendar, OptionalColumn, PriceSeries, SeriesColumns};
use crate::error::{Error, Result};

/// A CSV layout that [`PriceSeries::from_csv`] recognises from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub enum CsvLayout {
    /// Yahoo Finance download: `Date,Open,High,Low,Close,Adj Close,Volume`. The unadjusted
    /// `Close` is used (set [`CsvOptions::close_column`] to `"Adj Close"` for total returns).
    Yahoo,
    /// Stooq and similar OHLC files: `Date,Open,High,Low,Close[,Volume]` (also the bundled
    /// `rut.csv`).
    Ohlcv,
    /// CoinGecko export: `snapped_at,price,market_cap,total_volume`, one 00:00 UTC snapshot a
    /// day. The snapshot labelled D is used as the close of D, with no shift: lag tests against
    /// exchange closes (see `data/SOURCES.md`) match at lag 0 and are several percent off at a
    /// one-day shift.
    CoinGecko,
    /// FRED download: `observation_date,SERIES` (or the older `DATE,SERIES`), `.` for missing.
    Fred,
    /// Plain `date,close` (any extra columns are ignored).
    DateClose,
    /// Columns named explicitly through [`CsvOptions`].
    Custom,
}

/// How to read a CSV: explicit columns, date format and calendar. Anything left unset is
/// detected from the header ([`CsvLayout`]) or the data.
///
/// ```
/// use eventstudy::{Calendar, CsvOptions};
/// let opts = CsvOptions::new().calendar(Calendar::Trading).close_column("Adj Close");
/// let from_calendar: CsvOptions = Calendar::Continuous.into();
/// # let _ = (opts, from_calendar);
/// ```
#[derive(Debug, Clone, Default)]
pub struct CsvOptions {
    calendar: Option<Calendar>,
    date_column: Option<String>,
    close_column: Option<String>,
    open_column: Option<String>,
    high_column: Option<String>,
    low_column: Option<String>,
    volume_column: Option<String>,
    date_format: Option<String>,
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

    /// Name the close column (case-insensitive).
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

    /// A chrono format for dates that are not ISO, e.g. `"%m/%d/%Y"` for `01/02/2020`.
    /// Without it only ISO dates (`2020-01-02`, optionally followed by a time) are accepted:
    /// `01/02/2020` is ambiguous (January 2 in the US, February 1 elsewhere) and is rejected.
    pub fn date_format(mut self, format: impl Into<String>) -> Self {
        self.date_format = Some(format.into());
        self
    }
}

impl From<Calendar> for CsvOptions {
    fn from(calendar: Calendar) -> Self {
        CsvOptions::new().calendar(calendar)
    }
}

/// Cells that mean "no observation": skipped and counted, never an error.
const MISSING_MARKERS: [&str; 5] = ["", ".", "null", "NA", "N/A"];

const ISO_EXPECTED: &str = "an ISO date such as 2020-01-02, optionally followed by a time; \
                            for other formats set CsvOptions::date_format, e.g. \"%m/%d/%Y\"";

impl PriceSeries {
    /// Reads a price CSV, detecting its layout from the header (see [`CsvLayout`]).
    ///
    /// Rows with an empty close (or FRED's `.`, or `null`/`NA`) are missing observations:
    /// skipped and listed in [`PriceSeries::missing_dates`]. A file whose dates are in strictly
    /// descending order (as some sites export) is reversed; any other disorder, a duplicate date,
    /// a non-positive or non-finite price, or an unparsable cell is an error naming the file,
    /// row, column and value. Quoted thousands separators (`"1,234.5"`), a UTF-8 BOM, CRLF line
    /// endings and blank lines are accepted.
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
    pub fn from_csv_bytes(
        bytes: &[u8],
        symbol: &str,
        options: impl Into<CsvOptions>,
        source: &str,
    ) -> Result<PriceSeries> {
        let options = options.into();
        let table = read_table(bytes, source)?;
        let columns = resolve_columns(&table.headers, &options, source)?;
        parse_rows(&table, &columns, &options, symbol, source)
    }
}

/// A file's bytes, or [`Error::Io`] naming it.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// A date cell of a table, or [`Error::BadDate`] naming its row, column and value.
pub(crate) fn date_cell(table: &Table, col: usize, row: usize, source: &str) -> Result<NaiveDate> {
    let cell = table.cell(col, row).unwrap_or("");
    parse_date(cell, None).ok_or_else(|| Error::BadDate {
        file: source.to_string(),
        row: table.rows[row],
        column: table.headers[col].clone(),
        value: cell.to_string(),
        expected: "YYYY-MM-DD".into(),
    })
}

/// The CSV as strings, with each data row's line number in the file.
pub(crate) struct Table {
    /// Header names, trimmed.
    pub(crate) headers: Vec<String>,
    /// Every data cell, row after row, unquoted, one after another.
    text: String,
    /// The end of each cell in `text` (row-major, `headers.len()` per row).
    ends: Vec<u32>,
    /// The file line of each data row (1-based, header = 1), blank lines skipped.
    pub(crate) rows: Vec<usize>,
}

pub(crate) fn read_table(bytes: &[u8], source: &str) -> Result<Table> {
    let file = || source.to_string();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(Error::Csv {
            file: file(),
            message: format!("not UTF-8 text ({e})"),
        });
    }
    // Field counts are checked here, where the error can name the line; quoting is the
    // standard one (RFC 4180), so a quoted field may hold commas and line breaks.
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = ::csv::StringRecord::new();
    let mut headers: Option<Vec<String>> = None;
    let mut text = String::with_capacity(bytes.len());
    let mut ends = Vec::new();
    let mut rows = Vec::new();
    // Lines are counted here from each record's byte offset: the reader's own count leaves
    // out the empty lines it skips.
    let (mut line, mut counted) = (1usize, 0usize);
    let mut line_at = |mut byte: usize| {
        // A record's position is where the reader started, before the empty lines it skipped.
        while matches!(bytes.get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        line += bytes.get(counted..byte).map_or(0, line_breaks);
        counted = byte;
        line
    };
    loop {
        let next = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(Error::Csv {
                    file: file(),
                    message: format!("line {}: {e}", line_at(next)),
                });
            }
        }
        // A line of nothing but spaces is blank, as an empty line is.
        if record.len() == 1 && record[0].trim().is_empty() {
            continue;
        }
        let line = line_at(record.position().map_or(next, |p| p.byte() as usize));
        let Some(header) = &headers else {
            headers = Some(record.iter().map(|h| h.trim().to_string()).collect());
            continue;
        };
        if record.len() != header.len() {
            return Err(Error::RaggedRow {
                file: file(),
                row: line,
                fields: record.len(),
                expected: header.len(),
            });
        }
        for field in &record {
            text.push_str(field);
            ends.push(u32::try_from(text.len()).map_err(|_| Error::Csv {
                file: file(),
                message: "larger than 4 GiB".into(),
            })?);
        }
        rows.push(line);
    }
    let Some(headers) = headers else {
        return Err(Error::EmptyFile { file: file() });
    };
    Ok(Table {
        headers,
        text,
        ends,
        rows,
    })
}

/// Line breaks in `bytes`: `\n`, `\r\n` or a lone `\r`, as the reader splits records.
fn line_breaks(bytes: &[u8]) -> usize {
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

impl Table {
    /// The cell of column `col` in data row `row` (None when empty, as a missing value).
    pub(crate) fn cell(&self, col: usize, row: usize) -> Option<&str> {
        let i = row * self.headers.len() + col;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let cell = &self.text[start..self.ends[i] as usize];
        (!cell.is_empty()).then_some(cell)
    }
}

/// Column indices for each field.
#[derive(Debug)]
struct Columns {
    date: usize,
    close: usize,
    open: Option<usize>,
    high: Option<usize>,
    low: Option<usize>,
    volume: Option<usize>,
}

pub(crate) fn find(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| h.eq_ignore_ascii_case(name))
}

fn detect_layout(headers: &[String]) -> Option<CsvLayout> {
    let has = |n: &str| find(headers, n).is_some();
    if has("snapped_at") && has("price") {
        Some(CsvLayout::CoinGecko)
    } else if headers.len() == 2
        && (headers[0].eq_ignore_ascii_case("observation_date") || headers[0] == "DATE")
        && !headers[1].eq_ignore_ascii_case("close")
    {
        Some(CsvLayout::Fred)
    } else if has("date") && has("close") && has("adj close") {
        Some(CsvLayout::Yahoo)
    } else if has("date") && has("open") && has("high") && has("low") && has("close") {
        Some(CsvLayout::Ohlcv)
    } else if has("date") && has("close") {
        Some(CsvLayout::DateClose)
    } else {
        None
    }
}

fn resolve_columns(headers: &[String], options: &CsvOptions, source: &str) -> Result<Columns> {
    let required = |name: &str| {
        find(headers, name).ok_or_else(|| Error::MissingColumn {
            file: source.to_string(),
            column: name.to_string(),
            headers: headers.to_vec(),
        })
    };
    let optional = |explicit: &Option<String>, default: &str| -> Result<Option<usize>> {
        match explicit {
            Some(name) => required(name).map(Some),
            None => Ok(find(headers, default)),
        }
    };
    let layout = match (&options.date_column, &options.close_column) {
        (Some(_), Some(_)) => CsvLayout::Custom,
        _ => match detect_layout(headers) {
            Some(layout) => layout,
            // A date column but no close: say which column is missing, not "unknown layout".
            None if options.close_column.is_none() && find(headers, "date").is_some() => {
                return Err(Error::MissingColumn {
                    file: source.to_string(),
                    column: "close".into(),
                    headers: headers.to_vec(),
                });
            }
            None if options.date_column.is_none() || options.close_column.is_none() => {
                return Err(Error::UnknownLayout {
                    file: source.to_string(),
                    headers: headers.to_vec(),
                });
            }
            None => CsvLayout::Custom,
        },
    };
    let (date_default, close_default) = match layout {
        CsvLayout::CoinGecko => ("snapped_at", "price"),
        CsvLayout::Fred => (headers[0].as_str(), headers[1].as_str()),
        _ => ("date", "close"),
    };
    Ok(Columns {
        date: required(options.date_column.as_deref().unwrap_or(date_default))?,
        close: required(options.close_column.as_deref().unwrap_or(close_default))?,
        open: optional(&options.open_column, "open")?,
        high: optional(&options.high_column, "high")?,
        low: optional(&options.low_column, "low")?,
        volume: optional(&options.volume_column, "volume")?,
    })
}

fn is_missing(cell: Option<&str>) -> bool {
    match cell {
        None => true,
        Some(c) => MISSING_MARKERS.iter().any(|m| c.trim().eq_ignore_ascii_case(m)),
    }
}

/// Parses an ISO date, or an ISO date followed by a time (`2014-01-03 00:00:00 UTC`,
/// `2020-01-02T00:00:00Z`): the date label is kept.
pub(crate) fn parse_date(value: &str, format: Option<&str>) -> Option<NaiveDate> {
    let v = value.trim();
    if let Some(f) = format {
        return NaiveDate::parse_from_str(v, f)
            .ok()
            .or_else(|| NaiveDateTime::parse_from_str(v, f).ok().map(|dt| dt.date()));
    }
    let head = v.get(..10)?;
    let rest = &v[10..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T')) {
        return None;
    }
    let b = head.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    // Digits at fixed places: read them directly (chrono's format parser is the slowest part
    // of loading); `from_ymd_opt` still rejects a day that does not exist.
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// Parses a number, accepting thousands separators in the `1,234,567.89` pattern.
pub(crate) fn parse_number(value: &str) -> Option<f64> {
    let v = value.trim();
    if let Ok(x) = v.parse::<f64>() {
        return Some(x);
    }
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let digits = int.strip_prefix('-').unwrap_or(int);
    let groups: Vec<&str> = digits.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
        && frac.bytes().all(|b| b.is_ascii_digit());
    if grouped {
        v.replace(',', "").parse().ok()
    } else {
        None
    }
}

fn parse_rows(
    table: &Table,
    cols: &Columns,
    options: &CsvOptions,
    symbol: &str,
    source: &str,
) -> Result<PriceSeries> {
    let n = table.rows.len();
    let cell = |col: usize, i: usize| table.cell(col, i);
    let name = |col: usize| table.headers[col].clone();
    let bad_number = |col: usize, i: usize, v: &str| Error::BadNumber {
        file: source.to_string(),
        row: table.rows[i],
        column: name(col),
        value: v.to_string(),
    };
    let expected = match &options.date_format {
        Some(f) => format!("the format {f:?}"),
        None => ISO_EXPECTED.to_string(),
    };
    let mut out = SeriesColumns::default();
    let mut rows = Vec::with_capacity(n);
    let mut extra: [Option<OptionalColumn>; 4] = [None, None, None, None];
    let extra_cols = [cols.open, cols.high, cols.low, cols.volume];
    for (slot, col) in extra.iter_mut().zip(extra_cols) {
        *slot = col.map(|_| Vec::with_capacity(n));
    }
    for i in 0..n {
        let raw_date = cell(cols.date, i).unwrap_or("");
        let date = parse_date(raw_date, options.date_format.as_deref()).ok_or_else(|| Error::BadDate {
            file: source.to_string(),
            row: table.rows[i],
            column: name(cols.date),
            value: raw_date.to_string(),
            expected: expected.clone(),
        })?;
        let raw_close = cell(cols.close, i);
        if is_missing(raw_close) {
            out.missing.push(date);
            continue;
        }
        let raw_close = raw_close.unwrap_or_default();
        let close = parse_number(raw_close).ok_or_else(|| bad_number(cols.close, i, raw_close))?;
        out.dates.push(date);
        out.close.push(close);
        rows.push(table.rows[i]);
        for (slot, col) in extra.iter_mut().zip(extra_cols) {
            if let (Some(values), Some(col)) = (slot.as_mut(), col) {
                let raw = cell(col, i);
                let v = if is_missing(raw) {
                    None
                } else {
                    let raw = raw.unwrap_or_default();
                    Some(parse_number(raw).ok_or_else(|| bad_number(col, i, raw))?)
                };
                values.push(v);
            }
        }
    }
    out.set_extras(extra);
    if out.dates.is_empty() {
        return Err(Error::NoData {
            file: source.to_string(),
            detail: match out.missing.len() {
                0 => String::new(),
                m => format!(" ({m} rows, all without a close)"),
            },
        });
    }
    if is_strictly_descending(&out.dates) {
        reverse_all(&mut out, &mut rows);
    }
    out.missing.sort_unstable();
    let calendar = options.calendar.unwrap_or_else(|| infer_calendar(&out.dates));
    PriceSeries::with_rows(symbol.to_string(), calendar, out, source, Some(&rows))
}

fn is_strictly_descending(dates: &[NaiveDate]) -> bool {
    dates.len() > 1 && dates.windows(2).all(|w| w[0] > w[1])
}

fn reverse_all(c: &mut SeriesColumns, rows: &mut [usize]) {
    c.dates.reverse();
    c.close.reverse();
    rows.reverse();
    for col in [&mut c.open, &mut c.high, &mut c.low, &mut c.volume]
        .into_iter()
        .flatten()
    {
        col.reverse();
    }
}

/// Weekly if the median gap is 6 days or more; continuous if any date falls on a weekend;
/// otherwise trading. Declare the calendar in [`CsvOptions`] to skip the guess.
pub(crate) fn infer_calendar(dates: &[NaiveDate]) -> Calendar {
    let mut gaps: Vec<i64> = dates.windows(2).map(|w| (w[1] - w[0]).num_days()).collect();
    if !gaps.is_empty() {
        let mid = gaps.len() / 2;
        let (_, median, _) = gaps.select_nth_unstable(mid);
        if *median >= 6 {
            return Calendar::Weekly;
        }
    }
    if dates.iter().any(|d| d.weekday().number_from_monday() >= 6) {
        Calendar::Continuous
    } else {
        Calendar::Trading
    }
}

/// The layout [`PriceSeries::from_csv`] would detect for a header line.
///
/// ```
/// use eventstudy::{CsvLayout, detect_csv_layout};
/// assert_eq!(detect_csv_layout("snapped_at,price,market_cap,total_volume"), Some(CsvLayout::CoinGecko));
/// assert_eq!(detect_csv_layout("observation_date,CBBTCUSD"), Some(CsvLayout::Fred));
/// assert_eq!(detect_csv_layout("when,what"), None);
/// ```
pub fn detect_csv_layout(header: &str) -> Option<CsvLayout> {
    let headers: Vec<String> = header
        .trim_start_matches('\u{feff}')
        .trim()
        .split(',')
        .map(|h| h.trim().to_string())
        .collect();
    detect_layout(&headers)
}

#[cfg(test)]
mod tests {
    use super::parse_date;
    use chrono::NaiveDate;

    #[test]
    fn iso_dates_are_read_by_digit_and_checked_by_the_calendar() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("2024-02-29", None), d(2024, 2, 29));
        assert_eq!(parse_date(" 2014-01-03 00:00:00 UTC", None), d(2014, 1, 3));
        assert_eq!(parse_date("2020-01-02T00:00:00Z", None), d(2020, 1, 2));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1a-01",
            "+024-01-01",
            "2024/01/01",
            "2024-01-011",
            "",
        ] {
            assert_eq!(parse_date(bad, None), None, "{bad:?}");
        }
        // With a format, chrono reads it.
        assert_eq!(parse_date("03/01/2014", Some("%d/%m/%Y")), d(2014, 1, 3));
    }
}
