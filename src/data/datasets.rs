//! The bundled daily price data, embedded in the library.
//!
//! The CSVs in the crate's `data/` directory are compiled in with `include_str!`, so they work
//! from any dependent crate and from an evcxr notebook with no file paths. They are parsed on
//! use, not at start-up. Provenance, coverage and known quirks of every file are in
//! `data/SOURCES.md`.
//!
//! ```
//! use eventstudy::datasets;
//! let rut = datasets::load("rut")?;
//! assert_eq!(rut.first_date().to_string(), "1987-09-10");
//! for info in datasets::list()? {
//!     println!("{info}");
//! }
//! # Ok::<(), eventstudy::Error>(())
//! ```
//!
//! Adding a series: put `SYMBOL.csv` in `data/`, document it in `data/SOURCES.md` and add one
//! entry to the table in this file; a test fails while a CSV in `data/` has no entry.
//!
//! Besides price series, `data/universe/` holds point-in-time market-cap rankings
//! ([`universe`], [`Universe`]): which coins were the largest at a date, so a basket can hold
//! the coins that were large then rather than today's survivors.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use chrono::NaiveDate;
use serde::Serialize;

use super::csv::CsvOptions;
use super::series::{Calendar, PriceSeries};
use crate::error::{Error, Result};

pub use super::universe::{Ranked, STABLECOINS, Universe, is_stablecoin};

/// What kind of series a dataset is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DatasetKind {
    /// An equity index on an exchange calendar.
    EquityIndex,
    /// BTC or ETH (or a variant of them, such as the Mt.Gox-era BTC series), priced in USD on
    /// UTC days: studied on their own, never as basket members.
    Crypto,
    /// Any other coin, priced in USD on UTC days: a member of the bundled altcoin basket
    /// ([`crate::AltBasket::bundled`]) from its listing on.
    Altcoin,
    /// An aggregate such as total crypto market capitalisation.
    MarketCap,
}

/// One bundled series: its metadata and its embedded CSV.
#[derive(Debug, Clone, Copy)]
pub struct Dataset {
    /// Lower-case symbol, the file name without `.csv`.
    pub symbol: &'static str,
    /// Human-readable name.
    pub name: &'static str,
    /// What kind of series it is.
    pub kind: DatasetKind,
    /// The calendar its rows follow.
    pub calendar: Calendar,
    /// The value column when it is not `close`.
    value_column: Option<&'static str>,
    /// The file's text.
    csv: &'static str,
}

impl Dataset {
    /// How this dataset's CSV is read: its calendar, and its value column when not `close`.
    pub fn csv_options(&self) -> CsvOptions {
        let options = CsvOptions::new().calendar(self.calendar);
        match self.value_column {
            Some(col) => options.date_column("date").close_column(col),
            None => options,
        }
    }

    /// The embedded CSV text, byte for byte as in `data/`.
    pub fn csv(&self) -> &'static str {
        self.csv
    }

    /// Parses the embedded CSV into a [`PriceSeries`]. The text never changes, so it is parsed
    /// once per process and later calls get a copy (a rule that reads a second series, such as
    /// the RUT/S&P 500 ratio, loads it for every detection).
    pub fn load(&self) -> Result<PriceSeries> {
        static PARSED: OnceLock<Mutex<HashMap<&'static str, PriceSeries>>> = OnceLock::new();
        let parsed = PARSED.get_or_init(Default::default);
        // A poisoned lock only means another thread panicked mid-insert: the map is still whole.
        let cached = |m: &Mutex<HashMap<&'static str, PriceSeries>>| {
            m.lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(self.symbol)
                .cloned()
        };
        if let Some(series) = cached(parsed) {
            return Ok(series);
        }
        let options = self.csv_options();
        let source = format!("bundled:{}.csv", self.symbol);
        let series = PriceSeries::from_csv_bytes(self.csv.as_bytes(), self.symbol, options, &source)?;
        parsed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(self.symbol, series.clone());
        Ok(series)
    }
}

macro_rules! bundled {
    ($($symbol:literal => $name:literal, $kind:ident, $cal:ident $(, $col:literal)?;)*) => {
        const BUNDLED: &[Dataset] = &[$(Dataset {
            symbol: $symbol,
            name: $name,
            kind: DatasetKind::$kind,
            calendar: Calendar::$cal,
            value_column: bundled!(@col $($col)?),
            csv: include_str!(concat!("../../data/", $symbol, ".csv")),
        }),*];
    };
    (@col) => { None };
    (@col $col:literal) => { Some($col) };
}

// One line per file in data/: symbol => name, kind, calendar[, value column].
bundled! {
    "rut" => "Russell 2000 (^RUT)", EquityIndex, Trading;
    "gspc" => "S&P 500 (^GSPC)", EquityIndex, Trading;
    "btc" => "Bitcoin (USD)", Crypto, Continuous;
    "btc_mtgox" => "Bitcoin (USD, Mt.Gox 2012-13, 0.1 USD)", Crypto, Continuous;
    "eth" => "Ether (USD)", Crypto, Continuous;
    "xrp" => "XRP (USD)", Altcoin, Continuous;
    "doge" => "Dogecoin (USD)", Altcoin, Continuous;
    "ltc" => "Litecoin (USD)", Altcoin, Continuous;
    "sol" => "Solana (USD)", Altcoin, Continuous;
    "bnb" => "BNB (USD)", Altcoin, Continuous;
    "xlm" => "Stellar (USD)", Altcoin, Continuous;
    "ada" => "Cardano (USD)", Altcoin, Continuous;
    "link" => "Chainlink (USD)", Altcoin, Continuous;
    "trx" => "TRON (USD)", Altcoin, Continuous;
    "dot" => "Polkadot (USD)", Altcoin, Continuous;
    "avax" => "Avalanche (USD)", Altcoin, Continuous;
    "xmr" => "Monero (USD)", Altcoin, Continuous;
    "dash" => "Dash (USD)", Altcoin, Continuous;
    "etc" => "Ethereum Classic (USD)", Altcoin, Continuous;
    "xem" => "NEM (USD)", Altcoin, Continuous;
    "eos" => "EOS (USD)", Altcoin, Continuous;
    "bch" => "Bitcoin Cash (USD)", Altcoin, Continuous;
    "xtz" => "Tezos (USD)", Altcoin, Continuous;
    "miota" => "IOTA (USD)", Altcoin, Continuous;
    "neo" => "NEO (USD)", Altcoin, Continuous;
    "zec" => "Zcash (USD)", Altcoin, Continuous;
    "total_mcap_weekly" => "Total crypto market cap (USD, weekly)", MarketCap, Weekly, "total_market_cap_usd";
}

/// The bundled rankings in `data/universe/`: name (the file name without `.csv`) and text.
const UNIVERSES: [(&str, &str); 2] = [
    (
        "cmc_top10_weekly",
        include_str!("../../data/universe/cmc_top10_weekly.csv"),
    ),
    (
        "cmc_top200_monthly",
        include_str!("../../data/universe/cmc_top200_monthly.csv"),
    ),
];

/// The names of the bundled rankings: `cmc_top10_weekly` (CoinMarketCap top 10, Sundays,
/// 2013-05-05..2023-07-09) and `cmc_top200_monthly` (top 200 on the 1st, 2020-01..2025-10).
pub fn universe_names() -> Vec<&'static str> {
    UNIVERSES.iter().map(|(n, _)| *n).collect()
}

/// The embedded CSV text of a bundled ranking, byte for byte as in `data/universe/`.
pub fn universe_csv(name: &str) -> Result<&'static str> {
    let wanted = name.trim().to_ascii_lowercase();
    UNIVERSES
        .iter()
        .find(|(n, _)| *n == wanted)
        .map(|(_, csv)| *csv)
        .ok_or_else(|| Error::UnknownDataset {
            symbol: name.to_string(),
            known: universe_names().into_iter().map(String::from).collect(),
        })
}

/// Parses one bundled ranking by name.
///
/// ```
/// let top200 = eventstudy::datasets::universe("cmc_top200_monthly")?;
/// assert_eq!(top200.len(), 14_000);
/// assert!(eventstudy::datasets::universe("top5").is_err());
/// # Ok::<(), eventstudy::Error>(())
/// ```
pub fn universe(name: &str) -> Result<Universe> {
    let csv = universe_csv(name)?;
    let name = name.trim().to_ascii_lowercase();
    Universe::from_csv_bytes(csv.as_bytes(), &name, &format!("bundled:universe/{name}.csv"))
}

/// Every bundled ranking, parsed.
pub fn universes() -> Result<Vec<Universe>> {
    universe_names().into_iter().map(universe).collect()
}

/// Every bundled dataset's metadata, in a fixed order (indices first, then BTC, ETH and the
/// altcoins, then the market cap). Nothing is parsed.
pub fn all() -> &'static [Dataset] {
    BUNDLED
}

/// The bundled symbols, in the order of [`all`].
pub fn symbols() -> Vec<&'static str> {
    BUNDLED.iter().map(|d| d.symbol).collect()
}

/// Metadata of one bundled dataset; an unknown symbol is an error listing the known ones.
pub fn get(symbol: &str) -> Result<&'static Dataset> {
    let wanted = symbol.trim().to_ascii_lowercase();
    BUNDLED
        .iter()
        .find(|d| d.symbol == wanted)
        .ok_or_else(|| Error::UnknownDataset {
            symbol: symbol.to_string(),
            known: symbols().into_iter().map(String::from).collect(),
        })
}

/// Loads one bundled series by symbol (case-insensitive), e.g. `"rut"` or `"btc"`.
///
/// ```
/// let err = eventstudy::datasets::load("nope").unwrap_err();
/// assert!(err.to_string().contains("rut, gspc, btc, btc_mtgox"));
/// ```
pub fn load(symbol: &str) -> Result<PriceSeries> {
    get(symbol)?.load()
}

/// A summary of one bundled series, as [`list`] returns it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DatasetInfo {
    /// Symbol.
    pub symbol: String,
    /// Human-readable name.
    pub name: String,
    /// Kind of series.
    pub kind: DatasetKind,
    /// Calendar.
    pub calendar: Calendar,
    /// First observation.
    pub first_date: NaiveDate,
    /// Last observation.
    pub last_date: NaiveDate,
    /// Observations (rows with a close).
    pub rows: usize,
    /// Rows without a close (missing observations, skipped).
    pub missing: usize,
}

impl fmt::Display for DatasetInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<18} {:<38} {:<10} {}..{} {:>5} rows",
            self.symbol, self.name, self.calendar, self.first_date, self.last_date, self.rows
        )?;
        if self.missing > 0 {
            write!(f, " ({} missing skipped)", self.missing)?;
        }
        Ok(())
    }
}

/// Parses every bundled series and summarises it: symbol, name, calendar, first and last date,
/// row count and missing observations.
pub fn list() -> Result<Vec<DatasetInfo>> {
    BUNDLED
        .iter()
        .map(|d| {
            let s = d.load()?;
            Ok(DatasetInfo {
                symbol: d.symbol.to_string(),
                name: d.name.to_string(),
                kind: d.kind,
                calendar: d.calendar,
                first_date: s.first_date(),
                last_date: s.last_date(),
                rows: s.len(),
                missing: s.missing_dates().len(),
            })
        })
        .collect()
}

/// Where a study reads its series: the bundled data, or `SYMBOL.csv` files in a directory.
///
/// A file in a directory whose symbol is also bundled is read with that dataset's calendar
/// and value column; any other file is read with layout and calendar detection.
///
/// ```
/// use eventstudy::datasets::DataSource;
/// let rut = DataSource::Bundled.load("rut")?;
/// assert_eq!(rut.symbol(), "rut");
/// let err = DataSource::Dir("/no/such/dir".into()).load("rut").unwrap_err();
/// assert!(err.to_string().contains("/no/such/dir/rut.csv"));
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DataSource {
    /// The data embedded in the library.
    #[default]
    Bundled,
    /// A directory of `SYMBOL.csv` files.
    Dir(std::path::PathBuf),
}

impl DataSource {
    /// Loads one series by symbol.
    pub fn load(&self, symbol: &str) -> Result<PriceSeries> {
        match self {
            DataSource::Bundled => load(symbol),
            DataSource::Dir(dir) => {
                let path = dir.join(format!("{symbol}.csv"));
                let options = get(symbol).map(Dataset::csv_options).unwrap_or_default();
                PriceSeries::from_csv_with(&path, symbol, options)
            }
        }
    }
}
