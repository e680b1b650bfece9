//! Stage 1, data: [`PriceSeries`] and how it is loaded (bundled datasets, CSV files, polars
//! DataFrames), validated on the way in.

mod csv;
pub mod datasets;
mod frame;
mod series;
mod universe;

pub use csv::{CsvLayout, CsvOptions, detect_csv_layout};
pub use series::{Calendar, OptionalColumn, PriceSeries, SeriesColumns};
