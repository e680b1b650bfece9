//! The CSV layouts on real downloads' first rows (`tests/fixtures/loaders/`, provenance in its
//! README), checked against an independent pandas reader
//! (`tests/reference/loader_reference.py`, which wrote `expected.csv`), and the loader's
//! strictness and tolerance rules.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use eventstudy::{CsvOptions, Error, Layout, LoadWarning, PriceSeries, detect_layout};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/loaders")
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(name)).unwrap()
}

fn load_bytes(bytes: &[u8], options: CsvOptions) -> eventstudy::Result<PriceSeries> {
    PriceSeries::from_csv_bytes(bytes, "x", options, "<test>")
}

/// The layout each fixture is, as named in the fixtures' README.
const LAYOUTS: [(&str, Layout); 30] = [
    ("alphavantage.csv", Layout::AlphaVantage),
    ("alphavantage_adjusted.csv", Layout::AlphaVantage),
    ("binance_klines_header.csv", Layout::BinanceKlines),
    ("binance_klines_noheader.csv", Layout::BinanceKlines),
    ("coingecko.csv", Layout::CoinGecko),
    ("coinmarketcap_comma.csv", Layout::CoinMarketCap),
    ("coinmarketcap_semicolon.csv", Layout::CoinMarketCap),
    ("cryptodatadownload.csv", Layout::CryptoDataDownload),
    ("cryptodatadownload_ms.csv", Layout::CryptoDataDownload),
    ("european_damage.csv", Layout::KaggleCoin),
    ("excel_scientific.csv", Layout::KaggleCoin),
    ("excel_semicolon.csv", Layout::Ohlcv),
    ("fred_date.csv", Layout::Fred),
    ("fred_observation_date.csv", Layout::Fred),
    ("investing_named_month.csv", Layout::Investing),
    ("investing_uk.csv", Layout::Investing),
    ("investing_us.csv", Layout::Investing),
    ("kaggle_coin.csv", Layout::KaggleCoin),
    ("nasdaq.csv", Layout::Nasdaq),
    ("stooq_en.csv", Layout::Ohlcv),
    ("stooq_no_volume.csv", Layout::Ohlcv),
    ("stooq_pl.csv", Layout::StooqPolish),
    ("wsj.csv", Layout::Wsj),
    ("yahoo_negative_volume.csv", Layout::Yahoo),
    ("yahoo_table_copy.csv", Layout::YahooTable),
    ("yahoo_web.csv", Layout::Yahoo),
    ("yfinance_2row.csv", Layout::Yfinance),
    ("yfinance_3row.csv", Layout::Yfinance),
    ("yfinance_3row_adj.csv", Layout::Yfinance),
    ("yfinance_intraday.csv", Layout::Yfinance),
];

/// `expected.csv` as maps from column to cell, one per fixture.
fn expected() -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(dir().join("expected.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn every_fixture_is_a_known_layout_and_every_layout_has_a_fixture() {
    let mut files: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".csv") && f != "expected.csv")
        .collect();
    files.sort();
    let listed: Vec<&str> = LAYOUTS.iter().map(|(f, _)| *f).collect();
    assert_eq!(files, listed);
    for (file, layout) in LAYOUTS {
        assert_eq!(detect_layout(&fixture(file)), Some(layout), "{file}");
    }
    for layout in [
        Layout::Yahoo,
        Layout::YahooTable,
        Layout::Yfinance,
        Layout::Ohlcv,
        Layout::StooqPolish,
        Layout::Investing,
        Layout::CoinMarketCap,
        Layout::CryptoDataDownload,
        Layout::BinanceKlines,
        Layout::KaggleCoin,
        Layout::Nasdaq,
        Layout::AlphaVantage,
        Layout::Wsj,
        Layout::CoinGecko,
        Layout::Fred,
    ] {
        assert!(
            LAYOUTS.iter().any(|(_, l)| *l == layout),
            "{layout} has no fixture"
        );
    }
}

#[test]
fn every_fixture_matches_the_independent_reader() {
    let expected = expected();
    assert_eq!(expected.len(), LAYOUTS.len());
    for e in &expected {
        let file = e["file"].as_str();
        let bytes = fixture(file);
        let cell = |k: &str| e[k].as_str();
        if !cell("error").is_empty() {
            let err = load_bytes(&bytes, CsvOptions::new()).unwrap_err();
            let want: HashMap<&str, &str> = cell("error")
                .split(';')
                .filter_map(|kv| kv.split_once('='))
                .collect();
            match &err {
                Error::BadNumber {
                    row,
                    column,
                    value,
                    hint,
                    ..
                } => {
                    assert_eq!(row.to_string(), want["line"], "{file}");
                    assert_eq!(
                        (column.as_str(), value.as_str()),
                        (want["column"], want["value"]),
                        "{file}"
                    );
                    assert!(hint.contains("European locale"), "{file}: {err}");
                }
                other => panic!("{file}: {other:?}"),
            }
            continue;
        }
        let intraday = cell("intraday") == "true";
        let s = if intraday {
            let err = load_bytes(&bytes, CsvOptions::new()).unwrap_err();
            assert!(matches!(err, Error::Intraday { .. }), "{file}: {err:?}");
            assert!(err.to_string().contains("resample_daily"), "{err}");
            load_bytes(&bytes, CsvOptions::new().resample_daily(true)).unwrap()
        } else {
            load_bytes(&bytes, CsvOptions::new()).unwrap_or_else(|e| panic!("{file}: {e}"))
        };
        let info = s.load_info().unwrap();
        let close_column = if cell("close_column") == "5" {
            "close"
        } else {
            cell("close_column")
        };
        assert_eq!(info.close_column, close_column, "{file}");
        assert_eq!(info.newest_first.to_string(), cell("newest_first"), "{file}");
        if intraday {
            let daily: Vec<(NaiveDate, f64)> = cell("daily_closes")
                .split(';')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap();
                    (d(k), v.parse().unwrap())
                })
                .collect();
            let got: Vec<(NaiveDate, f64)> =
                s.dates().iter().copied().zip(s.close().iter().copied()).collect();
            assert_eq!(got, daily, "{file}");
            let bars: usize = cell("rows").parse().unwrap();
            assert!(
                info.warnings.contains(&LoadWarning::Resampled {
                    bars,
                    days: daily.len()
                }),
                "{file}: {:?}",
                info.warnings
            );
            continue;
        }
        assert_eq!(s.len().to_string(), cell("rows"), "{file}");
        assert_eq!(s.missing_dates().len().to_string(), cell("missing"), "{file}");
        let missing: Vec<NaiveDate> = cell("missing_dates")
            .split(';')
            .filter(|m| !m.is_empty())
            .map(d)
            .collect();
        assert_eq!(s.missing_dates(), missing, "{file}");
        assert_eq!(
            (s.first_date(), s.last_date()),
            (d(cell("first_date")), d(cell("last_date"))),
            "{file}"
        );
        let (first, last): (f64, f64) = (
            cell("first_close").parse().unwrap(),
            cell("last_close").parse().unwrap(),
        );
        assert_eq!((s.close()[0], s.close()[s.len() - 1]), (first, last), "{file}");
        // Volume the reference reads as unknown is unknown here, with a warning where a value
        // was there but unusable.
        for date in cell("volume_unknown_dates").split(';').filter(|x| !x.is_empty()) {
            let i = s.dates().binary_search(&d(date)).unwrap();
            assert_eq!(s.volume().unwrap()[i], None, "{file} {date}");
        }
    }
}

#[test]
fn what_the_loader_decided_is_on_the_series_and_in_its_display() {
    let s = load_bytes(&fixture("investing_uk.csv"), CsvOptions::new()).unwrap();
    let info = s.load_info().unwrap();
    assert_eq!(info.layout, Layout::Investing);
    assert!(
        info.date_format
            .starts_with("%d/%m/%Y (order inferred from \"30/09/2025\", row 2)"),
        "{}",
        info.date_format
    );
    let shown = s.to_string();
    for part in [
        "investing layout",
        "close column \"Price\"",
        "%d/%m/%Y",
        "newest first (reversed)",
        "trading calendar inferred",
    ] {
        assert!(shown.contains(part), "{part:?} not in {shown}");
    }
    let cmc = load_bytes(&fixture("coinmarketcap_semicolon.csv"), CsvOptions::new()).unwrap();
    assert!(cmc.to_string().contains("separator ';'"), "{cmc}");
    assert_eq!(
        cmc.load_info().unwrap().calendar,
        eventstudy::Calendar::Continuous
    );
    let yf = load_bytes(&fixture("yfinance_3row.csv"), CsvOptions::new()).unwrap();
    assert_eq!(yf.load_info().unwrap().ticker.as_deref(), Some("SPY"));
}

#[test]
fn numeric_dates_are_ordered_only_when_the_file_proves_it() {
    // Rows of the UK Investing file with days 12 and under: no row says which order.
    let uk = String::from_utf8(fixture("investing_uk.csv")).unwrap();
    let lines: Vec<&str> = uk.lines().collect();
    let ambiguous: Vec<&str> = std::iter::once(lines[0])
        .chain(
            lines[1..]
                .iter()
                .copied()
                .filter(|l| l[1..3].parse::<u32>().unwrap() <= 12),
        )
        .collect();
    assert!(ambiguous.len() >= 3, "{ambiguous:?}");
    let text = ambiguous.join("\n");
    let err = load_bytes(text.as_bytes(), CsvOptions::new()).unwrap_err();
    match &err {
        Error::AmbiguousDates { row, value, .. } => {
            assert_eq!((*row, value.as_str()), (2, &ambiguous[1][1..11]))
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("%d/%m/%Y"), "{err}");
    let s = load_bytes(text.as_bytes(), CsvOptions::new().date_format("%d/%m/%Y")).unwrap();
    assert_eq!(s.load_info().unwrap().date_format, "%d/%m/%Y");
    // Nasdaq.com is a US site: month-first is stated, not guessed, for rows that prove nothing.
    let nasdaq = "Date,Close/Last,Volume,Open,High,Low\n10/09/2025,$28.50,100,$28,$29,$28\n10/08/2025,$28.40,100,$28,$29,$28\n";
    let s = load_bytes(nasdaq.as_bytes(), CsvOptions::new()).unwrap();
    assert_eq!(s.first_date(), d("2025-10-08"));
    // A day above 12 in both places is not a day/month date.
    let both = "date,close\n13/01/2021,1\n01/13/2021,2\n";
    assert!(matches!(
        load_bytes(both.as_bytes(), CsvOptions::new()),
        Err(Error::BadDate { row: 3, .. })
    ));
}

#[test]
fn two_digit_years_follow_the_stated_pivot() {
    let wsj = fixture("wsj.csv");
    let s = load_bytes(&wsj, CsvOptions::new()).unwrap();
    assert_eq!(s.last_date(), d("2022-06-01"));
    assert!(
        s.load_info()
            .unwrap()
            .date_format
            .contains("00–68 → 20xx, 69–99 → 19xx")
    );
    let s = load_bytes(&wsj, CsvOptions::new().two_digit_year_pivot(20)).unwrap();
    assert_eq!(s.last_date(), d("1922-06-01"));
}

#[test]
fn the_adjusted_close_is_preferred_unless_the_options_say_otherwise() {
    let bytes = fixture("yfinance_3row_adj.csv");
    let adj = load_bytes(&bytes, CsvOptions::new()).unwrap();
    let raw = load_bytes(&bytes, CsvOptions::new().adjusted_close(false)).unwrap();
    assert_eq!(adj.load_info().unwrap().close_column, "Adj Close");
    assert_eq!(raw.load_info().unwrap().close_column, "Close");
    // First row of the file: Adj Close 169.68783569335938, Close 205.42999267578125.
    assert_eq!(
        (adj.close()[0], raw.close()[0]),
        (169.68783569335938, 205.42999267578125)
    );
    let av = load_bytes(
        &fixture("alphavantage_adjusted.csv"),
        CsvOptions::new().adjusted_close(false),
    )
    .unwrap();
    assert_eq!(av.load_info().unwrap().close_column, "close");
    let named = load_bytes(&fixture("yahoo_web.csv"), CsvOptions::new().close_column("Open")).unwrap();
    assert_eq!(named.load_info().unwrap().close_column, "Open");
}

#[test]
fn a_multi_ticker_yfinance_file_needs_a_ticker() {
    let text = "Price,Close,Close,Volume,Volume\nTicker,SPY,QQQ,SPY,QQQ\nDate,,,,\n2015-07-01,174.9,101.2,135979900,3000\n2015-07-02,175.1,101.0,100,200\n";
    let err = load_bytes(text.as_bytes(), CsvOptions::new()).unwrap_err();
    match &err {
        Error::MultipleTickers { tickers, .. } => assert_eq!(tickers, &["SPY", "QQQ"]),
        other => panic!("{other:?}"),
    }
    let qqq = load_bytes(text.as_bytes(), CsvOptions::new().ticker("QQQ")).unwrap();
    assert_eq!(qqq.close(), [101.2, 101.0]);
    assert_eq!(qqq.volume().unwrap()[1], Some(200.0));
}

#[test]
fn excel_resaves_bom_crlf_semicolons_and_scientific_notation_read_the_same() {
    let plain = load_bytes(&fixture("yahoo_web.csv"), CsvOptions::new()).unwrap();
    let text = String::from_utf8(fixture("yahoo_web.csv")).unwrap();
    let resaved = format!(
        "\u{feff}{}",
        text.replace(',', ";")
            .replace('\n', "\r\n")
            .replace("75400", "7.54E+04")
    );
    let s = load_bytes(resaved.as_bytes(), CsvOptions::new()).unwrap();
    assert_eq!((s.dates(), s.close()), (plain.dates(), plain.close()));
    assert_eq!(s.volume().unwrap()[0], Some(75400.0));
    assert_eq!(s.load_info().unwrap().delimiter, ';');
    // Decimal commas under `;` (the Brazilian-locale file): 37,93762146 is 37.93762146.
    let br = load_bytes(&fixture("excel_semicolon.csv"), CsvOptions::new()).unwrap();
    assert!(br.load_info().unwrap().decimal_comma);
    assert_eq!(br.volume().unwrap()[0], Some(13303743.87));
}

#[test]
fn bad_volume_is_a_warning_and_bad_prices_are_errors() {
    let s = load_bytes(&fixture("yahoo_negative_volume.csv"), CsvOptions::new()).unwrap();
    let warnings = &s.load_info().unwrap().warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    match &warnings[0] {
        LoadWarning::UnusedValue {
            row, column, value, ..
        } => {
            assert_eq!(
                (*row, column.as_str(), value.as_str()),
                (5, "Volume", "-2147483648")
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(s.to_string().contains("-2147483648"), "{s}");
    let bad_volume = "date,close,volume\n2020-01-02,1,lots\n2020-01-03,2,14.748.800.659\n";
    let s = load_bytes(bad_volume.as_bytes(), CsvOptions::new()).unwrap();
    assert_eq!(s.load_info().unwrap().warnings.len(), 2);
    let bad_close = "date,close,volume\n2020-01-02,1,5\n2020-01-03,14.748.800.659,5\n";
    match load_bytes(bad_close.as_bytes(), CsvOptions::new()) {
        Err(Error::BadNumber {
            row: 3, column, hint, ..
        }) => {
            assert_eq!(column, "close");
            assert!(hint.contains("'.' read as a thousands separator"), "{hint}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ragged_rows_are_accepted_only_where_the_layout_omits_trailing_fields() {
    let s = load_bytes(&fixture("stooq_no_volume.csv"), CsvOptions::new()).unwrap();
    assert_eq!(s.len(), 10);
    let w = &s.load_info().unwrap().warnings;
    assert_eq!(
        w,
        &[LoadWarning::ShortRows {
            count: 2,
            first_row: 4,
            columns: vec!["Volume".into()],
        }]
    );
    // The same row with its close gone is an error, not a missing observation.
    let text = "Date,Open,High,Low,Close,Volume\n1984-09-07,0.4,0.5,0.4,0.45,100\n1984-09-10,0.4,0.5,0.4\n";
    assert!(matches!(
        load_bytes(text.as_bytes(), CsvOptions::new()),
        Err(Error::RaggedRow {
            row: 3,
            fields: 4,
            expected: 6,
            ..
        })
    ));
    // Layouts that never omit fields: a short row is an error.
    let yahoo = "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,1,1,1,1,1,5\n2020-01-03,1,1,1,1,1\n";
    assert!(matches!(
        load_bytes(yahoo.as_bytes(), CsvOptions::new()),
        Err(Error::RaggedRow { row: 3, .. })
    ));
}

#[test]
fn exact_duplicate_rows_collapse_and_conflicting_ones_are_errors() {
    let text = "date,close\n2020-01-02,1\n2020-01-03,2\n2020-01-03,2\n2020-01-06,3\n";
    let s = load_bytes(text.as_bytes(), CsvOptions::new()).unwrap();
    assert_eq!(s.close(), [1.0, 2.0, 3.0]);
    assert_eq!(
        s.load_info().unwrap().warnings,
        [LoadWarning::DuplicateRow {
            row: 4,
            first_row: 3,
            date: d("2020-01-03"),
        }]
    );
    let conflict = "date,close\n2020-01-02,1\n2020-01-03,2\n2020-01-03,2.5\n";
    assert!(matches!(
        load_bytes(conflict.as_bytes(), CsvOptions::new()),
        Err(Error::DuplicateDate {
            row: 4,
            first_row: 3,
            ..
        })
    ));
    // Newest first, with the repeat: still collapsed, rows still the file's.
    let newest = "date,close\n2020-01-06,3\n2020-01-03,2\n2020-01-03,2\n2020-01-02,1\n";
    let s = load_bytes(newest.as_bytes(), CsvOptions::new()).unwrap();
    assert_eq!(s.close(), [1.0, 2.0, 3.0]);
    assert!(matches!(
        s.load_info().unwrap().warnings[0],
        LoadWarning::DuplicateRow { .. }
    ));
}

#[test]
fn crypto_data_download_mixes_seconds_and_milliseconds() {
    // The site's files switch units mid-file; each row is read by its magnitude.
    let text = "https://www.CryptoDataDownload.com\nunix,date,symbol,open,high,low,close,Volume BTC,Volume USD\n\
                1609459200000,2021-01-01,BTC/USD,1,1,1,29000,1,1\n1609372800,2020-12-31,BTC/USD,1,1,1,28900,1,1\n";
    let s = load_bytes(text.as_bytes(), CsvOptions::new()).unwrap();
    assert_eq!(s.dates(), [d("2020-12-31"), d("2021-01-01")]);
    let info = s.load_info().unwrap();
    assert!(
        matches!(&info.warnings[0], LoadWarning::SkippedLine { line: 1, text } if text.contains("CryptoDataDownload"))
    );
}

#[test]
fn binance_open_times_in_microseconds_read_as_milliseconds_do() {
    // Spot dumps from 2025 write 16-digit open times; the same bars in µs give the same days.
    let ms = String::from_utf8(fixture("binance_klines_noheader.csv")).unwrap();
    let us: String = ms
        .lines()
        .map(|l| {
            let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
            f[0].push_str("000");
            f[6].push_str("000");
            f.join(",") + "\n"
        })
        .collect();
    let options = || CsvOptions::new().resample_daily(true);
    let (a, b) = (
        load_bytes(ms.as_bytes(), options()).unwrap(),
        load_bytes(us.as_bytes(), options()).unwrap(),
    );
    assert_eq!((a.dates(), a.close()), (b.dates(), b.close()));
    assert_eq!(b.load_info().unwrap().layout, Layout::BinanceKlines);
    assert_eq!(b.dates(), [d("2021-01-01")]);
}
