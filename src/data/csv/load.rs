//! From a table and its layout to a validated series and what was decided on the way.

use chrono::{Datelike, NaiveDate};

use super::CsvOptions;
use super::cells::{self, DateFormat, Inferred, NumberError};
use super::info::{LoadInfo, LoadWarning};
use super::layout::{self, Layout, Spec, key};
use super::table::{HeaderKind, Table, TableOptions, read_table_with};
use crate::data::series::{Calendar, OptionalColumn, PriceSeries, SeriesColumns};
use crate::error::{Error, Result};

/// Cells that mean "no observation": skipped and counted, never an error.
const MISSING_MARKERS: [&str; 6] = ["", ".", "null", "NA", "N/A", "-"];

fn is_missing(cell: &str) -> bool {
    MISSING_MARKERS
        .iter()
        .any(|m| cell.trim().eq_ignore_ascii_case(m))
}

pub(super) fn load(bytes: &[u8], symbol: &str, options: &CsvOptions, source: &str) -> Result<PriceSeries> {
    let table_options = TableOptions {
        delimiter: options.delimiter,
        price_file: true,
    };
    let mut table = read_table_with(bytes, source, table_options)?;
    let ticker = choose_ticker(&mut table, options, source)?;
    let spec = resolve(&table, options, source)?;
    let mut warnings: Vec<LoadWarning> = table
        .preamble
        .iter()
        .map(|(line, text)| LoadWarning::SkippedLine {
            line: *line,
            text: text.clone(),
        })
        .collect();
    check_short_rows(&table, &spec, source, &mut warnings)?;
    let (format, proof) = date_format(&table, &spec, options, source)?;
    let decimal_comma = table.delimiter == b';' && table.column(spec.close).any(|c| c.contains(','));
    let mut date_format = format.describe(options.pivot);
    if let Some(i) = proof {
        date_format.push_str(&format!(
            " (order inferred from {:?}, row {})",
            table.raw_cell(spec.date, i).trim(),
            table.rows[i]
        ));
    }
    let parsed = parse_rows(
        &table,
        &spec,
        &format,
        options,
        decimal_comma,
        source,
        &mut warnings,
    )?;
    let Parsed {
        columns,
        rows,
        newest_first,
    } = parsed;
    let calendar_inferred = options.calendar.is_none();
    let calendar = options.calendar.unwrap_or_else(|| infer_calendar(&columns.dates));
    let info = LoadInfo {
        source: source.to_string(),
        layout: spec.layout,
        date_column: table.headers[spec.date].clone(),
        close_column: table.headers[spec.close].clone(),
        date_format,
        newest_first,
        calendar,
        calendar_inferred,
        delimiter: char::from(table.delimiter),
        decimal_comma,
        ticker,
        rows_read: table.rows.len(),
        warnings,
    };
    PriceSeries::with_rows(symbol.to_string(), calendar, columns, source, Some(&rows))
        .map(|s| s.with_load_info(info))
}

/// A yfinance header's ticker; with several, the chosen one's columns keep their names and the
/// others are renamed `Close (MSFT)` so that no layout reads them.
fn choose_ticker(table: &mut Table, options: &CsvOptions, source: &str) -> Result<Option<String>> {
    let HeaderKind::Yfinance { tickers } = &table.header else {
        return Ok(None);
    };
    let mut distinct: Vec<String> = Vec::new();
    for t in tickers.iter().filter(|t| !t.is_empty()) {
        if !distinct.contains(t) {
            distinct.push(t.clone());
        }
    }
    let chosen = match (&options.ticker, distinct.len()) {
        (_, 0) => return Ok(None),
        (Some(t), _) if distinct.iter().any(|d| d.eq_ignore_ascii_case(t)) => t.clone(),
        (None, 1) => distinct[0].clone(),
        _ => {
            return Err(Error::MultipleTickers {
                file: source.to_string(),
                tickers: distinct,
            });
        }
    };
    let tickers = tickers.clone();
    for (header, t) in table.headers.iter_mut().skip(1).zip(&tickers) {
        if !t.eq_ignore_ascii_case(&chosen) {
            *header = format!("{header} ({t})");
        }
    }
    Ok(Some(chosen))
}

/// The layout's columns, with the options' names taking precedence.
fn resolve(table: &Table, options: &CsvOptions, source: &str) -> Result<Spec> {
    let keys: Vec<String> = table.headers.iter().map(|h| key(h)).collect();
    let named = |name: &str| {
        table
            .headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
            .or_else(|| layout::find_key(&keys, &[key(name).as_str()]))
            .ok_or_else(|| Error::MissingColumn {
                file: source.to_string(),
                column: name.to_string(),
                headers: table.headers.clone(),
            })
    };
    let detected = match (&options.date_column, &options.close_column) {
        (Some(_), Some(_)) => None,
        _ => layout::detect(table, options.adjusted),
    };
    let mut spec = match detected {
        Some(spec) => spec,
        None => {
            let (Some(date), Some(close)) = (&options.date_column, &options.close_column) else {
                // A date column but no close: say which column is missing, not "unknown layout".
                if options.close_column.is_none() && layout::find_key(&keys, &["date"]).is_some() {
                    return Err(Error::MissingColumn {
                        file: source.to_string(),
                        column: "close".into(),
                        headers: table.headers.clone(),
                    });
                }
                return Err(Error::UnknownLayout {
                    file: source.to_string(),
                    headers: table.headers.clone(),
                });
            };
            let at = |n: &str| layout::find_key(&keys, &[n]);
            Spec {
                layout: Layout::Custom,
                date: named(date)?,
                close: named(close)?,
                open: at("open"),
                high: at("high"),
                low: at("low"),
                volume: at("volume"),
                unix_dates: false,
                us_order: false,
                omits_trailing: false,
            }
        }
    };
    if let Some(name) = &options.date_column {
        spec.date = named(name)?;
    }
    if let Some(name) = &options.close_column {
        spec.close = named(name)?;
    }
    for (slot, name) in [
        (&mut spec.open, &options.open_column),
        (&mut spec.high, &options.high_column),
        (&mut spec.low, &options.low_column),
        (&mut spec.volume, &options.volume_column),
    ] {
        if let Some(name) = name {
            *slot = Some(named(name)?);
        }
    }
    Ok(spec)
}

/// Rows shorter than the header: accepted when the layout is known to omit trailing fields
/// and none of the omitted ones is the date or a price; otherwise [`Error::RaggedRow`].
fn check_short_rows(table: &Table, spec: &Spec, source: &str, warnings: &mut Vec<LoadWarning>) -> Result<()> {
    let Some(&(first, _)) = table.short.first() else {
        return Ok(());
    };
    let needed = [Some(spec.date), Some(spec.close), spec.open, spec.high, spec.low];
    let mut omitted: Vec<usize> = Vec::new();
    for &(i, fields) in &table.short {
        let ok = spec.omits_trailing && needed.iter().flatten().all(|&c| c < fields);
        if !ok {
            return Err(Error::RaggedRow {
                file: source.to_string(),
                row: table.rows[i],
                fields,
                expected: table.headers.len(),
            });
        }
        omitted.extend(fields..table.headers.len());
    }
    omitted.sort_unstable();
    omitted.dedup();
    warnings.push(LoadWarning::ShortRows {
        count: table.short.len(),
        first_row: table.rows[first],
        columns: omitted.iter().map(|&c| table.headers[c].clone()).collect(),
    });
    Ok(())
}

/// The date format: the options', the layout's (unix times), or inferred from the column;
/// with the row that proved a numeric order.
fn date_format(
    table: &Table,
    spec: &Spec,
    options: &CsvOptions,
    source: &str,
) -> Result<(DateFormat, Option<usize>)> {
    if let Some(f) = &options.date_format {
        return Ok((DateFormat::Chrono(f.clone()), None));
    }
    if spec.unix_dates {
        return Ok((DateFormat::Unix, None));
    }
    let column = table.headers[spec.date].clone();
    let file = || source.to_string();
    match cells::infer_format(table.column(spec.date), spec.us_order) {
        Inferred::Format(format, proof) => Ok((format, proof)),
        Inferred::Ambiguous { .. } => {
            let first = (0..table.rows.len())
                .find(|&i| !table.raw_cell(spec.date, i).trim().is_empty())
                .unwrap_or(0);
            Err(Error::AmbiguousDates {
                file: file(),
                column,
                row: table.rows[first],
                value: table.raw_cell(spec.date, first).trim().to_string(),
            })
        }
        Inferred::Contradictory {
            first_row,
            second_row,
        } => Err(Error::BadDate {
            file: file(),
            row: table.rows[first_row.max(second_row)],
            column,
            value: table.raw_cell(spec.date, first_row.max(second_row)).to_string(),
            expected: format!(
                "day/month dates in one order (row {} has a first number above 12, row {} a second one)",
                table.rows[first_row], table.rows[second_row]
            ),
        }),
        Inferred::Unknown(i) => Err(Error::BadDate {
            file: file(),
            row: table.rows[i],
            column,
            value: table.raw_cell(spec.date, i).to_string(),
            expected: "an ISO date such as 2020-01-02 (optionally with a time), 2020/01/02, 01/31/2020, \
                       31.01.2020, Jan 31, 2020 or 31-Jan-20; for other formats set CsvOptions::date_format"
                .into(),
        }),
    }
}

struct Parsed {
    columns: SeriesColumns,
    rows: Vec<usize>,
    newest_first: bool,
}

/// One data row, parsed.
struct Obs {
    row: usize,
    date: NaiveDate,
    time: Option<u32>,
    close: Option<f64>,
    extra: [Option<f64>; 4],
}

fn parse_rows(
    table: &Table,
    spec: &Spec,
    format: &DateFormat,
    options: &CsvOptions,
    decimal_comma: bool,
    source: &str,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Parsed> {
    let n = table.rows.len();
    let name = |col: usize| table.headers[col].clone();
    let bad_number = |col: usize, i: usize, v: &str, e: NumberError| Error::BadNumber {
        file: source.to_string(),
        row: table.rows[i],
        column: name(col),
        value: v.to_string(),
        hint: e.hint().to_string(),
    };
    let expected = match &options.date_format {
        Some(f) => format!("the format {f:?}"),
        None => format.describe(options.pivot),
    };
    let prices = [spec.open, spec.high, spec.low];
    let mut obs: Vec<Obs> = Vec::with_capacity(n);
    for i in 0..n {
        let raw_date = table.raw_cell(spec.date, i);
        let (date, time) = format
            .parse(raw_date, options.pivot)
            .ok_or_else(|| Error::BadDate {
                file: source.to_string(),
                row: table.rows[i],
                column: name(spec.date),
                value: raw_date.to_string(),
                expected: expected.clone(),
            })?;
        let raw_close = table.raw_cell(spec.close, i);
        let close = if is_missing(raw_close) {
            None
        } else {
            Some(
                cells::parse_number(raw_close, decimal_comma)
                    .map_err(|e| bad_number(spec.close, i, raw_close, e))?,
            )
        };
        let mut extra = [None; 4];
        if close.is_some() {
            for (slot, col) in extra.iter_mut().zip(prices) {
                let Some(col) = col else { continue };
                let raw = table.raw_cell(col, i);
                if !is_missing(raw) {
                    *slot = Some(
                        cells::parse_number(raw, decimal_comma).map_err(|e| bad_number(col, i, raw, e))?,
                    );
                }
            }
            if let Some(col) = spec.volume {
                extra[3] = volume(table, col, i, decimal_comma, warnings);
            }
        }
        obs.push(Obs {
            row: table.rows[i],
            date,
            time,
            close,
            extra,
        });
    }
    let key = |o: &Obs| (o.date, o.time.unwrap_or(0));
    let newest_first = obs.len() > 1 && key(&obs[0]) > key(&obs[obs.len() - 1]);
    let mut index: Vec<usize> = (0..obs.len()).collect();
    if newest_first {
        index.reverse();
    }
    let kept = collapse_days(table, &obs, &index, options.resample_daily, source, warnings)?;
    let mut out = SeriesColumns::default();
    let mut rows = Vec::with_capacity(kept.len());
    let mut extras: [Option<OptionalColumn>; 4] = Default::default();
    for (slot, col) in extras
        .iter_mut()
        .zip([spec.open, spec.high, spec.low, spec.volume])
    {
        *slot = col.map(|_| Vec::with_capacity(kept.len()));
    }
    for &k in &kept {
        let o = &obs[k];
        let Some(close) = o.close else {
            out.missing.push(o.date);
            continue;
        };
        out.dates.push(o.date);
        out.close.push(close);
        rows.push(o.row);
        for (slot, v) in extras.iter_mut().zip(o.extra) {
            if let Some(values) = slot {
                values.push(v);
            }
        }
    }
    out.set_extras(extras);
    // A missing row on a date that also has a close (a repeated null line) is not missing.
    out.missing.retain(|d| out.dates.binary_search(d).is_err());
    out.missing.sort_unstable();
    out.missing.dedup();
    if out.dates.is_empty() {
        return Err(Error::NoData {
            file: source.to_string(),
            detail: match out.missing.len() {
                0 => String::new(),
                m => format!(" ({m} rows, all without a close)"),
            },
        });
    }
    Ok(Parsed {
        columns: out,
        rows,
        newest_first,
    })
}

/// A volume cell: a bad or negative value is a warning (the studies never read volume).
fn volume(
    table: &Table,
    col: usize,
    i: usize,
    decimal_comma: bool,
    warnings: &mut Vec<LoadWarning>,
) -> Option<f64> {
    let raw = table.raw_cell(col, i);
    if is_missing(raw) {
        return None;
    }
    let reason = match cells::parse_volume(raw, decimal_comma) {
        Ok(Some(v)) if v.is_finite() && v >= 0.0 => return Some(v),
        Ok(None) => return None,
        Ok(Some(v)) if v < 0.0 => "is negative (an overflowed 32-bit count?)".to_string(),
        Ok(Some(_)) => "is not finite".to_string(),
        Err(e) => format!("is not a number{}", e.hint()),
    };
    warnings.push(LoadWarning::UnusedValue {
        row: table.rows[i],
        column: table.headers[col].clone(),
        value: raw.to_string(),
        reason,
    });
    None
}

/// Rows in time order with one per date: an exact repeat of the row before is collapsed (and
/// reported); bars at different times of one date are intraday data, refused unless
/// `resample`, which keeps the last bar. Any other repeat is [`Error::DuplicateDate`]; order
/// itself is checked when the series is built.
fn collapse_days(
    table: &Table,
    obs: &[Obs],
    index: &[usize],
    resample: bool,
    source: &str,
    warnings: &mut Vec<LoadWarning>,
) -> Result<Vec<usize>> {
    // obs[k] is table row k, so `k` indexes both.
    let row_index = |k: usize| obs[k].row;
    let mut kept: Vec<usize> = Vec::with_capacity(index.len());
    let (mut resampled, mut repeats) = (false, 0usize);
    for &k in index {
        let Some(&last) = kept.last() else {
            kept.push(k);
            continue;
        };
        let (a, b) = (&obs[last], &obs[k]);
        if a.date != b.date {
            kept.push(k);
            continue;
        }
        if table.same_row(last, k) {
            repeats += 1;
            warnings.push(LoadWarning::DuplicateRow {
                row: row_index(k),
                first_row: row_index(last),
                date: b.date,
            });
            continue;
        }
        match (a.time, b.time) {
            (Some(ta), Some(tb)) if ta != tb => {
                if !resample {
                    return Err(Error::Intraday {
                        file: source.to_string(),
                        row: row_index(k),
                        date: b.date,
                    });
                }
                if tb < ta {
                    return Err(Error::InvalidSeries {
                        file: source.to_string(),
                        message: format!(
                            "row {}: bar at {} on {} comes after a later one in row {}",
                            row_index(k),
                            clock(tb),
                            b.date,
                            row_index(last)
                        ),
                    });
                }
                resampled = true;
                // The later bar closes the day; a bar without a close leaves the day's close.
                if (b.close.is_some() || a.close.is_none())
                    && let Some(day) = kept.last_mut()
                {
                    *day = k;
                }
            }
            _ => {
                return Err(Error::DuplicateDate {
                    file: source.to_string(),
                    row: row_index(k).max(row_index(last)),
                    first_row: row_index(k).min(row_index(last)),
                    date: b.date,
                });
            }
        }
    }
    if resampled {
        warnings.push(LoadWarning::Resampled {
            bars: index.len() - repeats,
            days: kept.len(),
        });
    }
    Ok(kept)
}

fn clock(secs: u32) -> String {
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
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
