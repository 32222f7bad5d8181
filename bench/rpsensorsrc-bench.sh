#!/bin/sh
# rpsensorsrc under a loopback load generator (wrk), against a minimal
# libsoup handler answering a fixed 200 in the same process (the limit).
# Prints requests/s, p99 latency and the ratio element/limit (target >= 0.7).
#
# usage: bench/rpsensorsrc-bench.sh [build-dir] [duration] [connections] [rate-limit]
#   rate-limit 0 (default) measures the full accept path (parse, validate,
#   score, buffers to fakesinks); 1 is the documented 1/s per device, where
#   most requests are answered 429 after each device's burst.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
duration=${2:-10s}
conns=${3:-32}
rate=${4:-0}
ninja -C "$build" bench/rpsensorsrc-bench-server >/dev/null
command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GST_PLUGIN_PATH_1_0="$build/plugins"
export GST_REGISTRY_1_0="$tmp/registry.bin"
mkfifo "$tmp/in"
"$build/bench/rpsensorsrc-bench-server" "$rate" <"$tmp/in" >"$tmp/ports" 2>"$tmp/server.log" &
server=$!
exec 3>"$tmp/in"
while [ ! -s "$tmp/ports" ]; do sleep 0.1; done
read -r base_port elem_port <"$tmp/ports"

run() {
  wrk -t2 -c"$conns" -d"$duration" --latency -s "$here/rpsensorsrc-post.lua" \
    "http://127.0.0.1:$1/api/device/sensor-stream" >"$tmp/$2.txt"
}
# requests/s, p99 in ms, non-2xx count
summary() {
  awk '
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" {
      v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
      p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v
    }
    /Non-2xx/ { non2xx = $NF }
    END { printf "%s %.3f %d\n", rps, p99, non2xx + 0 }' "$tmp/$1.txt"
}

run "$base_port" baseline
run "$elem_port" element
exec 3>&-
wait "$server" || true

set -- $(summary baseline) $(summary element)
echo "baseline (fixed 200):  $1 req/s  p99 $2 ms"
echo "rpsensorsrc (rate-limit=$rate): $4 req/s  p99 $5 ms  non-2xx $6"
awk -v a="$4" -v b="$1" 'BEGIN { printf "ratio: %.2f (target >= 0.70)\n", a / b }'
echo "element stats: $(tail -n 1 "$tmp/server.log")"
