//! The owned result types of a study: what every output format is made from.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::chart::{BandPoint, PathLine};
use crate::events::{BreakoutRule, Event};
use crate::stats::{Caveat, EventStats, Summary};
use crate::study::{Null, Primary};
use crate::window::{ForwardReturn, Horizon, WindowStatus};

/// Serialises a horizon as its words (`90d`, `21td`), for every report type.
pub(crate) fn horizon_str<S: Serializer>(h: &Horizon, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&h.to_string())
}

/// Which events a result uses, relative to when the claim was formed
/// ([`crate::Study::claim_formed`]): events on or before that date built the claim and cannot
/// test it; only later events are evidence for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sample {
    /// Every event.
    All,
    /// Events on or before the claim was formed.
    InSample,
    /// Events after the claim was formed: the only out-of-sample evidence.
    OutOfSample,
}

impl Sample {
    /// `all`, `in_sample` or `out_of_sample`.
    pub fn key(self) -> &'static str {
        match self {
            Sample::All => "all",
            Sample::InSample => "in_sample",
            Sample::OutOfSample => "out_of_sample",
        }
    }
}

impl std::fmt::Display for Sample {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Sample::All => "all events",
            Sample::InSample => "in-sample (events that built the claim)",
            Sample::OutOfSample => "out-of-sample (events after the claim)",
        })
    }
}

/// What a result measures of each window: the simple return (the default, and what every
/// exploratory result uses) or the log return, `ln(1 + r)`, which one coin or one year cannot
/// dominate the way it dominates a simple mean (a +2,370% window counts 3.2, not 23.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// exit / entry − 1.
    Simple,
    /// ln(exit / entry).
    Log,
}

impl Outcome {
    /// `simple` or `log`.
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Simple => "simple",
            Outcome::Log => "log",
        }
    }
}

/// One detected event, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    /// Event date.
    pub date: NaiveDate,
    /// The rule, in words.
    pub rule: String,
    /// The rule's position in the report's `rules`: the key results are grouped by (two
    /// rules may read the same).
    pub rule_id: usize,
    /// The value that made the event.
    pub level: f64,
    /// The record or level it broke.
    pub previous_record: Option<f64>,
    /// When that record was set.
    pub previous_record_date: Option<NaiveDate>,
    /// Rows between that record and the event.
    pub days_since_record: Option<usize>,
}

impl From<&Event> for EventRecord {
    fn from(e: &Event) -> Self {
        EventRecord {
            date: e.date,
            rule: e.rule.clone(),
            rule_id: 0,
            level: e.level,
            previous_record: e.previous_record,
            previous_record_date: e.previous_record_date,
            days_since_record: e.days_since_record,
        }
    }
}

/// One (asset, rule, horizon) with at least one complete window, and its statistics.
///
/// The flat fields are the ones the JSON report documents (README, "JSON schema"); `detail`
/// holds everything [`EventStats`] computed and is not serialised (it would repeat them).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyResult {
    /// Target name (`btc`, `eth_btc`, `alt_basket`, ...).
    pub asset: String,
    /// The rule, in words.
    pub rule: String,
    /// The rule's position in the report's `rules`: the key results are grouped by (two
    /// rules may read the same).
    pub rule_id: usize,
    /// The horizon (`30d`, `21td`).
    #[serde(serialize_with = "horizon_str")]
    pub horizon: Horizon,
    /// The horizon's n.
    pub horizon_days: u32,
    /// Which events: all, or those before or after the claim was formed.
    pub sample: Sample,
    /// Simple or log returns (log only for the primary family's co-primary outcomes).
    pub outcome: Outcome,
    /// Whether the result is in the study's declared primary family ([`crate::Primary`]);
    /// every other result is exploratory.
    pub primary: bool,
    /// Completed event windows.
    pub n_events: usize,
    /// Event dates of the completed windows.
    pub event_dates: Vec<NaiveDate>,
    /// Entry dates (first close on or after each event).
    pub entry_dates: Vec<NaiveDate>,
    /// Simple returns from entry to exit.
    pub event_returns: Vec<f64>,
    /// For a basket: the coins held per event.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub holdings: Vec<Vec<String>>,
    /// Baseline summary (n, mean, sd, median, p05, p95).
    pub baseline: Summary,
    /// Mean event return − baseline mean.
    pub excess: f64,
    /// Median event return − baseline median.
    pub excess_median: f64,
    /// Glass Δ (null when undefined).
    pub glass_delta: Option<f64>,
    /// Hedges g (null when undefined).
    pub hedges_g: Option<f64>,
    /// Share of baseline returns at or below each event return.
    pub percentile_ranks: Vec<f64>,
    /// Mean percentile rank.
    pub prob_superiority: f64,
    /// One-sided placebo p.
    pub p_placebo: f64,
    /// Two-sided placebo p.
    pub p_placebo_two_sided: f64,
    /// Placebo 5–95% interval of (placebo mean − baseline mean): the range of excess returns
    /// random dates give.
    pub placebo_interval: [f64; 2],
    /// Exact (or Monte Carlo above 20 events) sign-flip p, two-sided.
    pub p_sign_flip: f64,
    /// t statistic (null when undefined).
    pub t_stat: Option<f64>,
    /// Two-sided t-test p (null when undefined).
    pub p_t: Option<f64>,
    /// Holm-adjusted placebo p across the whole report.
    pub p_holm: f64,
    /// Benjamini–Hochberg-adjusted placebo p across the whole report.
    pub p_bh: f64,
    /// Westfall–Young step-down adjusted p within the primary family (same sample), from a
    /// joint placebo; null outside the family.
    pub p_wy: Option<f64>,
    /// Minimum detectable effect at 80% power, one-sided 5%, in return units.
    pub mde: f64,
    /// What n events can show at best.
    pub caveat: Caveat,
    /// The same events against each placebo design of the study ([`crate::Study::nulls`]).
    pub nulls: Vec<NullResult>,
    /// Everything the statistics stage computed.
    #[serde(skip)]
    pub detail: EventStats,
}

/// One result against one placebo design ([`crate::Null`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NullResult {
    /// The null's stable key (`halving_phase_60`).
    pub key: String,
    /// The null in words.
    pub null: String,
    /// Candidate start dates per event.
    pub candidates: Vec<usize>,
    /// The matched baseline mean: mean over events of each event's candidate mean (null when
    /// the design could not be applied).
    pub baseline_mean: Option<f64>,
    /// Mean event return − matched baseline mean.
    pub excess: Option<f64>,
    /// The matched baseline median (mean over events of each event's candidate median).
    pub baseline_median: Option<f64>,
    /// One-sided placebo p in the claim's direction (events above their matched dates).
    pub p: Option<f64>,
    /// Two-sided placebo p.
    pub p_two_sided: Option<f64>,
    /// Whether p is exact: every candidate tuple was used once, as there were no more of them
    /// than draws (one event, the shifted set); otherwise it is a Monte-Carlo p.
    pub exact: bool,
    /// Minimum detectable excess at 80% power under this null, in return units.
    pub mde: Option<f64>,
    /// Share of the drawn start dates in each calendar year.
    pub calendar_weights: BTreeMap<i32, f64>,
    /// Too few candidates, or why the design could not be applied.
    pub warning: Option<String>,
}

impl StudyResult {
    pub(crate) fn new(
        asset: &str,
        rule: &BreakoutRule,
        h: Horizon,
        done: &[&ForwardReturn],
        stats: EventStats,
        nulls: Vec<NullResult>,
    ) -> Self {
        let p = &stats.placebo;
        StudyResult {
            asset: asset.to_string(),
            rule: rule.to_string(),
            rule_id: 0,
            horizon: h,
            horizon_days: h.days(),
            sample: Sample::All,
            outcome: Outcome::Simple,
            primary: false,
            n_events: stats.n,
            event_dates: done.iter().map(|w| w.event_date).collect(),
            entry_dates: done.iter().filter_map(|w| w.entry_date).collect(),
            event_returns: stats.event_returns.clone(),
            holdings: if done.iter().any(|w| !w.holdings.is_empty()) {
                done.iter().map(|w| w.holdings.clone()).collect()
            } else {
                Vec::new()
            },
            baseline: stats.baseline,
            excess: stats.excess_mean,
            excess_median: stats.excess_median,
            glass_delta: stats.glass_delta,
            hedges_g: stats.hedges_g,
            percentile_ranks: stats.percentile_ranks.clone(),
            prob_superiority: stats.prob_superiority,
            p_placebo: p.p_one_sided,
            p_placebo_two_sided: p.p_two_sided,
            placebo_interval: [p.q05 - p.baseline_mean, p.q95 - p.baseline_mean],
            p_sign_flip: stats.sign_flip.p,
            t_stat: stats.t_test.t,
            p_t: stats.t_test.p_two_sided,
            p_holm: p.p_one_sided,
            p_bh: p.p_one_sided,
            p_wy: None,
            mde: p.mde,
            caveat: stats.caveat.clone(),
            nulls,
            detail: stats,
        }
    }
}

/// Why a window was left out of the statistics, as a typed key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExclusionKind {
    /// The asset's data starts after the event ([`WindowStatus::NotListed`]).
    NotListed,
    /// The data ends before the exit ([`WindowStatus::Censored`]).
    Censored,
    /// No close near the event ([`WindowStatus::NoEntry`]).
    NoEntry,
    /// Complete, but there is nothing to compare it with (e.g. no baseline).
    NoStatistics,
}

impl ExclusionKind {
    fn of(status: &WindowStatus) -> Self {
        match status {
            WindowStatus::NotListed { .. } => ExclusionKind::NotListed,
            WindowStatus::Censored { .. } => ExclusionKind::Censored,
            // Complete windows are excluded only through `with_reason`.
            WindowStatus::NoEntry { .. } | WindowStatus::Complete => ExclusionKind::NoEntry,
        }
    }
}

/// A window left out of the statistics, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exclusion {
    /// Target name.
    pub asset: String,
    /// The rule, in words.
    pub rule: String,
    /// The rule's position in the report's `rules`: the key results are grouped by (two
    /// rules may read the same).
    pub rule_id: usize,
    /// The event date.
    pub event_date: NaiveDate,
    /// The horizon's n.
    pub horizon_days: u32,
    /// Why, as a key.
    pub kind: ExclusionKind,
    /// Why the window is incomplete, in words.
    pub reason: String,
}

impl Exclusion {
    /// An incomplete window, excluded for its status.
    pub(crate) fn new(rule: &BreakoutRule, w: &ForwardReturn) -> Self {
        Exclusion {
            kind: ExclusionKind::of(&w.status),
            ..Self::with_reason(rule, w, w.status.to_string())
        }
    }

    /// A complete window excluded for another reason (e.g. no baseline to compare it with).
    pub(crate) fn with_reason(rule: &BreakoutRule, w: &ForwardReturn, reason: String) -> Self {
        Exclusion {
            asset: w.asset.clone(),
            rule: rule.to_string(),
            rule_id: 0,
            event_date: w.event_date,
            horizon_days: w.horizon.days(),
            kind: ExclusionKind::NoStatistics,
            reason,
        }
    }
}

/// How many of a rule's events came before an asset's data starts: the summary of its
/// [`ExclusionKind::NotListed`] windows, which on a long event history (the Russell 2000 from
/// 1987) would otherwise be a long list of identical lines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotListedSummary {
    /// The rule, in words.
    pub rule: String,
    /// The rule's position in the report's `rules`: the key results are grouped by (two
    /// rules may read the same).
    pub rule_id: usize,
    /// Target name.
    pub asset: String,
    /// Events of the rule before the asset's data starts (at any horizon).
    pub events_before_listing: usize,
    /// Events of the rule in all.
    pub events: usize,
    /// The first and last of those events.
    pub first_event: NaiveDate,
    /// The last of those events.
    pub last_event: NaiveDate,
}

/// One event window of a study, with the rule whose event it follows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleWindow {
    /// The rule, in words.
    pub rule: String,
    /// The rule's position in the report's `rules`: the key results are grouped by (two
    /// rules may read the same).
    pub rule_id: usize,
    /// The window: entry, exit, returns, path, status.
    #[serde(flatten)]
    pub window: ForwardReturn,
}

/// Event-aligned paths of one asset under one rule, with the baseline band, for charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPaths {
    /// Target name.
    pub asset: String,
    /// The rule, in words.
    pub rule: String,
    /// The rule's position in the report's `rules`: the key results are grouped by (two
    /// rules may read the same).
    pub rule_id: usize,
    /// The horizon the paths run to.
    #[serde(serialize_with = "horizon_str")]
    pub horizon: Horizon,
    /// One line per event.
    pub lines: Vec<PathLine>,
    /// Baseline quantiles by day.
    pub band: Vec<BandPoint>,
}

/// One cell of a sensitivity grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// `close` or `intraday`.
    pub basis: String,
    /// The drought in rows.
    pub drought: usize,
    /// The rule, in words.
    pub rule: String,
    /// Target name.
    pub asset: String,
    /// The horizon.
    #[serde(serialize_with = "horizon_str")]
    pub horizon: Horizon,
    /// The rule's event dates.
    pub event_dates: Vec<NaiveDate>,
    /// Completed windows.
    pub n_events: usize,
    /// Excess mean return (null without completed windows).
    pub excess: Option<f64>,
    /// One-sided placebo p (null without completed windows).
    pub p_placebo: Option<f64>,
}

/// Excess return and placebo p as the drought and the close/intraday basis vary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityGrid {
    /// One row per basis × drought × asset × horizon.
    pub rows: Vec<SensitivityRow>,
    /// Placebo draws per cell.
    pub draws: u32,
    /// Seed.
    pub seed: u64,
}

/// One realised outcome of a claim, beside its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardRow {
    /// The rule, in words.
    pub rule: String,
    /// The event date.
    pub event_date: NaiveDate,
    /// Target name.
    pub asset: String,
    /// The horizon's n.
    pub horizon_days: u32,
    /// Realised return.
    pub realised: f64,
    /// Baseline median, 5th and 95th percentile.
    pub baseline_median: f64,
    /// Baseline 5th percentile.
    pub baseline_p05: f64,
    /// Baseline 95th percentile.
    pub baseline_p95: f64,
    /// The matched baseline median under each placebo design but random days (key → median):
    /// what the same outcome gave on comparable days.
    pub matched_medians: BTreeMap<String, f64>,
    /// Share of baseline returns at or below the realised one.
    pub percentile_rank: f64,
    /// Did it rally: beat the baseline median and every matched median? (Merely rising is not
    /// a rally: more than half of all BTC 90-day windows rise.)
    pub rallied: bool,
    /// In words.
    pub verdict: String,
}

/// A claim held against what happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    /// The claim, quoted.
    pub claim: String,
    /// One row per event × asset × horizon.
    pub rows: Vec<ScorecardRow>,
    /// Assets the claim names that have no complete window, with the reason.
    pub missing: Vec<String>,
    /// The verdict in one paragraph.
    pub summary: String,
}

/// Everything a study produced: rules, events, one result per (asset, rule, horizon), the
/// windows left out and why, and the settings needed to reproduce it.
///
/// Every output format is made from this one owned value: `Display` (terminal tables),
/// [`StudyReport::to_markdown`], [`StudyReport::to_json`], [`StudyReport::to_dataframe`],
/// [`StudyReport::to_html`], [`StudyReport::evcxr_display`] and
/// [`StudyReport::write_files`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyReport {
    /// Symbol of the series events were detected on.
    pub events_on: String,
    /// The rules, in words.
    pub rules: Vec<String>,
    /// Every detected event.
    pub events: Vec<EventRecord>,
    /// One row per (asset, rule, horizon) with at least one complete window.
    pub results: Vec<StudyResult>,
    /// Windows left out of the statistics, with reasons.
    pub excluded: Vec<Exclusion>,
    /// Seed of the placebo and Monte Carlo draws.
    pub seed: u64,
    /// Placebo draws per result.
    pub draws: u32,
    /// Last date of the event series.
    pub data_through: NaiveDate,
    /// Last date of each target's data.
    pub asset_data_through: BTreeMap<String, NaiveDate>,
    /// Whether baseline starts within one horizon of an event were left out.
    pub baseline_excludes_event_windows: bool,
    /// Whether placebo dates were drawn at least one horizon apart.
    pub placebo_dates_spaced: bool,
    /// The placebo designs every result was also tested against (see `results[].nulls`).
    pub nulls: Vec<Null>,
    /// The halving dates the halving-phase designs measure from.
    pub halvings: Vec<NaiveDate>,
    /// The declared primary family, if any.
    pub primary: Option<Primary>,
    /// The date the claim was formed: events on or before it are in-sample.
    pub claim_formed: Option<NaiveDate>,
    /// Every event window, complete or not (not serialised: the paths make it large; see
    /// [`StudyReport::windows_dataframe`]).
    #[serde(skip)]
    pub windows: Vec<RuleWindow>,
    /// Event-aligned paths and baseline bands, for charts (not serialised).
    #[serde(skip)]
    pub paths: Vec<EventPaths>,
    /// The sensitivity grid, when one was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<SensitivityGrid>,
    /// The scorecard of a claim, when one was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scorecard: Option<Scorecard>,
    /// The specification curve, when one was run ([`crate::Study::spec_curve`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_curve: Option<super::SpecCurve>,
}
