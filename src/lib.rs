//! Historical event studies on daily market data, honest about tiny samples.
//!
//! ```
//! let rut = eventstudy::datasets::load("rut")?;
//! println!("{rut}");
//! assert_eq!(rut.symbol(), "rut");
//! assert!(rut.to_string().starts_with("rut (trading calendar): 9815 closes 1987-09-10..2026-08-27, first 168.97"));
//! # Ok::<(), eventstudy::Error>(())
//! ```
//!
//! prints
//!
//! ```text
//! rut (trading calendar): 9815 closes 1987-09-10..2026-08-27, first 168.97 last 3014.34, range …
//! ```
//!
//! # Overview
//!
//! The crate was built to test a claim made in early 2026: *when the Russell 2000 breaks out to
//! a new high, BTC, ETH and altcoins rally within one to three months.* It serves any study of
//! that shape: events on one series, forward returns on others. The pipeline has one module
//! per stage:
//!
//! 1. **data**: [`PriceSeries`] from the bundled [`datasets`], a CSV file
//!    ([`PriceSeries::from_csv`]: the layouts of Yahoo, yfinance, Stooq, Investing.com,
//!    CoinMarketCap, CryptoDataDownload, Binance, Kaggle, Nasdaq, Alpha Vantage, WSJ, CoinGecko
//!    and FRED, each a [`Layout`], with what was decided kept as [`LoadInfo`]), Parquet
//!    ([`PriceSeries::from_parquet`], [`LongParquet`] panels) or a polars DataFrame
//!    ([`PriceSeries::from_dataframe`]), validated on the way in; every bad cell is a typed
//!    [`Error`] naming file, row, column and value.
//! 2. **events**: a [`BreakoutRule`] (ATH close or intraday high after a drought, level cross,
//!    rolling high, relative high, given dates) turns a series into [`Event`]s, never using data
//!    after the event day.
//! 3. **window**: [`event_windows`] aligns events on an exchange calendar with 24/7 crypto
//!    series, and measures forward returns, run-ups, drawdowns and paths ([`ForwardReturn`]);
//!    windows the data cannot complete are kept with a [`WindowStatus`] saying why.
//!    [`forward_returns_all`] gives the unconditional baseline.
//! 4. **[`stats`]**: baseline, excess return, Glass Δ and Hedges g, percentile ranks, placebo
//!    permutation p-values with the minimum detectable effect, t-test, exact sign-flip test,
//!    Holm and Benjamini–Hochberg adjustment, and a [`stats::Caveat`] on every result.
//! 5. **[`report`]**: a [`StudyReport`] as terminal tables, Markdown, JSON, a polars
//!    DataFrame, CSV, HTML, SVG charts and rich evcxr output.
//!
//! [`Study`] runs the whole pipeline; [`russell_crypto`] is the study the crate was built for.
//!
//! # A study in a few lines
//!
//! ```
//! use eventstudy::{BreakoutRule, Horizon, Study, WindowOptions, datasets, stats::StatsOptions};
//!
//! let report = Study::new(datasets::load("rut")?)
//!     .rules([BreakoutRule::ath_close(250)])
//!     .targets([datasets::load("btc")?, datasets::load("eth")?])
//!     .window(WindowOptions::new().horizons([Horizon::CalendarDays(90)]))
//!     .stats(StatsOptions::new().draws(10_000))
//!     .run()?;
//! for r in &report.results {
//!     println!("{} {}: excess {:+.1} pp, placebo p {:.3}", r.asset, r.horizon, r.excess * 100.0, r.p_placebo);
//!     println!("  {}", r.caveat); // e.g. "3 events: even a perfect record cannot reach p < 0.25 ..."
//! }
//! # Ok::<(), eventstudy::Error>(())
//! ```
//!
//! # Your own data
//!
//! ```no_run
//! use eventstudy::{BreakoutRule, Calendar, CsvOptions, PriceSeries};
//! let spy = PriceSeries::from_csv_with("SPY.csv", "spy", Calendar::Trading)?; // Yahoo or yfinance
//! let sol = PriceSeries::from_csv("sol-usd-max.csv", "sol")?; // CoinGecko export
//! println!("{}", spy.load_info().unwrap()); // layout, close column, date format, order, warnings
//! let odd = PriceSeries::from_csv_with(
//!     "prices.csv",
//!     "x",
//!     CsvOptions::new().date_column("Day").close_column("Last").date_format("%d/%m/%Y"),
//! )?;
//! let events = BreakoutRule::ath_close(250).detect(&spy)?;
//! # let _ = (sol, odd, events);
//! # Ok::<(), eventstudy::Error>(())
//! ```
//!
//! # Notebooks
//!
//! Every result type is an owned value (no lifetimes), so it lives across evcxr cells;
//! [`StudyReport::evcxr_display`] renders a report as HTML, and
//! [`report::evcxr_show_svg`] shows a chart inline. `eventstudy::polars` re-exports the polars
//! version the crate is built with.
#![deny(missing_docs)]

mod data;
mod error;
mod events;
pub mod report;
pub mod stats;
mod study;
mod window;

pub use data::{
    Calendar, CsvLayout, CsvOptions, EventDay, Layout, LoadInfo, LoadWarning, LongParquet, OptionalColumn,
    PanelEvent, PriceSeries, ReturnKind, ReturnsPanel, SeriesColumns, datasets, detect_csv_layout,
    detect_layout,
};
pub use error::{Error, Result};
pub use events::{BreakoutRule, DEFAULT_DROUGHT, Event, RelativeBasis};
pub use report::StudyReport;
pub use study::{
    AarRow, CarRow, ClassicEvent, ClassicReport, ClassicStudy, ClassicTest, CryptoEvent, DateLabels,
    LabelRegression, Null, NullContext, PlaceboSummary, Primary, RUSSELL_CRYPTO_ASSETS, RuleKind,
    SpecCurveOptions, Study, TestValue, aar_rows, altcoin_classic_studies, altcoin_windows, btc_halvings,
    btc_with_mtgox, car_rows, crypto_events, russell_crypto, russell_crypto_claim_formed,
    russell_crypto_nulls, russell_crypto_primary, russell_crypto_rules,
};
pub use window::{
    ALT_SEASON_THRESHOLD, AltBasket, BasketMeasure, CarValue, CheckedEventTime, EstimationDay, EventFit,
    EventStatus, EventTimeWindows, ForwardReturn, ForwardReturns, Horizon, PathPoint, PointInTime, Target,
    WindowOptions, WindowStatus, event_window, event_windows, fit_event, forward_returns_all,
    market_model_event, target_forward_returns_all,
};

/// The polars version this crate is built against, so notebook users get a matching one.
pub use polars;

/// The README's Rust examples, compiled and run as doc tests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
