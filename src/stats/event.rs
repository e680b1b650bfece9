//! [`EventStats`]: every statistic of one (asset, horizon, rule) in one owned value.

use serde::Serialize;

use super::caveat::{Caveat, sig3};
use super::effect::{glass_unchecked, hedges_unchecked, ranks_unchecked};
use super::inference::{SignFlip, TTest, deviations, sign_flip_unchecked, t_test_unchecked};
use super::options::StatsOptions;
use super::placebo::{PlaceboTest, placebo_checked};
use super::summary::{Baseline, Summary, check_values, mean_of, type7_sorted_unchecked};

/// Every statistic of n event returns against their baseline.
///
/// Built by [`EventStats::compute`]. Owned, cloneable and serialisable; contains no NaN:
/// undefined quantities are `None` and the reason is in [`notes`](EventStats::notes) (or,
/// for the t-test, in [`TTest::undefined_reason`]). `Display` prints a short multi-line
/// report ending with the caveat.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EventStats {
    /// Number of events n.
    pub n: usize,
    /// The event returns r_1..r_n, as given.
    pub event_returns: Vec<f64>,
    /// Mean of the event returns.
    pub event_mean: f64,
    /// Median of the event returns (type 7).
    pub event_median: f64,
    /// Summary of the baseline.
    pub baseline: Summary,
    /// mean(r) − baseline mean.
    pub excess_mean: f64,
    /// median(r) − baseline median.
    pub excess_median: f64,
    /// Glass Δ (see [`glass_delta`](super::glass_delta)); `None` when the baseline sd is 0.
    pub glass_delta: Option<f64>,
    /// Hedges g (see [`hedges_g`](super::hedges_g)); `None` when undefined.
    pub hedges_g: Option<f64>,
    /// Share of baseline returns at or below each event return.
    pub percentile_ranks: Vec<f64>,
    /// Mean of the percentile ranks.
    pub prob_superiority: f64,
    /// Placebo permutation test and MDE.
    pub placebo: PlaceboTest,
    /// One-sample t-test of r_i − baseline mean.
    pub t_test: TTest,
    /// Sign-flip test of r_i − baseline mean.
    pub sign_flip: SignFlip,
    /// What n events can show at best.
    pub caveat: Caveat,
    /// Why an effect size is `None`, one line each.
    pub notes: Vec<String>,
}

impl EventStats {
    /// Computes every statistic of `event_returns` against `baseline`.
    ///
    /// ```text
    /// excess_mean   = mean(r) − mean_b          excess_median = median(r) − median_b
    /// glass_delta   = excess_mean / sd_b        hedges_g      = see hedges_g
    /// x_i = r_i − mean_b   for the t-test and the sign-flip test
    /// ```
    ///
    /// The placebo test and (above [`EXACT_SIGN_FLIP_MAX_N`](super::EXACT_SIGN_FLIP_MAX_N)
    /// events) the sign-flip test use `options.draws` draws from seeded generators (`Pcg64Mcg`
    /// for the placebo, `ChaCha8Rng` on stream 1 for the sign flips).
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when there are no event returns, one is not finite,
    /// there are more events than baseline values, the options are invalid, or the placebo
    /// spacing cannot be met (see [`placebo_test`](super::placebo_test)).
    pub fn compute(
        event_returns: &[f64],
        baseline: &Baseline,
        options: &StatsOptions,
    ) -> crate::Result<EventStats> {
        check_values("event_returns", event_returns)?;
        let options = options.check()?;
        let base = baseline.summary();
        let n = event_returns.len();
        let event_mean = mean_of(event_returns);
        let mut sorted = event_returns.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        let event_median = type7_sorted_unchecked(&sorted, 0.5);

        let mut notes = Vec::new();
        let glass_delta = glass_unchecked(event_mean, baseline);
        if glass_delta.is_none() {
            notes.push("Glass delta undefined: the baseline standard deviation is 0".to_string());
        }
        let hedges_g = hedges_unchecked(event_returns, baseline)
            .map_err(|reason| notes.push(reason))
            .ok();
        let percentile_ranks = ranks_unchecked(event_returns, baseline);
        let prob_superiority = mean_of(&percentile_ranks);

        let placebo = placebo_checked(event_returns, baseline, &options)?;
        let x = deviations(event_returns, base.mean);
        let t_test = t_test_unchecked(&x, baseline.mean_se());
        let sign_flip = sign_flip_unchecked(&x, &options);
        let caveat = Caveat::new(n, t_test.critical_t, placebo.mde);
        Ok(EventStats {
            n,
            event_returns: event_returns.to_vec(),
            event_mean,
            event_median,
            baseline: base,
            excess_mean: event_mean - base.mean,
            excess_median: event_median - base.median,
            glass_delta,
            hedges_g,
            percentile_ranks,
            prob_superiority,
            placebo,
            t_test,
            sign_flip,
            caveat,
            notes,
        })
    }
}

fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map_or_else(|| "undefined".to_string(), |v| format!("{v:.decimals$}"))
}

impl std::fmt::Display for EventStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = &self.baseline;
        writeln!(
            f,
            "{} event{}: mean {:+.4}, median {:+.4}; baseline N = {}: mean {:+.4}, sd {:.4}, median {:+.4}",
            self.n,
            if self.n == 1 { "" } else { "s" },
            self.event_mean,
            self.event_median,
            b.n,
            b.mean,
            b.sd,
            b.median
        )?;
        writeln!(
            f,
            "excess mean {:+.4}, excess median {:+.4}; Glass delta {}, Hedges g {}, P(superiority) {:.3}",
            self.excess_mean,
            self.excess_median,
            opt(self.glass_delta, 2),
            opt(self.hedges_g, 2),
            self.prob_superiority
        )?;
        let p = &self.placebo;
        let spacing = p
            .spacing_days
            .map_or(String::new(), |d| format!(", dates {d}+ days apart"));
        writeln!(
            f,
            "placebo ({} draws, seed {}{spacing}): p one-sided {}, two-sided {}; MDE {:.4}",
            p.draws,
            p.seed,
            sig3(p.p_one_sided),
            sig3(p.p_two_sided),
            p.mde,
        )?;
        let t = &self.t_test;
        match (t.t, t.p_two_sided, &t.undefined_reason) {
            (Some(tv), Some(pv), _) => {
                write!(f, "t-test: t = {tv:.3} (df {}), p = {}", t.df, sig3(pv))?;
                if let Some(c) = t.critical_t {
                    write!(f, ", 5% critical |t| {c:.3}")?;
                }
                writeln!(f)?;
            }
            (_, _, reason) => writeln!(
                f,
                "t-test: undefined ({})",
                reason.as_deref().unwrap_or("no reason given")
            )?,
        }
        let s = &self.sign_flip;
        let how = if s.exact {
            "exact".to_string()
        } else {
            format!("Monte Carlo, {} patterns", s.draws)
        };
        writeln!(f, "sign-flip: p = {} ({how}; floor {})", sig3(s.p), sig3(s.floor))?;
        for note in &self.notes {
            writeln!(f, "note: {note}")?;
        }
        write!(f, "{}", self.caveat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::testutil::{BASE12, BASE12_MEAN, base, close};

    #[test]
    fn end_to_end_against_reference_values() {
        let b = base(&BASE12);
        let s = EventStats::compute(&[0.085, 0.062, 0.097], &b, &StatsOptions::new().draws(20_000)).unwrap();
        // "EV3 vs BASE12" in stats_reference.py: numpy excess mean/median, Glass, Hedges g
        // (scipy.special.gamma J), percentileofscore ranks
        assert!(close(s.excess_mean, 0.07475000000000001, 1e-15));
        assert!(close(s.excess_median, 0.07550000000000001, 1e-15));
        assert!(close(s.glass_delta.unwrap(), 2.3473312170528353, 1e-12));
        assert!(close(s.hedges_g.unwrap(), 2.3358880063967185, 1e-12));
        assert_eq!(
            (s.percentile_ranks.clone(), s.prob_superiority),
            (vec![1.0; 3], 1.0)
        );
        // t with the baseline mean's se (lag 0: sqrt(γ0/N), statsmodels HAC), stats_reference.py
        // "EV3 vs BASE12 lag 0 [t, p]"; critical t from scipy.stats.t.ppf
        assert!(close(s.t_test.t.unwrap(), 5.527051215608057, 1e-11));
        assert!(close(s.t_test.p_two_sided.unwrap(), 0.03121062702347515, 1e-10));
        assert!(close(s.caveat.critical_t.unwrap(), 4.302652729749462, 1e-8));
        // exact enumeration: sign-flip p 0.25 (= floor); no triple of the C(12, 3) = 220
        // reaches the events, so the enumerated placebo p is 1 / 221 (stats_reference.py
        // "EV3 vs BASE12 enumerated")
        assert_eq!(
            (s.sign_flip.p, s.sign_flip.floor, s.caveat.sign_flip_floor),
            (0.25, 0.25, 0.25)
        );
        assert_eq!((s.placebo.p_one_sided, s.placebo.exact), (1.0 / 221.0, true));
        // type-7 quantiles of the 220 triple means: "EV3 vs BASE12 type-7"
        assert!(
            close(s.placebo.q05, -0.021333333333333333, 1e-15),
            "{}",
            s.placebo.q05
        );
        assert!(
            close(s.placebo.q20, -0.007733333333333332, 1e-15),
            "{}",
            s.placebo.q20
        );
        assert!(close(s.placebo.q95, 0.031, 1e-15), "{}", s.placebo.q95);
        assert!(s.placebo.q05 <= s.placebo.q20 && s.placebo.q20 <= s.placebo.q95);
        assert!(close(s.placebo.mde, s.placebo.q95 - s.placebo.q20, 0.0));
        assert!(s.notes.is_empty());
        assert!(
            s.caveat
                .sentence
                .starts_with("3 events: even a perfect record cannot reach p < 0.25")
        );
        let text = s.to_string();
        assert!(
            text.contains("t-test: t = 5.527 (df 2)") && text.ends_with(&s.caveat.sentence),
            "{text}"
        );
    }

    #[test]
    fn one_event_against_two_values_has_no_nan_anywhere() {
        let b = base(&[0.01, 0.03]);
        let s = EventStats::compute(&[0.04], &b, &StatsOptions::new().draws(1_000)).unwrap();
        // Glass: 0.02 / std([0.01, 0.03], ddof=1) = 1.4142135623730951 (stats_reference.py EV1 vs BASE2)
        assert!(close(s.glass_delta.unwrap(), std::f64::consts::SQRT_2, 1e-12)); // numpy: 1.4142135623730951
        assert_eq!(s.hedges_g, None);
        assert_eq!(s.notes.len(), 1);
        assert_eq!((s.t_test.t, s.t_test.critical_t), (None, None));
        assert_eq!(s.sign_flip.p, 1.0);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"), "{json}");
        assert!(json.contains("\"hedges_g\":null"));
        assert!(s.to_string().contains("Hedges g undefined"));
    }

    #[test]
    fn all_equal_returns_and_constant_baseline() {
        let s = EventStats::compute(&[0.02; 3], &base(&BASE12), &StatsOptions::new().draws(500)).unwrap();
        // The events do not vary, but the baseline mean is uncertain: t = mean(x) / se_mu,
        // stats_reference.py "EV_EQ vs BASE12 lag 0 [t, p]"; Hedges g from EV_EQ
        assert!(close(s.t_test.t.unwrap(), 1.5243781353725256, 1e-11));
        assert!(close(s.t_test.p_two_sided.unwrap(), 0.2668995380584412, 1e-10));
        // Known baseline mean (se 0) and no spread: undefined, where scipy gives inf.
        let t = crate::stats::t_test(&[0.02; 3], BASE12_MEAN).unwrap();
        assert!(t.undefined_reason.as_deref().unwrap().contains("zero spread"));
        assert!(close(s.hedges_g.unwrap(), 0.43098749827479843, 1e-12));
        assert_eq!(s.sign_flip.p, 0.25);
        let flat = base(&[0.01; 5]);
        let s = EventStats::compute(&[0.01, 0.02], &flat, &StatsOptions::new().draws(500)).unwrap();
        assert_eq!(s.glass_delta, None);
        assert!(s.hedges_g.is_some());
        assert_eq!((s.placebo.mde, s.placebo.q95), (0.0, 0.01));
        assert!(s.to_string().contains("Glass delta undefined"));
    }

    #[test]
    fn invalid_input_is_an_error() {
        let b = base(&BASE12);
        let o = StatsOptions::new().draws(10);
        assert!(EventStats::compute(&[], &b, &o).is_err());
        assert!(EventStats::compute(&[0.1, f64::NAN], &b, &o).is_err());
        assert!(EventStats::compute(&[0.1], &b, &o.draws(0)).is_err());
        assert!(EventStats::compute(&[0.0; 13], &b, &o).is_err());
    }
}
