//! Stage 5, report: what people read. Nothing here computes statistics; it formats and draws
//! what the earlier stages produced, as terminal tables, Markdown, JSON, polars DataFrames,
//! HTML, SVG charts and rich evcxr output.

mod chart;
mod classic;
mod conclusion;
mod exclusions;
mod model;
mod nulls;
mod output;
mod page;
mod primary;
mod scorecard;
mod series_view;
mod spec;
pub(crate) mod text;

/// The claim of the `russell_crypto` preset, re-exported where the scorecard is.
pub use crate::study::RUSSELL_CLAIM_2026;
pub use chart::{BandPoint, EffectBar, PathLine, effect_chart, path_chart};
pub use classic::classic_page;
pub(crate) use model::horizon_str;
pub use model::{
    EventPaths, EventRecord, Exclusion, ExclusionKind, NotListedSummary, NullResult, Outcome, RuleWindow,
    Sample, Scorecard, ScorecardRow, SensitivityGrid, SensitivityRow, StudyReport, StudyResult,
};
pub use output::evcxr_show_svg;
pub use page::command_line;
pub use spec::{SpecCurve, SpecRow, SpecSummary};
