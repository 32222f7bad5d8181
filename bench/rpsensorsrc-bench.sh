#!/bin/sh
# rpsensorsrc under a loopback load generator (wrk), against a minimal
# libsoup handler answering a fixed 200 in the same process (the limit).
# Prints requests/s, p99 latency and the ratio element/limit (target >= 0.7)
# for each round (baseline and element measured back to back, so a ratio
# compares runs under the same machine load), then the spread of the
# ratios. Each run also shows the CPU time per request of the server thread
# and, for the element, of its pad streaming threads (from
# /proc/<pid>/task/*/sched), which varies less with the machine load than
# requests/s do.
#
# usage: bench/rpsensorsrc-bench.sh [build-dir] [duration] [connections]
#                                   [rate-limit] [rounds]
#   rate-limit 0 (default) measures the full accept path (parse, validate,
#   score, buffers to fakesinks); 1 is the documented 1/s per device, where
#   most requests are answered 429 after each device's burst.
#   rounds: baseline/element pairs (default 3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
duration=${2:-10s}
conns=${3:-32}
rate=${4:-0}
rounds=${5:-3}
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
read -r base_port elem_port _ <"$tmp/ports"

# "<thread kind> <ns on cpu>" for every thread of the server process:
# baseline, rpsensorsrc (the element's server thread, named "sensorstream"
# by GstSensorStreamServer) or pad
cpu_snapshot() {
  for t in /proc/"$server"/task/*; do
    kind=$(cat "$t/comm" 2>/dev/null) || continue
    case $kind in
      baseline) ;;
      sensorstream) kind=rpsensorsrc ;;
      *) kind=pad ;;
    esac
    ns=$(awk '/se.sum_exec_runtime/ { printf "%.0f", $3 * 1000000 }' "$t/sched" 2>/dev/null) || continue
    echo "$kind ${ns:-0}"
  done
}

run() {
  cpu_snapshot >"$tmp/before"
  wrk -t2 -c"$conns" -d"$duration" --latency -s "$here/rpsensorsrc-post.lua" \
    "http://127.0.0.1:$1/api/device/sensor-stream" >"$tmp/$2.txt"
  cpu_snapshot >"$tmp/after"
}
# requests/s, p99 in ms, non-2xx count, then server-thread and pad-thread
# CPU microseconds per request
summary() {
  awk -v before="$tmp/before" -v after="$tmp/after" '
    /Requests\/sec:/ { rps = $2 }
    /requests in/ { n = $1 }
    $1 == "99%" {
      v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
      p99 = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v
    }
    /Non-2xx/ { non2xx = $NF }
    END {
      while ((getline line < before) > 0) { split(line, f, " "); cpu[f[1]] -= f[2] }
      while ((getline line < after) > 0) { split(line, f, " "); cpu[f[1]] += f[2] }
      srv = cpu["baseline"] + cpu["rpsensorsrc"]
      printf "%s %.3f %d %.1f %.1f\n", rps, p99, non2xx + 0,
        n ? srv / n / 1000 : 0, n ? cpu["pad"] / n / 1000 : 0
    }' "$tmp/$1.txt"
}

ratios=""
i=1
while [ "$i" -le "$rounds" ]; do
  run "$base_port" baseline
  set -- $(summary baseline)
  b_rps=$1 b_p99=$2 b_srv=$4
  run "$elem_port" element
  set -- $(summary element)
  ratio=$(awk -v a="$1" -v b="$b_rps" 'BEGIN { printf "%.2f", a / b }')
  ratios="$ratios $ratio"
  echo "round $i:"
  echo "  baseline (fixed 200):  $b_rps req/s  p99 $b_p99 ms  server thread $b_srv us/req"
  echo "  rpsensorsrc (rate-limit=$rate): $1 req/s  p99 $2 ms  non-2xx $3  server thread $4 us/req  pad threads $5 us/req"
  echo "  ratio: $ratio (target >= 0.70)"
  i=$((i + 1))
done
exec 3>&-
wait "$server" || true

echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '
  { r[NR] = $1 }
  END { printf "ratio over %d rounds: min %.2f  median %.2f  max %.2f (target >= 0.70)\n",
    NR, r[1], r[int((NR + 1) / 2)], r[NR] }'
echo "element stats: $(tail -n 1 "$tmp/server.log")"
