//! Stage 5, report: what people read. Nothing here computes statistics; it formats and draws
//! what the earlier stages produced.

mod chart;

pub use chart::{BandPoint, EffectBar, PathLine, effect_chart, path_chart};
