#!/usr/bin/env bash
# Raeh part of the demo: starts the local sensor-cloud, streams ppg_green
# (a 128 Hz source resampled to the device model's 100 Hz) and acc_3axis for
# about 10 s through raehsink, then prints what the cloud received per slot
# and the hr insights it published.
#
# Usage: scripts/demo-raeh.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
seconds=${RAEH_DEMO_SECONDS:-10}
heart_rate=${RAEH_DEMO_HEART_RATE:-72}
model=573fdc48-b7a8-40bb-81b7-e96df24fab6d
work=$(mktemp -d)
cloud_pid=

cleanup() {
  if [ -n "$cloud_pid" ]; then kill "$cloud_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$build/tools/sensor-cloud/sensor-cloud" --only raeh --record "$work/record.json" \
  >"$work/cloud.out" 2>"$work/cloud.err" &
cloud_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/.*"part": "http".*"port": \([0-9]*\).*/\1/p' "$work/cloud.out")
  [ -n "$port" ] && break
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "sensor-cloud did not start:" >&2
  cat "$work/cloud.err" >&2
  exit 1
fi

echo "== Raeh: ${seconds} s of ppg_green (128 Hz -> 100 Hz, ${heart_rate} bpm) and acc_3axis -> raehsink -> local sensor-cloud (port $port)"
buffers=$((seconds * 10))
export GST_PLUGIN_PATH="$build/plugins${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
timeout $((seconds + 30)) gst-launch-1.0 -q \
  raehsink name=raeh location="ws://127.0.0.1:$port/stream/ingest" \
    api-key=raeh_demo_key device-id=demo-watch-1 device-model-id=$model \
  sensortestsrc modality=ppg_green rate=128 heart-rate="$heart_rate" \
    samples-per-buffer=32 num-buffers=$((seconds * 4)) ! \
    sensorresample ! raehframepack ! raeh. \
  sensortestsrc modality=acc_3axis num-buffers=$buffers ! \
    sensorresample ! raehframepack ! raeh. >"$work/launch.out" 2>&1 || {
  echo "gst-launch-1.0 failed:" >&2
  cat "$work/launch.out" >&2
  exit 1
}

# one more hr tick, then stop the cloud so it writes its record
sleep 2.5
kill -TERM "$cloud_pid"
wait "$cloud_pid" || true
cloud_pid=

/usr/bin/python3 - "$work/record.json" "$heart_rate" <<'PY'
import json, sys
rec = json.load(open(sys.argv[1]))["raeh"]
want = float(sys.argv[2])
for s in rec["sessions"]:
    print("session %s  device %s  %d frames  closed %s (%s %s)" % (
        s["session_id"], s["device_id"], s["frames"], s["closed"],
        s.get("close_code", ""), s.get("close_reason", "")))
    for slot in s["slots"]:
        span = (slot.get("end_ms", 0) - slot.get("first_t0_ms", 0)) / 1000.0
        print("  slot %d %-10s %3d frames %5d samples  %.2f s of data  t0 %s" % (
            slot["slot_id"], slot["modality"], slot["frames"], slot["samples"], span,
            "continuous" if slot["continuous"] else
            "%d gaps, %d overlaps (max jump %d ms)" % (slot["gaps"], slot["overlaps"], slot["max_jump_ms"])))
hr = [i for i in rec["insights"] if i["type"] == "hr"]
print("hr insights (source heart-rate %.0f bpm):" % want)
for i in hr:
    print("  %5.1f bpm  confidence %.2f  %s" % (i["value"], i["confidence"], i["sqi_class"]))
if not hr:
    print("  none")
PY
