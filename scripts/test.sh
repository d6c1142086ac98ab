#!/usr/bin/env bash
# Runs every test of Glass: installs system packages, then unit, property and integration tests
# (the X11 ones start their own Xvfb). Usage: scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# openh264's build script does not rerun when nasm appears later: make sure it used nasm.
cargo build --workspace --all-targets -vv 2>&1 | tee target-build.log >/dev/null || { tail -50 target-build.log; exit 1; }
if grep -q "not using any assembly" target-build.log; then
  echo "openh264 was built without its assembly (nasm missing at build time): cargo clean -p openh264-sys2" >&2
  exit 1
fi
rm -f target-build.log
# The web apps' DOM-free modules and every language catalogue (node's own test runner).
node --test web/test/
cargo test --workspace --all-targets
