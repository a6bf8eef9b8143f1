"""Load test: many concurrent writers against the production server on PostgreSQL. Prints JSON.

Starts a throw-away PostgreSQL server (as scripts/test.sh does), migrates, makes the demo
school with its sealed box, starts gunicorn (as `trustbox serve` does: sync workers, no access
log), and runs locust headless (bench/locustfile.py): each writer GETs the form, POSTs it and
keeps the receipt it is shown. Then it checks, and exits non-zero unless all hold:

- no request failed;
- no appeal was lost: each receipt shown derives a lookup found on exactly one sealed appeal,
  and the box holds exactly as many new appeals as receipts were shown;
- the chain of sealed appeals verifies.

    .venv/bin/python bench/load.py --users 200 --seconds 120     # about 4 minutes
    .venv/bin/python bench/load.py --users 20 --seconds 15       # the suite's short version

Needs PostgreSQL's server binaries (Debian: apt-get install postgresql). As root, the cluster
runs as the `postgres` user.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    SCHOOL,
    demo_install,
    emit,
    machine,
    rss_mb,
    scratch_dir,
    server_running,
    trustbox_env,
)


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parent.parent.name
    )
    found = [p for p in found if p.parent.parent.name.isdigit()]
    if not found:
        return None
    return max(found, key=lambda p: int(p.parent.parent.name)).parent


def quiet(command: list[str]) -> None:
    subprocess.run(  # noqa: S603 (our own command line)
        command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def postgres_running(work: Path) -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a Unix socket in `work`; yield its DATABASE_URL."""
    pgbin = postgres_bin()
    if pgbin is None:
        raise SystemExit("PostgreSQL's server binaries are missing: apt-get install postgresql")
    pgdir = work / "pg"
    pgdir.mkdir()
    work.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(pgdir, "postgres")
    port = str(random.randint(20000, 40000))  # noqa: S311 (a port, not a secret)
    data = str(pgdir / "data")
    initdb = [str(pgbin / "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8"]
    quiet(as_postgres([*initdb, "--locale=C.UTF-8"]))
    # Production settings, fsync on: the figures are those of a real server on this disk.
    options = f"-k {pgdir} -p {port} -c listen_addresses='' -c max_connections=300"
    pg_ctl = [str(pgbin / "pg_ctl"), "-D", data]
    quiet(as_postgres([*pg_ctl, "-l", str(pgdir / "log"), "-w", "-o", options, "start"]))
    try:
        createdb = [str(pgbin / "createdb"), "-h", str(pgdir), "-p", port, "-U", "postgres"]
        quiet(as_postgres([*createdb, "trustbox"]))
        host = urllib.parse.quote(str(pgdir), safe="")
        yield f"postgres://postgres@{host}:{port}/trustbox"
    finally:
        subprocess.run(  # noqa: S603 (our own command line)
            as_postgres([*pg_ctl, "-m", "fast", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def locust(base: str, work: Path, args: argparse.Namespace, receipts: Path) -> dict[str, Any]:
    """Run locust headless; return its aggregated figures."""
    prefix = work / "locust"
    env = {
        **os.environ,
        "BENCH_RECEIPTS_FILE": str(receipts),
        "BENCH_SCHOOL": SCHOOL,
        "BENCH_WAIT_SECONDS": str(args.wait),
    }
    spawn_rate = max(1, args.users // 5)
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 (our own command line)
        [
            PYTHON,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            f"{args.seconds}s",
            "--stop-timeout",
            "120",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=args.seconds + 300,
        check=False,
    )
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"locust failed ({done.returncode}): {done.stderr[-2000:]}")
    rows = {row["Name"]: row for row in csv.DictReader((work / "locust_stats.csv").open())}

    def figures(row: dict[str, str]) -> dict[str, Any]:
        return {
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "per_second": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"]),
            "p95_ms": float(row["95%"]),
            "p99_ms": float(row["99%"]),
            "max_ms": round(float(row["Max Response Time"]), 1),
        }

    failures = []
    with contextlib.suppress(OSError):
        failures = [
            {"name": r["Name"], "error": r["Error"], "count": int(r["Occurrences"])}
            for r in csv.DictReader((work / "locust_failures.csv").open())
        ]
    return {
        "locust_seconds": round(elapsed, 1),
        "all_requests": figures(rows["Aggregated"]),
        "get_form": figures(rows["GET form"]) if "GET form" in rows else None,
        "post_to_receipt": figures(rows["POST appeal → receipt"])
        if "POST appeal → receipt" in rows
        else None,
        "failures": failures,
    }


def lookups(codes: list[str], salt: bytes) -> list[str]:
    from trustbox.seal import crypto

    return [crypto.receipt_derive(code, salt).lookup for code in codes]


def check_after(env: dict[str, str], receipts: list[str], before: int) -> dict[str, Any]:
    """In this process, against the same database: every receipt shown, and the chain."""
    os.environ.update(env)
    from bench.common import django_setup

    django_setup()
    from trustbox.box.chain import chain_verify
    from trustbox.box.models import Box, SealedAppeal
    from trustbox.schools.models import School

    school = School.objects.get(slug=SCHOOL)
    salt = bytes(Box.objects.get(school=school).receipt_salt)
    distinct = sorted(set(receipts))
    started = time.monotonic()
    chunks = [distinct[i::4] for i in range(4)]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        derived = [x for part in pool.map(lookups, chunks, [salt] * 4) for x in part]
    matches: dict[str, int] = {}
    for first in range(0, len(derived), 500):
        part = derived[first : first + 500]
        for lookup in SealedAppeal.objects.filter(
            school=school, receipt_lookup__in=part
        ).values_list("receipt_lookup", flat=True):
            matches[lookup] = matches.get(lookup, 0) + 1
    found_once = sum(1 for lookup in derived if matches.get(lookup) == 1)
    new_rows = SealedAppeal.objects.filter(school=school).count() - before
    damage = chain_verify(school=school)
    return {
        "receipts_shown": len(receipts),
        "distinct_receipts": len(distinct),
        "receipts_found_on_exactly_one_appeal": found_once,
        "lost_appeals": len(distinct) - found_once,
        "new_sealed_appeals": new_rows,
        "appeals_without_a_receipt_shown": new_rows - found_once,
        "chain_damage": [f"{d.seq}: {d.what}" for d in damage],
        "check_seconds": round(time.monotonic() - started, 1),
    }


def sealed_count(env: dict[str, str]) -> int:
    """The appeals of the school written to (the demo's other schools have appeals of their own)."""
    code = (
        "import django; django.setup();"
        "from trustbox.box.models import SealedAppeal;"
        f"print(SealedAppeal.objects.filter(school__slug={SCHOOL!r}).count())"
    )
    done = subprocess.run(  # noqa: S603 (our own command line)
        [PYTHON, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "trustbox.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    return int(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200, help="concurrent writers")
    parser.add_argument("--seconds", type=int, default=120, help="how long they write")
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers"
    )
    parser.add_argument(
        "--wait", type=float, default=1.0, help="mean pause of a writer between appeals (s)"
    )
    args = parser.parse_args()

    work = scratch_dir("trustbox-load-")
    result: dict[str, Any] = {
        "benchmark": "load",
        "machine": machine(),
        "database": "postgresql",
        "server": "gunicorn",
        "workers": args.workers,
        "users": args.users,
        "seconds": args.seconds,
    }
    with postgres_running(work) as database_url:
        env = trustbox_env(work / "data", DATABASE_URL=database_url)
        demo_install(env)
        before = sealed_count(env)
        receipts_file = work / "receipts.txt"
        receipts_file.touch()
        with server_running(
            "gunicorn",
            "trustbox.wsgi:application",
            env,
            workers=args.workers,
            probe_path=f"/b/{SCHOOL}/",
            log_dir=work,
        ) as server:
            result.update(locust(server.base, work, args, receipts_file))
            result["worker_rss_mb"] = [rss_mb(pid) for pid in server.workers]
            server_log = server.log
        receipts = receipts_file.read_text().split()
        post = result.get("post_to_receipt") or {}
        result["appeals_per_second"] = post.get("per_second", 0.0)
        result["check"] = check = check_after(env, receipts, before)
        errors = [
            line
            for line in server_log.read_text(errors="replace").splitlines()
            if "Traceback" in line or "ERROR" in line or "CRITICAL" in line
        ]
        result["server_errors_logged"] = len(errors)
    result["ok"] = bool(
        receipts
        and result["all_requests"]["failures"] == 0
        and check["lost_appeals"] == 0
        and check["appeals_without_a_receipt_shown"] == 0
        and check["receipts_shown"] == check["distinct_receipts"]
        and not check["chain_damage"]
        and not errors
    )
    emit(result)
    if not result["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
