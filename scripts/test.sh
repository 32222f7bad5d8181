#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs `meson test`.
#   scripts/test.sh            normal build in ./build
#   scripts/test.sh --asan     AddressSanitizer + UBSan build in ./build-asan
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

if [ "${1:-}" = "--asan" ]; then
  export BUILD_DIR=build-asan
  bash scripts/build.sh -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debug
  # LeakSanitizer is off: GLib/GStreamer keep process-lifetime allocations;
  # the GStreamer leaks tracer covers our objects in every test.
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export SENSOR_TEST_TIMEOUT_MULTIPLIER=3
  meson test -C build-asan --print-errorlogs --num-processes 2 --timeout-multiplier 3
  log=build-asan/meson-logs/testlog.json
else
  bash scripts/build.sh
  meson test -C build --print-errorlogs --num-processes 2
  log=build/meson-logs/testlog.json
fi
/usr/bin/python3 - "$log" <<'PY'
import json, sys
res = [json.loads(l)['result'] for l in open(sys.argv[1]) if l.strip()]
ok = sum(r in ('OK', 'EXPECTEDFAIL') for r in res)
skip = sum(r == 'SKIP' for r in res)
print('tests: %d passed, %d failed, %d skipped' % (ok, len(res) - ok - skip, skip))
PY
