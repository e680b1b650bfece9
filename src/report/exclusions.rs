//! The windows left out of a study's statistics, summarised.

use std::fmt;

use chrono::NaiveDate;

use super::model::{ExclusionKind, NotListedSummary, StudyReport};

impl StudyReport {
    /// The not-listed exclusions summarised per rule and asset: how many of the rule's events
    /// came before the asset's data starts. In rule order, then the order assets first appear.
    ///
    /// ```
    /// use eventstudy::{BreakoutRule, Horizon, Study, WindowOptions, datasets, stats::StatsOptions};
    /// let report = Study::new(datasets::load("rut")?)
    ///     .rules([BreakoutRule::ath_close(250)])
    ///     .targets([datasets::load("btc")?])
    ///     .window(WindowOptions::new().horizons([Horizon::CalendarDays(30)]))
    ///     .stats(StatsOptions::new().draws(200))
    ///     .run()?;
    /// let s = &report.not_listed_summary()[0];
    /// assert_eq!((s.asset.as_str(), s.events_before_listing, s.events), ("btc", 7, 10));
    /// assert_eq!(s.last_event.to_string(), "2013-01-02"); // BTC's bundled data starts 2013-04-28
    /// # Ok::<(), eventstudy::Error>(())
    /// ```
    pub fn not_listed_summary(&self) -> Vec<NotListedSummary> {
        let mut out: Vec<(NotListedSummary, Vec<NaiveDate>)> = Vec::new();
        for x in self
            .excluded
            .iter()
            .filter(|x| x.kind == ExclusionKind::NotListed)
        {
            match out
                .iter_mut()
                .find(|(s, _)| s.rule_id == x.rule_id && s.asset == x.asset)
            {
                Some((_, dates)) => dates.push(x.event_date),
                None => out.push((
                    NotListedSummary {
                        rule: x.rule.clone(),
                        rule_id: x.rule_id,
                        asset: x.asset.clone(),
                        events_before_listing: 0,
                        events: self.events.iter().filter(|e| e.rule_id == x.rule_id).count(),
                        first_event: x.event_date,
                        last_event: x.event_date,
                    },
                    vec![x.event_date],
                )),
            }
        }
        out.sort_by_key(|(s, _)| s.rule_id); // stable: assets keep their order
        out.into_iter()
            .map(|(mut s, mut dates)| {
                dates.sort_unstable();
                dates.dedup();
                s.events_before_listing = dates.len();
                s.first_event = dates[0];
                s.last_event = dates[dates.len() - 1];
                s
            })
            .collect()
    }
}

/// Per rule, one line grouping the assets by how many of its events predate their data.
pub(crate) fn write_not_listed(f: &mut fmt::Formatter<'_>, rows: &[NotListedSummary]) -> fmt::Result {
    let mut rule: Option<&str> = None;
    // (count, assets) for the current rule, in order of first appearance.
    let mut groups: Vec<(usize, usize, Vec<&str>, NaiveDate)> = Vec::new();
    let flush = |f: &mut fmt::Formatter<'_>,
                 rule: Option<&str>,
                 groups: &mut Vec<(usize, usize, Vec<&str>, NaiveDate)>| {
        if let Some(rule) = rule {
            let parts: Vec<String> = groups
                .iter()
                .map(|(k, n, assets, last)| format!("{k} of {n} (to {last}): {}", assets.join(", ")))
                .collect();
            writeln!(f, "  {rule}: events before the data starts, {}", parts.join("; "))?;
        }
        groups.clear();
        Ok(())
    };
    for r in rows {
        if rule != Some(r.rule.as_str()) {
            flush(f, rule, &mut groups)?;
            rule = Some(&r.rule);
        }
        match groups
            .iter_mut()
            .find(|(k, _, _, last)| *k == r.events_before_listing && *last == r.last_event)
        {
            Some((_, _, assets, _)) => assets.push(&r.asset),
            None => groups.push((r.events_before_listing, r.events, vec![&r.asset], r.last_event)),
        }
    }
    flush(f, rule, &mut groups)
}
