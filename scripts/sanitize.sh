#!/usr/bin/env bash
# Runs the tests under sanitizers, in a build directory of their own (clang, -O1, warnings are
# errors, the first report fails the test; scripts/sanitized-build.sh):
#   scripts/sanitize.sh address   ASan + UBSan build (build-asan/, shared with scripts/fuzz.sh) of
#                                 the whole suite, then CTest (the browser tests and benchmarks
#                                 excepted; see the README)
#   scripts/sanitize.sh thread    TSan build (build-tsan/) of the server, the integration tests
#                                 and the network layer's tests, then those tests (tests/tsan.supp)
# Further arguments go to ctest, e.g. `scripts/sanitize.sh address -R config`.
set -euo pipefail
cd "$(dirname "$0")/.."

kind="${1:-}"
case "$kind" in
address | thread) shift ;;
*)
  echo "usage: scripts/sanitize.sh address|thread [ctest arguments]" >&2
  exit 2
  ;;
esac

bash scripts/install-deps.sh --with-sanitizers
source scripts/sanitized-build.sh
start=$(date +%s)

dir=build-$([ "$kind" = address ] && echo asan || echo tsan)
# Every instrumented process writes its reports here, the server the tests start included (its
# stderr goes to a log in a temporary directory that a passing test deletes).
reports="$PWD/$dir/sanitizer-reports"
rm -rf "$reports"
mkdir -p "$reports"
if [ "$kind" = address ]; then
  targets=()
  tests=()
  # Leaks fail too; a report ends the process (UBSan included: -fno-sanitize-recover=all).
  export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
else
  targets=(integration_tests net_tests neuvo-server)
  tests=(-R '^(integration|net):')
  export TSAN_OPTIONS="log_path=$reports/tsan:suppressions=$PWD/tests/tsan.supp:halt_on_error=1:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
fi

sanitized_build "$kind" "${targets[@]}"
built=$(date +%s)
echo "sanitize $kind: build took $((built - start)) s"

status=0
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" --timeout 600 "${tests[@]}" "$@" || status=$?
echo "sanitize $kind: tests took $(($(date +%s) - built)) s, $(($(date +%s) - start)) s in all"
if [ -n "$(ls -A "$reports")" ]; then
  for report in "$reports"/*; do
    echo "==== $report" >&2
    cat "$report" >&2
  done
  echo "sanitize $kind: $(ls "$reports" | wc -l) sanitizer report(s), kept in $reports" >&2
  exit 1
fi
exit "$status"
