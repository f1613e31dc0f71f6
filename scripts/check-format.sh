#!/usr/bin/env bash
# Fails when any C++ file differs from what clang-format (the repository's .clang-format) makes.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find server protocol tests bench -name '*.[ch]pp')
if [ -n "$files" ]; then
  # shellcheck disable=SC2086
  clang-format --dry-run --Werror $files
fi
echo "format: all C++ files match .clang-format"
