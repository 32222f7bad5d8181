#!/usr/bin/env bash
# The demo, end to end on this machine: installs what is missing, builds,
# then streams synthetic wearable data through our elements and prints what
# came out. Each part prints its own summary; the local sensor-cloud stands in
# for every cloud endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
# One line per step, so a first run (packages, a full build: minutes on a
# small machine) does not look stuck.
step() { echo "-- $(date +%H:%M:%S) $*"; }
step "checking packages (scripts/install-deps.sh; apt-get only for what is missing)"
bash scripts/install-deps.sh
if [ -f build/build.ninja ]; then
  step "building in build/ (ninja; only what changed)"
else
  step "configuring and building in build/ (meson + ninja; the first build takes a few minutes)"
fi
# ninja's progress, one line per 20 build steps; the full log on failure
buildlog=$(mktemp)
if ! bash scripts/build.sh 2>&1 | tee "$buildlog" | awk '
    /^\[[0-9]+\/[0-9]+\]/ {
      gsub(/[][]/, "", $1); split($1, a, "/")
      if (a[1] > 0 && (a[1] % 20 == 0 || a[1] == a[2])) { print "   built " a[1] " of " a[2]; fflush() }
    }'; then
  tail -n 40 "$buildlog" >&2
  echo "build failed (full log: $buildlog)" >&2
  exit 1
fi
rm -f "$buildlog"
step "build done"
build=$(pwd)/build
export GST_PLUGIN_PATH_1_0=$build/plugins
export GST_REGISTRY_1_0=$build/demo-registry.bin

echo "== 1. sensortestsrc -> sensorresample: PPG (128 Hz -> 100 Hz) and accelerometer, 4 s"
"$build/tools/summary/sensor-summary" --duration 4 \
  sensortestsrc modality=ppg_green rate=128 heart-rate=72 ! sensorresample ! \
    sensor/x-raw,rate=100/1 ! fakesink name=ppg_green \
  sensortestsrc modality=acc_3axis ! sensorresample ! fakesink name=acc_3axis

for part in raeh plexus; do
  if [ -x "scripts/demo-$part.sh" ] && [ -d "$build/plugins/$part" ]; then
    echo
    bash "scripts/demo-$part.sh" "$build"
  fi
done
