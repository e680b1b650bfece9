//! Statistics of an event study, honest about tiny samples.
//!
//! For each (asset, horizon, rule) with n completed event windows and event returns
//! r_1..r_n (simple returns), [`EventStats::compute`] compares the events with a
//! [`Baseline`]: the forward returns of the same asset and horizon from every start date
//! with a complete window. It reports
//!
//! * the baseline [`Summary`] and the excess mean and median return of the events;
//! * effect sizes: [`glass_delta`], [`hedges_g`] (with the exact small-sample factor
//!   [`hedges_j`]), per-event [`percentile_ranks`] and [`prob_superiority`];
//! * a [`placebo_test`]: B random sets of n baseline start dates (seeded `Pcg64Mcg`,
//!   default [`DEFAULT_SEED`]), one- and two-sided p-values, and the minimum detectable
//!   effect with the power at the observed excess;
//! * a parametric companion, [`t_test`], and the exact [`sign_flip`] test;
//! * a [`Caveat`]: what n events can show at best, in one sentence.
//!
//! [`holm`] and [`benjamini_hochberg`] adjust many p-values at once.
//!
//! For the classic (market-model) event study: a [`NormalModel`] of any [`ModelKind`]
//! (constant mean, market-adjusted, [`MarketModel`], [`FactorModel`]) is fitted on an
//! estimation window and gives abnormal returns with their variances, and
//! [`cross_sectional_t`], [`brown_warner_1980`], [`brown_warner_1985`], [`patell`] and
//! [`bmp`] test them across events, and [`sign_test`], [`generalized_sign`] and [`wilcoxon`]
//! without assuming normality (exactly where the sample is small).
//!
//! Nothing here returns NaN: a quantity that is undefined (a t statistic with one event, an
//! effect size against a constant baseline) is `None`, with the reason alongside.
//! Quantiles are numpy's default (linear interpolation, R type 7, [`quantile_type7`]), not
//! statrs' (R type 8).
//!
//! # Example
//! ```
//! use chrono::{Days, NaiveDate};
//! use eventstudy::stats::{Baseline, EventStats, StatsOptions};
//!
//! let first = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
//! let starts: Vec<NaiveDate> = (0..1000).map(|i| first + Days::new(i)).collect();
//! let returns: Vec<f64> = (0..1000).map(|i| ((i * 7919 % 1000) as f64 - 480.0) / 10_000.0).collect();
//! let baseline = Baseline::new(starts, returns)?;
//!
//! let stats = EventStats::compute(&[0.061, 0.048, 0.055], &baseline, &StatsOptions::new().draws(20_000))?;
//! assert_eq!(stats.sign_flip.floor, 0.25);
//! assert!(stats.placebo.p_one_sided < 0.05);
//! println!("{stats}");
//! # Ok::<(), eventstudy::Error>(())
//! ```

mod caveat;
mod draws;
mod effect;
mod event;
mod inference;
mod market_model;
mod matched;
mod multiplicity;
mod normal_model;
mod options;
mod placebo;
mod rank;
mod regression;
mod sign_rank;
mod summary;

pub use caveat::Caveat;
pub use effect::{glass_delta, hedges_g, hedges_j, percentile_ranks, prob_superiority};
pub use event::EventStats;
pub(crate) use inference::sign_flip_unchecked;
pub use inference::{
    EXACT_SIGN_FLIP_MAX_N, SignFlip, TTest, sign_flip, sign_flip_floor, t_mde, t_test, t_test_se,
};
pub(crate) use market_model::z_test;
pub use market_model::{
    MarketModel, ZTest, bmp, brown_warner_1980, brown_warner_1985, cross_sectional_t, lamb, patell,
};
pub(crate) use matched::matched_excess_p;
pub use matched::{Candidates, JointSets, MIN_CANDIDATES, MatchedPlacebo, derive_seed, matched_placebo};
pub use multiplicity::{benjamini_hochberg, holm, westfall_young};
pub(crate) use normal_model::invert_spd;
pub use normal_model::{FactorModel, ModelKind, NormalModel};
pub use options::{CheckedOptions, DEFAULT_DRAWS, DEFAULT_SEED, MAX_DRAWS, StatsOptions};
pub(crate) use placebo::{DrawRng, TIE_RTOL, counted_p, select_quantiles, tail_counts, uniform_below};
pub use placebo::{MAX_SPACING_TRIES_PER_DRAW, PlaceboTest, placebo_test};
pub(crate) use rank::{GrankEvent, grank_prepared};
pub use rank::{KP_EXACT_MAX_EVENTS, KP_SAMPLED_PAIRS, KpAdjustment, RankTests, grank, kolari_pynnonen};
pub use regression::{Coefficient, Regression, ols_robust};
pub use sign_rank::{
    SignTest, WILCOXON_EXACT_MAX_N, Wilcoxon, estimation_positive_share, generalized_sign, sign_test,
    wilcoxon,
};
pub use summary::{
    Baseline, MAX_ABS_RETURN, Summary, newey_west_se, quantile_type7, quantile_type7_sorted, summary,
};

#[cfg(test)]
mod property_tests;

/// Shared fixtures of the unit tests.
#[cfg(test)]
pub(crate) mod testutil {
    use super::Baseline;
    use chrono::NaiveDate;

    /// Baseline used across tests (stats_reference.py `BASE12`).
    pub const BASE12: [f64; 12] = [
        0.012, -0.034, 0.051, 0.007, -0.015, 0.023, 0.044, -0.061, 0.005, 0.018, -0.002, 0.031,
    ];
    /// `BASE12.mean()` printed by stats_reference.py.
    pub const BASE12_MEAN: f64 = 0.0065833333333333325;

    /// 2024-01-01 plus `offset` days.
    pub fn day(offset: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::TimeDelta::days(offset)
    }

    /// A baseline on consecutive days from 2024-01-01.
    pub fn base(values: &[f64]) -> Baseline {
        Baseline::new((0..values.len() as i64).map(day).collect(), values.to_vec()).unwrap()
    }

    /// A baseline on the given day offsets from 2024-01-01.
    pub fn base_days(values: &[f64], days: &[i64]) -> Baseline {
        Baseline::new(days.iter().map(|&d| day(d)).collect(), values.to_vec()).unwrap()
    }

    /// |a − b| ≤ tol.
    pub fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }
}
