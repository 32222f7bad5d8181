#!/usr/bin/env bash
# Paste-tests the README: runs every command line of its "Examples" section
# (and with --install, of "Install and embed") in order, as a user pasting
# them into one shell at the top of the source tree would, each with a time
# limit. A command passes when it exits 0, or when it is still running at
# the limit (live sources, servers) and has printed data; an ERROR or an
# erroneous pipeline fails it. Needs a build in ./build and the fixed ports
# of the README (8765-8767, 5800, 3000) free.
#
#   scripts/check-readme.sh [--install]
#
# --install also runs the install lines with HOME set to a temporary
# directory; the build's prefix and libdir are restored afterwards.
set -uo pipefail
cd "$(dirname "$0")/.."
limit=${README_CMD_TIMEOUT:-20}
sections='Examples'
if [ "${1:-}" = "--install" ]; then
  sections='Examples|Install and embed'
fi
work=$(mktemp -d)
fails=0
passes=0
bg_pids=()

cleanup() {
  for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -n "${saved_prefix:-}" ]; then
    meson configure build -Dprefix="$saved_prefix" -Dlibdir="$saved_libdir" >/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "${1:-}" = "--install" ]; then
  read -r saved_prefix saved_libdir < <(meson introspect build --buildoptions |
    /usr/bin/python3 -c 'import json, sys; o = {x["name"]: x["value"] for x in json.load(sys.stdin)}; print(o["prefix"], o["libdir"])')
  export HOME=$work/home
  mkdir -p "$HOME"
fi

# The README's indented code lines of the chosen sections, one command per
# entry: continuation lines and quoted strings spanning lines are joined
# the way bash reads them (a command is complete when `bash -n` accepts it).
mapfile -d '' commands < <(/usr/bin/python3 - "$sections" <<'PY'
import re, subprocess, sys
want = re.compile(r'^## (%s)$' % sys.argv[1])
keep, acc = False, ''
for line in open('README.md'):
    line = line.rstrip('\n')
    if line.startswith('## '):
        keep = bool(want.match(line))
        continue
    if not keep or not line.startswith('    '):
        continue
    acc += line[4:] + '\n'
    if line.endswith('\\'):
        continue
    if subprocess.run(['bash', '-n', '-c', acc], stderr=subprocess.DEVNULL).returncode == 0:
        sys.stdout.write(acc.rstrip('\n') + '\0')
        acc = ''
PY
)

n=0
serve_pid=
for cmd in "${commands[@]}"; do
  n=$((n + 1))
  out=$work/cmd-$n.out
  first=$(printf '%s' "$cmd" | head -n1)
  case "$cmd" in
    export\ * | kill\ %* | *' &')
      # shell state: run in this shell
      echo "[$n] $first"
      eval "$cmd" >"$out" 2>&1
      case "$cmd" in *' &') bg_pids+=($!); sleep 1 ;; esac
      passes=$((passes + 1))
      continue ;;
    *rpsensorsrc*)
      # a server the next command (curl) talks to: keep it running
      echo "[$n] $first   (in the background)"
      timeout "$limit" bash -c "$cmd" >"$out" 2>&1 &
      serve_pid=$!
      sleep 2
      continue ;;
  esac
  start=$(date +%s)
  timeout "$limit" bash -c "$cmd" >"$out" 2>&1
  rc=$?
  secs=$(($(date +%s) - start))
  data=$(grep -v -E '^(Setting pipeline|Pipeline is|Redistribute latency|New clock|Got EOS|Execution ended|Freeing pipeline|Got context|Progress:|Interrupt)' "$out" | grep -c . || true)
  verdict=ok
  if grep -q -E '^ERROR|WARNING: erroneous pipeline|command not found|No such file' "$out"; then
    verdict=FAIL
  elif [ $rc -eq 124 ] && [ "$data" -eq 0 ]; then
    verdict=FAIL
  elif [ $rc -ne 0 ] && [ $rc -ne 124 ]; then
    verdict=FAIL
  fi
  what="exit $rc"
  [ $rc -eq 124 ] && what="still running after ${limit} s"
  echo "[$n] $verdict: $first   ($what, ${secs} s, $data lines of output)"
  if [ $verdict = FAIL ]; then
    fails=$((fails + 1))
    sed 's/^/      /' "$out" | tail -n 20
  else
    passes=$((passes + 1))
  fi
  if [ -n "$serve_pid" ]; then
    wait "$serve_pid"
    rc=$?
    sout=$work/cmd-$((n - 1)).out
    if grep -q 'sensor/x-raw' "$sout" && ! grep -q '^ERROR' "$sout"; then
      echo "[$((n - 1))] ok: the server got and emitted the reading (exit $rc at the limit)"
      passes=$((passes + 1))
    else
      echo "[$((n - 1))] FAIL: the server emitted nothing"
      sed 's/^/      /' "$sout" | tail -n 20
      fails=$((fails + 1))
    fi
    serve_pid=
  fi
done
echo "README commands: $passes ok, $fails failed"
[ $fails -eq 0 ]
