//! Stage 2, events: explicit, parameterised breakout rules that never use future data.

mod detect;
mod rule;

pub use detect::Event;
pub use rule::{BreakoutRule, DEFAULT_DROUGHT, RelativeBasis};
