#!/usr/bin/env bash
# Builds every fuzz target and runs each for a short smoke run (FUZZ_SECONDS, default 10):
# with cargo-fuzz and a nightly toolchain (coverage-guided, AddressSanitizer) when there is
# one, else as plain libFuzzer binaries built with stable Rust that replay the seed inputs.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${FUZZ_SECONDS:-10}
targets=$(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | grep -v '^glass-fuzz$')
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet
  for t in $targets; do
    mkdir -p "corpus/$t"
    cp -n seeds/* "corpus/$t/" 2>/dev/null || true
    echo "fuzz: $t for ${secs}s"
    cargo +nightly fuzz run "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
      | grep -E "stat::number_of_executed_units|ERROR|panicked|SUMMARY" || true
    # cargo fuzz exits non-zero on a crash; the pipe above hides it, so check artifacts.
    if compgen -G "artifacts/$t/crash-*" >/dev/null; then echo "fuzz: $t crashed, see fuzz/artifacts/$t" >&2; exit 1; fi
  done
else
  echo "fuzz: no nightly toolchain; building with stable and replaying the seeds"
  cargo build --release --quiet
  for t in $targets; do
    "target/release/$t" -runs=0 seeds/
  done
fi
