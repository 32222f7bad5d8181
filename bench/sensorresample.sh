#!/bin/sh
# Throughput of sensorresample as a ratio against a bare GstAudioResampler
# loop over the same data, measured in the same run (target >= 0.8).
# Usage: bench/sensorresample.sh [build-dir]
set -e
build=${1:-build}
ninja -C "$build" bench/sensorresample-bench >/dev/null
GST_PLUGIN_PATH_1_0="$build/plugins" GST_REGISTRY_1_0="$build/bench/registry.bin" \
  GST_DEBUG="${GST_DEBUG:-*:1}" exec "$build/bench/sensorresample-bench"
