#!/usr/bin/env bash
# Gateway benchmark: N simulated SmartFall devices through sensor-gateway into
# the local Raeh endpoint, and the same load through a Python gateway, in
# one run, with the bare libsoup HTTP server under the same posts as the
# floor. Usage: bench/gateway.sh [BUILD_DIR] [--devices N ...]
#   [--python-devices N] [--seconds S]. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
build=build
case "${1:-}" in -* | "") ;; *) build=$1 ;; esac
ninja -C "$build" bench/rpsensorsrc-bench-server tools/sensor-gateway/sensor-gateway \
  tools/sensor-cloud/sensor-cloud >/dev/null
exec /usr/bin/python3 bench/gateway-bench.py "$@"
