#!/usr/bin/env bash
# bench/reports.py on a throw-away PostgreSQL (as scripts/test.sh starts one): 1,000,000 appeals
# of 2,300 schools in 60 districts by default; BENCH_* variables as in bench/reports.py.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/trustbox-bench.XXXXXX)
chmod 755 "$WORK"
PGDIR="$WORK/pg"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop() {
  as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT
mkdir -p "$PGDIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
PGPORT=$(( 20000 + RANDOM % 20000 ))
as_postgres "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
  -o "-k $PGDIR -p $PGPORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off" start >/dev/null
as_postgres "$PGBIN/createdb" -h "$PGDIR" -p "$PGPORT" -U postgres trustbox
export DATABASE_URL="postgres://postgres@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PGDIR"):$PGPORT/trustbox"
export TRUSTBOX_DATA_DIR="$WORK/data"
export BENCH_APPEALS="${BENCH_APPEALS:-1000000}" BENCH_SCHOOLS="${BENCH_SCHOOLS:-2300}" BENCH_DISTRICTS="${BENCH_DISTRICTS:-60}"
"$ROOT/.venv/bin/python" "$ROOT/bench/reports.py"
