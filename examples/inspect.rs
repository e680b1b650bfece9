//! What the loader makes of price files: per file the detected layout, the close column, the
//! date format, row order, calendar, rows, first and last date and close, missing rows and
//! warnings — or the typed error. Exit status 1 if any file failed, 2 for bad arguments.
//!
//! ```text
//! cargo run --release --example inspect -- tests/fixtures/loaders/*.csv
//! cargo run --release --example inspect -- --json BTC-USD.csv prices.parquet
//! ```

use std::process::ExitCode;

use eventstudy::{Calendar, CsvOptions, PriceSeries};
use serde::Serialize;

mod common;

const USAGE: &str = "\
usage: inspect [options] FILE...

Reads each file as PriceSeries::from_csv (or from_parquet for *.parquet) would and reports what
it decided, or the error.

options:
  --json                one JSON object per file and line: file, ok, layout, close_column, rows,
                        first_date, last_date, first_close, last_close, missing, warnings, error
  --calendar C          declare the calendar: trading, continuous or weekly
  --date-format F       a chrono date format, e.g. %d/%m/%Y
  --close COLUMN        the close column, overriding the layout's choice
  --unadjusted          the close as traded, not the adjusted close
  --pivot N             two-digit years below N are 20xx (default 69)
  --resample-daily      keep the last bar of each date of intraday files
  --ticker T            the ticker of a multi-ticker yfinance file
  -h, --help            this text";

/// One file's report; `None` fields are `null` in JSON.
#[derive(Serialize)]
struct Report {
    file: String,
    ok: bool,
    layout: Option<String>,
    close_column: Option<String>,
    rows: Option<usize>,
    first_date: Option<String>,
    last_date: Option<String>,
    first_close: Option<f64>,
    last_close: Option<f64>,
    missing: Option<usize>,
    warnings: Vec<String>,
    error: Option<String>,
    #[serde(skip)]
    series: Option<PriceSeries>,
}

fn parse_args(args: &[String]) -> Result<Option<(bool, CsvOptions, Vec<String>)>, String> {
    let mut options = CsvOptions::new();
    let (mut json, mut files) = (false, Vec::new());
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--json" => json = true,
            "--calendar" => {
                let c = match value("--calendar")?.as_str() {
                    "trading" => Calendar::Trading,
                    "continuous" => Calendar::Continuous,
                    "weekly" => Calendar::Weekly,
                    other => {
                        return Err(format!(
                            "--calendar {other:?}: expected trading, continuous or weekly"
                        ));
                    }
                };
                options = options.calendar(c);
            }
            "--date-format" => options = options.date_format(value("--date-format")?),
            "--close" => options = options.close_column(value("--close")?),
            "--unadjusted" => options = options.adjusted_close(false),
            "--pivot" => {
                let v = value("--pivot")?;
                let pivot = v
                    .parse()
                    .map_err(|_| format!("--pivot {v:?}: expected a number 0..=100"))?;
                options = options.two_digit_year_pivot(pivot);
            }
            "--resample-daily" => options = options.resample_daily(true),
            "--ticker" => options = options.ticker(value("--ticker")?),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file => files.push(file.to_string()),
        }
    }
    if files.is_empty() {
        return Err("no files given".into());
    }
    Ok(Some((json, options, files)))
}

fn inspect(file: &str, options: &CsvOptions) -> Report {
    let symbol = std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| "series".to_string(), |s| s.to_string_lossy().into_owned());
    let loaded = if file.ends_with(".parquet") {
        PriceSeries::from_parquet_with(file, &symbol, options.clone())
    } else {
        PriceSeries::from_csv_with(file, &symbol, options.clone())
    };
    match loaded {
        Ok(s) => {
            let info = s.load_info();
            Report {
                file: file.to_string(),
                ok: true,
                layout: info.map(|i| i.layout.to_string()),
                close_column: info.map(|i| i.close_column.clone()),
                rows: Some(s.len()),
                first_date: Some(s.first_date().to_string()),
                last_date: Some(s.last_date().to_string()),
                first_close: s.close().first().copied(),
                last_close: s.close().last().copied(),
                missing: Some(s.missing_dates().len()),
                warnings: info
                    .map_or_else(Vec::new, |i| i.warnings.iter().map(ToString::to_string).collect()),
                error: None,
                series: Some(s),
            }
        }
        Err(e) => Report {
            file: file.to_string(),
            ok: false,
            layout: None,
            close_column: None,
            rows: None,
            first_date: None,
            last_date: None,
            first_close: None,
            last_close: None,
            missing: None,
            warnings: Vec::new(),
            error: Some(e.to_string()),
            series: None,
        },
    }
}

fn write_text(out: &mut dyn std::io::Write, r: &Report) -> std::io::Result<()> {
    writeln!(out, "{}", r.file)?;
    let (Some(s), Some(info)) = (&r.series, r.series.as_ref().and_then(|s| s.load_info())) else {
        return writeln!(out, "  error        {}", r.error.as_deref().unwrap_or("unknown"));
    };
    let order = if info.newest_first {
        "newest first (reversed)"
    } else {
        "oldest first"
    };
    let how = if info.calendar_inferred {
        "inferred"
    } else {
        "declared"
    };
    writeln!(out, "  layout       {}", info.layout)?;
    writeln!(out, "  close column {:?}", info.close_column)?;
    writeln!(out, "  date column  {:?}, {}", info.date_column, info.date_format)?;
    writeln!(out, "  row order    {order}")?;
    writeln!(out, "  calendar     {} ({how})", info.calendar)?;
    writeln!(
        out,
        "  rows         {} with a close, {} read",
        s.len(),
        info.rows_read
    )?;
    writeln!(out, "  first        {}  {}", s.first_date(), s.close()[0])?;
    writeln!(
        out,
        "  last         {}  {}",
        s.last_date(),
        s.close()[s.len() - 1]
    )?;
    let missing = s.missing_dates();
    match missing {
        [] => writeln!(out, "  missing      none")?,
        [d] => writeln!(out, "  missing      1 ({d})")?,
        [a, .., b] => writeln!(out, "  missing      {} ({a}..{b})", missing.len())?,
    }
    if info.warnings.is_empty() {
        writeln!(out, "  warnings     none")?;
    }
    for w in &info.warnings {
        writeln!(out, "  warning      {w}")?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (json, options, files) = match parse_args(&args) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => {
            return common::with_stdout(|out| writeln!(out, "{USAGE}"));
        }
        Err(e) => {
            common::warn(format_args!("inspect: {e}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let reports: Vec<Report> = files.iter().map(|f| inspect(f, &options)).collect();
    let failed = reports.iter().filter(|r| !r.ok).count();
    let status = common::with_stdout(|out| {
        for r in &reports {
            if json {
                let line = serde_json::to_string(r).map_err(std::io::Error::other)?;
                writeln!(out, "{line}")?;
            } else {
                write_text(out, r)?;
            }
        }
        Ok(())
    });
    if failed > 0 {
        if !json {
            common::warn(format_args!(
                "inspect: {failed} of {} files failed",
                reports.len()
            ));
        }
        return ExitCode::FAILURE;
    }
    status
}
