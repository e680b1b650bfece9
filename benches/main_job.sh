#!/usr/bin/env bash
# Whole-process timing of the main job, `russell_crypto` with every default (study, five
# placebo designs, three samples, sensitivity grid, specification curve at 10,000 draws,
# reports and charts), against the pandas/numpy script that does its core without the
# designs, the curve or the grid (benches/main_job_pandas.py), when Python is there.
#
#   bash benches/main_job.sh [RUNS]      # default 10 runs each; prints the median wall time
#
# A benchmark, not a test: nothing fails when it is slow.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
cargo build --release --example russell_crypto --quiet
bin="${CARGO_TARGET_DIR:-target}/release/examples/russell_crypto"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

time_runs() {
    for _ in $(seq "$runs"); do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        t1=$(date +%s.%N)
        echo "$t1 - $t0" | bc -l
    done | median
}

rust=$(time_runs "$bin" --out "$out/rust")
printf 'russell_crypto, every default:   %.3f s (median of %d)\n' "$rust" "$runs"
if python3 -c 'import pandas, numpy, scipy' 2>/dev/null; then
    py=$(time_runs python3 benches/main_job_pandas.py)
    printf 'pandas/numpy, core only:         %.3f s (median of %d)\n' "$py" "$runs"
    printf 'ratio (pandas / Rust):           %.1fx\n' "$(echo "$py / $rust" | bc -l)"
fi
