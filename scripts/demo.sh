#!/usr/bin/env bash
# The demo, end to end on this machine: installs what is missing, builds,
# then streams synthetic wearable data through our elements and prints what
# came out. Each part prints its own summary; the local sensor-cloud stands in
# for every cloud endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh >/dev/null
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
