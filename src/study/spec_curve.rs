//! The specification curve: the primary question asked every reasonable way at once.
//!
//! A result that holds only for one choice of rule, drought, comparison, horizon and outcome is
//! a result about that choice. The curve runs every combination for the primary assets and
//! reports how many come out below p = 0.05 and the median p: the robustness of the answer,
//! not a new test (the specifications share their events and are far from independent).

use rayon::prelude::*;
use serde::Serialize;

use super::Study;
use super::null::{Null, NullContext, StartStates};
use crate::error::{Error, Result};
use crate::events::{BreakoutRule, RelativeBasis};
use crate::report::{Outcome, SpecCurve, SpecRow};
use crate::stats::{Baseline, StatsOptions, derive_seed, matched_excess_p};
use crate::window::{BasketMeasure, ForwardReturn, Horizon, Target, event_windows};

/// The kinds of rule a specification may use; each takes the drought as its one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// [`BreakoutRule::AthCloseAfterDrought`].
    AthClose,
    /// [`BreakoutRule::AthHighAfterDrought`].
    AthHigh,
    /// [`BreakoutRule::LevelCross`] at the options' level, `min_days_below` = the drought.
    LevelCross,
    /// [`BreakoutRule::RelativeHigh`] to the options' denominator: above its prior rolling
    /// high over the drought, events a drought apart.
    RelativeHigh,
}

impl RuleKind {
    /// `ath_close`, `ath_high`, `level_cross` or `relative_high`.
    pub fn key(self) -> &'static str {
        match self {
            RuleKind::AthClose => "ath_close",
            RuleKind::AthHigh => "ath_high",
            RuleKind::LevelCross => "level_cross",
            RuleKind::RelativeHigh => "relative_high",
        }
    }
}

/// The choices a specification curve crosses, and its placebo draws.
///
/// ```
/// let o = eventstudy::SpecCurveOptions::new().draws(2_000);
/// assert_eq!(o.droughts, [60, 120, 250, 500]);
/// assert_eq!(o.horizons.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SpecCurveOptions {
    /// Rule kinds.
    pub rules: Vec<RuleKind>,
    /// Droughts in rows (the rule's parameter).
    pub droughts: Vec<usize>,
    /// Placebo designs.
    pub nulls: Vec<Null>,
    /// Horizons.
    pub horizons: Vec<Horizon>,
    /// Assets (target names); a share-of-coins target counts as the "alt season" outcome.
    pub assets: Vec<String>,
    /// Outcomes for returns (a share has its own values only).
    pub outcomes: Vec<Outcome>,
    /// The level of [`RuleKind::LevelCross`].
    pub level: f64,
    /// The denominator symbol of [`RuleKind::RelativeHigh`].
    pub denominator: String,
    /// Placebo draws per specification.
    pub draws: u32,
}

impl Default for SpecCurveOptions {
    fn default() -> Self {
        SpecCurveOptions {
            rules: vec![
                RuleKind::AthClose,
                RuleKind::AthHigh,
                RuleKind::LevelCross,
                RuleKind::RelativeHigh,
            ],
            droughts: vec![60, 120, 250, 500],
            nulls: super::russell_crypto_nulls(),
            horizons: Horizon::DEFAULTS.to_vec(),
            assets: ["btc", "eth", "alt_basket", "alt_season"]
                .map(String::from)
                .to_vec(),
            outcomes: vec![Outcome::Simple, Outcome::Log],
            level: 2600.0,
            denominator: "gspc".into(),
            draws: 10_000,
        }
    }
}

impl SpecCurveOptions {
    /// The Russell 2000 study's curve: ATH close, ATH high, first close above 2,600, RUT/S&P
    /// 500 high; droughts 60–500; the five designs of [`super::russell_crypto_nulls`]; 30/60/90
    /// days; BTC, ETH, the basket (simple and log) and the altcoin-season share; 10,000 draws.
    pub fn new() -> Self {
        Self::default()
    }

    /// Placebo draws per specification.
    pub fn draws(mut self, draws: u32) -> Self {
        self.draws = draws;
        self
    }

    fn rule(&self, kind: RuleKind, drought: usize) -> BreakoutRule {
        match kind {
            RuleKind::AthClose => BreakoutRule::ath_close(drought),
            RuleKind::AthHigh => BreakoutRule::ath_high(drought),
            RuleKind::LevelCross => BreakoutRule::LevelCross {
                level: self.level,
                min_days_below: drought,
            },
            RuleKind::RelativeHigh => BreakoutRule::RelativeHigh {
                other: self.denominator.clone(),
                basis: RelativeBasis::RollingHigh {
                    lookback: drought,
                    min_gap: drought,
                },
            },
        }
    }
}

/// One (target, horizon) cell's baselines, one per outcome over the same start dates, shared
/// by every rule and null.
struct Cell<'a> {
    target: &'a Target,
    horizon: Horizon,
    outcomes: Vec<(Outcome, Baseline)>,
    /// The baseline starts' states under each design, shared by every rule.
    states: StartStates,
}

impl Study {
    /// Every combination of `options` for the named assets: events, windows and baselines are
    /// built once and shared; the placebo tests run in parallel, each on its own stream,
    /// except that the outcomes of one target (simple and log returns) share their draws: the
    /// same placebo start dates for both, from the first outcome's stream. A specification
    /// with no complete window, or whose design cannot be applied, is a row with `p` null and
    /// the reason.
    pub fn spec_curve(&self, options: &SpecCurveOptions) -> Result<SpecCurve> {
        let stats = self.stats.draws(options.draws).check()?;
        let targets: Vec<&Target> = options
            .assets
            .iter()
            .filter_map(|a| self.targets.iter().find(|t| t.name() == a))
            .collect();
        if targets.is_empty() {
            return Err(Error::param(
                "spec_curve.assets",
                options.assets.join(","),
                "none of these is a target of the study",
            ));
        }
        // Baselines: per target, horizon and outcome (a share has simple values only).
        let pairs: Vec<(&Target, Horizon)> = targets
            .iter()
            .flat_map(|&t| options.horizons.iter().map(move |&h| (t, h)))
            .collect();
        // The baselines of every (target, horizon), built in parallel.
        let simples: Vec<Option<Baseline>> = pairs
            .par_iter()
            .map(|&(t, h)| self.baseline(t, h))
            .collect::<Result<_>>()?;
        let mut cells = Vec::new();
        for (&(t, h), simple) in pairs.iter().zip(simples) {
            let share =
                matches!(t, Target::Basket(b) if matches!(b.measure(), BasketMeasure::ShareBeating { .. }));
            let Some(simple) = simple else { continue };
            let mut outcomes = Vec::new();
            for &o in options
                .outcomes
                .iter()
                .filter(|o| !share || **o == Outcome::Simple)
            {
                let baseline = match o {
                    Outcome::Simple => simple.clone(),
                    Outcome::Log => super::log_baseline(&simple)?,
                };
                outcomes.push((o, baseline));
            }
            if !outcomes.is_empty() {
                cells.push(Cell {
                    target: t,
                    horizon: h,
                    outcomes,
                    states: StartStates::default(),
                });
            }
        }
        // Events per rule, detected once.
        let mut rules = Vec::new();
        for &kind in &options.rules {
            for &drought in &options.droughts {
                let rule = options.rule(kind, drought);
                rules.push((kind, drought, self.detect(&rule)?));
            }
        }
        let seed = stats.seed();
        let jobs: Vec<(usize, usize)> = (0..rules.len())
            .flat_map(|r| (0..cells.len()).map(move |c| (r, c)))
            .collect();
        let rows: Vec<Vec<SpecRow>> = jobs
            .par_iter()
            .map(|&(r, c)| {
                let (kind, drought, events) = &rules[r];
                let cell = &cells[c];
                let window_opts = self.window.clone().horizons([cell.horizon]);
                let windows = event_windows(cell.target, events, &window_opts)?;
                let done: Vec<&ForwardReturn> = windows.iter().filter(|w| w.status.is_complete()).collect();
                let values: Vec<Vec<f64>> = cell
                    .outcomes
                    .iter()
                    .map(|&(o, _)| super::outcome_values(&done, o))
                    .collect();
                let entries: Vec<chrono::NaiveDate> = done.iter().filter_map(|w| w.entry_date).collect();
                let baseline_starts = cell.outcomes[0].1.starts();
                let ctx = NullContext {
                    baseline_starts,
                    event_starts: &entries,
                    halvings: &self.halvings,
                    regime_series: match cell.target {
                        Target::Asset(s) => Some(s),
                        Target::Basket(_) => self.regime_series.as_ref(),
                    },
                    event_series: &self.events_on,
                };
                let value_refs: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
                let baselines: Vec<&Baseline> = cell.outcomes.iter().map(|(_, b)| b).collect();
                // Per design, every outcome's (excess, p) from one set of draws: the outcomes
                // of a specification share their placebo start dates. The stream is the first
                // outcome's (simple returns), so its p does not depend on the others.
                let tested: Vec<std::result::Result<Vec<(f64, f64)>, String>> = options
                    .nulls
                    .iter()
                    .map(|null| {
                        if done.is_empty() {
                            return Err("no complete window".to_string());
                        }
                        let spec_seed = derive_seed(
                            seed,
                            &[
                                "spec_curve",
                                kind.key(),
                                &drought.to_string(),
                                &null.key(),
                                &cell.horizon.to_string(),
                                cell.target.name(),
                                cell.outcomes[0].0.key(),
                            ],
                        );
                        null.candidates_with(&ctx, &cell.states)
                            .map_err(|e| e.to_string())
                            .and_then(|(c, spacing)| {
                                let o = StatsOptions::new()
                                    .draws(options.draws)
                                    .seed(spec_seed)
                                    .placebo_spacing_days(spacing);
                                matched_excess_p(&value_refs, &baselines, &c, &o).map_err(|e| e.to_string())
                            })
                    })
                    .collect();
                // Rows in (outcome, design) order.
                let mut rows = Vec::with_capacity(cell.outcomes.len() * options.nulls.len());
                for (k, ((outcome, _), values)) in cell.outcomes.iter().zip(&values).enumerate() {
                    for (null, tested) in options.nulls.iter().zip(&tested) {
                        let mut row = SpecRow {
                            rule: kind.key().to_string(),
                            drought: *drought,
                            null: null.key(),
                            horizon: cell.horizon,
                            asset: cell.target.name().to_string(),
                            outcome: *outcome,
                            n_events: values.len(),
                            excess: None,
                            p: None,
                            note: None,
                        };
                        match tested {
                            Ok(per_outcome) => {
                                let (excess, p) = per_outcome[k];
                                row.excess = Some(excess);
                                row.p = Some(p);
                            }
                            Err(e) => row.note = Some(e.clone()),
                        }
                        rows.push(row);
                    }
                }
                Ok(rows)
            })
            .collect::<Result<_>>()?;
        Ok(SpecCurve::new(
            rows.into_iter().flatten().collect(),
            options.draws,
            seed,
        ))
    }
}
