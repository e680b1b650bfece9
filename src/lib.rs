//! Historical event studies on daily market data, honest about tiny samples.
//!
//! ```
//! let rut = eventstudy::datasets::load("rut")?;
//! println!("{rut}");
//! assert_eq!(rut.symbol(), "rut");
//! # Ok::<(), eventstudy::Error>(())
//! ```
//!
//! The pipeline, one module per stage:
//!
//! 1. **data**: [`PriceSeries`] from the bundled [`datasets`], a CSV file
//!    ([`PriceSeries::from_csv`]) or a polars DataFrame ([`PriceSeries::from_dataframe`]),
//!    validated on the way in.
#![deny(missing_docs)]

mod data;
mod error;
mod events;
pub mod report;
pub mod stats;
mod study;
mod window;

pub use data::{
    Calendar, CsvLayout, CsvOptions, OptionalColumn, PriceSeries, SeriesColumns, datasets, detect_csv_layout,
};
pub use error::{Error, Result};
pub use events::{BreakoutRule, DEFAULT_DROUGHT, Event, RelativeBasis};
pub use report::StudyReport;
pub use study::{RUSSELL_CRYPTO_ASSETS, Study, russell_crypto, russell_crypto_rules};
pub use window::{
    AltBasket, ForwardReturn, ForwardReturns, Horizon, PathPoint, Target, WindowOptions, WindowStatus,
    event_window, event_windows, forward_returns_all, target_forward_returns_all,
};

/// The polars version this crate is built against, so notebook users get a matching one.
pub use polars;

/// The README's Rust examples, compiled and run as doc tests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
