//! The whole pipeline in one call: rules → events → windows → statistics → a [`StudyReport`].
//!
//! ```
//! use eventstudy::{BreakoutRule, Horizon, Study, WindowOptions, datasets, stats::StatsOptions};
//! let report = Study::new(datasets::load("rut")?)
//!     .rules([BreakoutRule::ath_close(250)])
//!     .targets([datasets::load("btc")?])
//!     .window(WindowOptions::new().horizons([Horizon::CalendarDays(30)]))
//!     .stats(StatsOptions::new().draws(2_000))
//!     .run()?;
//! assert_eq!(report.results.len(), 1);
//! assert_eq!(report.results[0].n_events, 3);
//! println!("{report}");
//! # Ok::<(), eventstudy::Error>(())
//! ```

mod preset;
mod sensitivity;

use std::collections::BTreeMap;

use chrono::NaiveDate;

pub use preset::{RUSSELL_CRYPTO_ASSETS, russell_crypto, russell_crypto_rules};

use crate::data::PriceSeries;
use crate::error::{Error, Result};
use crate::events::{BreakoutRule, Event};
use crate::report::{
    BandPoint, EventPaths, EventRecord, Exclusion, PathLine, RuleWindow, StudyReport, StudyResult,
};
use crate::stats::{Baseline, EventStats, StatsOptions, benjamini_hochberg, holm, quantile_type7};
use crate::window::{
    ForwardReturn, Horizon, Target, WindowOptions, event_windows, target_forward_returns_all,
};

/// An event study: which series the rules run on, which rules, which targets, and the options
/// of the window engine and the statistics. Build it with chained setters, then [`Study::run`].
#[derive(Debug, Clone)]
pub struct Study {
    events_on: PriceSeries,
    denominators: Vec<PriceSeries>,
    rules: Vec<BreakoutRule>,
    targets: Vec<Target>,
    window: WindowOptions,
    stats: StatsOptions,
    exclude_event_windows: bool,
    space_placebo_dates: bool,
    band_points: usize,
}

impl Study {
    /// A study of events on `events_on` (e.g. the Russell 2000), with the default rule, no
    /// targets yet, and default window and statistics options.
    pub fn new(events_on: PriceSeries) -> Self {
        Study {
            events_on,
            denominators: Vec::new(),
            rules: vec![BreakoutRule::default()],
            targets: Vec::new(),
            window: WindowOptions::new(),
            stats: StatsOptions::new(),
            exclude_event_windows: false,
            space_placebo_dates: false,
            band_points: 31,
        }
    }

    /// The rules to detect events with (replaces the default).
    pub fn rules(mut self, rules: impl IntoIterator<Item = BreakoutRule>) -> Self {
        self.rules = rules.into_iter().collect();
        self
    }

    /// The targets whose forward returns are measured.
    pub fn targets<T: Into<Target>>(mut self, targets: impl IntoIterator<Item = T>) -> Self {
        self.targets = targets.into_iter().map(Into::into).collect();
        self
    }

    /// Adds one target.
    pub fn target(mut self, target: impl Into<Target>) -> Self {
        self.targets.push(target.into());
        self
    }

    /// A denominator for [`BreakoutRule::RelativeHigh`] rules naming its symbol (otherwise the
    /// bundled series of that symbol is used).
    pub fn denominator(mut self, series: PriceSeries) -> Self {
        self.denominators.push(series);
        self
    }

    /// Options of the window engine (horizons, path length, basket history).
    pub fn window(mut self, options: WindowOptions) -> Self {
        self.window = options;
        self
    }

    /// Options of the statistics (draws, seed).
    pub fn stats(mut self, options: StatsOptions) -> Self {
        self.stats = options;
        self
    }

    /// Leave baseline start dates within one horizon of an event out of the baseline.
    pub fn exclude_event_windows_from_baseline(mut self, yes: bool) -> Self {
        self.exclude_event_windows = yes;
        self
    }

    /// Draw placebo dates at least one horizon apart, as real events are.
    pub fn space_placebo_dates(mut self, yes: bool) -> Self {
        self.space_placebo_dates = yes;
        self
    }

    /// The series events are detected on.
    pub fn events_on(&self) -> &PriceSeries {
        &self.events_on
    }

    /// The targets.
    pub fn target_list(&self) -> &[Target] {
        &self.targets
    }

    /// Detects the events of one rule.
    pub fn detect(&self, rule: &BreakoutRule) -> Result<Vec<Event>> {
        if let BreakoutRule::RelativeHigh { other, .. } = rule
            && let Some(den) = self.denominators.iter().find(|d| d.symbol() == other)
        {
            return rule.detect_with(&self.events_on, den);
        }
        rule.detect(&self.events_on)
    }

    fn validate(&self) -> Result<()> {
        self.window.validate()?;
        self.stats.check()?;
        if self.rules.is_empty() {
            return Err(Error::param("rules", "[]", "give at least one rule"));
        }
        if self.targets.is_empty() {
            return Err(Error::param("targets", "[]", "give at least one target"));
        }
        for r in &self.rules {
            r.validate()?;
        }
        Ok(())
    }

    /// Runs the study: every rule × target × horizon. Validates all options first.
    pub fn run(&self) -> Result<StudyReport> {
        self.validate()?;
        let mut events = Vec::new();
        let mut rule_events = Vec::with_capacity(self.rules.len());
        for rule in &self.rules {
            let found = self.detect(rule)?;
            events.extend(found.iter().map(EventRecord::from));
            rule_events.push(found);
        }
        let mut results = Vec::new();
        let mut excluded = Vec::new();
        let mut paths = Vec::new();
        let mut all_windows = Vec::new();
        let max_h = self
            .window
            .horizon_list()
            .iter()
            .copied()
            .max_by_key(|h| h.calendar_days())
            .unwrap_or(Horizon::CalendarDays(90));
        for target in &self.targets {
            let baselines = self.baselines(target)?;
            let band = if self.band_points == 0 {
                Vec::new()
            } else {
                self.band(target, max_h.calendar_days())
            };
            for (rule, found) in self.rules.iter().zip(&rule_events) {
                let windows = event_windows(target, found, &self.window)?;
                for &h in self.window.horizon_list() {
                    let of_h: Vec<&ForwardReturn> = windows.iter().filter(|w| w.horizon == h).collect();
                    for w in of_h.iter().filter(|w| !w.status.is_complete()) {
                        excluded.push(Exclusion::new(rule, w));
                    }
                    let done: Vec<&ForwardReturn> =
                        of_h.into_iter().filter(|w| w.status.is_complete()).collect();
                    if done.is_empty() {
                        continue;
                    }
                    // Complete windows without statistics are still reported, with the reason.
                    let stats = match baselines.get(&h) {
                        Some(baseline) => self
                            .event_stats(&done, found, baseline, h)
                            .map_err(|e| format!("complete, but no statistics: {e}")),
                        None => Err(format!(
                            "complete, but no statistics: fewer than 2 complete {h} windows in {}'s baseline",
                            target.name()
                        )),
                    };
                    match stats {
                        Ok(stats) => results.push(StudyResult::new(target.name(), rule, h, &done, stats)),
                        Err(reason) => excluded.extend(
                            done.iter()
                                .map(|w| Exclusion::with_reason(rule, w, reason.clone())),
                        ),
                    }
                }
                let lines = windows
                    .iter()
                    .filter(|w| w.horizon == max_h && w.entry_date.is_some())
                    .map(|w| PathLine {
                        label: w.event_date.to_string(),
                        points: w.path.iter().map(|p| (p.day, p.value)).collect(),
                    })
                    .collect();
                paths.push(EventPaths {
                    asset: target.name().to_string(),
                    rule: rule.to_string(),
                    horizon: max_h,
                    lines,
                    band: band.clone(),
                });
                let rule_name = rule.to_string();
                all_windows.extend(windows.into_iter().map(|window| RuleWindow {
                    rule: rule_name.clone(),
                    window,
                }));
            }
        }
        adjust(&mut results);
        let stats = self.stats.check()?;
        Ok(StudyReport {
            events_on: self.events_on.symbol().to_string(),
            rules: self.rules.iter().map(ToString::to_string).collect(),
            events,
            results,
            excluded,
            seed: stats.seed(),
            draws: stats.draws(),
            data_through: self.events_on.last_date(),
            asset_data_through: self
                .targets
                .iter()
                .map(|t| (t.name().to_string(), t.last_date()))
                .collect(),
            baseline_excludes_event_windows: self.exclude_event_windows,
            placebo_dates_spaced: self.space_placebo_dates,
            windows: all_windows,
            paths,
            sensitivity: None,
            scorecard: None,
        })
    }

    /// The baseline of every horizon for one target. A horizon whose baseline has fewer than
    /// two complete windows is left out (its results are then reported as excluded).
    fn baselines(&self, target: &Target) -> Result<BTreeMap<Horizon, Baseline>> {
        let mut out = BTreeMap::new();
        for &h in self.window.horizon_list() {
            let all = target_forward_returns_all(target, h, &self.window);
            if all.returns.len() >= 2 {
                out.insert(h, Baseline::new(all.starts, all.returns)?);
            }
        }
        Ok(out)
    }

    fn event_stats(
        &self,
        done: &[&ForwardReturn],
        events: &[Event],
        baseline: &Baseline,
        h: Horizon,
    ) -> Result<EventStats> {
        let returns: Vec<f64> = done.iter().filter_map(|w| w.simple_return).collect();
        let mut options = self.stats;
        if self.space_placebo_dates {
            options = options.placebo_spacing_days(Some(h.calendar_days()));
        }
        if self.exclude_event_windows {
            let dates: Vec<NaiveDate> = events.iter().map(|e| e.date).collect();
            let reduced = baseline.excluding_near(&dates, h.calendar_days())?;
            return EventStats::compute(&returns, &reduced, &options);
        }
        EventStats::compute(&returns, baseline, &options)
    }

    /// Quantiles of the forward return from every start date, at `band_points` days from 0 to
    /// `max_days`: the band the event paths are drawn over.
    fn band(&self, target: &Target, max_days: i64) -> Vec<BandPoint> {
        let steps = self.band_points.max(2) as i64 - 1;
        let mut out = vec![BandPoint {
            day: 0,
            p05: 0.0,
            p50: 0.0,
            p95: 0.0,
        }];
        let mut last = 0;
        for k in 1..=steps {
            let day = (max_days * k + steps - 1) / steps;
            if day <= last {
                continue;
            }
            last = day;
            let all = target_forward_returns_all(target, Horizon::CalendarDays(day as u32), &self.window);
            if let (Ok(p05), Ok(p50), Ok(p95)) = (
                quantile_type7(&all.returns, 0.05),
                quantile_type7(&all.returns, 0.5),
                quantile_type7(&all.returns, 0.95),
            ) {
                out.push(BandPoint { day, p05, p50, p95 });
            }
        }
        out
    }
}

/// Holm and Benjamini–Hochberg adjustment across every one-sided placebo p of the report.
fn adjust(results: &mut [StudyResult]) {
    let p: Vec<f64> = results.iter().map(|r| r.p_placebo).collect();
    for ((r, h), b) in results.iter_mut().zip(holm(&p)).zip(benjamini_hochberg(&p)) {
        r.p_holm = h;
        r.p_bh = b;
    }
}
