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

mod classic;
mod family;
mod null;
mod preset;
mod sensitivity;
mod spec_curve;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;

use chrono::NaiveDate;

pub(crate) use classic::window_key;
pub use classic::{
    AarRow, CarRow, ClassicEvent, ClassicReport, ClassicStudy, ClassicTest, CryptoEvent, LabelRegression,
    PlaceboSummary, TestValue, aar_rows, altcoin_classic_studies, altcoin_windows, car_rows, crypto_events,
};
pub use family::Primary;
use null::StartStates;
pub use null::{DateLabels, Null, NullContext, btc_halvings};
pub use preset::{
    RUSSELL_CLAIM_2026, RUSSELL_CRYPTO_ASSETS, btc_with_mtgox, russell_crypto, russell_crypto_claim_formed,
    russell_crypto_nulls, russell_crypto_primary, russell_crypto_rules,
};
pub use spec_curve::{RuleKind, SpecCurveOptions};

use crate::data::PriceSeries;
use crate::error::{Error, Result};
use crate::events::{BreakoutRule, Event};
use crate::report::{
    BandPoint, EventPaths, EventRecord, Exclusion, NullResult, Outcome, PathLine, RuleWindow, Sample,
    StudyReport, StudyResult,
};
use crate::stats::{
    Baseline, Candidates, EventStats, PlaceboTest, StatsOptions, benjamini_hochberg, derive_seed, holm,
    matched_placebo,
};
use crate::window::{
    BasketMeasure, ForwardReturn, Horizon, Target, WindowOptions, event_windows, target_forward_returns_all,
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
    primary: Option<Primary>,
    claim_formed: Option<NaiveDate>,
    /// Each (target, horizon)'s baseline, built once for the run, the sensitivity grid and
    /// the specification curve (clones of the study share it; changing the targets or the
    /// window options starts a new one).
    baseline_cache: BaselineCache,
}

/// See [`Study`]'s `baseline_cache`.
#[derive(Clone, Default)]
struct BaselineCache(Arc<Mutex<HashMap<(String, Horizon), BaselineCell>>>);

/// One (target, horizon)'s baseline once built: None when it has under two windows.
type BaselineCell = Arc<OnceLock<Option<Baseline>>>;

impl std::fmt::Debug for BaselineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BaselineCache")
    }
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
            // Every 6 days over 90: the band is drawn as a smooth envelope, and each point is
            // a pass over every start date (for a median basket, a median per date).
            band_points: 16,
            nulls: Vec::new(),
            halvings: btc_halvings(),
            regime_series: None,
            primary: None,
            claim_formed: None,
            baseline_cache: BaselineCache::default(),
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
        self.baseline_cache = BaselineCache::default();
        self
    }

    /// Adds one target.
    pub fn target(mut self, target: impl Into<Target>) -> Self {
        self.targets.push(target.into());
        self.baseline_cache = BaselineCache::default();
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
        self.baseline_cache = BaselineCache::default();
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

    /// Declares the primary family (see [`Primary`]): its results are labelled `primary` and
    /// get a Westfall–Young adjusted p from a joint placebo; every other result is exploratory.
    pub fn primary(mut self, primary: Primary) -> Self {
        self.primary = Some(primary);
        self
    }

    /// The date the claim was formed: events on or before it built the claim, later ones test
    /// it. Each result is then also given for each sample ([`Sample`]), where it has events.
    pub fn claim_formed(mut self, date: NaiveDate) -> Self {
        self.claim_formed = Some(date);
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
        // Results are keyed by the rule's position, but tables, headings and chart files are
        // named by its words: two rules that read the same (two date lists of one length)
        // could not be told apart by a reader, so they are refused.
        for (i, a) in self.rules.iter().enumerate() {
            if let Some(b) = self.rules[..i].iter().find(|b| b.to_string() == a.to_string()) {
                let what = if a == b {
                    "is given twice"
                } else {
                    "reads the same as another rule"
                };
                return Err(Error::param(
                    "rules",
                    a,
                    format!(
                        "{what}: the report would merge their results; give each rule once, with distinct dates or lengths"
                    ),
                ));
            }
        }
        for n in &self.nulls {
            n.validate()?;
        }
        Ok(())
    }

    /// Runs the study: every rule × target × horizon (and, with [`Study::claim_formed`], each
    /// sample of events), the targets in parallel. Validates all options first.
    pub fn run(&self) -> Result<StudyReport> {
        self.validate()?;
        let mut events = Vec::new();
        let mut rule_events = Vec::with_capacity(self.rules.len());
        for (id, rule) in self.rules.iter().enumerate() {
            let found = self.detect(rule)?;
            events.extend(found.iter().map(|e| EventRecord {
                rule_id: id,
                ..EventRecord::from(e)
            }));
            rule_events.push(found);
        }
        let max_h = self
            .window
            .horizon_list()
            .iter()
            .copied()
            .max_by_key(|h| h.calendar_days())
            .unwrap_or(Horizon::CalendarDays(90));
        let per_target: Vec<TargetOutput> = self
            .targets
            .par_iter()
            .map(|target| self.run_target(target, &rule_events, max_h))
            .collect::<Result<_>>()?;
        let mut results = Vec::new();
        let mut excluded = Vec::new();
        let mut paths = Vec::new();
        let mut all_windows = Vec::new();
        let mut primary_baselines = BTreeMap::new();
        for (target, out) in self.targets.iter().zip(per_target) {
            results.extend(out.results);
            excluded.extend(out.excluded);
            paths.extend(out.paths);
            all_windows.extend(out.windows);
            for (o, b) in out.primary_baselines {
                primary_baselines.insert((target.name().to_string(), o), b);
            }
        }
        adjust(&mut results);
        let stats = self.stats.check()?;
        family::adjust_primary(&mut results, &primary_baselines, stats.draws(), stats.seed())?;
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
            primary: self.primary.clone(),
            claim_formed: self.claim_formed,
            windows: all_windows,
            paths,
            sensitivity: None,
            scorecard: None,
            spec_curve: None,
        })
    }

    /// One target under every rule and horizon: its results, exclusions, paths and windows.
    fn run_target(
        &self,
        target: &Target,
        rule_events: &[Vec<Event>],
        max_h: Horizon,
    ) -> Result<TargetOutput> {
        let mut out = TargetOutput::default();
        let mut baselines: BTreeMap<(Horizon, Outcome), Baseline> = self
            .baselines(target)?
            .into_iter()
            .map(|(h, b)| ((h, Outcome::Simple), b))
            .collect();
        // The co-primary outcomes other than simple returns, for this target (a share has no
        // log return), with their baselines built once.
        let mut extra_outcomes = Vec::new();
        if let Some(p) = &self.primary
            && p.assets.iter().any(|a| a == target.name())
        {
            let share = matches!(target, Target::Basket(b) if matches!(b.measure(), BasketMeasure::ShareBeating { .. }));
            extra_outcomes = p
                .outcomes
                .iter()
                .copied()
                .filter(|o| *o == Outcome::Log && !share)
                .collect();
            if let Some(simple) = baselines.get(&(p.horizon, Outcome::Simple)).cloned() {
                for &o in &extra_outcomes {
                    baselines.insert((p.horizon, o), log_baseline(&simple)?);
                }
                for o in std::iter::once(Outcome::Simple).chain(extra_outcomes.iter().copied()) {
                    if let Some(b) = baselines.get(&(p.horizon, o)) {
                        out.primary_baselines.push((o, b.clone()));
                    }
                }
            }
        }
        // The starts' states of each horizon's baseline, shared by every rule.
        let states: BTreeMap<Horizon, Arc<StartStates>> = self
            .window
            .horizon_list()
            .iter()
            .map(|&h| (h, Arc::default()))
            .collect();
        // The band and the rules are independent: computed side by side, rules in parallel.
        let (band, per_rule) = rayon::join(
            || {
                if self.band_points == 0 {
                    Vec::new()
                } else {
                    self.band(target, max_h.calendar_days())
                }
            },
            || {
                self.rules
                    .par_iter()
                    .zip(rule_events)
                    .map(|(rule, found)| {
                        self.run_rule(target, rule, found, &baselines, &extra_outcomes, &states, max_h)
                    })
                    .collect::<Result<Vec<RuleOutput>>>()
            },
        );
        for (id, (rule, mut r)) in self.rules.iter().zip(per_rule?).enumerate() {
            let rule_name = rule.to_string();
            r.results.iter_mut().for_each(|x| x.rule_id = id);
            r.excluded.iter_mut().for_each(|x| x.rule_id = id);
            out.results.extend(r.results);
            out.excluded.extend(r.excluded);
            out.paths.push(EventPaths {
                asset: target.name().to_string(),
                rule: rule_name.clone(),
                rule_id: id,
                horizon: max_h,
                lines: r.lines,
                band: band.clone(),
            });
            out.windows.extend(r.windows.into_iter().map(|window| RuleWindow {
                rule: rule_name.clone(),
                rule_id: id,
                window,
            }));
        }
        Ok(out)
    }

    /// One rule on one target: its results under every horizon, sample and outcome, its
    /// exclusions, its event paths at the longest horizon and its windows.
    #[allow(clippy::too_many_arguments)]
    fn run_rule(
        &self,
        target: &Target,
        rule: &BreakoutRule,
        found: &[Event],
        baselines: &BTreeMap<(Horizon, Outcome), Baseline>,
        extra_outcomes: &[Outcome],
        states: &BTreeMap<Horizon, Arc<StartStates>>,
        max_h: Horizon,
    ) -> Result<RuleOutput> {
        let mut out = RuleOutput::default();
        let windows = event_windows(target, found, &self.window)?;
        let rule_name = rule.to_string();
        for &h in self.window.horizon_list() {
            let of_h: Vec<&ForwardReturn> = windows.iter().filter(|w| w.horizon == h).collect();
            for w in of_h.iter().filter(|w| !w.status.is_complete()) {
                out.excluded.push(Exclusion::new(rule, w));
            }
            let done: Vec<&ForwardReturn> = of_h.into_iter().filter(|w| w.status.is_complete()).collect();
            // Each design's candidates, worked out on the first sample and reused by the rest.
            // Without event windows left out, every rule has the same baseline starts.
            let mut shared = SharedPools::new(if self.exclude_event_windows {
                Arc::default()
            } else {
                states.get(&h).map_or_else(Arc::default, Arc::clone)
            });
            let primary = self
                .primary
                .as_ref()
                .is_some_and(|p| p.contains(&rule_name, target.name(), h));
            let outcomes: Vec<Outcome> = std::iter::once(Outcome::Simple)
                .chain(extra_outcomes.iter().copied().filter(|_| primary))
                .collect();
            for (outcome, (sample, subset)) in outcomes
                .iter()
                .flat_map(|&o| self.samples(&done).into_iter().map(move |s| (o, s)))
            {
                // Complete windows without statistics are still reported, with the reason.
                let stats = match baselines.get(&(h, outcome)) {
                    Some(baseline) => self
                        .event_stats(
                            &subset,
                            found,
                            baseline,
                            h,
                            outcome,
                            self.stream(target, rule, h, sample, outcome),
                        )
                        .map(|(stats, used)| {
                            let nulls = self.null_results(
                                target,
                                rule,
                                h,
                                (sample, outcome),
                                &subset,
                                &used,
                                &stats.placebo,
                                &mut shared,
                            );
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
                        let mut r = StudyResult::new(target.name(), rule, h, &subset, stats, nulls);
                        r.sample = sample;
                        r.outcome = outcome;
                        r.primary = primary;
                        out.results.push(r);
                    }
                    // Each window is excluded once, under all events and simple returns.
                    Err(reason) if sample == Sample::All && outcome == Outcome::Simple => {
                        out.excluded.extend(
                            subset
                                .iter()
                                .map(|w| Exclusion::with_reason(rule, w, reason.clone())),
                        )
                    }
                    Err(_) => {}
                }
            }
        }
        out.lines = windows
            .iter()
            .filter(|w| w.horizon == max_h && w.entry_date.is_some())
            .map(|w| PathLine {
                label: w.event_date.to_string(),
                points: w.path.iter().map(|p| (p.day, p.value)).collect(),
            })
            .collect();
        out.windows = windows;
        Ok(out)
    }

    /// The samples of one result's complete windows: all of them, then (when the study has a
    /// claim date) those on or before it and those after it, each when not empty.
    fn samples<'w>(&self, done: &[&'w ForwardReturn]) -> Vec<(Sample, Vec<&'w ForwardReturn>)> {
        let mut out = Vec::with_capacity(3);
        if done.is_empty() {
            return out;
        }
        out.push((Sample::All, done.to_vec()));
        if let Some(claim) = self.claim_formed {
            let (before, after): (Vec<_>, Vec<_>) = done.iter().partition(|w| w.event_date <= claim);
            for (sample, subset) in [(Sample::InSample, before), (Sample::OutOfSample, after)] {
                if !subset.is_empty() {
                    out.push((sample, subset));
                }
            }
        }
        out
    }

    /// The baseline of every horizon for one target, its mean's standard error Newey–West with
    /// a lag of the horizon ([`Baseline::with_hac_lag`]). A horizon whose baseline has fewer
    /// than two complete windows is left out (its results are then reported as excluded).
    fn baselines(&self, target: &Target) -> Result<BTreeMap<Horizon, Baseline>> {
        let mut out = BTreeMap::new();
        for &h in self.window.horizon_list() {
            if let Some(b) = self.baseline(target, h)? {
                out.insert(h, b);
            }
        }
        Ok(out)
    }

    /// One target's baseline at `h` (None with fewer than two complete windows), its mean's
    /// standard error Newey–West with a lag of the horizon's length (calendar days are at
    /// least as many as rows: overlapping windows). Built once per study and horizon.
    pub(crate) fn baseline(&self, target: &Target, h: Horizon) -> Result<Option<Baseline>> {
        let cell = {
            // A poisoned lock only means a panic elsewhere mid-insert: the map is still whole.
            let mut map = self.baseline_cache.0.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(map.entry((target.name().to_string(), h)).or_default())
        };
        if let Some(b) = cell.get() {
            return Ok(b.clone());
        }
        let all = target_forward_returns_all(target, h, &self.window);
        let built = if all.returns.len() >= 2 {
            Some(Baseline::new(all.starts, all.returns)?.with_hac_lag(h.days() as usize))
        } else {
            None
        };
        Ok(cell.get_or_init(|| built).clone())
    }

    /// The statistics of one result, and the baseline they used (without the starts near an
    /// event when the study says so), which the placebo designs reuse.
    fn event_stats<'b>(
        &self,
        done: &[&ForwardReturn],
        events: &[Event],
        baseline: &'b Baseline,
        h: Horizon,
        outcome: Outcome,
        seed: u64,
    ) -> Result<(EventStats, Cow<'b, Baseline>)> {
        let returns = outcome_values(done, outcome);
        let mut options = self.stats.seed(seed);
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

    /// The seed of one result's random-days placebo and Monte-Carlo sign-flip test, derived
    /// from the study seed and the result's keys: no two results share Monte-Carlo errors.
    fn stream(
        &self,
        target: &Target,
        rule: &BreakoutRule,
        h: Horizon,
        sample: Sample,
        outcome: Outcome,
    ) -> u64 {
        let study_seed = self
            .stats
            .check()
            .map_or(crate::stats::DEFAULT_SEED, |c| c.seed());
        let (rule, horizon) = (rule.to_string(), h.to_string());
        derive_seed(
            study_seed,
            &[
                target.name(),
                &rule,
                &horizon,
                "placebo",
                sample.key(),
                outcome.key(),
            ],
        )
    }

    /// One result against every placebo design. A design that cannot be applied (no
    /// candidates, no regime series for a basket) is kept with the reason instead of a p.
    /// Each (target, rule, horizon, null) draws from its own stream ([`derive_seed`]), except
    /// [`Null::Random`] without a spacing, which is the result's random-days placebo itself
    /// (the same test: n distinct start dates drawn uniformly), not a second estimate of it.
    #[allow(clippy::too_many_arguments)]
    fn null_results(
        &self,
        target: &Target,
        rule: &BreakoutRule,
        h: Horizon,
        (sample, outcome): (Sample, Outcome),
        done: &[&ForwardReturn],
        baseline: &Baseline,
        random_days: &PlaceboTest,
        shared: &mut SharedPools,
    ) -> Vec<NullResult> {
        let returns = outcome_values(done, outcome);
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
        let reuses_random_days = |null: &Null| *null == Null::Random && !self.space_placebo_dates;
        if shared.pools.is_empty() {
            shared.entries = entries.clone();
            shared.pools = self
                .nulls
                .par_iter()
                .map(|null| {
                    if reuses_random_days(null) {
                        return Err("reuses the random-days placebo".into());
                    }
                    null.candidates_with(&ctx, &shared.states)
                        .map_err(|e| e.to_string())
                })
                .collect();
        }
        let shared: &SharedPools = shared;
        let rule_key = rule.to_string();
        let horizon = h.to_string();
        let study_seed = self
            .stats
            .check()
            .map_or(crate::stats::DEFAULT_SEED, |c| c.seed());
        let run = |(i, null): (usize, &Null)| {
            let key = null.key();
            if reuses_random_days(null) {
                return NullResult {
                    key,
                    null: null.to_string(),
                    candidates: vec![baseline.len(); done.len()],
                    baseline_mean: Some(random_days.baseline_mean),
                    excess: Some(random_days.observed_mean - random_days.baseline_mean),
                    baseline_median: Some(baseline.summary().median),
                    p: Some(random_days.p_one_sided),
                    p_two_sided: Some(random_days.p_two_sided),
                    exact: random_days.exact,
                    mde: Some(random_days.mde),
                    calendar_weights: random_days.calendar_weights.clone(),
                    warning: None,
                };
            }
            let mut parts = vec![target.name(), &rule_key, &horizon, &key, sample.key()];
            if outcome != Outcome::Simple {
                parts.push(outcome.key());
            }
            let seed = derive_seed(study_seed, &parts);
            let tested = shared
                .candidates(i, &entries)
                .unwrap_or_else(|| {
                    null.candidates_with(&ctx, &shared.states)
                        .map(|(c, s)| (Cow::Owned(c), s))
                        .map_err(|e| e.to_string())
                })
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
                    baseline_median: Some(t.baseline_median),
                    p: Some(t.p),
                    p_two_sided: Some(t.p_two_sided),
                    exact: t.exact,
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
                    baseline_median: None,
                    p: None,
                    p_two_sided: None,
                    exact: false,
                    mde: None,
                    calendar_weights: BTreeMap::new(),
                    warning: Some(format!("not applied: {e}")),
                },
            }
        };
        self.nulls.par_iter().enumerate().map(run).collect()
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
            // Forward returns are finite (closes are validated positive): one selection pass
            // gives all three quantiles.
            let mut values = all.returns;
            if !values.is_empty() {
                let [p05, p50, p95] = crate::stats::select_quantiles(&mut values, [0.05, 0.5, 0.95]);
                out.push(BandPoint { day, p05, p50, p95 });
            }
        }
        out
    }
}

/// Holm and Benjamini–Hochberg adjustment across every one-sided placebo p of the report, per
/// sample and outcome: the simple-return results on all events form one family, those on
/// in-sample and on out-of-sample events one each, and the log-return results likewise (a
/// split or a transform repeats the same events, so it is not pooled with them).
fn adjust(results: &mut [StudyResult]) {
    let families = [Sample::All, Sample::InSample, Sample::OutOfSample]
        .into_iter()
        .flat_map(|s| [Outcome::Simple, Outcome::Log].map(|o| (s, o)));
    for (sample, outcome) in families {
        let idx: Vec<usize> = (0..results.len())
            .filter(|&i| results[i].sample == sample && results[i].outcome == outcome)
            .collect();
        let p: Vec<f64> = idx.iter().map(|&i| results[i].p_placebo).collect();
        for ((&i, h), b) in idx.iter().zip(holm(&p)).zip(benjamini_hochberg(&p)) {
            results[i].p_holm = h;
            results[i].p_bh = b;
        }
    }
}

/// The log-return baseline over a simple-return baseline's start dates: ln(1 + r) of each,
/// with the same Newey–West lag.
fn log_baseline(simple: &Baseline) -> Result<Baseline> {
    let log = simple.returns().iter().map(|r| r.ln_1p()).collect();
    Ok(Baseline::new(simple.starts().to_vec(), log)?.with_hac_lag(simple.hac_lag()))
}

/// Each window's value under `outcome`: its simple or its log return.
fn outcome_values(done: &[&ForwardReturn], outcome: Outcome) -> Vec<f64> {
    done.iter()
        .filter_map(|w| match outcome {
            Outcome::Simple => w.simple_return,
            Outcome::Log => w.log_return,
        })
        .collect()
}

/// The candidates of each placebo design for one rule and horizon's complete windows, worked
/// out once and reused by every sample and outcome: a per-event pool depends on its own event
/// only, so a sample's pools are a selection of them (a shifted set is not, and is redone).
struct SharedPools {
    /// The baseline starts' states, shared by every rule of the target and horizon.
    states: Arc<StartStates>,
    entries: Vec<NaiveDate>,
    /// Empty until the first sample's designs are worked out.
    pools: Vec<std::result::Result<(Candidates, Option<i64>), String>>,
}

impl SharedPools {
    fn new(states: Arc<StartStates>) -> Self {
        SharedPools {
            states,
            entries: Vec::new(),
            pools: Vec::new(),
        }
    }

    /// Null `i`'s candidates for the events entered on `entries`, when they follow from the
    /// shared ones.
    #[allow(clippy::type_complexity)]
    fn candidates(
        &self,
        i: usize,
        entries: &[NaiveDate],
    ) -> Option<std::result::Result<(Cow<'_, Candidates>, Option<i64>), String>> {
        let same = entries == self.entries.as_slice();
        match self.pools.get(i)? {
            Err(e) => same.then(|| Err(e.clone())),
            Ok((c, spacing)) if same => Some(Ok((Cow::Borrowed(c), *spacing))),
            Ok((Candidates::PerEvent(pools), spacing)) => {
                let picked: Option<Vec<Vec<u32>>> = entries
                    .iter()
                    .map(|d| self.entries.iter().position(|e| e == d).map(|k| pools[k].clone()))
                    .collect();
                picked.map(|p| Ok((Cow::Owned(Candidates::PerEvent(p)), *spacing)))
            }
            Ok(_) => None,
        }
    }
}

/// What one rule contributes for one target.
#[derive(Default)]
struct RuleOutput {
    results: Vec<StudyResult>,
    excluded: Vec<Exclusion>,
    lines: Vec<PathLine>,
    windows: Vec<ForwardReturn>,
}

/// What one target contributes to a report.
#[derive(Default)]
struct TargetOutput {
    results: Vec<StudyResult>,
    excluded: Vec<Exclusion>,
    paths: Vec<EventPaths>,
    windows: Vec<RuleWindow>,
    /// The target's baselines at the primary horizon, per co-primary outcome, when it is a
    /// primary asset.
    primary_baselines: Vec<(Outcome, Baseline)>,
}
