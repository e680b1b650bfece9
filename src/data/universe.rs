//! Point-in-time market-cap rankings: which coins were the largest on a given date.
//!
//! A ranking is not a price series: each snapshot date lists the top coins by market cap, so a
//! study can hold "the coins that were large at the event" instead of today's survivors. The
//! bundled rankings are in `data/universe/` (provenance in `data/SOURCES.md`):
//!
//! ```
//! use eventstudy::datasets;
//! let top10 = datasets::universe("cmc_top10_weekly")?;
//! let (as_of, coins) = top10.snapshot_at("2017-01-04".parse().unwrap()).unwrap();
//! assert_eq!(as_of.to_string(), "2017-01-01"); // the latest weekly list on or before the date
//! assert_eq!(coins[0].symbol, "BTC");
//! assert!(coins.iter().any(|c| c.symbol == "DASH")); // large then, faded since
//! # Ok::<(), eventstudy::Error>(())
//! ```

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::csv::{find, parse_date, parse_number, read_file, read_table};
use crate::error::{Error, Result};

/// Symbols of USD stablecoins, which a ranking lists but an altcoin basket should not hold
/// (they track the dollar by design). Matched case-insensitively by [`is_stablecoin`].
pub const STABLECOINS: [&str; 12] = [
    "USDT", "USDC", "BUSD", "DAI", "TUSD", "USDP", "PAX", "UST", "USTC", "GUSD", "USDD", "FDUSD",
];

/// Whether `symbol` is one of the [`STABLECOINS`].
///
/// ```
/// assert!(eventstudy::datasets::is_stablecoin("usdt"));
/// assert!(!eventstudy::datasets::is_stablecoin("XMR"));
/// ```
pub fn is_stablecoin(symbol: &str) -> bool {
    STABLECOINS.iter().any(|s| s.eq_ignore_ascii_case(symbol))
}

/// One coin in one ranking snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// The snapshot date.
    pub date: NaiveDate,
    /// 1 = largest market cap.
    pub rank: u32,
    /// Ticker as the ranking spells it (`BTC`, `MIOTA`); not unique: two coins may share one.
    pub symbol: String,
    /// Coin name.
    pub name: String,
    /// Market capitalisation in USD.
    pub market_cap_usd: f64,
    /// Price in USD at the snapshot (0 where the source rounded a tiny price to 0).
    pub price_usd: f64,
    /// Coins in circulation.
    pub circulating_supply: f64,
}

/// Market-cap rankings over time: every snapshot's coins, ordered by date, then rank.
///
/// Read from a CSV with the columns `date,rank,symbol,name,market_cap_usd,price_usd,
/// circulating_supply` (any order, case-insensitive; extra columns ignored). Every cell is
/// checked: a bad date, a rank that is not a positive whole number, a number that is negative
/// or not finite, a rank given twice on one date, or snapshots out of date order is an error
/// naming file, row, column and value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Universe {
    name: String,
    source: String,
    rows: Vec<Ranked>,
    /// Start of each snapshot in `rows`, one per distinct date.
    snapshot_starts: Vec<usize>,
}

const COLUMNS: [&str; 7] = [
    "date",
    "rank",
    "symbol",
    "name",
    "market_cap_usd",
    "price_usd",
    "circulating_supply",
];

impl Universe {
    /// Reads a ranking CSV file.
    ///
    /// ```
    /// let err = eventstudy::datasets::Universe::from_csv("/no/such/top10.csv", "top10").unwrap_err();
    /// assert!(err.to_string().contains("/no/such/top10.csv"));
    /// ```
    pub fn from_csv(path: impl AsRef<std::path::Path>, name: &str) -> Result<Self> {
        let path = path.as_ref();
        Self::from_csv_bytes(&read_file(path)?, name, &path.display().to_string())
    }

    /// Reads ranking CSV text; `source` names it in errors.
    ///
    /// ```
    /// use eventstudy::{Error, datasets::Universe};
    /// let head = "date,rank,symbol,name,market_cap_usd,price_usd,circulating_supply\n";
    /// let ok = format!("{head}2020-01-05,1,BTC,Bitcoin,1e11,7000,1.8e7\n2020-01-05,2,ETH,Ethereum,1.5e10,140,1.1e8\n");
    /// let u = Universe::from_csv_bytes(ok.as_bytes(), "mini", "mini.csv")?;
    /// assert_eq!((u.len(), u.snapshot_dates().len()), (2, 1));
    /// let dup = format!("{head}2020-01-05,1,BTC,Bitcoin,1e11,7000,1.8e7\n2020-01-05,1,ETH,Ethereum,1.5e10,140,1.1e8\n");
    /// let err = Universe::from_csv_bytes(dup.as_bytes(), "mini", "mini.csv").unwrap_err();
    /// assert!(matches!(err, Error::InvalidPrice { row: 3, ref column, .. } if column == "rank"), "{err}");
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn from_csv_bytes(bytes: &[u8], name: &str, source: &str) -> Result<Self> {
        let table = read_table(bytes, source)?;
        let mut idx = [0usize; 7];
        for (slot, column) in idx.iter_mut().zip(COLUMNS) {
            *slot = find(&table.headers, column).ok_or_else(|| Error::MissingColumn {
                file: source.to_string(),
                column: column.to_string(),
                headers: table.headers.clone(),
            })?;
        }
        let cell = |c: usize, i: usize| table.cell(idx[c], i).unwrap_or("").trim();
        let invalid = |i: usize, c: usize, reason: String| Error::InvalidPrice {
            file: source.to_string(),
            row: table.rows[i],
            column: table.headers[idx[c]].clone(),
            value: cell(c, i).to_string(),
            reason,
        };
        let number = |i: usize, c: usize| -> Result<f64> {
            let v = cell(c, i);
            let x = parse_number(v).ok_or_else(|| Error::BadNumber {
                file: source.to_string(),
                row: table.rows[i],
                column: table.headers[idx[c]].clone(),
                value: v.to_string(),
                hint: String::new(),
            })?;
            if !x.is_finite() || x < 0.0 {
                return Err(invalid(i, c, "must be a finite number ≥ 0".into()));
            }
            Ok(x)
        };
        let mut rows: Vec<Ranked> = Vec::with_capacity(table.rows.len());
        let mut snapshot_starts = Vec::new();
        for i in 0..table.rows.len() {
            let date = parse_date(cell(0, i)).ok_or_else(|| Error::BadDate {
                file: source.to_string(),
                row: table.rows[i],
                column: table.headers[idx[0]].clone(),
                value: cell(0, i).to_string(),
                expected: "YYYY-MM-DD".into(),
            })?;
            let rank = cell(1, i)
                .parse::<u32>()
                .ok()
                .filter(|r| *r > 0)
                .ok_or_else(|| invalid(i, 1, "a rank is a whole number ≥ 1".into()))?;
            for c in [2, 3] {
                if cell(c, i).is_empty() {
                    return Err(invalid(i, c, "empty".into()));
                }
            }
            match rows.last() {
                Some(prev) if date < prev.date => {
                    return Err(Error::UnsortedDates {
                        file: source.to_string(),
                        row: table.rows[i],
                        date,
                        previous_row: table.rows[i - 1],
                        previous: prev.date,
                    });
                }
                Some(prev) if date == prev.date => {}
                _ => snapshot_starts.push(rows.len()),
            }
            let start = snapshot_starts.last().copied().unwrap_or(0);
            if let Some(first) = rows[start..].iter().position(|r| r.rank == rank) {
                let first_row = table.rows[start + first];
                return Err(invalid(
                    i,
                    1,
                    format!("rank {rank} on {date} already given in row {first_row}"),
                ));
            }
            rows.push(Ranked {
                date,
                rank,
                symbol: cell(2, i).to_string(),
                name: cell(3, i).to_string(),
                market_cap_usd: number(i, 4)?,
                price_usd: number(i, 5)?,
                circulating_supply: number(i, 6)?,
            });
        }
        if rows.is_empty() {
            return Err(Error::NoData {
                file: source.to_string(),
                detail: String::new(),
            });
        }
        // Within a snapshot, order by rank (files list them so, but nothing depends on it).
        for (k, &start) in snapshot_starts.iter().enumerate() {
            let end = snapshot_starts.get(k + 1).copied().unwrap_or(rows.len());
            rows[start..end].sort_by_key(|r| r.rank);
        }
        Ok(Universe {
            name: name.to_string(),
            source: source.to_string(),
            rows,
            snapshot_starts,
        })
    }

    /// The ranking's name (for the bundled ones, the file name without `.csv`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where it was read from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Every row, by date then rank.
    pub fn rows(&self) -> &[Ranked] {
        &self.rows
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Always false: a ranking without rows is rejected when it is read.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The snapshot dates, ascending.
    ///
    /// ```
    /// let top10 = eventstudy::datasets::universe("cmc_top10_weekly")?;
    /// let dates = top10.snapshot_dates();
    /// assert_eq!((dates[0].to_string(), dates.len()), ("2013-05-05".to_string(), 532));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn snapshot_dates(&self) -> Vec<NaiveDate> {
        self.snapshot_starts.iter().map(|&i| self.rows[i].date).collect()
    }

    /// The latest snapshot on or before `date` (no look-ahead), as its date and its coins by
    /// rank; `None` before the first snapshot.
    ///
    /// ```
    /// let top10 = eventstudy::datasets::universe("cmc_top10_weekly")?;
    /// assert!(top10.snapshot_at("2013-01-01".parse().unwrap()).is_none());
    /// let (as_of, coins) = top10.snapshot_at("2013-05-05".parse().unwrap()).unwrap();
    /// assert_eq!((as_of.to_string(), coins.len()), ("2013-05-05".to_string(), 10));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn snapshot_at(&self, date: NaiveDate) -> Option<(NaiveDate, &[Ranked])> {
        // Snapshots are sorted by date: the last whose date is ≤ `date`.
        let k = self
            .snapshot_starts
            .partition_point(|&i| self.rows[i].date <= date)
            .checked_sub(1)?;
        let start = self.snapshot_starts[k];
        let end = self
            .snapshot_starts
            .get(k + 1)
            .copied()
            .unwrap_or(self.rows.len());
        Some((self.rows[start].date, &self.rows[start..end]))
    }

    /// The ranking as a polars DataFrame, one row per coin and snapshot.
    pub fn to_dataframe(&self) -> Result<polars::prelude::DataFrame> {
        use polars::prelude::*;
        let dates: Vec<i32> = self
            .rows
            .iter()
            .map(|r| super::frame::to_epoch_days(r.date))
            .collect();
        let n = self.rows.len();
        let col = |name: &str, f: fn(&Ranked) -> f64| {
            Column::new(name.into(), self.rows.iter().map(f).collect::<Vec<f64>>())
        };
        Ok(DataFrame::new(
            n,
            vec![
                Column::new("date".into(), dates).cast(&DataType::Date)?,
                Column::new(
                    "rank".into(),
                    self.rows.iter().map(|r| r.rank).collect::<Vec<u32>>(),
                ),
                Column::new(
                    "symbol".into(),
                    self.rows.iter().map(|r| r.symbol.as_str()).collect::<Vec<&str>>(),
                ),
                Column::new(
                    "name".into(),
                    self.rows.iter().map(|r| r.name.as_str()).collect::<Vec<&str>>(),
                ),
                col("market_cap_usd", |r| r.market_cap_usd),
                col("price_usd", |r| r.price_usd),
                col("circulating_supply", |r| r.circulating_supply),
            ],
        )?)
    }
}

impl fmt::Display for Universe {
    /// One line: name, snapshots, coins per snapshot, date range.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dates = self.snapshot_dates();
        let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
            return write!(f, "{} (no snapshots)", self.name);
        };
        let per = self.rows.len() / dates.len();
        write!(
            f,
            "{:<18} {:<38} {:<10} {first}..{last} {:>5} snapshots of {per} coins",
            self.name,
            "market-cap ranking",
            "snapshots",
            dates.len()
        )
    }
}
