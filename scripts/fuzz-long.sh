#!/usr/bin/env bash
# Long coverage-guided fuzzing, run on its own (not in CI's main job): each target for
# FUZZ_SECONDS (default 600) with a growing corpus in fuzz/corpus/<target>. A crash stops the
# run; minimise it (`cargo +nightly fuzz tmin <target> <artifact>`), add it to fuzz/seeds as a
# regression input and fix the parser. Usage: scripts/fuzz-long.sh [target ...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${FUZZ_SECONDS:-600}
targets=${*:-$(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | grep -v '^glass-fuzz$')}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
for t in $targets; do
  mkdir -p "corpus/$t"
  cp -n seeds/* "corpus/$t/" 2>/dev/null || true
  echo "fuzz: $t for ${secs}s"
  cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1
done
