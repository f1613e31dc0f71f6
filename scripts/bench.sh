#!/usr/bin/env bash
# Builds the benchmarks in Release (build-release/) and runs them, writing the results to
# bench/results/ (JSON from Google Benchmark) and printing the table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DNEUVO_BROWSER_TESTS=OFF -DBUILD_TESTING=OFF >/dev/null
cmake --build build-release -j "$(nproc)" --target routing_benchmark suppression_benchmark
mkdir -p bench/results
build-release/bench/routing_benchmark --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_out=bench/results/routing.json --benchmark_out_format=json
build-release/bench/suppression_benchmark --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out=bench/results/suppression.json --benchmark_out_format=json
echo "results written to bench/results/routing.json and bench/results/suppression.json"
