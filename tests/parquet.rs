//! Parquet: one series per file, and long panels through the lazy scan.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use eventstudy::polars::prelude::*;
use eventstudy::{Calendar, CsvOptions, Error, Layout, LongParquet, PriceSeries, ReturnsPanel};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn write(mut df: DataFrame) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("eventstudy-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("p{}.parquet", N.fetch_add(1, Ordering::SeqCst)));
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
    path
}

fn dates(days: &[&str]) -> Column {
    let v: Vec<String> = days.iter().map(|s| s.to_string()).collect();
    Column::new("Date".into(), v).cast(&DataType::Date).unwrap()
}

#[test]
fn a_series_file_takes_the_adjusted_close_and_records_the_choice() {
    let df = DataFrame::new(
        3,
        vec![
            dates(&["2024-01-02", "2024-01-03", "2024-01-04"]),
            Column::new("Close".into(), [10.0, 11.0, 12.0]),
            Column::new("Adj Close".into(), [9.0, 10.0, 11.0]),
            Column::new("Volume".into(), [Some(5.0), None, Some(7.0)]),
        ],
    )
    .unwrap();
    let path = write(df);
    let s = PriceSeries::from_parquet(&path, "x").unwrap();
    assert_eq!(s.close(), [9.0, 10.0, 11.0]);
    assert_eq!(s.volume().unwrap(), [Some(5.0), None, Some(7.0)]);
    let info = s.load_info().unwrap();
    assert_eq!(
        (info.layout, info.close_column.as_str(), info.calendar),
        (Layout::Parquet, "Adj Close", Calendar::Trading)
    );
    let traded = PriceSeries::from_parquet_with(&path, "x", CsvOptions::new().adjusted_close(false)).unwrap();
    assert_eq!(traded.close(), [10.0, 11.0, 12.0]);
    let weekly = PriceSeries::from_parquet_with(&path, "x", Calendar::Continuous).unwrap();
    assert_eq!(weekly.calendar(), Calendar::Continuous);
}

#[test]
fn parquet_errors_name_the_file() {
    let missing = PriceSeries::from_parquet("/no/such/file.parquet", "x").unwrap_err();
    assert!(matches!(missing, Error::Io { .. }), "{missing:?}");
    let path = write(df!("when" => ["2024-01-02"], "what" => [1.0]).unwrap());
    match PriceSeries::from_parquet(&path, "x").unwrap_err() {
        Error::MissingColumn {
            file,
            column,
            headers,
        } => {
            assert_eq!((file, column.as_str()), (path.display().to_string(), "date"));
            assert_eq!(headers, ["when", "what"]);
        }
        other => panic!("{other:?}"),
    }
    // A zero close is rejected with the file's row (0-based row + 2).
    let df = DataFrame::new(
        2,
        vec![
            dates(&["2024-01-02", "2024-01-03"]),
            Column::new("close".into(), [1.0, 0.0]),
        ],
    )
    .unwrap();
    let path = write(df);
    match PriceSeries::from_parquet(&path, "x").unwrap_err() {
        Error::InvalidPrice { file, row, .. } => assert_eq!((file, row), (path.display().to_string(), 3)),
        other => panic!("{other:?}"),
    }
}

/// Four securities, rows for BBB out of date order and a null close for CCC.
fn panel() -> PathBuf {
    write(
        df!(
            "date" => ["2024-01-02", "2024-01-03", "2024-01-05", "2024-01-04", "2024-01-02", "2024-01-03", "2024-01-02", "2024-01-03", "2024-01-04"],
            "ticker" => ["AAA", "AAA", "BBB", "BBB", "BBB", "CCC", "CCC", "DDD", "DDD"],
            "close" => [Some(10.0), Some(11.0), Some(23.0), Some(22.0), Some(20.0), None, Some(30.0), Some(40.0), Some(41.0)],
        )
        .unwrap(),
    )
}

#[test]
fn a_long_panel_becomes_one_series_per_security_in_first_appearance_order() {
    let path = panel();
    let all = LongParquet::new(&path)
        .columns("date", "ticker", "close")
        .series()
        .unwrap();
    let names: Vec<&str> = all.iter().map(|s| s.symbol()).collect();
    assert_eq!(names, ["AAA", "BBB", "CCC", "DDD"]);
    assert_eq!(
        all[1].dates(),
        [d("2024-01-02"), d("2024-01-04"), d("2024-01-05")]
    );
    assert_eq!(all[1].close(), [20.0, 22.0, 23.0]);
    assert_eq!(all[2].missing_dates(), [d("2024-01-03")]);
    let some = LongParquet::new(&path)
        .columns("date", "ticker", "close")
        .securities(["DDD", "BBB"])
        .between(d("2024-01-03"), d("2024-01-04"))
        .calendar(Calendar::Continuous)
        .series()
        .unwrap();
    let got: Vec<(&str, Vec<f64>)> = some.iter().map(|s| (s.symbol(), s.close().to_vec())).collect();
    assert_eq!(got, [("BBB", vec![22.0]), ("DDD", vec![40.0, 41.0])]);
    assert!(some.iter().all(|s| s.calendar() == Calendar::Continuous));
}

#[test]
fn a_long_panel_names_the_file_row_of_a_bad_value() {
    let path = write(
        df!(
            "date" => ["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03"],
            "security" => ["AAA", "BBB", "AAA", "AAA"],
            "value" => [1.0, 2.0, 3.0, 4.0],
        )
        .unwrap(),
    );
    match LongParquet::new(&path).series().unwrap_err() {
        Error::DuplicateDate {
            file,
            row,
            first_row,
            date,
        } => {
            assert_eq!(
                (file, row, first_row, date),
                (path.display().to_string(), 5, 4, d("2024-01-03"))
            );
        }
        other => panic!("{other:?}"),
    }
    match LongParquet::new(&path)
        .columns("date", "ticker", "value")
        .series()
        .unwrap_err()
    {
        Error::MissingColumn { column, headers, .. } => {
            assert_eq!(column, "ticker");
            assert_eq!(headers, ["date", "security", "value"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_long_return_panel_is_the_dataframe_panel() {
    let df = df!(
        "date" => ["2020-01-02", "2020-01-02", "2020-01-03", "2020-01-06"],
        "security" => ["AAA", "MKT", "MKT", "AAA"],
        "value" => [0.01, 0.005, -0.01, 0.02],
    )
    .unwrap();
    let path = write(df.clone());
    let from_file = LongParquet::new(&path).returns_panel().unwrap();
    let from_frame = ReturnsPanel::from_long_dataframe(&df).unwrap();
    assert_eq!(from_file.names(), from_frame.names());
    assert_eq!(from_file.dates(), from_frame.dates());
    for (a, b) in from_file.columns().iter().zip(from_frame.columns()) {
        assert_eq!(
            a.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            b.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }
    let late = LongParquet::new(&path)
        .between(d("2020-01-03"), d("2020-12-31"))
        .returns_panel()
        .unwrap();
    assert_eq!(late.dates(), [d("2020-01-03"), d("2020-01-06")]);
}
