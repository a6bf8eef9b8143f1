#!/usr/bin/env bash
# Run docs/deploy.md as written: bash scripts/test-deploy.sh [extra pytest arguments]
#   Its marked blocks run in a throw-away directory standing for a fresh Debian machine (two of
#   them: install, then restore), each with its own throw-away PostgreSQL; a few minutes.
#   As root (the guide's commands are root's; PostgreSQL runs as the postgres account).
#   Not part of scripts/test.sh: it migrates three times and takes the machine for minutes.
source "$(dirname "$0")/bootstrap.sh"
bootstrap_system postgresql git gettext
bootstrap_python
cd "$ROOT"
if [ "$(id -u)" -ne 0 ]; then
  echo "Run it as root: the guide's commands are root's, and PostgreSQL starts as postgres." >&2
  exit 1
fi
say "docs/deploy.md, top to bottom, on two throw-away machines"
exec "$VENV/bin/pytest" -p no:cacheprovider -q -m deploy tests/deploy "$@"
