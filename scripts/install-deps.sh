#!/usr/bin/env bash
# Installs the Debian packages and npm modules Neuvo needs to build, run and test.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git ca-certificates openssl tzdata
  libboost1.81-dev libssl-dev libsqlite3-dev sqlite3 nlohmann-json3-dev catch2 zlib1g-dev
  libsodium-dev libbenchmark-dev libjemalloc-dev
  clang-format
)
if [ "${1:-}" = "--with-browser" ]; then
  packages+=(chromium nodejs npm)
fi
# testssl.sh for scripts/tls-check.sh.
if [ "${1:-}" = "--with-tls-check" ]; then
  packages+=(testssl.sh)
fi
# clang with its sanitizer and libFuzzer runtimes (scripts/sanitize.sh, scripts/fuzz.sh).
if [ "${1:-}" = "--with-sanitizers" ] || [ "${1:-}" = "--with-fuzz" ]; then
  packages+=(clang libclang-rt-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A node/npm that did not come from Debian (e.g. a newer one already on PATH) is fine.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  tmp=()
  for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--with-browser" ]; then
  # playwright-core needs Node.js 20 or newer; Debian 12's own nodejs is 18.
  node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$node_major" -lt 20 ]; then
    echo "The browser tests need Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none))." >&2
    exit 1
  fi
fi

# Every module package.json lists; a node_modules from before one was added is installed again.
if [ "${1:-}" = "--with-browser" ] &&
  { [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; }; then
  echo "Installing browser-test modules (npm ci in tests/browser)"
  (cd tests/browser && npm ci --no-audit --no-fund)
fi
# The Node relay the load scenarios measure against (bench/node-relay): the suite runs each
# scenario briefly (bench_load_runs) to prove that it still works.
if [ "${1:-}" = "--with-browser" ] && [ ! -d bench/node-relay/node_modules/ws ]; then
  echo "Installing the load benchmark's Node relay modules (npm ci in bench/node-relay)"
  (cd bench/node-relay && npm ci --no-audit --no-fund)
fi
