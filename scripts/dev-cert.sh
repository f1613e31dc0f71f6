#!/usr/bin/env bash
# Creates a self-signed development certificate for localhost (ECDSA P-256, 30 days) in the
# directory given (default: certs/). Never use it in production: browsers will warn, rightly.
set -euo pipefail
dir="${1:-$(dirname "$0")/../certs}"
mkdir -p "$dir"
if [ -s "$dir/dev-cert.pem" ] && [ -s "$dir/dev-key.pem" ] &&
   openssl x509 -checkend 86400 -noout -in "$dir/dev-cert.pem" >/dev/null 2>&1; then
  exit 0
fi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -keyout "$dir/dev-key.pem" -out "$dir/dev-cert.pem" 2>/dev/null
chmod 600 "$dir/dev-key.pem"
echo "development certificate written to $dir/dev-cert.pem"
