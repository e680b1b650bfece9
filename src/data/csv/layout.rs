//! Which download tool wrote a file, from its header, and which columns it means.

use serde::Serialize;

use super::table::{HeaderKind, Table};

/// A file layout that [`PriceSeries::from_csv`](crate::PriceSeries::from_csv) recognises, and
/// which of its columns is taken as the close.
///
/// Equity layouts with an adjusted close use it (dividends and splits folded in, the return
/// a holder earned); [`CsvOptions::adjusted_close(false)`](super::CsvOptions::adjusted_close)
/// takes the unadjusted close instead. Timestamps become dates by one rule: **the date as
/// written** (an ISO timestamp's own date, whatever its offset or time: `…Z` and `+00:00` are
/// UTC dates, yfinance's `-05:00` midnights are New York dates), except for unix times, which
/// are converted to their **UTC date**.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Layout {
    /// Yahoo Finance web download, `Date,Open,High,Low,Close,Adj Close,Volume` (`null` rows for
    /// days without data). Close: `Adj Close`.
    Yahoo,
    /// A copy of Yahoo's history table (`Close*`, `Adj Close**`, `Apr 28, 2023`, quoted
    /// thousands, newest first). Close: `Adj Close**`.
    YahooTable,
    /// yfinance ≥ 0.2.51 `to_csv()`: `Price,Close,High,…` / `Ticker,SPY,…` / `Date,,…` (or two
    /// of those rows), columns alphabetical. Close: `Adj Close` if written, else `Close`.
    /// Intraday (`Datetime`) files are refused unless resampled to daily closes.
    Yfinance,
    /// Stooq (English) and other `Date,Open,High,Low,Close[,Volume]` files (the bundled
    /// `rut.csv`). Close: `Close`. Rows that omit the trailing volume field are accepted.
    Ohlcv,
    /// Stooq, Polish header: `Data,Otwarcie,Najwyzszy,Najnizszy,Zamkniecie,Wolumen`. Close:
    /// `Zamkniecie`. Rows that omit the trailing volume are accepted.
    StooqPolish,
    /// Investing.com: `"Date","Price","Open","High","Low","Vol.","Change %"`, quoted
    /// thousands, `1.21M` volumes, newest first. Close: `Price`. Dates are `MM/DD/YYYY` on the
    /// US site and `DD/MM/YYYY` on others: the order is taken only when a day above 12 proves
    /// it, otherwise the file is refused until [`CsvOptions::date_format`](super::CsvOptions::date_format) says.
    Investing,
    /// CoinMarketCap historical export: `timeOpen;timeClose;…;close;volume;marketCap;timestamp`
    /// (`;` or `,`), newest first. Close: `close`, the 23:59:59.999 UTC price, dated by the
    /// UTC date of `timeOpen`.
    CoinMarketCap,
    /// CryptoDataDownload: a URL line above `unix,date,symbol,open,high,low,close,…`, newest
    /// first. Close: `close`, dated by the UTC date of `unix` (seconds or milliseconds, told
    /// apart per row: the site's files mix them).
    CryptoDataDownload,
    /// Binance kline dump (data.binance.vision), with or without its header: `open_time,open,
    /// high,low,close,volume,close_time,…`. Close: `close`, dated by the UTC date of
    /// `open_time` (ms, or µs in spot files from 2025). Finer bars than daily are refused
    /// unless resampled.
    BinanceKlines,
    /// Kaggle "Cryptocurrency Historical Prices" `coin_*.csv`: `SNo,Name,Symbol,Date,High,
    /// Low,Open,Close,Volume,Marketcap`, dates like `2013-04-29 23:59:59`. Close: `Close`.
    KaggleCoin,
    /// Nasdaq.com: `Date,Close/Last,Volume,Open,High,Low`, `$` prices, `MM/DD/YYYY`, newest
    /// first. Close: `Close/Last`.
    Nasdaq,
    /// Alpha Vantage: `timestamp,open,high,low,close,volume` (or the adjusted
    /// `…,close,adjusted_close,volume,dividend_amount,split_coefficient`), newest first.
    /// Close: `adjusted_close` if written, else `close`.
    AlphaVantage,
    /// WSJ/MarketWatch: `Date, Open, High, Low, Close[, Volume]` (a space after each comma),
    /// `MM/DD/YY`, newest first. Close: `Close`. Two-digit years follow the stated pivot
    /// ([`CsvOptions::two_digit_year_pivot`](super::CsvOptions::two_digit_year_pivot)).
    Wsj,
    /// CoinGecko export, `snapped_at,price,market_cap,total_volume`, one 00:00 UTC snapshot a
    /// day. The snapshot labelled D is used as the close of D, with no shift: lag tests
    /// against exchange closes (see `data/SOURCES.md`) match at lag 0 and are several percent
    /// off at a one-day shift.
    CoinGecko,
    /// FRED download: `observation_date,SERIES` (or the older `DATE,SERIES`), `.` for
    /// missing. Close: the series column.
    Fred,
    /// Plain `date,close` (any extra columns are ignored).
    DateClose,
    /// Columns named explicitly through [`CsvOptions`](super::CsvOptions).
    Custom,
    /// A Parquet file ([`PriceSeries::from_parquet`](crate::PriceSeries::from_parquet)).
    Parquet,
}

/// The name used for a layout in metadata, `inspect` and JSON.
impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Layout::Yahoo => "yahoo",
            Layout::YahooTable => "yahoo_table",
            Layout::Yfinance => "yfinance",
            Layout::Ohlcv => "ohlcv",
            Layout::StooqPolish => "stooq_polish",
            Layout::Investing => "investing",
            Layout::CoinMarketCap => "coin_market_cap",
            Layout::CryptoDataDownload => "crypto_data_download",
            Layout::BinanceKlines => "binance_klines",
            Layout::KaggleCoin => "kaggle_coin",
            Layout::Nasdaq => "nasdaq",
            Layout::AlphaVantage => "alpha_vantage",
            Layout::Wsj => "wsj",
            Layout::CoinGecko => "coin_gecko",
            Layout::Fred => "fred",
            Layout::DateClose => "date_close",
            Layout::Custom => "custom",
            Layout::Parquet => "parquet",
        })
    }
}

/// A header name reduced for matching: lower case, `*`, `.` and `"` dropped, `_` as a space,
/// spaces collapsed (`Adj. close**` → `adj close`, `adjusted_close` → `adjusted close`).
pub(crate) fn key(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '*' | '.' | '"'))
        .map(|c| if c == '_' { ' ' } else { c.to_ascii_lowercase() })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the layout decided: the column of each field and how its dates read.
#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) layout: Layout,
    pub(crate) date: usize,
    pub(crate) close: usize,
    pub(crate) open: Option<usize>,
    pub(crate) high: Option<usize>,
    pub(crate) low: Option<usize>,
    pub(crate) volume: Option<usize>,
    /// Dates are unix times (converted to UTC dates).
    pub(crate) unix_dates: bool,
    /// Numeric dates are month-first when the file proves nothing (US sites).
    pub(crate) us_order: bool,
    /// Rows may omit trailing fields that are not the date or close (Stooq's volume).
    pub(crate) omits_trailing: bool,
}

/// Finds a column by any of its names (compared as [`key`]s).
pub(crate) fn find_key(keys: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| keys.iter().position(|k| k == n))
}

/// The close column: one of `adjusted` names when `prefer_adjusted` and one is there, else one
/// of `plain`, else (the adjusted close being all there is) one of `adjusted`.
pub(crate) fn find_close(
    keys: &[String],
    adjusted: &[&str],
    plain: &[&str],
    prefer_adjusted: bool,
) -> Option<usize> {
    let (first, second) = if prefer_adjusted {
        (adjusted, plain)
    } else {
        (plain, adjusted)
    };
    find_key(keys, first).or_else(|| find_key(keys, second))
}

/// The layout of a table, if its header is one of the known ones. `adjusted` prefers the
/// adjusted close where the layout has one.
pub(crate) fn detect(table: &Table, adjusted: bool) -> Option<Spec> {
    let keys: Vec<String> = table.headers.iter().map(|h| key(h)).collect();
    let has = |n: &str| keys.iter().any(|k| k == n);
    let at = |names: &[&str]| find_key(&keys, names);
    let raw_has = |pred: &dyn Fn(&str) -> bool| table.headers.iter().any(|h| pred(h));
    let adj = |names: &[&str], plain: &[&str]| find_close(&keys, names, plain, adjusted);
    let ohlv = |spec: &mut Spec, o: &[&str], h: &[&str], l: &[&str], v: &[&str]| {
        spec.open = at(o);
        spec.high = at(h);
        spec.low = at(l);
        spec.volume = at(v);
    };
    let base = |layout, date, close| Spec {
        layout,
        date,
        close,
        open: None,
        high: None,
        low: None,
        volume: None,
        unix_dates: false,
        us_order: false,
        omits_trailing: false,
    };
    let (o, h, l, v): (&[&str], &[&str], &[&str], &[&str]) = (&["open"], &["high"], &["low"], &["volume"]);
    let mut spec = if table.header == HeaderKind::Headerless {
        let mut s = base(Layout::BinanceKlines, 0, 4);
        s.unix_dates = true;
        s
    } else if has("snapped at") && has("price") {
        base(Layout::CoinGecko, at(&["snapped at"])?, at(&["price"])?)
    } else if has("timeopen") && has("close") {
        base(Layout::CoinMarketCap, at(&["timeopen"])?, at(&["close"])?)
    } else if has("unix") && has("close") {
        let mut s = base(Layout::CryptoDataDownload, at(&["unix"])?, at(&["close"])?);
        s.unix_dates = true;
        s
    } else if has("open time") && has("close") && has("close time") {
        let mut s = base(Layout::BinanceKlines, at(&["open time"])?, at(&["close"])?);
        s.unix_dates = true;
        s
    } else if has("sno") && has("symbol") && has("date") && has("close") {
        base(Layout::KaggleCoin, at(&["date"])?, at(&["close"])?)
    } else if has("date") && has("price") && (has("change %") || has("vol")) {
        base(Layout::Investing, at(&["date"])?, at(&["price"])?)
    } else if has("date") && has("close/last") {
        let mut s = base(Layout::Nasdaq, at(&["date"])?, at(&["close/last"])?);
        s.us_order = true;
        s
    } else if has("timestamp") && has("close") && has("open") {
        base(
            Layout::AlphaVantage,
            at(&["timestamp"])?,
            adj(&["adjusted close"], &["close"])?,
        )
    } else if (matches!(table.header, HeaderKind::Yfinance { .. }) || is_yfinance_order(&keys))
        && has("close")
    {
        base(Layout::Yfinance, 0, adj(&["adj close"], &["close"])?)
    } else if raw_has(&|h| h.ends_with('*')) && has("date") && has("close") {
        base(
            Layout::YahooTable,
            at(&["date"])?,
            adj(&["adj close"], &["close"])?,
        )
    } else if table.headers.len() == 2
        && (keys[0] == "observation date" || table.headers[0] == "DATE")
        && keys[1] != "close"
    {
        base(Layout::Fred, 0, 1)
    } else if (has("date") || has("datetime")) && has("close") && has("adj close") {
        base(
            Layout::Yahoo,
            at(&["date", "datetime"])?,
            adj(&["adj close"], &["close"])?,
        )
    } else if has("data") && has("zamkniecie") {
        let mut s = base(Layout::StooqPolish, at(&["data"])?, at(&["zamkniecie"])?);
        ohlv(
            &mut s,
            &["otwarcie"],
            &["najwyzszy"],
            &["najnizszy"],
            &["wolumen"],
        );
        s.omits_trailing = true;
        return Some(s);
    } else if has("date")
        && has("open")
        && has("high")
        && has("low")
        && has("close")
        && table.raw_headers.iter().skip(1).all(|h| h.starts_with(' '))
    {
        let mut s = base(Layout::Wsj, at(&["date"])?, at(&["close"])?);
        s.us_order = true;
        s
    } else if (has("date") || has("datetime")) && has("open") && has("high") && has("low") && has("close") {
        let mut s = base(Layout::Ohlcv, at(&["date", "datetime"])?, at(&["close"])?);
        s.omits_trailing = true;
        s
    } else if (has("date") || has("datetime")) && has("close") {
        base(Layout::DateClose, at(&["date", "datetime"])?, at(&["close"])?)
    } else {
        return None;
    };
    let volumes: &[&str] = &["volume", "vol", "total volume"];
    let volume_names = if spec.layout == Layout::Investing {
        volumes
    } else {
        v
    };
    ohlv(&mut spec, o, h, l, volume_names);
    if spec.layout == Layout::CoinGecko {
        spec.volume = None; // total_volume is a 24-hour sum, not the day's bar
    }
    Some(spec)
}

/// yfinance's own column order after the index (alphabetical): `[Adj Close,]Close,High,Low,
/// Open,Volume`, under a `Date`/`Datetime` index; single-line headers of newer versions have it.
fn is_yfinance_order(keys: &[String]) -> bool {
    let rest: Vec<&str> = keys.iter().skip(1).map(String::as_str).collect();
    let index = keys.first().is_some_and(|k| k == "date" || k == "datetime");
    index
        && (rest == ["close", "high", "low", "open", "volume"]
            || rest == ["adj close", "close", "high", "low", "open", "volume"])
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn header_keys_ignore_marks_case_and_separators() {
        assert_eq!(key("Adj. close**"), "adj close");
        assert_eq!(key(" Close* "), "close");
        assert_eq!(key("adjusted_close"), "adjusted close");
        assert_eq!(key("Vol."), "vol");
        assert_eq!(key("Change %"), "change %");
        assert_eq!(key("snapped_at"), "snapped at");
    }
}
