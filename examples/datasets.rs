//! Lists every bundled series: symbol, name, calendar, first and last date, row count, then the
//! bundled market-cap rankings.
//!
//! ```text
//! cargo run --example datasets
//! cargo run --example datasets | head -3   # a closed pipe ends it quietly
//! ```

use std::process::ExitCode;

mod common;

fn main() -> ExitCode {
    let (series, universes) = match (eventstudy::datasets::list(), eventstudy::datasets::universes()) {
        (Ok(s), Ok(u)) => (s, u),
        (Err(e), _) | (_, Err(e)) => {
            common::warn(format_args!("error: {e}"));
            return ExitCode::FAILURE;
        }
    };
    common::with_stdout(|out| {
        for info in &series {
            writeln!(out, "{info}")?;
        }
        for u in &universes {
            writeln!(out, "{u}")?;
        }
        Ok(())
    })
}
