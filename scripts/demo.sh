#!/usr/bin/env bash
# Quick start, part one: install what is missing, build, create a development certificate and
# demo advisors, and start the demo server on https://127.0.0.1:8443/.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh neuvo-server
bash scripts/dev-cert.sh certs

server=build/server/app/neuvo-server
"$server" --config config/demo.json --check-config
"$server" --config config/demo.json demo-advisors
"$server" --config config/demo.json demo-answers
# A year of register rows (once), so that the statistics page has something to show.
"$server" --config config/demo.json demo-visits --count 3000 --months 12 --if-empty
cat <<'TEXT'

Client page:  https://127.0.0.1:8443/
Advisor page: https://127.0.0.1:8443/advisor.html
Supervisor page (sanna): https://127.0.0.1:8443/supervisor.html
Statistics page (sanna): https://127.0.0.1:8443/statistics.html
(The certificate is self-signed for development: accept the browser's warning once.)
Stop with Ctrl-C.

TEXT
exec "$server" --config config/demo.json
