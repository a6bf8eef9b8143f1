"""Benchmark the registry list over many appeals (default 100,000). Prints JSON.

The rows are made with bulk inserts (their sealed content is random bytes: a list never
decrypts anything), then the list page is fetched as the responsible person would. The
baseline, in the same run: one ORM query for the same 50 rows and one count, no page.

    .venv/bin/python bench/registry.py [--quick]     # BENCH_APPEALS, BENCH_REPEAT
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit, machine, percentile

django_setup()

import django  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from trustbox.accounts.models import User  # noqa: E402
from trustbox.box.envelope import Category, Kind  # noqa: E402
from trustbox.box.models import SealedAppeal  # noqa: E402
from trustbox.demo.builders import DEMO_PASSWORD, demo_create  # noqa: E402
from trustbox.openings.gathering import opening_code, opening_join, opening_start  # noqa: E402
from trustbox.openings.models import Opening  # noqa: E402
from trustbox.openings.services import opening_open  # noqa: E402
from trustbox.registry.models import Appeal, Status  # noqa: E402

QUICK = "--quick" in sys.argv
APPEALS = int(os.environ.get("BENCH_APPEALS", "10000" if QUICK else "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "10" if QUICK else "20"))
BATCH = 5000


def make_appeals(school, opening: Opening) -> None:
    today = timezone.localdate()
    box_key = opening.box_key
    registry_key = Appeal.objects.filter(school=school).first().registry_key  # type: ignore[union-attr]
    start = SealedAppeal.objects.filter(school=school).count()
    statuses = list(Status.values)
    kinds, categories = Kind.values, Category.values
    rng = random.Random(7)  # noqa: S311 (made-up rows, not secrets)
    for first in range(0, APPEALS, BATCH):
        size = min(BATCH, APPEALS - first)
        sealed = SealedAppeal.objects.bulk_create(
            SealedAppeal(
                school=school,
                box_key=box_key,
                seq=start + first + i + 1,
                received_on=today,
                ciphertext=os.urandom(200),
                prev_hash=b"\0" * 32,
                chain_hash=b"\0" * 32,
                opened=True,
            )
            for i in range(size)
        )
        Appeal.objects.bulk_create(
            Appeal(
                school=school,
                opening=opening,
                number_in_act=1000 + first + i,
                source="online",
                received_on=today,
                kind=rng.choice(kinds),
                category=rng.choice(categories),
                registry_key=registry_key,
                sealed_content=os.urandom(200),
                sealed_appeal=row,
                status=rng.choice(statuses),
                year=today.year,
                serial=1000 + first + i,
                due_on=today + datetime.timedelta(days=rng.randint(-10, 14)),
            )
            for i, row in enumerate(sealed)
        )


def timed(client: Client, url: str) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each fetch (CPU time hardly depends on a busy shared machine)."""
    times, cpu = [], []
    for _ in range(REPEAT):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        assert response.status_code == 200, response.status_code
    return times, cpu


def bare_query(school) -> list[float]:
    """The same 50 rows and the count, fetched with one ORM query each: no page, no access check."""
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        appeals = Appeal.objects.filter(school=school)
        appeals.count()
        list(appeals.order_by("-id").values()[:50])
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10,000 appeals, 10 fetches")
    parser.parse_args()
    call_command("migrate", verbosity=0)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        school = demo_create()
    people = {u.username: u for u in User.objects.all()}
    if not Opening.objects.filter(school=school, status=Opening.Status.OPENED).exists():
        opening, key = opening_start(school=school, by=people["chair"])
        for login in ("chair", "secretary", "psychologist"):
            opening_join(
                opening=opening,
                member=people[login],
                password=DEMO_PASSWORD,
                session_code=opening_code(opening),
            )
        opening_open(opening=opening, by=people["chair"], browser_key=key)
    # The demo may hold several openings (a quarter's report needs one): the latest takes them.
    opening = Opening.objects.filter(school=school, status=Opening.Status.OPENED).latest("pk")
    t0 = time.perf_counter()
    if Appeal.objects.count() < APPEALS:
        make_appeals(school, opening)
    made = time.perf_counter() - t0

    client = Client(HTTP_HOST="localhost")
    user = people["responsible"]
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    base = f"/s/{school.slug}/registry/"
    pages = {
        "first_page": base,
        "filtered_status_kind": base + "?status=considering&kind=complaint",
        "overdue": base + "?deadline=overdue",
        "last_page": base + f"?page={APPEALS // 50}",
    }
    result: dict[str, object] = {
        "benchmark": "registry",
        "machine": machine(),
        "appeals": Appeal.objects.count(),
        "seconds_to_make_rows": round(made, 1),
        "database": django.db.connection.vendor,
    }
    client.get(base)  # warm up: the first request loads templates and translations
    for name, url in pages.items():
        times, cpu = timed(client, url)
        times.sort()
        result[f"{name}_ms_median"] = round(statistics.median(times) * 1000, 1)
        result[f"{name}_cpu_ms_median"] = round(statistics.median(cpu) * 1000, 1)
        result[f"{name}_ms_p95"] = round(percentile(times, 0.95) * 1000, 1)
    times = sorted(bare_query(school))
    result["baseline_bare_query_ms_median"] = round(statistics.median(times) * 1000, 1)
    worst = max(float(str(v)) for k, v in result.items() if k.endswith("_ms_p95"))
    worst_cpu = max(float(str(v)) for k, v in result.items() if k.endswith("_cpu_ms_median"))
    result["summary"] = {
        "appeals": result["appeals"],
        "worst_page_ms_p95": worst,
        "worst_page_cpu_ms_median": worst_cpu,
        "first_page_ms_median": result["first_page_ms_median"],
        "baseline_bare_query_ms_median": result["baseline_bare_query_ms_median"],
        "goals": {"page_ms": 200},
    }
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    emit(result)


if __name__ == "__main__":
    main()
