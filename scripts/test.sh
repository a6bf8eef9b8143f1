#!/usr/bin/env bash
# Run the whole Trust Box test suite: bash scripts/test.sh [extra pytest arguments]
#   lint and types; the suite on SQLite and on a throw-away PostgreSQL server;
#   browser tests in Debian's Chromium against a live server.
source "$(dirname "$0")/bootstrap.sh"
bootstrap_system postgresql chromium fonts-dejavu-core poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui
bootstrap_python
cd "$ROOT"

WORK=$(mktemp -d /tmp/trustbox-test.XXXXXX)
chmod 755 "$WORK"  # the postgres user must reach its directory inside
PGDIR="$WORK/pg"
stop_postgres() {
  if [ -f "$PGDIR/data/postmaster.pid" ]; then
    as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap stop_postgres EXIT
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

failed=0
step() { say "$1"; shift; "$@" || { failed=1; echo "FAILED: $*" >&2; }; }

step "ruff" "$VENV/bin/ruff" check trustbox tests bench conftest.py
step "ruff format" "$VENV/bin/ruff" format --check --quiet trustbox tests bench conftest.py
step "mypy" "$VENV/bin/mypy" trustbox tests
step "layers: apps depend downward only (import-linter)" "$VENV/bin/lint-imports" --no-cache
step "migrations are up to date" "$PY" -m trustbox makemigrations --check --dry-run -v 0
step "every string has its Kyrgyz and Russian translation" bash scripts/check-translations.sh

say "Starting a throw-away PostgreSQL server"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
mkdir -p "$PGDIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
PGPORT=$(( 20000 + RANDOM % 20000 ))
as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-k $PGDIR -p $PGPORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off" start >/dev/null
as_postgres "$PGBIN/createdb" -h "$PGDIR" -p "$PGPORT" -U postgres trustbox
PG_URL="postgres://postgres@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PGDIR"):$PGPORT/trustbox"

export TRUSTBOX_DATA_DIR="$WORK/data"
export PLAYWRIGHT_BROWSERS_PATH=0 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
PYTEST=("$VENV/bin/pytest" -p no:cacheprovider -q)

step "tests on SQLite" "${PYTEST[@]}" -n 2 -m "not browser" --junitxml="$WORK/sqlite.xml" "$@"
# A test whose subject has nothing to do with the database (marked database_independent: a
# document rendered, a LibreOffice conversion, pure cryptography) proves nothing more here.
step "tests on PostgreSQL" env DATABASE_URL="$PG_URL" "${PYTEST[@]}" -n 2 \
  -m "not browser and not database_independent" --junitxml="$WORK/postgres.xml" "$@"
step "browser tests in Chromium" "${PYTEST[@]}" -m browser --junitxml="$WORK/browser.xml" "$@"
step "load test: 20 writers for 15 s on PostgreSQL" "${PYTEST[@]}" -m load --junitxml="$WORK/load.xml" "$@"

"$PY" - "$WORK"/*.xml <<'PYEOF'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    for suite in ET.parse(path).getroot().iter("testsuite"):
        total, fail = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        passed += total - fail - skip
        failed += fail
        skipped += skip
print(f"total: {passed} passed, {failed} failed, {skipped} skipped")
PYEOF
exit $failed
