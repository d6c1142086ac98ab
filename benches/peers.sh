#!/usr/bin/env bash
# Peer comparison: glass-to-glass latency of the same scene and probe on the same X display,
# through Glass, GStreamer (openh264 and x264) and Chromium's own screen share. Run by hand,
# not in CI (it takes a few minutes and the figures need a quiet machine):
#
#   benches/peers.sh [--size 1920x1080] [--scene typing] [--fps 30] [--seconds 10]
#                    [--only glass,gst-openh264,gst-x264,chromium]
#
# Needs: Xvfb, a release build (it runs `cargo build --release` first), GStreamer with
# ximagesrc, openh264enc, x264enc and avdec_h264 (apt: gstreamer1.0-tools
# gstreamer1.0-plugins-{base,good,bad,ugly} gstreamer1.0-libav gstreamer1.0-x), and for the
# Chromium row Node.js with tests/browser's packages (scripts/setup.sh) and Chromium.
#
# How each is measured (docs/latency.md, "Peer comparison"):
# - The probe window (`glass scene-window`) draws the scene and a timecode of the moment it
#   draws; every receiver reads the code from the decoded picture and subtracts.
# - Glass: `glass bench --source x11:N` (its own scene window, X11 capture with MIT-SHM and
#   DAMAGE, openh264, str0m over loopback UDP, the native receiver: str0m + openh264).
# - GStreamer: ximagesrc ! videoconvert ! openh264enc|x264enc tune=zerolatency ! rtph264pay !
#   udpsink, received by udpsrc ! rtpjitterbuffer latency=0 ! rtph264depay ! avdec_h264 !
#   videocrop (the probe strip) ! fdsink into `glass probe-read`, which timestamps each frame
#   as it arrives on the pipe.
# - Chromium: getDisplayMedia of the X screen into one RTCPeerConnection, a second one in the
#   same page receives over loopback and a <video> presents; the probe is read from each
#   presented frame (benches/peers/gdm.mjs).
# Sharer CPU is the sending process's user+system time over the measured seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE=1920x1080 SCENE=typing FPS=30 SECONDS_=10 WARMUP=2 ONLY=glass,gst-openh264,gst-x264,chromium
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --scene) SCENE=$2; shift 2 ;;
    --fps) FPS=$2; shift 2 ;;
    --seconds) SECONDS_=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    *) echo "peers.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
W=${SIZE%x*} H=${SIZE#*x}
want() { [[ ",$ONLY," == *",$1,"* ]]; }

cargo build --release --quiet
GLASS=target/release/glass
TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# A private X server; -displayfd picks a free display number.
Xvfb -displayfd 3 -screen 0 "${W}x${H}x24" -nolisten tcp 3>"$TMP/display" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$TMP/display" ] && break; sleep 0.1; done
DISP=":$(cat "$TMP/display")"
echo "X display $DISP, ${W}x${H} $SCENE @ $FPS fps, ${SECONDS_} s per sharer" >&2

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
ROWS=()
row() { ROWS+=("$(printf '%-22s %8s %8s %8s %8s %7s %9s' "$@")"); }
ms() { python3 -c "import json,sys; d=json.load(open('$1')); print(' '.join(['%.1f' % d[k] for k in ('p50_ms','p95_ms','p99_ms','max_ms')] + ['%.1f' % d['fps']]))"; }

# Starts the probe window; sets EPOCH and PROBE (x,y,block).
start_window() {
  EPOCH=$(($(date +%s%N) / 1000))
  "$GLASS" scene-window --display "$DISP" --scene "$SCENE" --size "$SIZE" --fps "$FPS" \
    --epoch-unix-us "$EPOCH" >"$TMP/window.json" &
  WINDOW=$!
  PIDS+=($WINDOW)
  for _ in $(seq 50); do [ -s "$TMP/window.json" ] && break; sleep 0.1; done
  PROBE=$(python3 -c "import json; p=json.load(open('$TMP/window.json'))['probe']; print('%d,%d,%d' % (p['x'], p['y'], p['block']))")
}
stop_window() { kill "$WINDOW" 2>/dev/null || true; wait "$WINDOW" 2>/dev/null || true; }

if want glass; then
  echo "== Glass" >&2
  "$GLASS" bench --source "x11$DISP" --scene "$SCENE" --size "$SIZE" --fps "$FPS" \
    --seconds "$SECONDS_" --json "$TMP/glass.json" >&2
  read -r p50 p95 p99 max fps cpu < <(python3 -c "
import json; d=json.load(open('$TMP/glass.json')); e=d['end_to_end']
print(*['%.1f' % (e[k]/1000) for k in ('p50_us','p95_us','p99_us','max_us')], '%.1f' % d['fps'], '%.0f' % (100*d['sharer_cpu_s']/d['seconds']))")
  row "Glass (openh264)" "$p50" "$p95" "$p99" "$max" "$fps" "$cpu %"
fi

gst_run() { # name, encoder elements
  local name=$1 enc=$2
  echo "== GStreamer $name" >&2
  start_window
  local X=${PROBE%%,*} rest=${PROBE#*,}
  local Y=${rest%%,*} B=${rest#*,}
  local SW=$((20 * B)) SH=$((2 * B))
  local port=$((20000 + RANDOM % 20000))
  (gst-launch-1.0 -q udpsrc port=$port \
      caps="application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96" \
      ! rtpjitterbuffer latency=0 ! rtph264depay ! avdec_h264 \
      ! videocrop left="$X" top="$Y" right=$((W - X - SW)) bottom=$((H - Y - SH)) \
      ! videoconvert ! video/x-raw,format=BGRx ! fdsink fd=1 sync=false 2>"$TMP/rx.err" \
    | "$GLASS" probe-read --size "${SW}x${SH}" --probe "0,0,$B" --epoch-unix-us "$EPOCH" \
        --warmup "$WARMUP" --seconds "$SECONDS_" >"$TMP/$name.json") &
  local rx=$!
  sleep 0.5
  # shellcheck disable=SC2086 # $enc is a list of pipeline words
  gst-launch-1.0 -q ximagesrc display-name="$DISP" use-damage=false show-pointer=false \
    ! "video/x-raw,framerate=$FPS/1" ! videoconvert ! video/x-raw,format=I420 \
    ! $enc ! video/x-h264,profile=constrained-baseline \
    ! rtph264pay config-interval=-1 mtu=1200 pt=96 ! udpsink host=127.0.0.1 port=$port sync=false \
    2>"$TMP/tx.err" &
  local tx=$!
  PIDS+=($tx)
  sleep "$WARMUP"
  local c0; c0=$(cpu_ticks "$tx")
  sleep "$SECONDS_"
  local c1; c1=$(cpu_ticks "$tx")
  wait "$rx" || true
  kill "$tx" 2>/dev/null || true
  wait "$tx" 2>/dev/null || true
  stop_window
  if [ -s "$TMP/$name.json" ] && ! grep -q '"frames":0' "$TMP/$name.json"; then
    read -r p50 p95 p99 max fps < <(ms "$TMP/$name.json")
    row "GStreamer ($name)" "$p50" "$p95" "$p99" "$max" "$fps" "$(((c1 - c0) / SECONDS_)) %"
  else
    echo "GStreamer $name failed:" >&2; cat "$TMP/tx.err" "$TMP/rx.err" >&2
    row "GStreamer ($name)" failed - - - - -
  fi
}
want gst-openh264 && gst_run openh264 \
  "openh264enc usage-type=screen complexity=low rate-control=bitrate bitrate=2000000 gop-size=300"
want gst-x264 && gst_run x264 \
  "x264enc tune=zerolatency speed-preset=ultrafast bitrate=2000 key-int-max=300"

if want chromium; then
  echo "== Chromium getDisplayMedia" >&2
  start_window
  IFS=, read -r X Y B <<<"$PROBE"
  if DISPLAY=$DISP node benches/peers/gdm.mjs \
      "{\"epochUnixUs\":$EPOCH,\"probe\":{\"x\":$X,\"y\":$Y,\"block\":$B},\"width\":$W,\"height\":$H,\"warmup\":$WARMUP,\"seconds\":$SECONDS_,\"codec\":\"H264\"}" \
      >"$TMP/chromium.json"; then
    read -r p50 p95 p99 max fps < <(ms "$TMP/chromium.json")
    codec=$(python3 -c "import json; d=json.load(open('$TMP/chromium.json')); print(d.get('codec','?').split('/')[-1])")
    cpu=$(python3 -c "import json; d=json.load(open('$TMP/chromium.json')); print('%.0f' % d.get('chromiumCpuPct', float('nan')))")
    row "Chromium gDM ($codec)" "$p50" "$p95" "$p99" "$max" "$fps" "$cpu %*"
  else
    cat "$TMP/chromium.json" >&2
    row "Chromium gDM" failed - - - - -
  fi
  stop_window
fi

echo
echo "glass-to-glass latency, ms: ${W}x${H} $SCENE @ $FPS fps, $SECONDS_ s, loopback, $(nproc) cores"
printf '%-22s %8s %8s %8s %8s %7s %9s\n' sharer p50 p95 p99 max fps "CPU"
printf '%s\n' "${ROWS[@]}"
echo "CPU: the sharer's process, % of one core (* Chromium: all its processes, both peers)."
