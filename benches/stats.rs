//! Benchmarks of the statistics: one placebo test with 100,000 draws against a baseline of
//! 4,000 start dates, one at the default 10,000, and `EventStats::compute` for one asset over
//! three horizons.
//!
//! Run with `cargo bench --bench stats`.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use eventstudy::stats::{Baseline, EventStats, StatsOptions, placebo_test};

/// A synthetic daily price path of `days` closes (deterministic random walk, ~1% daily vol).
fn prices(days: usize) -> Vec<f64> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut price = 100.0;
    (0..days)
        .map(|_| {
            // xorshift64*: a uniform in [0, 1), centred and scaled to about 1% a day.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let u = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64;
            price *= 1.0 + 0.0003 + 0.035 * (u - 0.5);
            price
        })
        .collect()
}

/// Forward returns over `horizon` days from every start with a complete window.
fn baseline(prices: &[f64], horizon: usize) -> Baseline {
    let first = NaiveDate::from_ymd_opt(2008, 1, 2).unwrap_or_default();
    let n = prices.len() - horizon;
    let starts = (0..n as u64).map(|i| first + Days::new(i)).collect();
    let returns = (0..n).map(|i| prices[i + horizon] / prices[i] - 1.0).collect();
    Baseline::new(starts, returns).expect("synthetic baseline is valid")
}

fn placebo_100k(c: &mut Criterion) {
    let b = baseline(&prices(4_000 + 20), 20);
    assert_eq!(b.len(), 4_000);
    let events = [0.041, -0.012, 0.067];
    let opts = StatsOptions::new().draws(100_000);
    c.bench_function("placebo_100k", |bench| {
        bench.iter(|| placebo_test(black_box(&events), black_box(&b), &opts).expect("placebo runs"))
    });
    let opts = StatsOptions::new();
    c.bench_function("placebo_default_10k", |bench| {
        bench.iter(|| placebo_test(black_box(&events), black_box(&b), &opts).expect("placebo runs"))
    });
}

fn event_stats_full(c: &mut Criterion) {
    let p = prices(4_100);
    let horizons = [
        (5, [0.012, -0.004, 0.031]),
        (20, [0.041, -0.012, 0.067]),
        (60, [0.09, 0.022, 0.118]),
    ];
    let baselines: Vec<_> = horizons.iter().map(|(h, ev)| (baseline(&p, *h), *ev)).collect();
    let opts = StatsOptions::new();
    c.bench_function("event_stats_full", |bench| {
        bench.iter(|| {
            baselines
                .iter()
                .map(|(b, ev)| {
                    EventStats::compute(black_box(ev), black_box(b), &opts).expect("stats compute")
                })
                .collect::<Vec<_>>()
        })
    });
}

criterion_group!(benches, placebo_100k, event_stats_full);
criterion_main!(benches);
