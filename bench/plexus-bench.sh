#!/usr/bin/env bash
# Plexus video benchmark: makes camera-like 640x480 q85 JPEGs (60-100 KB),
# then compares plexusvideosrc's decoded fps with a bare TurboJPEG loop and
# a Python websockets + base64 + PIL client over the same stream.
#
#   bench/plexus-bench.sh [BUILD_DIR] [FRAMES] [ROUNDS]
#
# ROUNDS (default 5): bare-loop/element pairs; the ratio is printed per
# round and as mean, median and range.
# PLEXUS_BENCH_SRC_PROPS="decode-threads=1" sets plexusvideosrc properties
# (default: none, i.e. automatic decode threads).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
frames=${2:-400}
rounds=${3:-5}
python=${PYTHON:-/usr/bin/python3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export GST_PLUGIN_PATH_1_0=$build/plugins
"$python" "$here/plexus-make-jpegs.py" "$dir" 8 >/dev/null
"$build/bench/plexus-bench" "$build/tools/sensor-cloud/sensor-cloud" "$dir" \
  "$frames" "$python" "$here/plexus-pyclient.py" "$rounds"
