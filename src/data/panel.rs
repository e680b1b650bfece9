//! The classic event study's inputs: returns of many securities on one calendar (a wide
//! table), and a list of events (security, date, optional label).

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use super::csv::{date_cell, parse_number, read_file, read_table};
use crate::error::{Error, Result};

/// Daily returns of many securities (and the market, and any factors) on one calendar, one
/// contiguous `f64` column per security with NaN marking a missing return.
///
/// Read from a wide CSV: a date column first, then one column per security (what estudy2's
/// `rates`, a spreadsheet export or `DataFrame.to_csv()` of a pandas wide frame look like).
/// Empty cells, `NA`, `NaN`, `null` and `.` are missing; any other cell that is not a number
/// is an error naming the file, row, column and value. Returns are used as given (simple or
/// log, in decimals: 0.01 is 1%).
///
/// ```
/// use eventstudy::ReturnsPanel;
/// let csv = "date,AAA,BBB,MKT\n2020-01-02,0.01,NA,0.005\n2020-01-03,-0.02,0.03,-0.01\n";
/// let panel = ReturnsPanel::from_wide_csv_bytes(csv.as_bytes(), "<example>")?;
/// assert_eq!(panel.names(), ["AAA", "BBB", "MKT"]);
/// assert!(panel.column("BBB").unwrap()[0].is_nan());
/// assert_eq!(panel.row_on_or_after("2020-01-03".parse().unwrap()), Some(1));
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReturnsPanel {
    source: String,
    dates: Vec<NaiveDate>,
    names: Vec<String>,
    columns: Vec<Vec<f64>>,
    kind: ReturnKind,
    /// Column position by name: a study looks up one column per event.
    #[serde(skip)]
    index: std::collections::HashMap<String, usize>,
}

/// Column position by name.
fn index_of(names: &[String]) -> std::collections::HashMap<String, usize> {
    let mut index = std::collections::HashMap::with_capacity(names.len());
    for (k, n) in names.iter().enumerate() {
        // A repeated header: the first column of that name, as a linear search would find.
        index.entry(n.clone()).or_insert(k);
    }
    index
}

/// What a panel's returns are: how they compound (the buy-and-hold abnormal return needs it)
/// and how the report states them. Models and abnormal returns use the returns as given,
/// either way, as the reference packages do.
///
/// ```text
/// simple: R = P_t / P_{t−1} − 1,    a window compounds to Π (1 + R_t) − 1
/// log   : r = ln(P_t / P_{t−1}),    a window compounds to exp(Σ r_t) − 1
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnKind {
    /// Simple (arithmetic) returns: the default.
    #[default]
    Simple,
    /// Log (continuously compounded) returns.
    Log,
}

impl ReturnKind {
    /// The simple return of a window from its returns.
    pub fn compound(self, returns: impl IntoIterator<Item = f64>) -> f64 {
        match self {
            ReturnKind::Simple => returns.into_iter().fold(1.0, |g, r| g * (1.0 + r)) - 1.0,
            ReturnKind::Log => returns.into_iter().sum::<f64>().exp() - 1.0,
        }
    }
}

impl std::fmt::Display for ReturnKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReturnKind::Simple => "simple returns",
            ReturnKind::Log => "log returns",
        })
    }
}

impl ReturnsPanel {
    /// Reads a wide CSV file (see the type's documentation).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, and as [`ReturnsPanel::from_wide_csv_bytes`].
    pub fn from_wide_csv(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        Self::from_wide_csv_bytes(&read_file(path)?, &path.display().to_string())
    }

    /// Reads a wide CSV from memory; `source` names it in errors.
    ///
    /// # Errors
    /// [`Error::RaggedRow`], [`Error::BadDate`], [`Error::BadNumber`], [`Error::DuplicateDate`]
    /// or [`Error::UnsortedDates`] naming the row, column and value; [`Error::NoData`] without
    /// rows or securities.
    pub fn from_wide_csv_bytes(bytes: &[u8], source: &str) -> Result<Self> {
        let table = read_table(bytes, source)?;
        if table.headers.len() < 2 || table.rows.is_empty() {
            return Err(Error::NoData {
                file: source.to_string(),
                detail: ": a date column and at least one security column are needed".into(),
            });
        }
        let names: Vec<String> = table.headers[1..].to_vec();
        let mut dates: Vec<NaiveDate> = Vec::with_capacity(table.rows.len());
        let mut columns = vec![Vec::with_capacity(table.rows.len()); names.len()];
        for (i, &line) in table.rows.iter().enumerate() {
            let date = date_cell(&table, 0, i, source)?;
            if let Some(&previous) = dates.last() {
                if date == previous {
                    return Err(Error::DuplicateDate {
                        file: source.to_string(),
                        row: line,
                        first_row: table.rows[i - 1],
                        date,
                    });
                }
                if date < previous {
                    return Err(Error::UnsortedDates {
                        file: source.to_string(),
                        row: line,
                        date,
                        previous_row: table.rows[i - 1],
                        previous,
                    });
                }
            }
            dates.push(date);
            for (k, column) in columns.iter_mut().enumerate() {
                let raw = table.cell(k + 1, i).unwrap_or("").trim();
                let value = if is_missing(raw) {
                    f64::NAN
                } else {
                    parse_number(raw)
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| Error::BadNumber {
                            file: source.to_string(),
                            row: line,
                            column: names[k].clone(),
                            value: raw.to_string(),
                            hint: String::new(),
                        })?
                };
                column.push(value);
            }
        }
        Ok(ReturnsPanel {
            source: source.to_string(),
            dates,
            index: index_of(&names),
            names,
            columns,
            kind: ReturnKind::Simple,
        })
    }

    /// A panel from its parts: ascending unique `dates`, and one column of returns (NaN where
    /// missing) per name.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the names and columns differ in number or repeat a
    /// name, a column's length is not the calendar's, the dates are not strictly ascending, a
    /// value is infinite, or there is no row or column.
    pub fn from_columns(
        source: impl Into<String>,
        dates: Vec<NaiveDate>,
        names: Vec<String>,
        columns: Vec<Vec<f64>>,
    ) -> Result<Self> {
        if dates.is_empty() || names.is_empty() || names.len() != columns.len() {
            return Err(Error::param(
                "columns",
                columns.len(),
                format!("needs at least one row and one column per name ({})", names.len()),
            ));
        }
        if let Some(w) = dates.windows(2).find(|w| w[1] <= w[0]) {
            return Err(Error::param("dates", w[1], "must be strictly ascending"));
        }
        for (name, column) in names.iter().zip(&columns) {
            if column.len() != dates.len() {
                return Err(Error::param(
                    "columns",
                    format!("{name}: {} values", column.len()),
                    format!("needs one value per date ({})", dates.len()),
                ));
            }
            if let Some(v) = column.iter().find(|v| v.is_infinite()) {
                return Err(Error::param(
                    "columns",
                    format!("{name}: {v}"),
                    "a return must be finite (NaN marks a missing one)",
                ));
            }
        }
        let mut seen = std::collections::HashSet::with_capacity(names.len());
        if let Some(name) = names.iter().find(|n| !seen.insert(n.as_str())) {
            return Err(Error::param("names", name, "repeats a column name"));
        }
        Ok(ReturnsPanel {
            source: source.into(),
            dates,
            index: index_of(&names),
            names,
            columns,
            kind: ReturnKind::Simple,
        })
    }

    /// A panel of `kind` returns from price series: the calendar is the union of their dates,
    /// each series' close is missing on the dates it lacks, and a return next to a missing
    /// close is missing ([`ReturnsPanel::prices_to_returns`]). Column names are the symbols.
    ///
    /// ```
    /// use eventstudy::{ReturnKind, ReturnsPanel, datasets};
    /// let panel = ReturnsPanel::from_prices(&[datasets::load("btc")?, datasets::load("eth")?], ReturnKind::Simple)?;
    /// assert_eq!(panel.names(), ["btc", "eth"]);
    /// assert!(panel.column("eth").unwrap()[0].is_nan()); // ETH starts later than BTC
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for no series or a repeated symbol.
    pub fn from_prices(series: &[crate::PriceSeries], kind: ReturnKind) -> Result<Self> {
        let mut dates: Vec<NaiveDate> = series.iter().flat_map(|s| s.dates().iter().copied()).collect();
        dates.sort_unstable();
        dates.dedup();
        let columns = series
            .iter()
            .map(|s| {
                let mut column = vec![f64::NAN; dates.len()];
                for (d, c) in s.dates().iter().zip(s.close()) {
                    // Every date of the series is in the union.
                    if let Ok(i) = dates.binary_search(d) {
                        column[i] = *c;
                    }
                }
                column
            })
            .collect();
        let names = series.iter().map(|s| s.symbol().to_string()).collect();
        let source = series.iter().map(|s| s.symbol()).collect::<Vec<_>>().join(",");
        Self::from_columns(source, dates, names, columns)?.prices_to_returns(kind)
    }

    /// The same panel, its returns declared `kind` (simple by default).
    pub fn with_kind(mut self, kind: ReturnKind) -> Self {
        self.kind = kind;
        self
    }

    /// What the returns are.
    pub fn kind(&self) -> ReturnKind {
        self.kind
    }

    /// Turns a panel of closing prices into returns of `kind`: row t holds the return from
    /// the previous row's price, the first row is missing, and a return next to a missing
    /// price is missing (not bridged over the gap).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] naming the column, date and value of a price that is not
    /// positive.
    pub fn prices_to_returns(mut self, kind: ReturnKind) -> Result<Self> {
        for (name, column) in self.names.iter().zip(self.columns.iter_mut()) {
            if let Some(i) = column.iter().position(|p| *p <= 0.0) {
                return Err(Error::param(
                    "prices",
                    format!("{name} on {}: {}", self.dates[i], column[i]),
                    format!("a price in {} must be positive", self.source),
                ));
            }
            let mut previous = f64::NAN;
            for p in column.iter_mut() {
                let price = *p;
                *p = match kind {
                    ReturnKind::Simple => price / previous - 1.0,
                    ReturnKind::Log => (price / previous).ln(),
                };
                previous = price;
            }
        }
        self.kind = kind;
        Ok(self)
    }

    /// Where the panel came from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The calendar: ascending, unique dates.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// The column names, in file order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The columns, in the order of [`ReturnsPanel::names`].
    pub fn columns(&self) -> &[Vec<f64>] {
        &self.columns
    }

    /// One column's returns, NaN where missing.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.index.get(name).map(|&k| self.columns[k].as_slice())
    }

    /// The first row on or after `date`: where an event on a non-trading day is moved to.
    pub fn row_on_or_after(&self, date: NaiveDate) -> Option<usize> {
        let i = self.dates.partition_point(|d| *d < date);
        (i < self.dates.len()).then_some(i)
    }
}

/// Whether a cell marks a missing value.
fn is_missing(cell: &str) -> bool {
    cell.is_empty()
        || cell == "."
        || ["NA", "NaN", "null", "N/A"]
            .iter()
            .any(|m| cell.eq_ignore_ascii_case(m))
}

/// Where an event dated on a day the panel has no row (a weekend, a holiday) is placed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventDay {
    /// On the next row: news on a Saturday is first priced on Monday (the default, as in
    /// estudy2 and EventStudyTools).
    #[default]
    Next,
    /// On the previous row.
    Previous,
    /// Nowhere: the event is reported as not on a trading day.
    Exact,
}

impl ReturnsPanel {
    /// The row of an event dated `date` under `rule`: None when the date is before the first
    /// row or after the last, or (with [`EventDay::Exact`]) not a row of the panel.
    pub fn event_row(&self, date: NaiveDate, rule: EventDay) -> Option<usize> {
        let (first, last) = (*self.dates.first()?, *self.dates.last()?);
        if date < first || date > last {
            return None;
        }
        let i = self.dates.partition_point(|d| *d < date);
        match rule {
            EventDay::Next => Some(i),
            EventDay::Previous if self.dates[i] == date => Some(i),
            EventDay::Previous => i.checked_sub(1),
            EventDay::Exact => (self.dates[i] == date).then_some(i),
        }
    }
}

/// One event of an event panel: a security, its event date and an optional label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PanelEvent {
    /// The security's column name.
    pub security: String,
    /// The event date (moved to the next trading day when it is not one).
    pub date: NaiveDate,
    /// A label (a group, a characteristic) for cross-sectional analysis.
    pub label: Option<String>,
}

impl PanelEvent {
    /// Reads an event list CSV: `security,date[,label]` (header names may differ; the columns
    /// are taken in that order).
    ///
    /// ```
    /// let events = eventstudy::PanelEvent::from_csv_bytes(b"security,date\nAMZN,2020-03-16\nZM,2020-03-16\n", "<example>")?;
    /// assert_eq!(events.len(), 2);
    /// assert_eq!(events[1].security, "ZM");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::RaggedRow`] or [`Error::BadDate`] naming the row, [`Error::InvalidSeries`] for
    /// a row without a security, or [`Error::NoData`] when the file does not have two or three
    /// columns, or has no events.
    pub fn from_csv_bytes(bytes: &[u8], source: &str) -> Result<Vec<PanelEvent>> {
        let table = read_table(bytes, source)?;
        if !(2..=3).contains(&table.headers.len()) || table.rows.is_empty() {
            return Err(Error::NoData {
                file: source.to_string(),
                detail: ": an event list has the columns security,date[,label] and at least one row".into(),
            });
        }
        let mut events = Vec::with_capacity(table.rows.len());
        for (i, &line) in table.rows.iter().enumerate() {
            let security = table.cell(0, i).unwrap_or("").trim().to_string();
            let date = date_cell(&table, 1, i, source)?;
            if security.is_empty() {
                return Err(Error::InvalidSeries {
                    file: source.to_string(),
                    message: format!("row {line}, column {:?}: the security is empty", table.headers[0]),
                });
            }
            let label = (table.headers.len() == 3)
                .then(|| table.cell(2, i).map(|l| l.trim().to_string()))
                .flatten()
                .filter(|l| !l.is_empty());
            events.push(PanelEvent {
                security,
                date,
                label,
            });
        }
        Ok(events)
    }

    /// The events a rule found on one series as events of `security` (often the series
    /// itself, a one-entity panel), each labelled with the rule's words.
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, PanelEvent, datasets};
    /// let events = BreakoutRule::ath_close(250).detect(&datasets::load("rut")?)?;
    /// let panel_events = PanelEvent::from_events(&events, "btc");
    /// assert_eq!(panel_events.len(), events.len());
    /// assert_eq!(panel_events[0].security, "btc");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn from_events(events: &[crate::Event], security: &str) -> Vec<PanelEvent> {
        events
            .iter()
            .map(|e| PanelEvent {
                security: security.to_string(),
                date: e.date,
                label: Some(e.rule.clone()),
            })
            .collect()
    }

    /// Reads an event list CSV file ([`PanelEvent::from_csv_bytes`]).
    ///
    /// # Errors
    /// [`Error::Io`] when the file cannot be read, and as [`PanelEvent::from_csv_bytes`].
    pub fn from_csv(path: impl AsRef<Path>) -> Result<Vec<PanelEvent>> {
        let path = path.as_ref();
        Self::from_csv_bytes(&read_file(path)?, &path.display().to_string())
    }
}
