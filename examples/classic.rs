//! The classic (market-model) event study, on the bundled data or on your own files.
//!
//! ```text
//! cargo run --release --example classic
//! cargo run --release --example classic -- --returns rates.csv --market GSPC --events events.csv
//! cargo run --release --example classic -- --help
//! ```
//!
//! With no arguments: did altcoins beat what their BTC beta implies? The market model of each
//! bundled altcoin on BTC (estimation τ = −250..−31 days), around the Russell 2000 ATH-close
//! breakouts and around five well-known crypto events ([`eventstudy::crypto_events`] lists
//! them with their sources). Prints each study's CAR table with every test's p and the caveat
//! of each window, and writes JSON, Markdown and CSV files.

use std::path::PathBuf;

use chrono::NaiveDate;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use eventstudy::report::{classic_page, command_line};
use eventstudy::stats::{DEFAULT_DRAWS, DEFAULT_SEED, ModelKind, StatsOptions};
use eventstudy::{
    ClassicReport, ClassicStudy, EventTimeWindows, PanelEvent, ReturnKind, ReturnsPanel,
    altcoin_classic_studies, datasets::DataSource,
};

mod common;

const USAGE: &str = "\
usage: classic [options]

With no --returns: the bundled altcoin study (altcoins against BTC, market model, around the
Russell 2000 ATH-close breakouts and five crypto events).

  --returns FILE     a wide CSV: a date column, then one column per security (and the market,
                     and any factors); returns in decimals unless --prices
  --prices           FILE holds closing prices: returns are computed from them
  --log              the returns are (or are to be computed as) log returns: models and ARs
                     use them as given; BHARs compound them as exp(sum) - 1
  --market COLUMN    the market column (required with --returns)
  --factors A,B      factor columns: the factor model on the market and these
  --events FILE      an event list CSV: security,date[,label] (required with --returns)
  --model M          constant_mean | market_adjusted | market_model | factors
                     (default market_model; factors when --factors is given)
  --estimation A:B   estimation window in rows of event time (default -250:-31)
  --window A:B       event window (default -5:5)
  --estimation-dates YYYY-MM-DD:YYYY-MM-DD  estimation period as dates (with --window-dates;
                     every event on the event period's first day, as in estudy2)
  --window-dates YYYY-MM-DD:YYYY-MM-DD      event period as dates
  --car A:B,C:D      CAR windows inside the event window (default -1:1,-5:5)
  --min-estimation N fewest complete estimation rows for a fit (default half the window)
  --draws N          Monte-Carlo draws of the sign-flip test beyond 20 events (default 10000)
  --seed N           seed of those draws (default 20240229)
  --out DIR          output directory (default target/eventstudy/classic)
  --json             print the JSON report(s) to stdout and nothing else there
  -h, --help         this text
";

/// A first and last date.
type Dates = (NaiveDate, NaiveDate);

struct Config {
    returns: Option<PathBuf>,
    prices: bool,
    log: bool,
    market: Option<String>,
    factors: Vec<String>,
    events: Option<PathBuf>,
    model: Option<ModelKind>,
    estimation: (i64, i64),
    window: (i64, i64),
    cars: Vec<(i64, i64)>,
    periods: (Option<Dates>, Option<Dates>),
    min_estimation: Option<usize>,
    draws: u32,
    seed: u64,
    out: PathBuf,
    json: bool,
}

fn range(s: &str, flag: &str) -> Result<(i64, i64), String> {
    let bad = || format!("{flag} takes A:B with integers A <= B, got {s:?}");
    let (a, b) = s.split_once(':').ok_or_else(bad)?;
    let (a, b): (i64, i64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a > b {
        return Err(bad());
    }
    Ok((a, b))
}

fn date_range(s: &str, flag: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let bad = || format!("{flag} takes YYYY-MM-DD:YYYY-MM-DD, the first not after the second, got {s:?}");
    let (a, b) = s.split_once(':').ok_or_else(bad)?;
    let (a, b): (NaiveDate, NaiveDate) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a > b {
        return Err(bad());
    }
    Ok((a, b))
}

fn parse_args(args: &[String]) -> Result<Option<Config>, String> {
    let mut c = Config {
        returns: None,
        prices: false,
        log: false,
        market: None,
        factors: Vec::new(),
        events: None,
        model: None,
        estimation: (-250, -31),
        window: (-5, 5),
        cars: vec![(-1, 1), (-5, 5)],
        periods: (None, None),
        min_estimation: None,
        draws: DEFAULT_DRAWS,
        seed: DEFAULT_SEED,
        out: PathBuf::from("target/eventstudy/classic"),
        json: false,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag} takes a whole number, got {v:?}"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--returns" => c.returns = Some(PathBuf::from(value()?)),
            "--prices" => c.prices = true,
            "--log" => c.log = true,
            "--market" => c.market = Some(value()?),
            "--factors" => {
                c.factors = value()?
                    .split(',')
                    .map(|f| f.trim().to_string())
                    .filter(|f| !f.is_empty())
                    .collect()
            }
            "--events" => c.events = Some(PathBuf::from(value()?)),
            "--model" => c.model = Some(value()?.parse().map_err(|e: eventstudy::Error| e.to_string())?),
            "--estimation" => c.estimation = range(&value()?, flag)?,
            "--window" => c.window = range(&value()?, flag)?,
            "--car" => {
                c.cars = value()?
                    .split(',')
                    .map(|w| range(w, flag))
                    .collect::<Result<_, _>>()?
            }
            "--estimation-dates" => c.periods.0 = Some(date_range(&value()?, flag)?),
            "--window-dates" => c.periods.1 = Some(date_range(&value()?, flag)?),
            "--min-estimation" => c.min_estimation = Some(number(value()?)? as usize),
            "--draws" => c.draws = u32::try_from(number(value()?)?).map_err(|_| "--draws is too large")?,
            "--seed" => c.seed = number(value()?)?,
            "--out" => c.out = PathBuf::from(value()?),
            "--json" => c.json = true,
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if c.returns.is_some() != c.events.is_some() || (c.returns.is_some() && c.market.is_none()) {
        return Err("--returns, --market and --events go together".into());
    }
    if c.periods.0.is_some() != c.periods.1.is_some() {
        return Err("--estimation-dates and --window-dates go together".into());
    }
    if c.returns.is_none()
        && (c.periods.0.is_some() || c.prices || c.log || !c.factors.is_empty() || c.model.is_some())
    {
        return Err("--prices, --log, --factors, --model and the date periods apply to --returns".into());
    }
    Ok(Some(c))
}

/// The studies to run, by name.
fn studies(c: &Config) -> eventstudy::Result<Vec<(String, ClassicStudy)>> {
    let stats = StatsOptions::new().draws(c.draws).seed(c.seed);
    let (Some(file), Some(events), Some(market)) = (&c.returns, &c.events, &c.market) else {
        return Ok(altcoin_classic_studies(&DataSource::Bundled)?
            .into_iter()
            .map(|(name, study)| (name.to_string(), study.stats(stats)))
            .collect());
    };
    let kind = if c.log {
        ReturnKind::Log
    } else {
        ReturnKind::Simple
    };
    let panel = ReturnsPanel::from_wide_csv(file)?;
    let panel = if c.prices {
        panel.prices_to_returns(kind)?
    } else {
        panel.with_kind(kind)
    };
    let (e1, e2) = c.window;
    let mut windows = EventTimeWindows::new(c.estimation.0..=c.estimation.1, e1..=e2)
        .cars(c.cars.iter().map(|&(a, b)| a..=b));
    if let Some(m) = c.min_estimation {
        windows = windows.min_estimation(m);
    }
    let mut study = ClassicStudy::new(panel, market.clone())
        .events(PanelEvent::from_csv(events)?)
        .windows(windows)
        .factors(c.factors.clone())
        .stats(stats);
    if let Some(model) = c.model {
        study = study.model(model);
    }
    if let (Some((a, b)), Some((d, e))) = c.periods {
        study = study.periods(a..=b, d..=e);
    }
    Ok(vec![("classic".to_string(), study)])
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse_args(&args) {
        Ok(Some(c)) => c,
        Ok(None) => return common::with_stdout(|out| out.write_all(USAGE.as_bytes())),
        Err(e) => {
            common::warn(format_args!("error: {e}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let run = || -> eventstudy::Result<Vec<(String, ClassicReport)>> {
        studies(&config)?
            .into_iter()
            .map(|(name, study)| {
                // A bar on stderr for a study of many events (stdout stays clean for --json).
                let bar = (study.event_count() >= 10_000).then(|| {
                    let bar = ProgressBar::new(study.event_count() as u64);
                    bar.set_style(
                        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} events")
                            .expect("a valid template")
                            .progress_chars("=> "),
                    );
                    bar.set_message(format!("fitting {name}"));
                    bar
                });
                let study = match &bar {
                    Some(b) => {
                        let b = b.clone();
                        study.on_progress(move |done, _| b.set_position(done as u64))
                    }
                    None => study,
                };
                let report = study.run()?;
                if let Some(b) = bar {
                    b.finish_and_clear();
                }
                Ok((name, report))
            })
            .collect()
    };
    let reports = match run() {
        Ok(r) => r,
        Err(e) => {
            common::warn(format_args!("error: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let mut written = Vec::new();
    for (name, report) in &reports {
        match report.write_files(&config.out, name) {
            Ok(files) => written.extend(files),
            Err(e) => {
                common::warn(format_args!("error: {e}"));
                return ExitCode::FAILURE;
            }
        }
    }
    // One page for every study of the run.
    let title = if config.returns.is_none() {
        "Did altcoins beat what their BTC beta implies?"
    } else {
        "Classic event study"
    };
    let studies: Vec<(&str, &ClassicReport)> = reports.iter().map(|(n, r)| (n.as_str(), r)).collect();
    let page = config.out.join("report.html");
    if let Err(e) = std::fs::write(&page, classic_page(title, &studies, &command_line())) {
        common::warn(format_args!("error: cannot write {}: {e}", page.display()));
        return ExitCode::FAILURE;
    }
    written.push(page);
    common::with_stdout(|out| {
        if config.json {
            let json: Vec<String> = reports.iter().filter_map(|(_, r)| r.to_json().ok()).collect();
            if json.len() == 1 {
                writeln!(out, "{}", json[0])?;
            } else {
                let names: Vec<&str> = reports.iter().map(|(n, _)| n.as_str()).collect();
                writeln!(out, "{{")?;
                for (i, (name, j)) in names.iter().zip(&json).enumerate() {
                    let comma = if i + 1 < json.len() { "," } else { "" };
                    writeln!(out, "{name:?}: {j}{comma}")?;
                }
                writeln!(out, "}}")?;
            }
            return Ok(());
        }
        if config.returns.is_none() {
            writeln!(
                out,
                "Did altcoins beat what their BTC beta implies? Market model of each altcoin on BTC,\n\
                 estimated on τ = −250..−31 days; abnormal returns over τ = −5..+90.\n"
            )?;
        }
        for (name, report) in &reports {
            writeln!(out, "## {name}\n\n{}", report.to_markdown())?;
        }
        writeln!(out, "Files:")?;
        for f in &written {
            writeln!(out, "  {}", f.display())?;
        }
        Ok(())
    })
}
