#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz and
# runs each for SECONDS (default 30) from its seed corpus. With FUZZ_RUNS=N
# each target instead runs exactly N inputs from a fixed seed, so the run is
# repeatable (CI uses this). New crashers are
# written to build-fuzz/crashes/<target>/; copy them into
# tests/fuzz/corpus/<target>/ so they stay regression tests.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
bash scripts/install-deps.sh --fuzz
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzing=enabled -Db_lundef=false \
    -Db_sanitize=address,undefined -Dwerror=false >/dev/null
fi
ninja -C build-fuzz >/dev/null
status=0
for fuzzer in build-fuzz/tests/fuzz/fuzz-*; do
  [ -f "$fuzzer" ] && [ -x "$fuzzer" ] || continue
  case "$fuzzer" in *fuzz-regress-*) continue ;; esac
  name=${fuzzer##*/fuzz-}
  mkdir -p "build-fuzz/crashes/$name" "build-fuzz/corpus/$name"
  echo "fuzzing $name (${FUZZ_RUNS:-${seconds}s} ${FUZZ_RUNS:+runs})"
  if [ -n "${FUZZ_RUNS:-}" ]; then
    limit=(-runs="$FUZZ_RUNS" -seed=1)
  else
    limit=(-max_total_time="$seconds")
  fi
  if ! ASAN_OPTIONS=detect_leaks=0 "$fuzzer" "${limit[@]}" \
      -artifact_prefix="build-fuzz/crashes/$name/" \
      "build-fuzz/corpus/$name" "tests/fuzz/corpus/$name" >"build-fuzz/$name.log" 2>&1; then
    echo "FAIL: $name found a crash, see build-fuzz/$name.log"
    tail -30 "build-fuzz/$name.log"
    status=1
  fi
done
exit $status
