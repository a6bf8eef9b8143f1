#!/usr/bin/env bash
# Start Trust Box with the demo school on SQLite: bash scripts/demo.sh [port]
source "$(dirname "$0")/bootstrap.sh"
PORT="${1:-${TRUSTBOX_PORT:-8000}}"
bootstrap_python
bootstrap_system fonts-dejavu-core  # the receipt picture's fonts
export TRUSTBOX_HTTPS=0  # plain http://localhost for the demo; production runs behind HTTPS
export TRUSTBOX_SITE_URL="http://localhost:$PORT"
# The demo's appeals are written the day it is made and opened the same day: its openings
# take that day's appeals too. A school's never do (docs/security-chain.md, the cut-off).
export TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY=1
cd "$ROOT"
"$PY" -m trustbox migrate --no-input -v 0
"$PY" -m trustbox demo
# The background worker (reports' documents) runs next to the server and stops with it.
"$PY" -m trustbox db_worker --no-reload -v 0 &
WORKER=$!
trap 'kill "$WORKER" 2>/dev/null || true' EXIT
say "Serving on http://localhost:$PORT/ (Ctrl+C stops)"
"$PY" -m trustbox runserver --noreload "127.0.0.1:$PORT"
