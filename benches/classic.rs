//! Benchmark of the classic event study at scale: a synthetic panel of 5,000 securities ×
//! 2,520 trading days (1% of the returns missing), 100,000 events, the market model,
//! estimation τ = −250..−31, event window −5..+5, three CAR windows (−1..+1, −5..+5, 0..+5),
//! every test of the battery, and 1,000 pseudo-event placebo draws per CAR window. The same
//! study on 1,000 events is the size `benches/classic_numpy.py` (a numpy loop) is timed at.
//!
//! Run with `cargo bench --bench classic`; peak memory with
//! `/usr/bin/time -v cargo bench --bench classic -- classic_100k` (maximum resident set size).

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use eventstudy::stats::StatsOptions;
use eventstudy::{ClassicStudy, EventTimeWindows, PanelEvent, ReturnsPanel};

const SECURITIES: usize = 5_000;
const DAYS: usize = 2_520;

/// A deterministic generator (SplitMix64) and a standard normal by Box–Muller.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform().max(1e-300), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// r_it = α_i + β_i m_t + e_it, m ~ N(0.0004, 0.01), α ~ N(0, 0.0002), β ~ U(0.5, 1.5),
/// e ~ N(0, 0.02), 1% missing; and `events` random (security, day) pairs whose windows fit.
fn synthetic(events: usize) -> (ReturnsPanel, Vec<PanelEvent>) {
    let mut g = Gen(7);
    let market: Vec<f64> = (0..DAYS).map(|_| 0.0004 + 0.01 * g.normal()).collect();
    let start = NaiveDate::from_ymd_opt(2010, 1, 4).expect("a date");
    let dates: Vec<NaiveDate> = (0..DAYS).map(|i| start + Days::new(i as u64)).collect();
    let mut names = Vec::with_capacity(SECURITIES + 1);
    let mut columns = Vec::with_capacity(SECURITIES + 1);
    for s in 0..SECURITIES {
        let (alpha, beta) = (0.0002 * g.normal(), 0.5 + g.uniform());
        let column = market
            .iter()
            .map(|m| {
                let r = alpha + beta * m + 0.02 * g.normal();
                if g.uniform() < 0.01 { f64::NAN } else { r }
            })
            .collect();
        names.push(format!("s{s}"));
        columns.push(column);
    }
    names.push("market".into());
    columns.push(market);
    let list = (0..events)
        .map(|_| PanelEvent {
            security: format!("s{}", g.next() as usize % SECURITIES),
            date: dates[260 + g.next() as usize % (DAYS - 260 - 25)],
            label: None,
        })
        .collect();
    let panel = ReturnsPanel::from_columns("synthetic", dates, names, columns).expect("a valid panel");
    (panel, list)
}

fn study(events: usize) -> ClassicStudy {
    let (panel, list) = synthetic(events);
    ClassicStudy::new(panel, "market")
        .events(list)
        .windows(EventTimeWindows::new(-250..=-31, -5..=5).cars([-1..=1, -5..=5, 0..=5]))
        .stats(StatsOptions::new().draws(1_000))
}

fn classic(c: &mut Criterion) {
    let mut group = c.benchmark_group("classic");
    group.sample_size(10);
    let small = study(1_000);
    group.bench_function("classic_1k_events", |b| {
        b.iter(|| black_box(small.run().expect("runs")))
    });
    let large = study(100_000);
    group.bench_function("classic_100k_events_5000x2520", |b| {
        b.iter(|| black_box(large.run().expect("runs")))
    });
    group.finish();
}

criterion_group!(benches, classic);
criterion_main!(benches);
