//! Property tests and the null-calibration simulation of the placebo test, compiled only
//! under #[cfg(test)] (see `mod property_tests` in mod.rs).

use super::DrawRng;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};

use super::placebo::uniform_below;
use super::testutil::base;
use super::{EventStats, StatsOptions, benjamini_hochberg, holm, placebo_test};

/// A return, sometimes from a tiny set so that ties occur.
fn ret() -> impl Strategy<Value = f64> {
    prop_oneof![4 => -0.5f64..0.5, 1 => Just(0.0), 1 => Just(0.01), 1 => Just(-0.02)]
}

/// JSON keys whose value may be `null` (an `Option` that is `None`). serde_json writes a
/// NaN or infinite f64 as `null`, so a `null` anywhere else means a NaN leaked.
const NULLABLE: [&str; 7] = [
    "glass_delta",
    "hedges_g",
    "t",
    "p_two_sided",
    "critical_t",
    "undefined_reason",
    "spacing_days",
];

fn assert_no_nan(v: &serde_json::Value, key: &str) {
    match v {
        serde_json::Value::Null => assert!(NULLABLE.contains(&key), "null (NaN?) at {key}"),
        serde_json::Value::Array(a) => a.iter().for_each(|x| assert_no_nan(x, key)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| assert_no_nan(x, k)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn p_values_lie_in_the_unit_interval_and_nothing_is_nan(
        baseline in prop::collection::vec(ret(), 6..40),
        events in prop::collection::vec(ret(), 1..6),
        seed in any::<u64>(),
    ) {
        let b = base(&baseline);
        let s = EventStats::compute(&events, &b, &StatsOptions::new().draws(300).seed(seed)).unwrap();
        let in_unit = |p: f64| p > 0.0 && p <= 1.0;
        prop_assert!(in_unit(s.placebo.p_one_sided), "{}", s.placebo.p_one_sided);
        prop_assert!(in_unit(s.placebo.p_two_sided), "{}", s.placebo.p_two_sided);
        prop_assert!(in_unit(s.sign_flip.p) && s.sign_flip.p >= s.sign_flip.floor, "{:?}", s.sign_flip);
        if let Some(p) = s.t_test.p_two_sided {
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
        }
        prop_assert!(s.placebo.mde >= 0.0);
        assert_no_nan(&serde_json::to_value(&s).unwrap(), "");
        let ps = [s.placebo.p_one_sided, s.placebo.p_two_sided, s.sign_flip.p];
        for adj in [holm(&ps), benjamini_hochberg(&ps)] {
            for (a, p) in adj.iter().zip(ps) {
                prop_assert!(in_unit(*a) && *a >= p, "{adj:?} from {ps:?}");
            }
        }
    }

    #[test]
    fn raising_event_returns_never_raises_the_one_sided_p(
        baseline in prop::collection::vec(ret(), 6..40),
        events in prop::collection::vec(ret(), 1..6),
        bumps in prop::collection::vec(0.0f64..0.2, 6),
        seed in any::<u64>(),
    ) {
        let b = base(&baseline);
        let opts = StatsOptions::new().draws(300).seed(seed);
        let raised: Vec<f64> = events.iter().zip(&bumps).map(|(r, d)| r + d).collect();
        let before = placebo_test(&events, &b, &opts).unwrap();
        let after = placebo_test(&raised, &b, &opts).unwrap();
        prop_assert!(after.p_one_sided <= before.p_one_sided, "{} -> {}", before.p_one_sided, after.p_one_sided);
    }
}

/// Kolmogorov–Smirnov distance between the empirical CDF of `p` and U(0, 1).
fn ks_uniform(mut p: Vec<f64>) -> f64 {
    p.sort_by(f64::total_cmp);
    let m = p.len() as f64;
    p.iter()
        .enumerate()
        .map(|(i, &x)| ((i as f64 + 1.0) / m - x).max(x - i as f64 / m))
        .fold(0.0, f64::max)
}

/// A right-skewed baseline of 800 returns: exp(0.06 z) − 1 with z standard normal.
fn skewed_baseline(rng: &mut DrawRng) -> Vec<f64> {
    let mut unit = || ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    (0..800)
        .map(|_| {
            let z = (-2.0 * unit().ln()).sqrt() * (std::f64::consts::TAU * unit()).cos();
            (0.06 * z).exp() - 1.0
        })
        .collect()
}

/// p-values of `studies` placebo tests whose events are n ∈ 3..=6 distinct baseline dates
/// drawn uniformly (or, with `top_half`, from the best half of the returns only).
fn simulate(studies: u64, top_half: bool) -> (Vec<f64>, Vec<f64>) {
    let mut rng = DrawRng::seed_from_u64(2024);
    let values = skewed_baseline(&mut rng);
    let b = base(&values);
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let pool = if top_half { &sorted[400..] } else { &values[..] };
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for study in 0..studies {
        let n = 3 + (study % 4) as usize;
        let mut picked: Vec<u64> = Vec::new();
        while picked.len() < n {
            let i = uniform_below(&mut rng, pool.len() as u64);
            if !picked.contains(&i) {
                picked.push(i);
            }
        }
        let events: Vec<f64> = picked.iter().map(|&i| pool[i as usize]).collect();
        let t = placebo_test(&events, &b, &StatsOptions::new().draws(2_000).seed(study)).unwrap();
        one.push(t.p_one_sided);
        two.push(t.p_two_sided);
    }
    (one, two)
}

#[test]
fn placebo_p_values_are_uniform_when_events_are_random_dates() {
    // 300 studies x 2,000 draws. Under the null (events are random baseline dates) each p is
    // uniform up to its 1/2,001 grid. The KS distance of 300 uniform draws exceeds
    // 1.949/sqrt(300) = 0.1125 with probability 0.001 (asymptotic Kolmogorov quantile; the
    // grid adds at most 0.0005), so a correct test passes and a biased sampler or an
    // off-by-one in the p formula, which shifts the CDF by far more, fails. Seeds are fixed.
    let (one, two) = simulate(300, false);
    let (d1, d2) = (ks_uniform(one), ks_uniform(two));
    assert!(d1 < 0.1125, "one-sided KS distance {d1}");
    assert!(d2 < 0.1125, "two-sided KS distance {d2}");
    // The check has power: events from the best half of the returns are far from uniform.
    let (biased, _) = simulate(100, true);
    let d = ks_uniform(biased);
    assert!(d > 0.3, "KS distance {d} for biased events");
}
