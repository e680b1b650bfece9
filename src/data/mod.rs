//! Stage 1, data: [`PriceSeries`] and how it is loaded (bundled datasets, CSV files, polars
//! DataFrames), validated on the way in; and the classic study's [`ReturnsPanel`] and
//! [`PanelEvent`] lists.

mod csv;
pub mod datasets;
mod frame;
mod panel;
mod series;
mod universe;

pub use csv::{CsvLayout, CsvOptions, detect_csv_layout};
pub use panel::{EventDay, PanelEvent, ReturnKind, ReturnsPanel};
pub use series::{Calendar, OptionalColumn, PriceSeries, SeriesColumns};
