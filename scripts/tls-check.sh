#!/usr/bin/env bash
# Runs testssl.sh (Debian's package, installed when missing) against a server of this build on
# loopback and fails on any finding of severity LOW or above. It takes one and a half to two
# minutes, most of what the rest of the integration tests take together, so it is not part of
# scripts/test.sh; the TLS settings themselves are checked there too (tls_test.cpp, with OpenSSL
# client connections).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh --with-tls-check
bash scripts/build.sh integration_tests
start=$(date +%s)
build/tests/integration/integration_tests "[testssl]"
echo "testssl: no finding of severity LOW or above ($(($(date +%s) - start)) s)"
