#!/usr/bin/env bash
# The Plexus part of the demo: pulls 5 s of video from sensor-cloud's Plexus
# stand-in through plexusvideosrc, decodes it to I420, writes one frame as a
# PNG and prints the frame count and rate.
#
#   scripts/demo-plexus.sh BUILD_DIR [HTTP_PORT]
#
# Without HTTP_PORT a sensor-cloud with only the Plexus part is started and
# stopped again.
set -euo pipefail
build=$(cd "${1:?usage: $0 BUILD_DIR [HTTP_PORT]}" && pwd)
port=${2:-}
out=${DEMO_OUT:-$build/demo}
key=plx_0123456789abcdef0123456789abcdef
seconds=5
mkdir -p "$out"
export GST_PLUGIN_PATH_1_0=${GST_PLUGIN_PATH_1_0:-$build/plugins}

cloud_pid=
cleanup() {
  if [ -n "$cloud_pid" ]; then
    kill "$cloud_pid" 2>/dev/null || true
    wait "$cloud_pid" 2>/dev/null || true
  fi
  rm -rf "$out/plexus-frames"
}
trap cleanup EXIT

if [ -z "$port" ]; then
  announce=$(mktemp)
  "$build/tools/sensor-cloud/sensor-cloud" --port 0 --only plexus \
    --plexus-width 320 --plexus-height 240 --plexus-fps 15 >"$announce" &
  cloud_pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/.*"part": "http".*"port": \([0-9]*\).*/\1/p' "$announce")
    [ -n "$port" ] && break
    sleep 0.1
  done
  rm -f "$announce"
  [ -n "$port" ] || { echo "plexus: sensor-cloud did not start" >&2; exit 1; }
fi

echo "== Plexus: ${seconds} s of video from sensor-cloud (ws://127.0.0.1:$port) through plexusvideosrc"
mkdir -p "$out/plexus-frames"
start=$(date +%s.%N)
# timeout=5 asks the server for a 5 s stream; its 4008 close ends it with EOS
frames=$(gst-launch-1.0 -v plexusvideosrc location="ws://127.0.0.1:$port" \
    source-id=robot-01 api-key="$key" timeout=$seconds ! \
    video/x-raw,format=I420 ! identity silent=false ! videoconvert ! \
    pngenc ! multifilesink location="$out/plexus-frames/frame-%05d.png" \
    max-files=1 2>&1 | grep -c 'identity0: last-message = chain' || true)
end=$(date +%s.%N)
png=$(ls "$out"/plexus-frames/*.png 2>/dev/null | tail -n1 || true)
if [ -z "$png" ] || [ "$frames" -eq 0 ]; then
  echo "plexus: no frames received" >&2
  exit 1
fi
mv "$png" "$out/plexus-frame.png"
awk -v n="$frames" -v s="$start" -v e="$end" 'BEGIN {
  printf "plexus: %d frames decoded in %.1f s (%.1f fps), one frame written to ", n, e - s, n / (e - s) }'
echo "$out/plexus-frame.png"
