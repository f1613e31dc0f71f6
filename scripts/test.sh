#!/usr/bin/env bash
# Quick start, part two: install what is missing (browser-test tools included), build everything
# and run the whole test suite under CTest: core and store unit tests, protocol and configuration
# tests, integration tests against the real server over WSS, and browser tests in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --with-browser
bash scripts/build.sh
bash scripts/check-format.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 300 "$@"
