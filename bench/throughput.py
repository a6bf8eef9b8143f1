"""Throughput through the real public form, against its ceiling and GlobaLeaks' cost. Prints JSON.

On a scratch install of the demo school (SQLite), for gunicorn and for granian, each with the
same number of worker processes:

- Trust Box: client threads (bench/client.py, its own process) each GET the form, POST it
  with its token and CSRF token, and read the receipt page, for a fixed time;
- the ceiling: the same client POSTs to a bare Django view that stores one row
  (bench/ceiling, same Django and SQLite settings, no middleware);
- the memory of each worker process after the run, and the CPU used by server and client.

Then, with no server running, GlobaLeaks' cost per submission: two Argon2id derivations of
128 MiB (ops 16 and 17), and one Trust Box receipt derivation, timed in the same run.

    .venv/bin/python bench/throughput.py [--quick] [--seconds 20] [--threads 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    SCHOOL,
    cpu_seconds,
    demo_install,
    emit,
    machine,
    rss_mb,
    run_driver,
    scratch_dir,
    server_running,
    trustbox_env,
)

MIB = 1024 * 1024


def page_weight(base: str) -> dict[str, Any]:
    """The form page and its stylesheet as a phone gets them (the CSS compressed by whitenoise)."""
    page = urllib.request.urlopen(f"{base}/b/{SCHOOL}/").read()  # noqa: S310 (local server)
    request = urllib.request.Request(  # noqa: S310 (local server)
        f"{base}/static/public/public.css", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 (local server)
        css_sent = response.read()
        css_gzip = response.headers.get("Content-Encoding") == "gzip"
    css = gzip.decompress(css_sent) if css_gzip else css_sent
    return {
        "form_html_bytes": len(page),
        "form_html_gzip_bytes": len(gzip.compress(page)),
        "css_bytes": len(css),
        "css_bytes_sent": len(css_sent),
        "form_with_css_kb": round((len(page) + len(css)) / 1024, 1),
        "form_with_css_sent_kb": round((len(page) + len(css_sent)) / 1024, 1),
        "goal_kb": 30,
    }


def measured(
    server_kind: str, app: str, env: dict[str, str], args: Any, *, mode: str, **how: Any
) -> dict[str, Any]:
    """Run the client against one server; add the server's CPU and its workers' memory."""
    with server_running(server_kind, app, env, workers=args.workers, **how) as server:
        before = cpu_seconds(server.pids())
        started = time.monotonic()
        result = run_driver(server.base, mode=mode, threads=args.threads, seconds=args.seconds)
        elapsed = time.monotonic() - started
        server_cpu = cpu_seconds(server.pids()) - before
        result["server_cpu_cores"] = round(server_cpu / elapsed, 2)
        # CPU time per round hardly depends on how busy the shared machine is: it gives the
        # rate an idle machine would reach with every core serving (the client elsewhere).
        per_round = server_cpu / max(1, result["completed"])
        result["server_cpu_ms_per_round"] = round(per_round * 1000, 2)
        result["per_second_if_all_cores_served"] = round(
            (os.cpu_count() or 1) / max(per_round, 1e-9), 1
        )
        result["worker_rss_mb"] = [rss_mb(pid) for pid in server.workers]
        result["server"] = server_kind
    return result


def derivation_seconds(opslimit: int, memlimit: int, repeat: int) -> float:
    from nacl import pwhash

    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        pwhash.argon2id.kdf(32, b"1234-5678-9012-3456", b"\x07" * 16, opslimit, memlimit)
        times.append(time.process_time() - t0)
    return statistics.median(times)


def baselines(quick: bool) -> dict[str, Any]:
    """GlobaLeaks' two derivations and one receipt derivation, in CPU seconds of this process.

    CPU time, not wall time: on a machine shared with other work it is what one core spends.
    """
    from trustbox.seal import crypto

    repeat = 1 if quick else 3
    first = derivation_seconds(16, 128 * MIB, repeat)
    second = derivation_seconds(17, 128 * MIB, repeat)
    receipt = []
    for _ in range(5 if quick else 30):
        t0 = time.process_time()
        crypto.receipt_derive("1234-5678-9012-3456", b"\x07" * 16)
        receipt.append(time.process_time() - t0)
    return {
        "globaleaks_seconds_per_submission": round(first + second, 3),
        "globaleaks_derivations": "Argon2id 128 MiB, ops 16 + ops 17",
        "globaleaks_submissions_per_second_one_lock": round(1 / (first + second), 2),
        "receipt_derivation_ms": round(statistics.median(receipt) * 1000, 1),
        "receipt_kdf": {
            "opslimit": crypto.RECEIPT_KDF.opslimit,
            "memlimit_mib": crypto.RECEIPT_KDF.memlimit // MIB,
        },
    }


def ceiling_install(directory: Path, env: dict[str, str]) -> dict[str, str]:
    ceiling_env = {**env, "BENCH_CEILING_DIR": str(directory)}
    ceiling_env["DJANGO_SETTINGS_MODULE"] = "bench.ceiling.settings"
    subprocess.run(  # noqa: S603 (our own command line)
        [PYTHON, "-m", "django", "migrate", "--run-syncdb", "-v", "0"],
        cwd=ROOT,
        env=ceiling_env,
        check=True,
    )
    return ceiling_env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="5 s per measurement")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--servers", default="gunicorn,granian")
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 5 if args.quick else 20

    result: dict[str, Any] = {
        "benchmark": "throughput",
        "machine": machine(),
        "database": "sqlite",
        "threads": args.threads,
        "workers": args.workers,
        "seconds_each": args.seconds,
    }
    scratch = scratch_dir()
    env = trustbox_env(scratch / "data")
    demo_install(env)
    ceiling_env = ceiling_install(scratch, env)

    runs: dict[str, Any] = {}
    for kind in args.servers.split(","):
        ours = measured(
            kind,
            "trustbox.wsgi:application",
            env,
            args,
            mode="appeal",
            probe_path=f"/b/{SCHOOL}/",
            log_dir=scratch,
        )
        ceiling = measured(
            kind,
            "bench.ceiling.wsgi:application",
            ceiling_env,
            args,
            mode="ceiling",
            probe_path="/store/",
            log_dir=scratch,
        )
        runs[kind] = {
            "trustbox": ours,
            "ceiling": ceiling,
            "ratio_to_ceiling": round(ours["per_second"] / max(ceiling["per_second"], 1e-9), 3),
            "ratio_to_ceiling_by_cpu": round(
                ceiling["server_cpu_ms_per_round"] / max(ours["server_cpu_ms_per_round"], 1e-9), 3
            ),
        }
    with server_running(
        "gunicorn",
        "trustbox.wsgi:application",
        env,
        workers=1,
        probe_path=f"/b/{SCHOOL}/",
        log_dir=scratch,
    ) as server:
        result["page_weight"] = page_weight(server.base)

    result["baselines"] = base = baselines(args.quick)
    for run in runs.values():
        run["times_globaleaks"] = round(
            run["trustbox"]["per_second"] * base["globaleaks_seconds_per_submission"], 1
        )
    result["runs"] = runs
    best = max(runs, key=lambda k: runs[k]["trustbox"]["per_second"])
    result["summary"] = {
        "best_server": best,
        "appeals_per_second": runs[best]["trustbox"]["per_second"],
        "p95_ms": runs[best]["trustbox"]["p95_ms"],
        "errors": sum(r["trustbox"]["errors"] for r in runs.values()),
        "ceiling_per_second": runs[best]["ceiling"]["per_second"],
        "ratio_to_ceiling": runs[best]["ratio_to_ceiling"],
        "server_cpu_ms_per_appeal": runs[best]["trustbox"]["server_cpu_ms_per_round"],
        "appeals_per_second_if_all_cores_served": runs[best]["trustbox"][
            "per_second_if_all_cores_served"
        ],
        "ratio_to_ceiling_by_cpu": runs[best]["ratio_to_ceiling_by_cpu"],
        "times_globaleaks": runs[best]["times_globaleaks"],
        "worker_rss_mb_max": max(max(r["trustbox"]["worker_rss_mb"] or [0]) for r in runs.values()),
        "form_with_css_kb": result["page_weight"]["form_with_css_kb"],
        "goals": {
            "appeals_per_second": 100,
            "p95_ms": 300,
            "ratio_to_ceiling": 0.1,
            "times_globaleaks": 100,
            "worker_rss_mb": 150,
            "form_with_css_kb": 30,
        },
    }
    emit(result)


if __name__ == "__main__":
    main()
