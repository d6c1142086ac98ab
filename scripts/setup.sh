#!/usr/bin/env bash
# Installs what building and testing Glass needs on Debian/Ubuntu (run as root or with sudo):
# nasm (openh264's SIMD: without it the encoder silently builds 2-3x slower), Xvfb and X tools
# (xclip: a real X client that owns and reads the clipboard in the clipboard tests)
# for the X11 tests, ffmpeg for ffprobe checks, libvpx-dev (VP8, found with pkg-config),
# Chromium, Firefox ESR (no OpenH264 plugin: the VP8 test) and Node.js for the browser tests,
# iproute2 (the Firefox test's own network namespace),
# coturn (a real STUN/TURN server the transport tests start on loopback), PostgreSQL (the audit
# tests start their own server on loopback), Redis (the shared-store tests start their own
# redis-server on loopback), HAProxy (the load test puts it in front of two brokers), CJK fonts (chat in any script renders in
# screenshots), Mutter, PipeWire (+ WirePlumber), weston's demo clients, xdg-desktop-portal and
# xdg-desktop-portal-gnome for the Wayland tests (a headless GNOME session; the portal test
# answers the portal's real dialog), libpipewire/libclang/clang to build the PipeWire bindings,
# mingw-w64 (the Windows target's C toolchain, for the Windows type-check), and a Rust
# toolchain if none is present.
set -euo pipefail
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
pkgs=(nasm xvfb x11-xserver-utils x11-utils xdotool xclip ffmpeg pkg-config libvpx-dev build-essential ca-certificates curl chromium firefox-esr iproute2 coturn fonts-noto-cjk postgresql redis-server haproxy mutter pipewire pipewire-bin wireplumber dbus-daemon weston xdg-desktop-portal xdg-desktop-portal-gnome libpipewire-0.3-dev libclang-dev clang gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64)
# Node.js runs the headless-Chromium viewer test (tests/browser); use the machine's if present.
if ! command -v npm >/dev/null; then pkgs+=(nodejs npm); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null; then
  echo "setup: installing Rust with rustup" >&2
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt
  # shellcheck disable=SC1091
  source "$HOME/.cargo/env"
fi
# Playwright (playwright-core only: it drives /usr/bin/chromium, never downloads a browser) and
# puppeteer-core (drives /usr/bin/firefox-esr; no browser download either).
browser_tests="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
if [[ -f "$browser_tests/package-lock.json" ]]; then
  echo "setup: npm ci --prefix tests/browser" >&2
  npm ci --prefix "$browser_tests" --no-audit --no-fund >/dev/null
fi
