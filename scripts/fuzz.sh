#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) into build-asan/ (the sanitized test
# build, shared with scripts/sanitize.sh address) and runs each for the given number of seconds
# (default 60), starting from its seeds in fuzz/corpus/<target>/ and the inputs earlier runs
# found (build-asan/fuzz-corpus/<target>/). Fails when any target finds a crash, a sanitizer
# report, a broken invariant, a leak or a timeout; the input is then in
# build-asan/fuzz-artifacts/<target>/. Prints the executions per target.
#   scripts/fuzz.sh [seconds] [target...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
shift || true
case "$seconds" in
'' | *[!0-9]*)
  echo "usage: scripts/fuzz.sh [seconds] [target...]" >&2
  exit 2
  ;;
esac

bash scripts/install-deps.sh --with-fuzz
source scripts/sanitized-build.sh
start=$(date +%s)
sanitized_build address fuzz_targets
built=$(date +%s)
echo "fuzz: build took $((built - start)) s"

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(protocol_fuzz config_fuzz static_path_fuzz statistics_query_fuzz http_request_fuzz)
fi

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
failed=()
summary=()
for target in "${targets[@]}"; do
  work=build-asan/fuzz-corpus/$target
  artifacts=build-asan/fuzz-artifacts/$target/
  log=build-asan/fuzz-$target.log
  mkdir -p "$work" "$artifacts"
  dict=()
  [ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
  echo "fuzz: $target for $seconds s"
  status=0
  "build-asan/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts" "${dict[@]}" \
    "$work" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(find "$work" -type f | wc -l)
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    summary+=("$target: FAILED (exit $status) after ${execs:-?} executions; see $log and $artifacts")
    tail -n 60 "$log" >&2
  else
    summary+=("$target: ${execs:-?} executions in $seconds s, $corpus inputs in $work")
  fi
done

echo
printf 'fuzz: %s\n' "${summary[@]}"
echo "fuzz: $(($(date +%s) - start)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi
