#!/usr/bin/env bash
# Gateway benchmark: N simulated SmartFall devices through sensor-gateway into
# the local Raeh endpoint, and the same load through a Python gateway, in
# one run. Usage: bench/gateway.sh [BUILD_DIR] [--devices N ...]
#   [--python-devices N] [--seconds S]. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec /usr/bin/python3 bench/gateway-bench.py "$@"
