#!/usr/bin/env bash
# Builds every fuzz target and runs each for a short, deterministic smoke run: the checked-in
# seeds (fuzz/seeds, every regression input included) as the only corpus, a fixed seed and a
# fixed number of runs (FUZZ_RUNS, default 5000; FUZZ_SECONDS caps the time, default 30), so
# a change cannot be blocked by a random find in code it did not touch. With cargo-fuzz and a
# nightly toolchain (coverage-guided, AddressSanitizer) when there is one, else as plain
# libFuzzer binaries built with stable Rust that replay the seeds.
# Long fuzzing is scripts/fuzz-long.sh, run on its own; each crash it finds is minimised into
# fuzz/seeds as a regression input.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
runs=${FUZZ_RUNS:-5000}
secs=${FUZZ_SECONDS:-30}
targets=$(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | grep -v '^glass-fuzz$')
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
  # One build of every target (two links at a time); each `fuzz run` below then finds it fresh.
  cargo +nightly fuzz build
  for t in $targets; do
    corpus=$(mktemp -d)
    cp seeds/* "$corpus/"
    echo "fuzz: $t, ${runs} runs (seed 1)"
    status=0
    cargo +nightly fuzz run "$t" "$corpus" -- -seed=1 -runs="$runs" -max_total_time="$secs" \
      -rss_limit_mb=2048 -print_final_stats=1 >"$corpus.log" 2>&1 || status=$?
    grep -E "stat::number_of_executed_units|ERROR|panicked|SUMMARY" "$corpus.log" || true
    rm -rf "$corpus"
    if ((status != 0)) || compgen -G "artifacts/$t/crash-*" >/dev/null; then
      tail -40 "$corpus.log" >&2
      echo "fuzz: $t crashed (exit $status), see fuzz/artifacts/$t" >&2
      exit 1
    fi
    rm -f "$corpus.log"
  done
else
  echo "fuzz: no nightly toolchain; building with stable and replaying the seeds"
  cargo build --release --quiet
  for t in $targets; do
    "target/release/$t" -runs=0 seeds/
  done
fi
