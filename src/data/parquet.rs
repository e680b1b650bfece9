//! Parquet: one series per file, and long panels (date, security, value) read through polars'
//! lazy scan, so that a file of tens of millions of rows is filtered before it is loaded.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;

use super::csv::{CsvOptions, Layout, LoadInfo, find_close, find_key, infer_calendar, key};
use super::frame::{frame_to_series, read_dates_in, required_in};
use super::series::{Calendar, PriceSeries, SeriesColumns};
use crate::error::{Error, Result};

fn scan(path: &Path, row_index: bool) -> Result<LazyFrame> {
    let source = path.display().to_string();
    if !path.is_file() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let args = ScanArgsParquet {
        row_index: row_index.then(|| RowIndex {
            name: ROW.into(),
            offset: 0,
        }),
        ..Default::default()
    };
    Ok(LazyFrame::scan_parquet(PlRefPath::new(source.as_str()), args)?)
}

/// The name of the row-index column the scans add (the row in the file, for errors).
const ROW: &str = "__eventstudy_row";

fn column_names(lf: &mut LazyFrame) -> Result<Vec<String>> {
    Ok(lf.collect_schema()?.iter_names().map(|n| n.to_string()).collect())
}

impl PriceSeries {
    /// Reads one series from a Parquet file with a date column (`date`, `Date`, `datetime`,
    /// `timestamp`: a Date, a Datetime — its date — or ISO text) and a close column chosen as
    /// in the CSV layouts: `Adj Close`/`adjusted_close` when present (unless
    /// [`CsvOptions::adjusted_close`] says otherwise), else `close`, else `price`. `open`,
    /// `high`, `low` and `volume` are read when present; [`CsvOptions`] can name any column and
    /// declare the calendar. Only those columns are read from the file.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("es-doc-pq-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir)?;
    /// # let path = dir.join("rut.parquet");
    /// use eventstudy::polars::prelude::*;
    /// let rut = eventstudy::datasets::load("rut")?;
    /// let mut df = rut.to_dataframe()?;
    /// ParquetWriter::new(std::fs::File::create(&path)?).finish(&mut df)?;
    /// let back = eventstudy::PriceSeries::from_parquet(&path, "rut")?;
    /// assert_eq!((back.dates(), back.close()), (rut.dates(), rut.close()));
    /// assert_eq!(back.load_info().unwrap().layout, eventstudy::Layout::Parquet);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_parquet(path: impl AsRef<Path>, symbol: &str) -> Result<PriceSeries> {
        Self::from_parquet_with(path, symbol, CsvOptions::new())
    }

    /// [`PriceSeries::from_parquet`] with options (column names, calendar, adjusted close).
    pub fn from_parquet_with(
        path: impl AsRef<Path>,
        symbol: &str,
        options: impl Into<CsvOptions>,
    ) -> Result<PriceSeries> {
        let options = options.into();
        let path = path.as_ref();
        let source = path.display().to_string();
        let mut lf = scan(path, false)?;
        let names = column_names(&mut lf)?;
        let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
        let named = |given: &Option<String>, defaults: &[&str]| -> Result<Option<usize>> {
            match given {
                Some(name) => {
                    find_key(&keys, &[key(name).as_str()])
                        .map(Some)
                        .ok_or_else(|| Error::MissingColumn {
                            file: source.clone(),
                            column: name.clone(),
                            headers: names.clone(),
                        })
                }
                None => Ok(find_key(&keys, defaults)),
            }
        };
        let missing = |column: &str| Error::MissingColumn {
            file: source.clone(),
            column: column.into(),
            headers: names.clone(),
        };
        let date = named(&options.date_column, &["date", "datetime", "timestamp"])?
            .ok_or_else(|| missing("date"))?;
        let close = match &options.close_column {
            Some(_) => named(&options.close_column, &[])?,
            None => find_close(
                &keys,
                &["adj close", "adjusted close"],
                &["close", "price"],
                options.adjusted,
            ),
        }
        .ok_or_else(|| missing("close"))?;
        let mut select = vec![
            col(names[date].as_str()).alias("date"),
            col(names[close].as_str()).alias("close"),
        ];
        for (given, field) in [
            (&options.open_column, "open"),
            (&options.high_column, "high"),
            (&options.low_column, "low"),
            (&options.volume_column, "volume"),
        ] {
            if let Some(c) = named(given, &[field])? {
                select.push(col(names[c].as_str()).alias(field));
            }
        }
        let df = lf.select(select).collect()?;
        let (series, rows) = frame_to_series(&df, symbol, options.calendar, &source)?;
        let calendar = series.calendar();
        let info = LoadInfo {
            source: source.clone(),
            layout: Layout::Parquet,
            date_column: names[date].clone(),
            close_column: names[close].clone(),
            date_format: format!("Parquet {}", df.column("date")?.dtype()),
            newest_first: false,
            calendar,
            calendar_inferred: options.calendar.is_none(),
            delimiter: ',',
            decimal_comma: false,
            ticker: None,
            rows_read: rows,
            warnings: Vec::new(),
        };
        Ok(series.with_load_info(info))
    }
}

/// A long-format Parquet panel: one row per (date, security) with a value column — prices for
/// [`LongParquet::series`], returns for [`LongParquet::returns_panel`]. Filters on securities
/// and dates are pushed into polars' lazy scan: row groups whose statistics exclude them are
/// never decoded, and only the three columns are read.
///
/// ```
/// # let dir = std::env::temp_dir().join(format!("es-doc-long-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// # let path = dir.join("panel.parquet");
/// use eventstudy::polars::prelude::*;
/// use eventstudy::LongParquet;
/// let mut df = df!(
///     "date" => ["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03"],
///     "ticker" => ["AAA", "BBB", "AAA", "BBB"],
///     "close" => [10.0, 20.0, 11.0, 19.0],
/// )?;
/// ParquetWriter::new(std::fs::File::create(&path)?).finish(&mut df)?;
/// let series = LongParquet::new(&path).columns("date", "ticker", "close").securities(["BBB"]).series()?;
/// assert_eq!(series.len(), 1);
/// assert_eq!((series[0].symbol(), series[0].close()), ("BBB", &[20.0, 19.0][..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct LongParquet {
    path: PathBuf,
    date: String,
    security: String,
    value: String,
    securities: Option<Vec<String>>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    calendar: Option<Calendar>,
}

impl LongParquet {
    /// A panel file with columns `date`, `security` and `value`.
    pub fn new(path: impl AsRef<Path>) -> Self {
        LongParquet {
            path: path.as_ref().to_path_buf(),
            date: "date".into(),
            security: "security".into(),
            value: "value".into(),
            securities: None,
            from: None,
            to: None,
            calendar: None,
        }
    }

    /// Names the date, security and value columns (exact names).
    pub fn columns(mut self, date: &str, security: &str, value: &str) -> Self {
        self.date = date.into();
        self.security = security.into();
        self.value = value.into();
        self
    }

    /// Reads only these securities.
    pub fn securities<S: Into<String>>(mut self, securities: impl IntoIterator<Item = S>) -> Self {
        self.securities = Some(securities.into_iter().map(Into::into).collect());
        self
    }

    /// Reads only dates in `from..=to`.
    pub fn between(mut self, from: NaiveDate, to: NaiveDate) -> Self {
        self.from = Some(from);
        self.to = Some(to);
        self
    }

    /// Declares the calendar of every series (inferred per series otherwise).
    pub fn calendar(mut self, calendar: Calendar) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// The filtered lazy frame, columns renamed `date`, `security`, `value` plus the file row
    /// (for errors), for work the loaders do not do.
    pub fn scan(&self) -> Result<LazyFrame> {
        let source = self.path.display().to_string();
        let mut lf = scan(&self.path, true)?;
        let names = column_names(&mut lf)?;
        for name in [&self.date, &self.security, &self.value] {
            if !names.contains(name) {
                return Err(Error::MissingColumn {
                    file: source.clone(),
                    column: name.clone(),
                    headers: names.into_iter().filter(|n| n != ROW).collect(),
                });
            }
        }
        let mut lf = lf.select([
            col(self.date.as_str()).alias("date"),
            col(self.security.as_str())
                .cast(DataType::String)
                .alias("security"),
            col(self.value.as_str()).alias("value"),
            col(ROW),
        ]);
        if let Some(list) = &self.securities {
            // One membership test a row (not one comparison per listed security), pushed into
            // the scan with the other predicates.
            let names = Series::new(PlSmallStr::EMPTY, list.as_slice());
            lf = lf.filter(col("security").is_in(lit(names).implode(false), false));
        }
        if let Some(from) = self.from {
            lf = lf.filter(col("date").cast(DataType::Date).gt_eq(lit(from)));
        }
        if let Some(to) = self.to {
            lf = lf.filter(col("date").cast(DataType::Date).lt_eq(lit(to)));
        }
        Ok(lf)
    }

    /// One price series per security (values are closes; null is a missing observation), in
    /// order of first appearance. Each series is validated as any other: a repeated date or a
    /// non-positive price is an error naming the file row (0-based row + 2, as under a header).
    pub fn series(&self) -> Result<Vec<PriceSeries>> {
        let source = self.path.display().to_string();
        let df = self.scan()?.collect()?;
        let dates = read_dates_in(required_in(&df, "date", &source)?, &source)?;
        let value = required_in(&df, "value", &source)?;
        if !value.dtype().is_primitive_numeric() {
            return Err(Error::BadNumber {
                file: source,
                row: 2,
                column: self.value.clone(),
                value: format!("<column of type {}>", value.dtype()),
                hint: String::new(),
            });
        }
        // One contiguous array each, indexed directly below (a chunked `get` per row searches
        // the chunks every time).
        let value = value.cast(&DataType::Float64)?;
        let value = value.f64()?.rechunk();
        let value = value.downcast_as_array();
        let (values, valid) = (value.values().as_slice(), value.validity());
        let security = df.column("security")?.str()?.clone();
        let file_rows = df.column(ROW)?.idx()?.rechunk();
        let file_rows = file_rows.cont_slice()?;
        let file_row = |i: usize| file_rows[i] as usize + 2;
        // Rows of each security: files are usually sorted by security, so a run of equal names
        // costs one comparison a row, not a hash lookup.
        let mut order: Vec<String> = Vec::new();
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let (mut current, mut current_name): (usize, Option<&str>) = (0, None);
        for (i, name) in security.iter().enumerate() {
            let name = name.ok_or_else(|| Error::InvalidSeries {
                file: source.clone(),
                message: format!("row {}, column {:?}: null", file_row(i), self.security),
            })?;
            if current_name != Some(name) {
                current = *index.entry(name.to_string()).or_insert_with(|| {
                    order.push(name.to_string());
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                current_name = Some(name);
            }
            groups[current].push(i as u32);
        }
        let build = |(name, mut rows): (String, Vec<u32>)| -> Result<PriceSeries> {
            if !rows
                .windows(2)
                .all(|w| dates[w[0] as usize] <= dates[w[1] as usize])
            {
                rows.sort_by_key(|&r| (dates[r as usize], r));
            }
            let mut out = SeriesColumns::default();
            let mut file = Vec::with_capacity(rows.len());
            out.dates.reserve(rows.len());
            out.close.reserve(rows.len());
            for &r in &rows {
                let r = r as usize;
                if valid.is_none_or(|v| v.get_bit(r)) {
                    out.dates.push(dates[r]);
                    out.close.push(values[r]);
                    file.push(file_row(r));
                } else {
                    out.missing.push(dates[r]);
                }
            }
            let calendar = self.calendar.unwrap_or_else(|| infer_calendar(&out.dates));
            PriceSeries::with_rows(name, calendar, out, &source, Some(&file))
        };
        let pairs: Vec<(String, Vec<u32>)> = order.into_iter().zip(groups).collect();
        use rayon::prelude::*;
        pairs.into_par_iter().map(build).collect()
    }

    /// The panel of returns (values are returns; null is missing) for the classic study, as
    /// [`ReturnsPanel::from_long_dataframe`](super::ReturnsPanel::from_long_dataframe) reads it.
    pub fn returns_panel(&self) -> Result<super::ReturnsPanel> {
        let df = self
            .scan()?
            .select([col("date"), col("security"), col("value")])
            .collect()?;
        super::ReturnsPanel::from_long_dataframe(&df)
    }
}
