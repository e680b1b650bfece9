//! Loading a long Parquet panel: 50 million rows (20,000 securities × 2,500 days, sorted by
//! security then date, as panel exports usually are) into one validated `PriceSeries` per
//! security, and the same file filtered to 100 securities (the lazy scan's pushdown).
//!
//! ```text
//! cargo bench --bench long_parquet
//! EVENTSTUDY_BENCH_SECURITIES=2000 cargo bench --bench long_parquet   # 5 million rows
//! ```
//!
//! The file is written once under the target directory (`bench-data/`) in batches of 100
//! securities, so writing it costs little memory; the peak resident memory of the whole
//! process (Linux `VmHWM`) is printed at the end.

use std::hint::black_box;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use criterion::{Criterion, criterion_group};
use eventstudy::LongParquet;
use eventstudy::polars::prelude::*;

const DAYS: usize = 2_500;

fn securities() -> usize {
    std::env::var("EVENTSTUDY_BENCH_SECURITIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Weekdays from 2015-01-01, as days since 1970-01-01.
fn trading_days() -> Vec<i32> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    let mut d = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let mut out = Vec::with_capacity(DAYS);
    while out.len() < DAYS {
        if d.weekday().number_from_monday() <= 5 {
            out.push((d - epoch).num_days() as i32);
        }
        d = d.succ_opt().unwrap();
    }
    out
}

fn panel_file(n: usize) -> PathBuf {
    let dir = target_dir().join("bench-data");
    let path = dir.join(format!("long_panel_{n}x{DAYS}.parquet"));
    if path.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let started = std::time::Instant::now();
    let tmp = path.with_extension("partial");
    let file = std::fs::File::create(&tmp).unwrap();
    let days = trading_days();
    let batch = 100;
    let mut writer = None;
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    for first in (0..n).step_by(batch) {
        let count = batch.min(n - first);
        let mut dates = Vec::with_capacity(count * DAYS);
        let mut names = Vec::with_capacity(count * DAYS);
        let mut closes = Vec::with_capacity(count * DAYS);
        for s in first..first + count {
            let name = format!("S{s:05}");
            let mut price = 100.0_f64;
            for &d in &days {
                // xorshift64*: a deterministic walk of daily returns within ±2%.
                state ^= state >> 12;
                state ^= state << 25;
                state ^= state >> 27;
                let u = (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64;
                price *= 1.0 + (u - 0.5) * 0.04;
                dates.push(d);
                names.push(name.clone());
                closes.push(price);
            }
        }
        let mut df = DataFrame::new(
            dates.len(),
            vec![
                Column::new("date".into(), dates).cast(&DataType::Date).unwrap(),
                Column::new("security".into(), names),
                Column::new("close".into(), closes),
            ],
        )
        .unwrap();
        let w = writer.get_or_insert_with(|| {
            ParquetWriter::new(file.try_clone().unwrap())
                .batched(df.schema())
                .unwrap()
        });
        df.rechunk_mut();
        w.write_batch(&df).unwrap();
    }
    writer.unwrap().finish().unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    eprintln!(
        "wrote {} ({} rows, {:.0} MB) in {:.1} s",
        path.display(),
        n * DAYS,
        std::fs::metadata(&path).unwrap().len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    path
}

fn bench(c: &mut Criterion) {
    let n = securities();
    let path = panel_file(n);
    let mut group = c.benchmark_group("long_parquet");
    group.sample_size(10);
    group.bench_function(format!("all_{}m_rows", n * DAYS / 1_000_000), |b| {
        b.iter(|| {
            let series = LongParquet::new(&path)
                .columns("date", "security", "close")
                .series()
                .unwrap();
            assert_eq!(series.len(), n);
            black_box(series)
        })
    });
    let some: Vec<String> = (0..n)
        .step_by((n / 100).max(1))
        .map(|s| format!("S{s:05}"))
        .collect();
    group.bench_function("100_securities", |b| {
        b.iter(|| {
            let series = LongParquet::new(&path)
                .columns("date", "security", "close")
                .securities(some.iter().cloned())
                .series()
                .unwrap();
            assert_eq!(series.len(), some.len());
            black_box(series)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if let Ok(status) = std::fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM"))
    {
        eprintln!(
            "peak resident memory of the bench process: {}",
            line.trim_start_matches("VmHWM:").trim()
        );
    }
}
