#!/usr/bin/env bash
# Configures and builds into build/ (warnings are errors). Arguments: targets to build (default all).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE="${NEUVO_BUILD_TYPE:-RelWithDebInfo}" -DNEUVO_WERROR=ON >/dev/null
jobs=$(nproc)
if [ $# -eq 0 ]; then
  cmake --build build -j "$jobs"
else
  cmake --build build -j "$jobs" --target "$@"
fi
