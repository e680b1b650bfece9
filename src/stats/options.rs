//! Options of the resampling tests (placebo permutation and Monte-Carlo sign-flip).

use serde::Serialize;

/// Default number of placebo draws (and of Monte-Carlo sign patterns above
/// [`EXACT_SIGN_FLIP_MAX_N`](super::EXACT_SIGN_FLIP_MAX_N) events): the usual size of a
/// Monte-Carlo permutation test (scipy's `permutation_test` draws 9,999). A p near 0.05 then
/// has a Monte-Carlo standard error of about 0.002 (√(p(1 − p)/B)), small beside what a
/// handful of events can resolve; designs with no more candidate sets than this are
/// enumerated instead, with no Monte-Carlo error at all.
pub const DEFAULT_DRAWS: u32 = 10_000;

/// Largest accepted number of draws (the placebo keeps one `f64` per draw: 80 MB here).
pub const MAX_DRAWS: u32 = 10_000_000;

/// Default seed of the generators behind every resampling test.
///
/// The placebo draws use PCG-64 MCG (`rand_pcg::Pcg64Mcg`) and the Monte-Carlo sign-flip test
/// `ChaCha8Rng` on stream 1; both are specified independently of platform and word size, and
/// the index sampling is this crate's own (Lemire's method), so a given seed gives the same
/// numbers on every machine.
pub const DEFAULT_SEED: u64 = 20_240_229;

/// Options of the resampling tests, built with chained setters.
///
/// ```
/// use eventstudy::stats::StatsOptions;
/// let opts = StatsOptions::new().draws(20_000).seed(7).placebo_spacing_days(Some(30));
/// let checked = opts.check()?;
/// assert_eq!(checked.draws(), 20_000);
/// # Ok::<(), eventstudy::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatsOptions {
    draws: u32,
    seed: u64,
    placebo_spacing_days: Option<i64>,
}

impl Default for StatsOptions {
    /// [`DEFAULT_DRAWS`] draws, [`DEFAULT_SEED`], no spacing between placebo dates.
    fn default() -> Self {
        StatsOptions {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
            placebo_spacing_days: None,
        }
    }
}

impl StatsOptions {
    /// The defaults: [`DEFAULT_DRAWS`] draws, [`DEFAULT_SEED`], no placebo spacing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of placebo draws B (also the number of random sign patterns of the
    /// Monte-Carlo sign-flip test). Must be in 1..=[`MAX_DRAWS`].
    pub fn draws(mut self, draws: u32) -> Self {
        self.draws = draws;
        self
    }

    /// Seed of the random number generator; the same seed gives the same results.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Minimum spacing, in calendar days, between the start dates of one placebo draw
    /// (`None`: no constraint). Real events are usually at least one horizon apart; with a
    /// spacing the placebo draws are too. Must be at least 1 when given.
    pub fn placebo_spacing_days(mut self, days: Option<i64>) -> Self {
        self.placebo_spacing_days = days;
        self
    }

    /// Validates the options.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when draws is 0 or above [`MAX_DRAWS`], or the
    /// spacing is below 1 day.
    pub fn check(&self) -> crate::Result<CheckedOptions> {
        if !(1..=MAX_DRAWS).contains(&self.draws) {
            return Err(crate::Error::param(
                "draws",
                self.draws,
                format!("must be in 1..={MAX_DRAWS}"),
            ));
        }
        if let Some(d) = self.placebo_spacing_days
            && d < 1
        {
            return Err(crate::Error::param(
                "placebo_spacing_days",
                d,
                "must be at least 1 day",
            ));
        }
        Ok(CheckedOptions {
            draws: self.draws,
            seed: self.seed,
            spacing_days: self.placebo_spacing_days,
        })
    }
}

/// [`StatsOptions`] that passed [`StatsOptions::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CheckedOptions {
    draws: u32,
    seed: u64,
    spacing_days: Option<i64>,
}

impl CheckedOptions {
    /// Number of draws B, at least 1.
    pub fn draws(&self) -> u32 {
        self.draws
    }

    /// Seed of the random number generator.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Minimum calendar-day spacing of placebo start dates, at least 1 when present.
    pub fn spacing_days(&self) -> Option<i64> {
        self.spacing_days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_validation() {
        let c = StatsOptions::default().check().unwrap();
        assert_eq!(
            (c.draws(), c.seed(), c.spacing_days()),
            (10_000, DEFAULT_SEED, None)
        );
        assert_eq!(StatsOptions::new(), StatsOptions::default());
        assert!(StatsOptions::new().draws(0).check().is_err());
        assert!(StatsOptions::new().draws(MAX_DRAWS + 1).check().is_err());
        assert!(StatsOptions::new().placebo_spacing_days(Some(0)).check().is_err());
        let c = StatsOptions::new()
            .draws(5)
            .seed(9)
            .placebo_spacing_days(Some(3))
            .check()
            .unwrap();
        assert_eq!((c.draws(), c.seed(), c.spacing_days()), (5, 9, Some(3)));
    }
}
