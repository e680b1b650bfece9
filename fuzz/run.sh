#!/usr/bin/env bash
# Fuzzes the CSV loader and layout detection for SECONDS (default 600) with cargo-fuzz on the
# stable toolchain (RUSTC_BOOTSTRAP=1 lets it pass the nightly-only flags; no sanitizer).
# The seed corpus is the loader fixtures; crashes land in fuzz/artifacts/load_csv/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p corpus/load_csv
cp ../tests/fixtures/loaders/*.csv ../tests/fixtures/*.csv ../data/btc.csv corpus/load_csv/
export RUSTC_BOOTSTRAP=1
# Its own target directory: the instrumented build would otherwise evict the crate's.
target="${FUZZ_TARGET_DIR:-$HOME/.cache/eventstudy-fuzz-target}"
cargo fuzz build load_csv --sanitizer none -O -a --target-dir "$target"
cargo fuzz run load_csv --sanitizer none -O -a --target-dir "$target" -- \
    -max_total_time="$seconds" -dict=load_csv.dict -max_len=65536 -timeout=10 corpus/load_csv
