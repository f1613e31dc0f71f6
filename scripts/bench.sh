#!/usr/bin/env bash
# Builds the benchmarks in Release (build-release/) and runs them, writing the results to
# bench/results/ (JSON from Google Benchmark) and printing the table.
#
#   bash scripts/bench.sh               routing, suppression, frame encoding and decoding micro-benchmarks
#   bash scripts/bench.sh load          the load scenarios against the real server and the two
#                                       baselines (Beast echo, Node ws relay): bench/results/load.json
#                                       and load.md; about ten minutes
#   bash scripts/bench.sh load --quick  each load scenario for about a second with small numbers,
#                                       to prove they work (bench/results/load-quick.*)
#
# NEUVO_BENCH_BUILD_DIR names another build directory (default build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${NEUVO_BENCH_BUILD_DIR:-build-release}"
bash scripts/install-deps.sh
# GCC 12 at -O3 reports false -Wrestrict warnings in std::string concatenation: still shown, but
# they must not fail a Release build.
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DNEUVO_BROWSER_TESTS=OFF -DBUILD_TESTING=OFF \
  "-DCMAKE_CXX_FLAGS=-Wno-error=restrict" >/dev/null

if [ "${1:-}" = "load" ]; then
  shift
  # The Node relay baseline: Node.js and the ws package from the lock file.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends nodejs npm
  fi
  if [ ! -d bench/node-relay/node_modules/ws ]; then
    (cd bench/node-relay && npm ci --no-audit --no-fund)
  fi
  cmake --build "$build" -j "$(nproc)" --target neuvo-server loadgen echo_server
  exec node bench/loadgen/run-load.mjs --build "$build" "$@"
fi

cmake --build "$build" -j "$(nproc)" --target routing_benchmark suppression_benchmark \
  encode_benchmark
mkdir -p bench/results
"$build"/bench/routing_benchmark --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out=bench/results/routing.json --benchmark_out_format=json
"$build"/bench/suppression_benchmark --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out=bench/results/suppression.json --benchmark_out_format=json
"$build"/bench/encode_benchmark --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out=bench/results/encode.json --benchmark_out_format=json
echo "results written to bench/results/routing.json, suppression.json and encode.json"
