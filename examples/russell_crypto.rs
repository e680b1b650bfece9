//! Do BTC, ETH and altcoins rally within one to three months of a Russell 2000 breakout?
//!
//! ```text
//! cargo run --release --example russell_crypto
//! cargo run --release --example russell_crypto -- --help
//! ```
//!
//! Detects Russell 2000 breakouts under several rules, measures 30/60/90-day forward returns of
//! BTC, ETH, ETH/BTC, an equal-weight altcoin basket and every bundled altcoin against their
//! unconditional baselines, prints the tables, a sensitivity grid and the 2026 scorecard, and
//! writes report.md, report.json, results.csv and SVG charts.

use std::path::PathBuf;
use std::process::ExitCode;

use eventstudy::datasets::DataSource;
use eventstudy::report::RUSSELL_CLAIM_2026;
use eventstudy::stats::{DEFAULT_DRAWS, DEFAULT_SEED, StatsOptions};
use eventstudy::{
    BreakoutRule, DEFAULT_DROUGHT, Horizon, RUSSELL_CRYPTO_ASSETS, RelativeBasis, SpecCurveOptions,
    WindowOptions, russell_crypto, russell_crypto_rules,
};
use indicatif::{ProgressBar, ProgressStyle};

mod common;

const USAGE: &str = "\
usage: russell_crypto [options]

  --rule RULES       comma-separated, repeatable; default: all five of
                     ath_close[:DAYS]  ATH close after a DAYS drought (250)
                     ath_high[:DAYS]   ATH intraday high after a DAYS drought (250)
                     above:LEVEL       first close above LEVEL after 250 days at or below
                     relative[:DAYS]   RUT/S&P 500 ratio above its prior DAYS-day high (250)
  --assets LIST      comma-separated targets (default: btc,eth,eth_btc,alt_basket,alt_median,
                     alt_season,alt_top10 and every altcoin)
  --mtgox            add btc_with_mtgox (BTC with Mt.Gox closes from 2012): a sensitivity
                     for the 2013-01-02 breakout, never a default
  --horizons LIST    e.g. 30,60,90 (calendar days) or 21td (trading days); default 30,60,90
  --draws N          placebo draws per result (default 10000; designs with fewer
                     candidate sets are enumerated exactly)
  --seed N           seed of the placebo draws (default 20240229)
  --out DIR          output directory (default target/eventstudy/russell_crypto)
  --data-dir DIR     read SYMBOL.csv files from DIR instead of the bundled data
  --json             print the JSON report to stdout and nothing else there
  --no-sensitivity   skip the sensitivity grid
  --spec-draws N     placebo draws per specification of the specification curve
                     (default 10000; 0 skips the curve)
  --exclude-event-windows  leave baseline starts within one horizon of an event out of the baseline
  --space-placebo    draw placebo dates at least one horizon apart, as real events are
  -h, --help         this text
";

struct Config {
    rules: Vec<BreakoutRule>,
    assets: Vec<String>,
    horizons: Vec<Horizon>,
    draws: u32,
    seed: u64,
    out: PathBuf,
    source: DataSource,
    json: bool,
    sensitivity: bool,
    spec_draws: u32,
    exclude_event_windows: bool,
    space_placebo: bool,
}

fn parse_rule(s: &str) -> Result<BreakoutRule, String> {
    let (name, arg) = s.split_once(':').map_or((s, None), |(n, a)| (n, Some(a)));
    let days = |default: usize| -> Result<usize, String> {
        arg.map_or(Ok(default), |a| {
            a.parse().map_err(|_| format!("bad number of days in --rule {s}"))
        })
    };
    match name {
        "ath_close" => Ok(BreakoutRule::ath_close(days(DEFAULT_DROUGHT)?)),
        "ath_high" => Ok(BreakoutRule::ath_high(days(DEFAULT_DROUGHT)?)),
        "above" => {
            let level: f64 = arg
                .ok_or("--rule above needs a level, e.g. above:2600")?
                .parse()
                .map_err(|_| format!("bad level in --rule {s}"))?;
            Ok(BreakoutRule::level_cross(level))
        }
        "relative" => {
            let d = days(DEFAULT_DROUGHT)?;
            Ok(BreakoutRule::RelativeHigh {
                other: "gspc".into(),
                basis: RelativeBasis::RollingHigh {
                    lookback: d,
                    min_gap: d,
                },
            })
        }
        _ => Err(format!("unknown rule {name:?}")),
    }
}

fn parse_args(args: &[String]) -> Result<Option<Config>, String> {
    let mut c = Config {
        rules: Vec::new(),
        assets: RUSSELL_CRYPTO_ASSETS.iter().map(|s| s.to_string()).collect(),
        horizons: Horizon::DEFAULTS.to_vec(),
        draws: DEFAULT_DRAWS,
        seed: DEFAULT_SEED,
        out: PathBuf::from("target/eventstudy/russell_crypto"),
        source: DataSource::Bundled,
        json: false,
        sensitivity: true,
        spec_draws: 10_000,
        exclude_event_windows: false,
        space_placebo: false,
    };
    let mut mtgox = false;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--rule" => {
                for r in value()?.split(',').filter(|r| !r.is_empty()) {
                    c.rules.push(parse_rule(r.trim())?);
                }
            }
            "--assets" => {
                c.assets = value()?
                    .split(',')
                    .map(|a| a.trim().to_lowercase())
                    .filter(|a| !a.is_empty())
                    .collect()
            }
            "--horizons" => {
                c.horizons = value()?
                    .split(',')
                    .map(|h| h.parse::<Horizon>().map_err(|e| e.to_string()))
                    .collect::<Result<_, _>>()?
            }
            "--draws" => {
                c.draws = value()?
                    .parse()
                    .map_err(|_| "--draws needs a whole number".to_string())?
            }
            "--seed" => {
                c.seed = value()?
                    .parse()
                    .map_err(|_| "--seed needs a whole number".to_string())?
            }
            "--out" => c.out = PathBuf::from(value()?),
            "--data-dir" => c.source = DataSource::Dir(PathBuf::from(value()?)),
            "--json" => c.json = true,
            "--no-sensitivity" => c.sensitivity = false,
            "--mtgox" => mtgox = true,
            "--spec-draws" => {
                c.spec_draws = value()?
                    .parse()
                    .map_err(|_| "--spec-draws needs a whole number".to_string())?
            }
            "--exclude-event-windows" => c.exclude_event_windows = true,
            "--space-placebo" => c.space_placebo = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if c.rules.is_empty() {
        c.rules = russell_crypto_rules();
    }
    if mtgox && !c.assets.iter().any(|a| a == "btc_with_mtgox") {
        c.assets.push("btc_with_mtgox".into());
    }
    if c.assets.is_empty() {
        return Err("--assets needs at least one asset".into());
    }
    Ok(Some(c))
}

/// The sensitivity grid over droughts, with a progress bar unless the output is JSON.
fn sensitivity_grid(
    study: &eventstudy::Study,
    assets: &[&str],
    json: bool,
) -> eventstudy::Result<eventstudy::report::SensitivityGrid> {
    let bar = if json {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(8)
    };
    bar.set_style(
        ProgressStyle::with_template("sensitivity grid {bar:30} {pos}/{len} rules {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let grid = study.sensitivity(&[60, 120, 250, 500], assets, |done, _| {
        bar.set_position(done as u64)
    })?;
    bar.finish_and_clear();
    Ok(grid)
}

/// Runs the study and writes its files; returns what to print (the terminal report or the
/// JSON, rendered while the files are written) and how many files were written.
fn run(c: &Config) -> eventstudy::Result<(String, usize)> {
    let assets: Vec<&str> = c.assets.iter().map(String::as_str).collect();
    let study = russell_crypto(&c.source, &assets)?
        .rules(c.rules.clone())
        .window(WindowOptions::new().horizons(c.horizons.clone()))
        .stats(StatsOptions::new().draws(c.draws).seed(c.seed))
        .exclude_event_windows_from_baseline(c.exclude_event_windows)
        .space_placebo_dates(c.space_placebo);
    // The study, its sensitivity grid and its specification curve are independent: run them
    // side by side (each is parallel inside too).
    let grid_assets: Vec<&str> = ["btc", "eth", "alt_basket"]
        .into_iter()
        .filter(|a| c.sensitivity && assets.contains(a))
        .collect();
    let curve = SpecCurveOptions::new().draws(c.spec_draws);
    let with_curve = c.spec_draws > 0 && curve.assets.iter().any(|a| assets.contains(&a.as_str()));
    let (report, (grid, spec_curve)) = rayon::join(
        || study.run(),
        || {
            rayon::join(
                || {
                    (!grid_assets.is_empty())
                        .then(|| sensitivity_grid(&study, &grid_assets, c.json))
                        .transpose()
                },
                || with_curve.then(|| study.spec_curve(&curve)).transpose(),
            )
        },
    );
    let mut report = report?;
    report.sensitivity = grid?;
    report.spec_curve = spec_curve?;

    let crosses = [
        BreakoutRule::level_cross(2600.0),
        BreakoutRule::level_cross(2700.0),
    ];
    if crosses.iter().any(|r| c.rules.contains(r)) {
        let mut claim_assets: Vec<&str> = vec!["eth", "alt_basket"];
        claim_assets.extend(
            assets
                .iter()
                .filter(|a| !matches!(**a, "btc" | "eth" | "eth_btc" | "alt_basket")),
        );
        claim_assets.push("btc");
        claim_assets.retain(|a| assets.contains(a));
        report.scorecard = Some(report.scorecard(RUSSELL_CLAIM_2026, &crosses, &claim_assets));
    }

    let (written, text) = rayon::join(
        || report.write_files(&c.out),
        || {
            if c.json {
                report.to_json()
            } else {
                Ok(report.to_string())
            }
        },
    );
    Ok((text?, written?.len()))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse_args(&args) {
        Ok(Some(c)) => c,
        Ok(None) => return common::with_stdout(|out| out.write_all(USAGE.as_bytes())),
        Err(msg) => {
            common::warn(format_args!("error: {msg}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let (text, written) = match run(&config) {
        Ok(done) => done,
        Err(e) => {
            common::warn(format_args!("error: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let out_dir = config.out.display();
    if config.json {
        common::warn(format_args!("wrote {written} files to {out_dir}"));
        common::with_stdout(|out| writeln!(out, "{text}"))
    } else {
        common::with_stdout(|out| {
            writeln!(out, "{text}")?;
            writeln!(
                out,
                "wrote {written} files to {out_dir} (report.md, report.json, results.csv, nulls.csv, charts/)"
            )
        })
    }
}
