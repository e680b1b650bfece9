//! Stage 1: loading and validating price series.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use eventstudy::datasets::DatasetKind;
use eventstudy::polars::prelude::*;
use eventstudy::{Calendar, CsvLayout, CsvOptions, Error, PriceSeries, datasets, detect_csv_layout};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Writes `content` to a fresh file under the system temp dir and returns its path.
fn temp_csv(content: &[u8]) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("eventstudy-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("t{}.csv", N.fetch_add(1, Ordering::SeqCst)));
    std::fs::write(&path, content).unwrap();
    path
}

fn load(content: &str) -> eventstudy::Result<PriceSeries> {
    PriceSeries::from_csv(temp_csv(content.as_bytes()), "x")
}

fn load_with(content: &str, options: impl Into<CsvOptions>) -> eventstudy::Result<PriceSeries> {
    PriceSeries::from_csv_with(temp_csv(content.as_bytes()), "x", options)
}

// ---- layouts ----

#[test]
fn reads_yahoo_layout_preferring_the_adjusted_close() {
    let text = "Date,Open,High,Low,Close,Adj Close,Volume\n\
                2020-01-02,10,12,9,11,10.5,1000\n\
                2020-01-03,11,13,10,12,11.5,2000\n";
    let s = load(text).unwrap();
    assert_eq!(s.close(), &[10.5, 11.5]);
    assert_eq!(s.high().unwrap(), &[Some(12.0), Some(13.0)]);
    assert_eq!(s.volume().unwrap(), &[Some(1000.0), Some(2000.0)]);
    assert_eq!(s.load_info().unwrap().close_column, "Adj Close");
    let traded = load_with(text, CsvOptions::new().adjusted_close(false)).unwrap();
    assert_eq!(traded.close(), &[11.0, 12.0]);
    let named = load_with(text, CsvOptions::new().close_column("close")).unwrap();
    assert_eq!(named.close(), &[11.0, 12.0]);
}

#[test]
fn reads_stooq_layout() {
    let s = load("Date,Open,High,Low,Close,Volume\n2020-01-02,1,2,0.5,1.5,10\n2020-01-03,1.5,2,1,1.8,\n")
        .unwrap();
    assert_eq!(s.close(), &[1.5, 1.8]);
    assert_eq!(s.volume().unwrap(), &[Some(10.0), None]);
    assert_eq!(
        detect_csv_layout("Date,Open,High,Low,Close,Volume"),
        Some(CsvLayout::Ohlcv)
    );
}

#[test]
fn reads_coingecko_export_with_label_date() {
    let s = load(
        "snapped_at,price,market_cap,total_volume\n\
         2014-01-03 00:00:00 UTC,825.47,1.0e10,1.0e7\n\
         2014-01-04 00:00:00 UTC,849.14,1.0e10,1.0e7\n",
    )
    .unwrap();
    // The 00:00 UTC snapshot labelled D is the close of D (no shift): see data/SOURCES.md.
    assert_eq!(s.dates(), &[d("2014-01-03"), d("2014-01-04")]);
    assert_eq!(s.close(), &[825.47, 849.14]);
    assert_eq!(s.calendar(), Calendar::Continuous, "Jan 4 2014 is a Saturday");
}

#[test]
fn reads_fred_with_dot_as_missing() {
    let s = load("observation_date,CBBTCUSD\n2020-09-03,10000\n2020-09-04,.\n2020-09-05,10100\n").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s.missing_dates(), &[d("2020-09-04")]);
    let old = load("DATE,SP500\n2020-01-02,3257.85\n2020-01-03,3234.85\n").unwrap();
    assert_eq!(old.close(), &[3257.85, 3234.85]);
}

#[test]
fn reads_plain_date_close_and_custom_columns() {
    let s = load("date,close\n2020-01-02,1\n2020-01-03,2\n").unwrap();
    assert_eq!(s.close(), &[1.0, 2.0]);
    let c = load_with(
        "when,px\n2020-01-02,1\n2020-01-03,2\n",
        CsvOptions::new().date_column("when").close_column("px"),
    )
    .unwrap();
    assert_eq!(c.close(), &[1.0, 2.0]);
}

// ---- bad input: each a typed error with context ----

#[test]
fn missing_file_names_the_path() {
    let err = PriceSeries::from_csv("/no/such/dir/prices.csv", "x").unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("/no/such/dir/prices.csv"));
}

#[test]
fn empty_file_and_whitespace_only_file() {
    for content in ["", "\n\n  \r\n"] {
        let err = load(content).unwrap_err();
        assert!(matches!(err, Error::EmptyFile { .. }), "{err:?}");
    }
}

#[test]
fn header_only_is_no_data() {
    let err = load("date,close\n").unwrap_err();
    assert!(matches!(err, Error::NoData { .. }), "{err:?}");
    let all_missing = load("date,close\n2020-01-02,\n2020-01-03,\n").unwrap_err();
    assert!(
        all_missing.to_string().contains("2 rows, all without a close"),
        "{all_missing}"
    );
}

#[test]
fn unknown_layout_lists_columns_and_layouts() {
    let err = load("when,what\n2020-01-02,1\n").unwrap_err();
    assert!(matches!(err, Error::UnknownLayout { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("when,what") && msg.contains("Yahoo"), "{msg}");
}

#[test]
fn no_close_column() {
    let err = load("date,open\n2020-01-02,1\n").unwrap_err();
    match err {
        Error::MissingColumn { column, headers, .. } => {
            assert_eq!(column, "close");
            assert_eq!(headers, vec!["date", "open"]);
        }
        other => panic!("unexpected {other:?}"),
    }
    let named = load_with(
        "date,close\n2020-01-02,1\n",
        CsvOptions::new().close_column("Adj Close"),
    )
    .unwrap_err();
    assert!(
        matches!(named, Error::MissingColumn { ref column, .. } if column == "Adj Close"),
        "{named:?}"
    );
}

#[test]
fn unparsable_date_names_row_column_value() {
    let err = load("date,close\n2020-01-02,1\n2020-13-45,2\n").unwrap_err();
    match &err {
        Error::BadDate {
            row, column, value, ..
        } => {
            assert_eq!((*row, column.as_str(), value.as_str()), (3, "date", "2020-13-45"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("row 3"));
}

#[test]
fn ambiguous_slash_dates_are_rejected_unless_a_format_is_given() {
    let text = "date,close\n01/02/2020,1\n01/03/2020,2\n";
    let err = load(text).unwrap_err();
    assert!(matches!(err, Error::AmbiguousDates { row: 2, .. }), "{err:?}");
    assert!(
        err.to_string().contains("date_format"),
        "the message says how to fix it: {err}"
    );
    let us = load_with(text, CsvOptions::new().date_format("%m/%d/%Y")).unwrap();
    assert_eq!(us.first_date(), d("2020-01-02"));
    let eu = load_with(text, CsvOptions::new().date_format("%d/%m/%Y")).unwrap();
    assert_eq!(eu.first_date(), d("2020-02-01"));
    // A row that proves the order settles it.
    let proven = load("date,close\n01/02/2020,1\n01/13/2020,2\n").unwrap();
    assert_eq!(proven.last_date(), d("2020-01-13"));
}

#[test]
fn duplicate_date_names_both_rows() {
    let err = load("date,close\n2020-01-02,1\n2020-01-03,2\n2020-01-03,3\n").unwrap_err();
    match err {
        Error::DuplicateDate {
            row, first_row, date, ..
        } => assert_eq!((row, first_row, date), (4, 3, d("2020-01-03"))),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn unsorted_dates_are_rejected_but_descending_files_are_reversed() {
    let err = load("date,close\n2020-01-02,1\n2020-01-06,2\n2020-01-03,3\n").unwrap_err();
    match err {
        Error::UnsortedDates {
            row, previous_row, ..
        } => assert_eq!((row, previous_row), (4, 3)),
        other => panic!("unexpected {other:?}"),
    }
    let s = load("date,close\n2020-01-06,3\n2020-01-03,2\n2020-01-02,1\n").unwrap();
    assert_eq!(s.close(), &[1.0, 2.0, 3.0]);
    assert_eq!(s.first_date(), d("2020-01-02"));
}

#[test]
fn invalid_prices_name_row_column_value() {
    for (value, kind) in [
        ("0", "zero"),
        ("-5", "> 0"),
        ("NaN", "NaN"),
        ("inf", "infinite"),
        ("-inf", "infinite"),
    ] {
        let err = load(&format!("date,close\n2020-01-02,1\n2020-01-03,{value}\n")).unwrap_err();
        match &err {
            Error::InvalidPrice {
                row, column, reason, ..
            } => {
                assert_eq!((*row, column.as_str()), (3, "close"), "{value}");
                assert!(reason.contains(kind), "{value}: {reason}");
            }
            other => panic!("{value}: unexpected {other:?}"),
        }
    }
    let err = load("date,close\n2020-01-02,1\n2020-01-03,abc\n").unwrap_err();
    match err {
        Error::BadNumber {
            row, column, value, ..
        } => assert_eq!((row, column.as_str(), value.as_str()), (3, "close", "abc")),
        other => panic!("unexpected {other:?}"),
    }
    let high = load("Date,Open,High,Low,Close\n2020-01-02,1,0.5,0.9,1\n").unwrap_err();
    assert!(
        matches!(high, Error::InvalidPrice { ref column, .. } if column == "high"),
        "{high:?}"
    );
}

#[test]
fn empty_close_is_skipped_and_counted_with_rows_still_right() {
    let text = "date,close\n2020-01-02,1\n2020-01-03,\n2020-01-04,null\n2020-01-05,2\n2020-01-06,-1\n";
    let err = load(text).unwrap_err();
    // Skipped rows do not shift the row numbers in errors.
    assert!(matches!(err, Error::InvalidPrice { row: 6, .. }), "{err:?}");
    let s = load("date,close\n2020-01-02,1\n2020-01-03,\n2020-01-04,null\n2020-01-05,2\n").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s.missing_dates(), &[d("2020-01-03"), d("2020-01-04")]);
    assert!(s.to_string().contains("2 missing observations skipped"), "{s}");
}

#[test]
fn quoted_thousands_separators() {
    let s = load("date,close\n2020-01-02,\"1,234.5\"\n2020-01-03,\"12,345,678\"\n").unwrap();
    assert_eq!(s.close(), &[1234.5, 12_345_678.0]);
    let bad = load("date,close\n2020-01-02,\"1,23.5\"\n").unwrap_err();
    assert!(matches!(bad, Error::BadNumber { .. }), "{bad:?}");
}

#[test]
fn bom_crlf_and_trailing_blank_lines() {
    let s = PriceSeries::from_csv(
        temp_csv(b"\xEF\xBB\xBFdate,close\r\n2020-01-02,1\r\n2020-01-03,2\r\n\r\n\n\n"),
        "x",
    )
    .unwrap();
    assert_eq!(s.close(), &[1.0, 2.0]);
    // A blank line in the middle is skipped, and later rows keep their file line numbers.
    let err = load("date,close\n2020-01-02,1\n\n2020-01-03,x\n").unwrap_err();
    assert!(matches!(err, Error::BadNumber { row: 4, .. }), "{err:?}");
}

#[test]
fn two_row_series_is_valid() {
    let s = load("date,close\n2020-01-02,100\n2020-01-03,101\n").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s.simple_returns().len(), 1);
    assert!((s.log_returns()[0] - (101.0f64 / 100.0).ln()).abs() < 1e-15);
}

#[test]
fn weekend_rows_on_a_trading_calendar() {
    let text = "date,close\n2020-01-03,1\n2020-01-04,2\n2020-01-06,3\n";
    // Declared trading: the Saturday row is an error naming it.
    let err = load_with(text, Calendar::Trading).unwrap_err();
    match err {
        Error::WeekendOnTradingCalendar {
            row,
            date,
            ref weekday,
            ..
        } => {
            assert_eq!((row, date, weekday.as_str()), (3, d("2020-01-04"), "Saturday"))
        }
        other => panic!("unexpected {other:?}"),
    }
    // Not declared: a weekend row makes it a continuous (7-day) series.
    assert_eq!(load(text).unwrap().calendar(), Calendar::Continuous);
    assert_eq!(
        load("date,close\n2020-01-03,1\n2020-01-06,3\n")
            .unwrap()
            .calendar(),
        Calendar::Trading
    );
}

#[test]
fn ragged_rows_are_an_error_naming_the_file_row_and_field_counts() {
    // Too many fields, and too few: a row missing its close is not a missing observation.
    for (text, row, fields) in [
        (&b"date,close\n2020-01-02,1,7,8\n"[..], 2, 4),
        (&b"date,close\n2020-01-02,1\n\n2020-01-03\n"[..], 4, 1),
    ] {
        let path = temp_csv(text);
        let err = PriceSeries::from_csv(&path, "x").unwrap_err();
        match &err {
            Error::RaggedRow {
                file,
                row: r,
                fields: f,
                expected,
            } => {
                assert_eq!((*r, *f, *expected), (row, fields, 2), "{err}");
                assert_eq!(file, &path.display().to_string());
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            err.to_string()
                .contains(&format!("row {row} has {fields} fields")),
            "{err}"
        );
    }
    // A present but empty close is a missing observation, listed as such.
    let s = load("date,close\n2020-01-02,1\n2020-01-03,\n2020-01-06,2\n").unwrap();
    assert_eq!(s.len(), 2);
    assert_eq!(s.missing_dates().len(), 1);
}

#[test]
fn quoted_fields_may_hold_separators_and_line_breaks() {
    // A quoted cell with a comma and one with a line break; rows keep their file lines.
    let s = load(
        "date,close,note\n2020-01-02,\"1,234.5\",\"a, b\"\n2020-01-03,2,\"two\nlines\"\n2020-01-06,x,\n",
    );
    match s {
        Err(Error::BadNumber { row, .. }) => assert_eq!(row, 5),
        other => panic!("unexpected {other:?}"),
    }
}

// ---- series API ----

#[test]
fn slicing_and_lookup() {
    let s = load("date,close\n2020-01-02,1\n2020-01-03,2\n2020-01-06,4\n2020-01-07,8\n").unwrap();
    let sl = s.slice(d("2020-01-03"), d("2020-01-06")).unwrap();
    assert_eq!(sl.close(), &[2.0, 4.0]);
    assert!(s.slice(d("2021-01-01"), d("2021-02-01")).is_err());
    assert_eq!(s.index_on_or_after(d("2020-01-04")), Some(2));
    assert_eq!(s.index_on_or_before(d("2020-01-04")), Some(1));
    assert_eq!(s.index_on_or_after(d("2020-02-01")), None);
    assert_eq!(s.close_on(d("2020-01-06")), Some(4.0));
    assert_eq!(s.simple_returns(), vec![1.0, 1.0, 1.0]);
}

#[test]
fn dataframe_round_trip_and_errors() {
    let rut = datasets::load("rut").unwrap();
    let df = rut.to_dataframe().unwrap();
    assert_eq!(
        df.get_column_names(),
        vec!["date", "close", "open", "high", "low"]
    );
    assert_eq!(df.column("date").unwrap().dtype(), &DataType::Date);
    let back = PriceSeries::from_dataframe(&df, "rut", Calendar::Trading).unwrap();
    assert_eq!(back.dates(), rut.dates());
    assert_eq!(back.close(), rut.close());
    assert_eq!(back.high(), rut.high());

    let df = df!(
        "date" => ["2020-01-02", "2020-01-03", "2020-01-06"],
        "close" => [Some(1.0), None, Some(-2.0)],
    )
    .unwrap();
    let err = PriceSeries::from_dataframe(&df, "x", Calendar::Trading).unwrap_err();
    assert!(matches!(err, Error::InvalidPrice { row: 4, .. }), "{err:?}");
    let df = df!("date" => ["2020-01-02"], "px" => [1.0]).unwrap();
    let err = PriceSeries::from_dataframe(&df, "x", Calendar::Trading).unwrap_err();
    assert!(matches!(err, Error::MissingColumn { .. }), "{err:?}");
}

// ---- bundled data ----

#[test]
fn every_bundled_series_loads_with_the_documented_coverage() {
    let list = datasets::list().unwrap();
    assert_eq!(list.len(), 27);
    let get = |s: &str| list.iter().find(|i| i.symbol == s).unwrap();
    // Coverage and counts from data/SOURCES.md (summary table and "Added 2026-12-01"), written
    // by the data's assembler: (first, last, rows including empty closes, empty closes).
    for (symbol, first, last, rows, empty) in [
        ("rut", "1987-09-10", "2026-08-27", 9815, 0),
        ("gspc", "2011-08-29", "2026-08-28", 3772, 0),
        ("btc", "2013-04-28", "2026-09-19", 4893, 2),
        ("eth", "2015-08-07", "2026-07-31", 4012, 1),
        ("doge", "2016-01-31", "2026-02-17", 3671, 1),
        ("ada", "2018-01-01", "2026-02-17", 2970, 0),
        ("dot", "2020-08-20", "2026-02-17", 2008, 0),
        ("avax", "2020-09-22", "2026-02-17", 1975, 0),
        ("xmr", "2014-05-21", "2026-02-17", 4291, 1),
        ("dash", "2014-02-14", "2025-11-12", 4290, 0),
        ("etc", "2016-07-24", "2026-02-17", 3496, 0),
        ("xem", "2015-04-01", "2022-05-08", 2595, 0),
        ("eos", "2017-07-01", "2025-03-07", 2807, 34),
        ("bch", "2017-07-23", "2026-01-05", 3089, 0),
        ("xtz", "2017-11-09", "2025-11-12", 2926, 0),
        ("miota", "2017-06-13", "2025-11-12", 3075, 0),
        ("neo", "2016-09-09", "2025-11-12", 3352, 0),
        ("zec", "2016-10-29", "2025-11-19", 3309, 0),
        ("btc_mtgox", "2012-01-01", "2013-04-27", 483, 0),
    ] {
        let i = get(symbol);
        assert_eq!(
            (i.first_date, i.last_date, i.rows + i.missing, i.missing),
            (d(first), d(last), rows, empty),
            "{symbol}"
        );
    }
    assert_eq!(get("rut").calendar, Calendar::Trading);
    assert_eq!(get("trx").missing, 3);
    assert_eq!(get("xrp").missing, 3);
    let mcap = get("total_mcap_weekly");
    assert_eq!((mcap.calendar, mcap.rows), (Calendar::Weekly, 246));

    let rut = datasets::load("RUT").unwrap();
    let highs = rut.high().unwrap().iter().filter(|h| h.is_some()).count();
    assert_eq!(highs, 9772, "OHLC on 9772 sessions (SOURCES.md)");
    assert_eq!(rut.volume(), None, "volume is empty everywhere");
    // SOURCES.md: the highest close before 2011-08-29 is 865.29 on 2011-04-29.
    let before = rut.slice(d("1987-09-10"), d("2011-08-26")).unwrap();
    let (i, max) = before
        .close()
        .iter()
        .enumerate()
        .fold((0, 0.0), |b, (i, &c)| if c > b.1 { (i, c) } else { b });
    assert_eq!((before.dates()[i], max), (d("2011-04-29"), 865.29));
    let btc = datasets::load("btc").unwrap();
    assert_eq!(btc.missing_dates(), &[d("2015-01-28"), d("2020-09-04")]);
}

#[test]
fn dataset_kinds_keep_btc_eth_and_the_mtgox_series_out_of_the_altcoins() {
    let kind = |s: &str| datasets::get(s).unwrap().kind;
    for s in ["btc", "eth", "btc_mtgox"] {
        assert_eq!(kind(s), DatasetKind::Crypto, "{s}");
    }
    let alts: Vec<&str> = datasets::all()
        .iter()
        .filter(|d| d.kind == DatasetKind::Altcoin)
        .map(|d| d.symbol)
        .collect();
    assert_eq!(alts.len(), 21);
    for s in [
        "xrp", "avax", "xmr", "dash", "etc", "xem", "eos", "bch", "xtz", "miota", "neo", "zec",
    ] {
        assert!(alts.contains(&s), "{s}");
    }
    let basket = eventstudy::AltBasket::bundled().unwrap();
    assert_eq!(basket.members().len(), 21);
}

#[test]
fn bundled_rankings_load_as_typed_snapshots() {
    let names = datasets::universe_names();
    assert_eq!(names, ["cmc_top10_weekly", "cmc_top200_monthly"]);
    // Counts and ranges from data/SOURCES.md ("Added 2026-12-01").
    let top10 = datasets::universe("cmc_top10_weekly").unwrap();
    let dates = top10.snapshot_dates();
    assert_eq!((top10.len(), dates.len()), (5320, 532));
    assert_eq!(
        (dates[0], dates[dates.len() - 1]),
        (d("2013-05-05"), d("2023-07-09"))
    );
    let top200 = datasets::universe("cmc_top200_monthly").unwrap();
    let dates = top200.snapshot_dates();
    assert_eq!((top200.len(), dates.len()), (14_000, 70));
    assert_eq!(
        (dates[0], dates[dates.len() - 1]),
        (d("2020-01-01"), d("2025-10-01"))
    );

    // The snapshot in force at the 2016 breakout is the Sunday before it, ranked 1..=10; its
    // members (checked against the file by hand) include coins with no bundled price file.
    let (as_of, coins) = top10.snapshot_at(d("2016-11-14")).unwrap();
    assert_eq!(as_of, d("2016-11-13"));
    assert_eq!(
        coins.iter().map(|c| c.rank).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    assert_eq!(coins[0].symbol, "BTC");
    let symbols: Vec<&str> = coins.iter().map(|c| c.symbol.as_str()).collect();
    for s in ["ETH", "XRP", "LTC", "XMR", "DASH"] {
        assert!(symbols.contains(&s), "{s} in {symbols:?}");
    }
    assert!(coins.iter().all(|c| c.date == as_of && c.market_cap_usd > 0.0));
    assert!(
        top10.snapshot_at(d("2013-05-04")).is_none(),
        "no look-ahead before the first list"
    );
    assert!(datasets::is_stablecoin("USDT") && !datasets::is_stablecoin("BTC"));

    let df = top10.to_dataframe().unwrap();
    assert_eq!((df.height(), df.width()), (5320, 7));
    assert!(top10.to_string().contains("532 snapshots of 10 coins"), "{top10}");
    assert!(datasets::universe("top5").is_err());
}

#[test]
fn bad_ranking_files_name_the_row_and_column() {
    let head = "date,rank,symbol,name,market_cap_usd,price_usd,circulating_supply\n";
    let row = "2020-01-05,1,BTC,Bitcoin,1e11,7000,1.8e7\n";
    let parse =
        |body: &str| datasets::Universe::from_csv_bytes(format!("{head}{body}").as_bytes(), "t", "t.csv");
    assert!(parse(row).is_ok());
    let err = parse(&format!("{row}2020-01-5,2,ETH,Ether,1,1,1\n")).unwrap_err();
    assert!(matches!(err, Error::BadDate { row: 3, .. }), "{err:?}");
    let err = parse(&format!("{row}2020-01-05,0,ETH,Ether,1,1,1\n")).unwrap_err();
    assert!(
        matches!(err, Error::InvalidPrice { row: 3, ref column, .. } if column == "rank"),
        "{err:?}"
    );
    let err = parse(&format!("{row}2020-01-05,2,ETH,Ether,-1,1,1\n")).unwrap_err();
    assert!(
        matches!(err, Error::InvalidPrice { row: 3, ref column, .. } if column == "market_cap_usd"),
        "{err:?}"
    );
    let err = parse(&format!("{row}2020-01-05,2,ETH,Ether,x,1,1\n")).unwrap_err();
    assert!(
        matches!(err, Error::BadNumber { row: 3, ref value, .. } if value == "x"),
        "{err:?}"
    );
    let err = parse(&format!("{row}2020-01-04,2,ETH,Ether,1,1,1\n")).unwrap_err();
    assert!(
        matches!(
            err,
            Error::UnsortedDates {
                row: 3,
                previous_row: 2,
                ..
            }
        ),
        "{err:?}"
    );
    let err = parse(&format!("{row}2020-01-05,2,,Ether,1,1,1\n")).unwrap_err();
    assert!(
        matches!(err, Error::InvalidPrice { row: 3, ref column, .. } if column == "symbol"),
        "{err:?}"
    );
    let err = datasets::Universe::from_csv_bytes(b"date,rank\n2020-01-05,1\n", "t", "t.csv").unwrap_err();
    assert!(
        matches!(err, Error::MissingColumn { ref column, .. } if column == "symbol"),
        "{err:?}"
    );
    let err = parse("").unwrap_err();
    assert!(matches!(err, Error::NoData { .. }), "{err:?}");
}

#[test]
fn unknown_dataset_lists_known_symbols() {
    let err = datasets::load("spx").unwrap_err();
    assert!(matches!(err, Error::UnknownDataset { .. }));
    assert!(
        err.to_string().contains("rut") && err.to_string().contains("avax"),
        "{err}"
    );
}

/// Every file below `dir`, as paths relative to it.
fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_csv_in_data_is_bundled_and_identical_to_shared() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let symbols = datasets::symbols();
    let universes = datasets::universe_names();
    let bundled = files_under(&root.join("data"));
    for rel in &bundled {
        let path = root.join("data").join(rel);
        if path.extension().and_then(|e| e.to_str()) != Some("csv") {
            continue;
        }
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let embedded = if rel.starts_with("universe") {
            assert!(
                universes.contains(&stem.as_str()),
                "data/{} has no entry in src/data/datasets.rs",
                rel.display()
            );
            datasets::universe_csv(&stem).unwrap()
        } else {
            assert!(
                symbols.contains(&stem.as_str()),
                "data/{stem}.csv has no entry in src/data/datasets.rs"
            );
            datasets::get(&stem).unwrap().csv()
        };
        assert_eq!(embedded, std::fs::read_to_string(&path).unwrap());
    }
    assert!(root.join("data/SOURCES.md").exists());
    // The bundle is made from ../shared/data byte for byte (when that folder is present): every
    // file there is here, identical; SOURCES.md is that file below this project's own preface.
    let shared = root.join("../shared/data");
    if !shared.is_dir() {
        return;
    }
    let originals = files_under(&shared);
    for rel in &originals {
        let original = std::fs::read(shared.join(rel)).unwrap();
        let ours = std::fs::read(root.join("data").join(rel))
            .unwrap_or_else(|_| panic!("{} is in ../shared/data but not in data/", rel.display()));
        if rel.as_os_str() == "SOURCES.md" {
            assert!(
                ours.ends_with(&original),
                "data/SOURCES.md must end with ../shared/data/SOURCES.md unchanged"
            );
        } else {
            assert!(
                ours == original,
                "data/{} differs from ../shared/data/{0}",
                rel.display()
            );
        }
    }
    for rel in &bundled {
        assert!(
            originals.contains(rel),
            "data/{} is not in ../shared/data",
            rel.display()
        );
    }
}

// ---- nothing panics on user data ----

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Arbitrary CSV-like text under each recognised header: the loader returns a series or a
    /// typed error, never panics, and a returned series satisfies the invariants.
    #[test]
    fn loader_never_panics_on_arbitrary_text(
        header in proptest::sample::select(vec![
            "date,close", "Date,Open,High,Low,Close,Adj Close,Volume", "Date,Open,High,Low,Close,Volume",
            "snapped_at,price,market_cap,total_volume", "observation_date,CBBTCUSD", "when,what", "",
        ]),
        body in "[0-9a-zA-Z\\-:., \"\r\n/\u{feff}]{0,200}",
    ) {
        let text = format!("{header}\n{body}");
        if let Ok(s) = PriceSeries::from_csv_bytes(text.as_bytes(), "x", CsvOptions::new(), "<proptest>") {
            proptest::prop_assert!(!s.is_empty());
            proptest::prop_assert!(s.dates().windows(2).all(|w| w[0] < w[1]));
            proptest::prop_assert!(s.close().iter().all(|c| c.is_finite() && *c > 0.0));
        }
    }

    /// Rows assembled from realistic and broken pieces (dates in and out of order, slash dates,
    /// empty, `.`, negative, NaN, quoted thousands, extra fields, CRLF, blank lines): a series
    /// or a typed error whose message names the source, never a panic.
    #[test]
    fn loader_never_panics_on_mixed_rows(
        rows in proptest::collection::vec((0usize..8, 0usize..10, proptest::bool::ANY), 0..40),
        crlf in proptest::bool::ANY,
    ) {
        const DATES: [&str; 8] =
            ["2020-01-0", "2020-02-1", "2019-12-3", "01/02/2020", "2020-13-01", "", "2020-01-05 00:00:00 UTC", "x"];
        const VALUES: [&str; 10] = ["1.5", "", ".", "-2", "NaN", "inf", "\"1,234.5\"", "0", "12,3", "7,8,9"];
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("date,close{eol}");
        for (i, (date, value, blank)) in rows.iter().enumerate() {
            let date = match *date {
                0..=2 => format!("{}{}", DATES[*date], i % 10),
                k => DATES[k].to_string(),
            };
            text.push_str(&format!("{date},{}{eol}", VALUES[*value]));
            if *blank {
                text.push_str(eol);
            }
        }
        match PriceSeries::from_csv_bytes(text.as_bytes(), "x", CsvOptions::new(), "<mixed>") {
            Ok(s) => proptest::prop_assert!(s.dates().windows(2).all(|w| w[0] < w[1])),
            Err(e) => proptest::prop_assert!(e.to_string().contains("<mixed>"), "{}", e),
        }
    }

    /// Well-formed rows with random values: the loader accepts exactly the positive, finite
    /// closes, and skips (and lists) the empty ones.
    #[test]
    fn loader_keeps_valid_rows_and_lists_missing_ones(values in proptest::collection::vec(proptest::option::of(0.001f64..1e6), 1..60)) {
        let mut text = String::from("date,close\n");
        let start = d("2020-01-01");
        for (i, v) in values.iter().enumerate() {
            let date = start + chrono::Duration::days(i as i64);
            match v {
                Some(v) => text.push_str(&format!("{date},{v}\n")),
                None => text.push_str(&format!("{date},\n")),
            }
        }
        let kept = values.iter().filter(|v| v.is_some()).count();
        match PriceSeries::from_csv_bytes(text.as_bytes(), "x", CsvOptions::new(), "<proptest>") {
            Ok(s) => {
                proptest::prop_assert_eq!(s.len(), kept);
                proptest::prop_assert_eq!(s.missing_dates().len(), values.len() - kept);
            }
            Err(e) => proptest::prop_assert!(kept == 0, "unexpected error {}", e),
        }
    }
}

#[test]
fn series_charts_for_notebooks() {
    let btc = datasets::load("btc").unwrap();
    let svg = btc.to_svg().unwrap();
    assert!(
        svg.starts_with("<svg") && svg.contains("log scale"),
        "crypto spans > 50x: log scale"
    );
    let rut = datasets::load("rut").unwrap();
    assert!(
        !rut.to_svg().unwrap().contains("log scale"),
        "RUT spans about 4x: linear"
    );
    let html = rut.to_html().unwrap();
    assert!(html.contains("rut (trading calendar)") && html.contains("<svg"));
}
