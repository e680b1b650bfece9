//! The results against each placebo design, side by side: terminal and Markdown tables and a
//! long DataFrame (one row per result and null).

use polars::prelude::*;

use super::model::{StudyReport, StudyResult};
use super::text::{p3, pct};
use crate::error::Result;

/// Column heads and rows of the side-by-side table of `results`: asset, horizon, n, then one
/// `excess pp (p)` cell per null key. A cell with `*` rests on few candidates; `n/a` is a
/// design that could not be applied (its reason is in the result's `nulls[].warning`).
pub(crate) fn null_table(results: &[&StudyResult]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut keys: Vec<&str> = Vec::new();
    for r in results {
        for n in &r.nulls {
            if !keys.contains(&n.key.as_str()) {
                keys.push(&n.key);
            }
        }
    }
    let mut heads = vec!["asset".to_string(), "h".to_string(), "n".to_string()];
    heads.extend(keys.iter().map(|k| k.to_string()));
    let rows = results
        .iter()
        .map(|r| {
            let mut row = vec![r.asset.clone(), r.horizon.to_string(), r.n_events.to_string()];
            for key in &keys {
                let cell = match r.nulls.iter().find(|n| n.key == *key) {
                    Some(n) => match (n.excess, n.p) {
                        (Some(x), Some(p)) => {
                            let few = if n.warning.is_some() { "*" } else { "" };
                            format!("{} ({}){few}", pct(x), p3(p))
                        }
                        _ => "n/a".to_string(),
                    },
                    None => "–".to_string(),
                };
                row.push(cell);
            }
            row
        })
        .collect();
    (heads, rows)
}

/// What the side-by-side cells mean, printed under the table.
pub(crate) const NULL_LEGEND: &str = "excess pp over each design's matched baseline (one-sided p): random = any day; \
halving_phase_N = days within N days of the event's BTC halving phase; trend_regime_N = the target on the same side of \
its N-day average; near_record_X = the event series as near its record; shifted_set = the whole event set moved in \
time. * fewer than 30 candidate dates for some event; n/a = not applicable (see nulls[].warning)";

impl StudyReport {
    /// Every result against every placebo design, one row per (result, null): `asset`,
    /// `rule`, `horizon`, `sample`, `null` (key), `null_words`, `min_candidates`, `baseline_mean`,
    /// `excess`, `p`, `p_two_sided`, `mde`, `warning` (null where not applicable).
    ///
    /// ```
    /// use eventstudy::{Horizon, Null, Study, WindowOptions, BreakoutRule, datasets, stats::StatsOptions};
    /// let report = Study::new(datasets::load("rut")?)
    ///     .rules([BreakoutRule::ath_close(250)])
    ///     .targets([datasets::load("btc")?])
    ///     .nulls([Null::Random, Null::halving_phase(60)])
    ///     .window(WindowOptions::new().horizons([Horizon::CalendarDays(90)]))
    ///     .stats(StatsOptions::new().draws(1_000))
    ///     .run()?;
    /// let df = report.nulls_dataframe()?;
    /// assert_eq!(df.height(), 2);
    /// assert_eq!(df.column("null")?.str()?.get(1), Some("halving_phase_60"));
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn nulls_dataframe(&self) -> Result<DataFrame> {
        let rows: Vec<(&StudyResult, &super::model::NullResult)> = self
            .results
            .iter()
            .flat_map(|r| r.nulls.iter().map(move |n| (r, n)))
            .collect();
        let text = |f: &dyn Fn(&StudyResult, &super::model::NullResult) -> String| {
            rows.iter().map(|(r, n)| f(r, n)).collect::<Vec<String>>()
        };
        let num = |f: &dyn Fn(&super::model::NullResult) -> Option<f64>| {
            rows.iter().map(|(_, n)| f(n)).collect::<Vec<Option<f64>>>()
        };
        let cols = vec![
            Column::new("asset".into(), text(&|r, _| r.asset.clone())),
            Column::new("rule".into(), text(&|r, _| r.rule.clone())),
            Column::new("horizon".into(), text(&|r, _| r.horizon.to_string())),
            Column::new("sample".into(), text(&|r, _| r.sample.key().to_string())),
            Column::new("outcome".into(), text(&|r, _| r.outcome.key().to_string())),
            Column::new("null".into(), text(&|_, n| n.key.clone())),
            Column::new("null_words".into(), text(&|_, n| n.null.clone())),
            Column::new(
                "min_candidates".into(),
                rows.iter()
                    .map(|(_, n)| n.candidates.iter().min().map(|&c| c as u32))
                    .collect::<Vec<Option<u32>>>(),
            ),
            Column::new("baseline_mean".into(), num(&|n| n.baseline_mean)),
            Column::new("excess".into(), num(&|n| n.excess)),
            Column::new("p".into(), num(&|n| n.p)),
            Column::new("p_two_sided".into(), num(&|n| n.p_two_sided)),
            Column::new("mde".into(), num(&|n| n.mde)),
            Column::new(
                "warning".into(),
                rows.iter()
                    .map(|(_, n)| n.warning.clone())
                    .collect::<Vec<Option<String>>>(),
            ),
        ];
        Ok(DataFrame::new(rows.len(), cols)?)
    }
}
