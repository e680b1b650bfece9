//! The polars DataFrame boundary of [`PriceSeries`].

use chrono::NaiveDate;
use polars::prelude::*;

use super::series::{Calendar, OptionalColumn, PriceSeries, SeriesColumns};
use crate::error::{Error, Result};

const SOURCE: &str = "<DataFrame>";

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01, polars' day 0.
const EPOCH_DAYS_FROM_CE: i32 = 719_163;

pub(crate) fn to_epoch_days(d: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&d) - EPOCH_DAYS_FROM_CE
}

fn from_epoch_days(days: i32) -> Option<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(EPOCH_DAYS_FROM_CE)?)
}

impl PriceSeries {
    /// The series as a DataFrame: `date` (Date), `close` (Float64) and, where the series has
    /// them, `open`, `high`, `low`, `volume` (Float64, null where unknown).
    ///
    /// ```
    /// let rut = eventstudy::datasets::load("rut")?;
    /// let df = rut.to_dataframe()?;
    /// assert_eq!(df.height(), rut.len());
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn to_dataframe(&self) -> Result<DataFrame> {
        let days: Vec<i32> = self.dates().iter().map(|d| to_epoch_days(*d)).collect();
        let mut cols = vec![
            Column::new("date".into(), days).cast(&DataType::Date)?,
            Column::new("close".into(), self.close()),
        ];
        for (name, col) in [
            ("open", self.open()),
            ("high", self.high()),
            ("low", self.low()),
            ("volume", self.volume()),
        ] {
            if let Some(values) = col {
                cols.push(Column::new(name.into(), values));
            }
        }
        Ok(DataFrame::new(self.len(), cols)?)
    }

    /// Builds a series from a DataFrame with a `date` column (Date, or ISO text) and a `close`
    /// column (any numeric type); `open`, `high`, `low` and `volume` are read when present.
    /// A null close is a missing observation (skipped and listed in
    /// [`PriceSeries::missing_dates`]); every invariant of [`PriceSeries`] is checked, with
    /// errors naming `<DataFrame>` and the row (0-based index + 2, as if written with a header).
    ///
    /// ```
    /// use eventstudy::{Calendar, PriceSeries};
    /// let rut = eventstudy::datasets::load("rut")?;
    /// let back = PriceSeries::from_dataframe(&rut.to_dataframe()?, "rut", Calendar::Trading)?;
    /// assert_eq!((back.dates(), back.close()), (rut.dates(), rut.close()));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn from_dataframe(df: &DataFrame, symbol: &str, calendar: Calendar) -> Result<PriceSeries> {
        frame_to_series(df, symbol, Some(calendar), SOURCE).map(|(s, _)| s)
    }
}

/// A series from a frame with `date` and `close` (and optionally `open`, `high`, `low`,
/// `volume`) columns; the calendar is inferred when not given. Also returns the frame's rows.
pub(crate) fn frame_to_series(
    df: &DataFrame,
    symbol: &str,
    calendar: Option<Calendar>,
    source: &str,
) -> Result<(PriceSeries, usize)> {
    let column = |name: &str| required_in(df, name, source);
    let dates = read_dates_in(column("date")?, source)?;
    let close = read_floats_in(column("close")?, source)?;
    let optional = |name: &str| -> Result<Option<OptionalColumn>> {
        match df.column(name) {
            Ok(c) => read_floats_in(c, source).map(Some),
            Err(_) => Ok(None),
        }
    };
    let extra = [
        optional("open")?,
        optional("high")?,
        optional("low")?,
        optional("volume")?,
    ];
    let mut out = SeriesColumns::default();
    let mut rows = Vec::with_capacity(dates.len());
    let mut kept: [Option<OptionalColumn>; 4] = Default::default();
    for (k, e) in kept.iter_mut().zip(&extra) {
        *k = e.as_ref().map(|_| Vec::with_capacity(dates.len()));
    }
    for (i, (date, close)) in dates.iter().zip(&close).enumerate() {
        let Some(close) = close else {
            out.missing.push(*date);
            continue;
        };
        out.dates.push(*date);
        out.close.push(*close);
        rows.push(i + 2);
        for (k, e) in kept.iter_mut().zip(&extra) {
            if let (Some(k), Some(e)) = (k.as_mut(), e.as_ref()) {
                k.push(e[i]);
            }
        }
    }
    out.set_extras(kept);
    let calendar = calendar.unwrap_or_else(|| super::csv::infer_calendar(&out.dates));
    let series = PriceSeries::with_rows(symbol.to_string(), calendar, out, source, Some(&rows))?;
    Ok((series, dates.len()))
}

/// A column the frame must have, or the error naming it and the columns there are.
fn required<'a>(df: &'a DataFrame, name: &str) -> Result<&'a Column> {
    required_in(df, name, SOURCE)
}

pub(crate) fn required_in<'a>(df: &'a DataFrame, name: &str, source: &str) -> Result<&'a Column> {
    df.column(name).map_err(|_| Error::MissingColumn {
        file: source.into(),
        column: name.into(),
        headers: df.get_column_names().iter().map(|s| s.to_string()).collect(),
    })
}

fn read_dates(col: &Column) -> Result<Vec<NaiveDate>> {
    read_dates_in(col, SOURCE)
}

/// A Date, Datetime (its date) or ISO text column as dates; null is an error naming the row.
pub(crate) fn read_dates_in(col: &Column, source: &str) -> Result<Vec<NaiveDate>> {
    let bad = |i: usize, value: String| Error::BadDate {
        file: source.into(),
        row: i + 2,
        column: col.name().to_string(),
        value,
        expected: "a Date column or ISO text such as 2020-01-02".into(),
    };
    match col.dtype() {
        DataType::Date | DataType::Datetime(_, _) => {
            let phys = col.cast(&DataType::Date)?.cast(&DataType::Int32)?;
            phys.i32()?
                .iter()
                .enumerate()
                .map(|(i, v)| v.and_then(from_epoch_days).ok_or_else(|| bad(i, "null".into())))
                .collect()
        }
        DataType::String => col
            .str()?
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let v = v.unwrap_or("");
                v.trim().parse::<NaiveDate>().map_err(|_| bad(i, v.to_string()))
            })
            .collect(),
        other => Err(bad(0, format!("<column of type {other}>"))),
    }
}

fn read_floats(col: &Column) -> Result<Vec<Option<f64>>> {
    read_floats_in(col, SOURCE)
}

pub(crate) fn read_floats_in(col: &Column, source: &str) -> Result<Vec<Option<f64>>> {
    if !col.dtype().is_primitive_numeric() {
        return Err(Error::BadNumber {
            file: source.into(),
            row: 2,
            column: col.name().to_string(),
            value: format!("<column of type {}>", col.dtype()),
            hint: String::new(),
        });
    }
    let cast = col.cast(&DataType::Float64)?;
    Ok(cast.f64()?.iter().collect())
}

impl super::ReturnsPanel {
    /// A panel from a long polars DataFrame: one row per (date, security) with columns `date`
    /// (a Date column or ISO text), `security` (text) and `value` (the return; null is
    /// missing). Securities keep the order of their first row; dates are sorted; a
    /// (date, security) pair that is missing is a missing return.
    ///
    /// ```
    /// use polars::prelude::*;
    /// let df = df!(
    ///     "date" => ["2020-01-02", "2020-01-02", "2020-01-03"],
    ///     "security" => ["AAA", "MKT", "MKT"],
    ///     "value" => [0.01, 0.005, -0.01],
    /// )?;
    /// let panel = eventstudy::ReturnsPanel::from_long_dataframe(&df)?;
    /// assert_eq!(panel.names(), ["AAA", "MKT"]);
    /// assert!(panel.column("AAA").unwrap()[1].is_nan()); // no row for AAA on 2020-01-03
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::MissingColumn`] without one of the three columns, [`Error::BadDate`] or
    /// [`Error::BadNumber`] naming the row (1-based, after a header row) and value,
    /// [`Error::InvalidSeries`] for a null security or a (date, security) pair given twice,
    /// [`Error::NoData`] for an empty frame.
    pub fn from_long_dataframe(df: &DataFrame) -> Result<Self> {
        let column = |name: &str| required(df, name);
        let dates = read_dates(column("date")?)?;
        let values = read_floats(column("value")?)?;
        let securities = column("security")?.cast(&DataType::String)?;
        let securities = securities.str()?;
        if dates.is_empty() {
            return Err(Error::NoData {
                file: SOURCE.into(),
                detail: ": a long panel needs at least one row".into(),
            });
        }
        let mut calendar = dates.clone();
        calendar.sort_unstable();
        calendar.dedup();
        let mut names: Vec<String> = Vec::new();
        let mut index: std::collections::HashMap<&str, usize> = Default::default();
        let mut columns: Vec<Vec<f64>> = Vec::new();
        let mut seen: Vec<Vec<u32>> = Vec::new(); // the data row that filled each cell, 0 = none
        for (i, (date, value)) in dates.iter().zip(&values).enumerate() {
            let row = i + 2;
            let security = securities.get(i).ok_or_else(|| Error::InvalidSeries {
                file: SOURCE.into(),
                message: format!("row {row}, column \"security\": null"),
            })?;
            let k = *index.entry(security).or_insert_with(|| {
                names.push(security.to_string());
                columns.push(vec![f64::NAN; calendar.len()]);
                seen.push(vec![0; calendar.len()]);
                names.len() - 1
            });
            // The calendar is these dates, sorted and deduplicated: the search always finds it.
            let t = calendar.binary_search(date).unwrap_or_else(|i| i);
            if seen[k][t] != 0 {
                return Err(Error::InvalidSeries {
                    file: SOURCE.into(),
                    message: format!(
                        "row {row}: {security} on {date} was already given on row {}",
                        seen[k][t]
                    ),
                });
            }
            seen[k][t] = row as u32;
            if let Some(v) = value {
                if !v.is_finite() {
                    return Err(Error::BadNumber {
                        file: SOURCE.into(),
                        row,
                        column: "value".into(),
                        value: v.to_string(),
                        hint: String::new(),
                    });
                }
                columns[k][t] = *v;
            }
        }
        Self::from_columns(SOURCE, calendar, names, columns)
    }
}

impl super::PanelEvent {
    /// An event list from a polars DataFrame with columns `security` (text), `date` (a Date
    /// column or ISO text) and, optionally, `label` (text).
    ///
    /// ```
    /// use polars::prelude::*;
    /// let df = df!("security" => ["AMZN", "ZM"], "date" => ["2020-03-16", "2020-03-16"])?;
    /// let events = eventstudy::PanelEvent::from_dataframe(&df)?;
    /// assert_eq!(events[1].security, "ZM");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::MissingColumn`], [`Error::BadDate`] naming the row and value, or
    /// [`Error::InvalidSeries`] for a null or empty security.
    pub fn from_dataframe(df: &DataFrame) -> Result<Vec<super::PanelEvent>> {
        let column = |name: &str| required(df, name);
        let dates = read_dates(column("date")?)?;
        let securities = column("security")?.cast(&DataType::String)?;
        let labels = df
            .column("label")
            .ok()
            .map(|c| c.cast(&DataType::String))
            .transpose()?;
        let (securities, labels) = (securities.str()?, labels.as_ref().map(|l| l.str()).transpose()?);
        dates
            .iter()
            .enumerate()
            .map(|(i, &date)| {
                let security = securities
                    .get(i)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| Error::InvalidSeries {
                        file: SOURCE.into(),
                        message: format!("row {}, column \"security\": null or empty", i + 2),
                    })?;
                Ok(super::PanelEvent {
                    security: security.to_string(),
                    date,
                    label: labels.and_then(|l| l.get(i)).map(str::to_string),
                })
            })
            .collect()
    }
}
