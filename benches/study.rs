//! Benchmark of the whole Russell 2000 → crypto study on the bundled data: five rules, 28
//! targets, three horizons, five placebo designs, three samples, the default 10,000 placebo
//! draws per result (what `russell_crypto` runs beside its sensitivity grid and specification
//! curve), the curve, and the pieces they are made of. The whole-process time of the example is
//! measured by `benches/main_job.sh`.
//!
//! Run with `cargo bench --bench study`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use eventstudy::datasets::{self, DataSource};
use eventstudy::{
    BreakoutRule, Horizon, RUSSELL_CRYPTO_ASSETS, SpecCurveOptions, forward_returns_all, russell_crypto,
};

fn full_study(c: &mut Criterion) {
    let study = russell_crypto(&DataSource::Bundled, &RUSSELL_CRYPTO_ASSETS).expect("bundled data loads");
    let mut group = c.benchmark_group("study");
    group.sample_size(10);
    group.bench_function("russell_crypto_full", |b| {
        b.iter(|| black_box(study.run().expect("study runs")))
    });
    group.finish();
}

/// The specification curve of the main job: 4 rule kinds × 4 droughts × 5 placebo designs × 3
/// horizons × 7 asset-outcomes = 1,680 specifications at 10,000 draws each.
fn spec_curve(c: &mut Criterion) {
    let study = russell_crypto(&DataSource::Bundled, &["btc", "eth", "alt_basket", "alt_season"])
        .expect("bundled data loads");
    let options = SpecCurveOptions::new().draws(10_000);
    let mut group = c.benchmark_group("study");
    group.sample_size(10);
    group.bench_function("spec_curve_1680_specs_10k_draws", |b| {
        b.iter(|| black_box(study.spec_curve(&options).expect("curve runs")))
    });
    group.finish();
}

fn pieces(c: &mut Criterion) {
    // Parsing itself: `datasets::load` parses once per process and copies after that.
    let rut_csv = datasets::get("rut").expect("bundled");
    c.bench_function("parse_rut_csv", |b| {
        b.iter(|| {
            black_box(
                eventstudy::PriceSeries::from_csv_bytes(
                    rut_csv.csv().as_bytes(),
                    "rut",
                    rut_csv.csv_options(),
                    "bundled:rut.csv",
                )
                .expect("parses"),
            )
        })
    });
    c.bench_function("load_rut_cached", |b| {
        b.iter(|| black_box(datasets::load("rut").expect("loads")))
    });
    let rut = datasets::load("rut").expect("loads");
    c.bench_function("detect_ath_close_250", |b| {
        b.iter(|| black_box(BreakoutRule::ath_close(250).detect(&rut).expect("detects")))
    });
    let btc = datasets::load("btc").expect("loads");
    c.bench_function("forward_returns_all_btc_90d", |b| {
        b.iter(|| black_box(forward_returns_all(&btc, Horizon::CalendarDays(90))))
    });
}

criterion_group!(benches, full_study, spec_curve, pieces);
criterion_main!(benches);
