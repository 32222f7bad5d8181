#!/usr/bin/env bash
# Scale-out check: HAProxy (consistent hashing on the device id) in front of
# three sensor-gateway processes; one is killed mid-run. Prints readings
# lost, when HAProxy noticed, how long the moved devices took to stream
# again, and the Raeh sessions per device at the end.
# Usage: bench/gateway-fleet.sh [BUILD_DIR] [--devices N] [--seconds S]
#   [--kill-at S]. Needs haproxy (scripts/install-deps.sh --bench).
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec /usr/bin/python3 bench/gateway-fleet.py "$@"
