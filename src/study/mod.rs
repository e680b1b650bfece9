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

mod null;
mod preset;
mod sensitivity;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;

use chrono::NaiveDate;

pub use null::{DateLabels, Null, NullContext, btc_halvings};
pub use preset::{RUSSELL_CRYPTO_ASSETS, russell_crypto, russell_crypto_nulls, russell_crypto_rules};

use crate::data::PriceSeries;
use crate::error::{Error, Result};
use crate::events::{BreakoutRule, Event};
use crate::report::{
    BandPoint, EventPaths, EventRecord, Exclusion, NullResult, PathLine, RuleWindow, StudyReport, StudyResult,
};
use crate::stats::{
    Baseline, EventStats, StatsOptions, benjamini_hochberg, derive_seed, holm, matched_placebo,
    quantile_type7,
};
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
    nulls: Vec<Null>,
    halvings: Vec<NaiveDate>,
    regime_series: Option<PriceSeries>,
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
            nulls: Vec::new(),
            halvings: btc_halvings(),
            regime_series: None,
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

    /// The placebo designs every result is also tested against (none by default; the
    /// [`russell_crypto`] preset uses [`russell_crypto_nulls`]). Each result's
    /// [`StudyResult::nulls`] has one entry per design, in this order.
    pub fn nulls(mut self, nulls: impl IntoIterator<Item = Null>) -> Self {
        self.nulls = nulls.into_iter().collect();
        self
    }

    /// The halving dates [`Null::HalvingPhase`] measures from (default [`btc_halvings`]).
    pub fn halvings(mut self, dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        self.halvings = dates.into_iter().collect();
        self.halvings.sort_unstable();
        self
    }

    /// The series whose trend regime [`Null::TrendRegime`] matches for basket targets (a single
    /// asset uses its own series); without one, that null is reported as not applicable to
    /// baskets.
    pub fn regime_series(mut self, series: PriceSeries) -> Self {
        self.regime_series = Some(series);
        self
    }

    /// The placebo designs of the study.
    pub fn null_list(&self) -> &[Null] {
        &self.nulls
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
        for n in &self.nulls {
            n.validate()?;
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
                            .map(|(stats, used)| {
                                let nulls = self.null_results(target, rule, h, &done, &used);
                                (stats, nulls)
                            })
                            .map_err(|e| format!("complete, but no statistics: {e}")),
                        None => Err(format!(
                            "complete, but no statistics: fewer than 2 complete {h} windows in {}'s baseline",
                            target.name()
                        )),
                    };
                    match stats {
                        Ok((stats, nulls)) => {
                            results.push(StudyResult::new(target.name(), rule, h, &done, stats, nulls))
                        }
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
            nulls: self.nulls.clone(),
            halvings: self.halvings.clone(),
            windows: all_windows,
            paths,
            sensitivity: None,
            scorecard: None,
        })
    }

    /// The baseline of every horizon for one target, its mean's standard error Newey–West with
    /// a lag of the horizon ([`Baseline::with_hac_lag`]). A horizon whose baseline has fewer
    /// than two complete windows is left out (its results are then reported as excluded).
    fn baselines(&self, target: &Target) -> Result<BTreeMap<Horizon, Baseline>> {
        let mut out = BTreeMap::new();
        for &h in self.window.horizon_list() {
            let all = target_forward_returns_all(target, h, &self.window);
            if all.returns.len() >= 2 {
                // Overlapping windows: the mean's standard error is Newey–West with a lag of
                // the horizon's length (calendar days are at least as many as rows).
                let lag = h.days() as usize;
                out.insert(h, Baseline::new(all.starts, all.returns)?.with_hac_lag(lag));
            }
        }
        Ok(out)
    }

    /// The statistics of one result, and the baseline they used (without the starts near an
    /// event when the study says so), which the placebo designs reuse.
    fn event_stats<'b>(
        &self,
        done: &[&ForwardReturn],
        events: &[Event],
        baseline: &'b Baseline,
        h: Horizon,
    ) -> Result<(EventStats, Cow<'b, Baseline>)> {
        let returns: Vec<f64> = done.iter().filter_map(|w| w.simple_return).collect();
        let mut options = self.stats;
        if self.space_placebo_dates {
            options = options.placebo_spacing_days(Some(h.calendar_days()));
        }
        let used = if self.exclude_event_windows {
            let dates: Vec<NaiveDate> = events.iter().map(|e| e.date).collect();
            Cow::Owned(baseline.excluding_near(&dates, h.calendar_days())?)
        } else {
            Cow::Borrowed(baseline)
        };
        Ok((EventStats::compute(&returns, &used, &options)?, used))
    }

    /// One result against every placebo design. A design that cannot be applied (no
    /// candidates, no regime series for a basket) is kept with the reason instead of a p.
    /// Each (target, rule, horizon, null) draws from its own stream ([`derive_seed`]).
    fn null_results(
        &self,
        target: &Target,
        rule: &BreakoutRule,
        h: Horizon,
        done: &[&ForwardReturn],
        baseline: &Baseline,
    ) -> Vec<NullResult> {
        let returns: Vec<f64> = done.iter().filter_map(|w| w.simple_return).collect();
        let entries: Vec<NaiveDate> = done.iter().filter_map(|w| w.entry_date).collect();
        let ctx = NullContext {
            baseline_starts: baseline.starts(),
            event_starts: &entries,
            halvings: &self.halvings,
            regime_series: match target {
                Target::Asset(s) => Some(s),
                Target::Basket(_) => self.regime_series.as_ref(),
            },
            event_series: &self.events_on,
        };
        let rule_key = rule.to_string();
        let horizon = h.to_string();
        let study_seed = self
            .stats
            .check()
            .map_or(crate::stats::DEFAULT_SEED, |c| c.seed());
        let run = |null: &Null| {
            let key = null.key();
            let seed = derive_seed(study_seed, &[target.name(), &rule_key, &horizon, &key]);
            let tested =
                null.candidates(&ctx)
                    .map_err(|e| e.to_string())
                    .and_then(|(candidates, spacing)| {
                        let options = self.stats.seed(seed).placebo_spacing_days(spacing);
                        matched_placebo(&returns, baseline, &candidates, &options)
                            .map_err(|e| format!("{e} (candidates per event: {:?})", candidates.counts()))
                    });
            match tested {
                Ok(t) => NullResult {
                    key,
                    null: null.to_string(),
                    candidates: t.candidates,
                    baseline_mean: Some(t.baseline_mean),
                    excess: Some(t.excess),
                    p: Some(t.p),
                    p_two_sided: Some(t.p_two_sided),
                    mde: Some(t.mde),
                    calendar_weights: t.calendar_weights,
                    warning: t.warning,
                },
                Err(e) => NullResult {
                    key,
                    null: null.to_string(),
                    candidates: Vec::new(),
                    baseline_mean: None,
                    excess: None,
                    p: None,
                    p_two_sided: None,
                    mde: None,
                    calendar_weights: BTreeMap::new(),
                    warning: Some(format!("not applied: {e}")),
                },
            }
        };
        self.nulls.par_iter().map(run).collect()
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
