//! Stage 1, data: [`PriceSeries`] and how it is loaded (bundled datasets, CSV files, polars
//! DataFrames), validated on the way in; and the classic study's [`ReturnsPanel`] and
//! [`PanelEvent`] lists.

mod csv;
pub mod datasets;
mod frame;
mod panel;
mod parquet;
mod series;
mod universe;

pub use csv::{CsvLayout, CsvOptions, Layout, LoadInfo, LoadWarning, detect_csv_layout, detect_layout};
pub use panel::{EventDay, PanelEvent, ReturnKind, ReturnsPanel};
pub use parquet::LongParquet;
pub use series::{Calendar, OptionalColumn, PriceSeries, SeriesColumns};
