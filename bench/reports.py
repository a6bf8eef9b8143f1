"""Benchmark the analytics over many appeals. Prints JSON.

BENCH_APPEALS appeals (default 100,000) of BENCH_SCHOOLS schools (default 200) in
BENCH_DISTRICTS districts (default 1), spread over the last four closed quarters, made with bulk
inserts (sealed parts are placeholders: analytics never read them). Then, timed: freezing the
quarters and publishing them rounded (once, what the daily job does), the district's view of
the last quarter, its PDF report in Kyrgyz, and the national view. With DATABASE_URL set, on
PostgreSQL: bench/reports_pg.sh starts a throw-away server and runs this with 1,000,000 appeals
of 2,300 schools.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from trustbox.box.envelope import Category, Kind  # noqa: E402
from trustbox.box.models import SealedAppeal  # noqa: E402
from trustbox.openings.models import Opening  # noqa: E402
from trustbox.registry.models import Appeal, Outcome, RegistryKey, Status  # noqa: E402
from trustbox.reports.district import district_view, nation_view  # noqa: E402
from trustbox.reports.district_report import district_pdf  # noqa: E402
from trustbox.reports.freeze import tallies_freeze_due  # noqa: E402
from trustbox.reports.models import Publication, PublishedCount  # noqa: E402
from trustbox.schools.models import District, School  # noqa: E402
from trustbox.schools.periods import Quarter  # noqa: E402
from trustbox.seal.models import BoxKey  # noqa: E402
from trustbox.test import make_school_with_commission  # noqa: E402

APPEALS = int(os.environ.get("BENCH_APPEALS", "100000"))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", "200"))
DISTRICTS = int(os.environ.get("BENCH_DISTRICTS", "1"))
BATCH = 10_000
PLACEHOLDER = b"placeholder"


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, round(time.perf_counter() - start, 3)


def make_data(quarters: list[Quarter]) -> tuple[list[District], float]:
    start = time.perf_counter()
    made = make_school_with_commission("bench-first", None)
    commission, by = made["commission"], made["director"]
    districts = [
        District.objects.create(name=f"District {i:02d}", slug=f"bench-d{i}")
        for i in range(DISTRICTS)
    ]
    schools = School.objects.bulk_create(
        School(district=districts[i % DISTRICTS], name=f"School {i:04d}", slug=f"bench-s{i}")
        for i in range(SCHOOLS)
    )
    box_keys = BoxKey.objects.bulk_create(
        BoxKey(
            school=school,
            commission=commission,
            public_key=secrets.token_bytes(32),
            threshold=3,
            member_shares=5,
            reserve_shares=2,
            created_by=by,
        )
        for school in schools
    )
    registry_keys = RegistryKey.objects.bulk_create(
        RegistryKey(school=s, public_key=b"k" * 32, box_key=k, sealed_for_box=PLACEHOLDER)
        for s, k in zip(schools, box_keys, strict=True)
    )
    openings = Opening.objects.bulk_create(
        Opening(
            school=school,
            box_key=key,
            status=Opening.Status.OPENED,
            started_by=by,
            session_public_key=b"k" * 32,
            session_private_locked=PLACEHOLDER,
            opened_at=timezone.make_aware(datetime.datetime.combine(q.end, datetime.time(12))),
            journal_number=n + 1,
        )
        for school, key in zip(schools, box_keys, strict=True)
        for n, q in enumerate(quarters)
    )
    opening_of = {(o.school_id, n % len(quarters)): o for n, o in enumerate(openings)}
    rng = random.Random(13)  # noqa: S311 (made-up rows, not secrets)
    kinds, categories, statuses = Kind.values, Category.values, Status.values
    outcomes = ["", *Outcome.values]
    seq = dict.fromkeys((s.pk for s in schools), 0)
    for first in range(0, APPEALS, BATCH):
        size = min(BATCH, APPEALS - first)
        rows = []
        for _ in range(size):
            index = rng.randrange(SCHOOLS)
            school, qn = schools[index], rng.randrange(len(quarters))
            quarter = quarters[qn]
            seq[school.pk] += 1
            day = quarter.start + datetime.timedelta(days=rng.randrange(85))
            rows.append((index, qn, seq[school.pk], day))
        sealed = SealedAppeal.objects.bulk_create(
            SealedAppeal(
                school=schools[i],
                box_key=box_keys[i],
                seq=n,
                received_on=day,
                ciphertext=PLACEHOLDER,
                prev_hash=b"0" * 32,
                chain_hash=b"0" * 32,
                opened=True,
            )
            for i, _qn, n, day in rows
        )
        appeals = []
        for (i, qn, n, day), box_row in zip(rows, sealed, strict=True):
            status = rng.choice(statuses)
            registered = (
                day + datetime.timedelta(days=rng.randrange(3)) if status != "taken_out" else None
            )
            answered = (
                registered + datetime.timedelta(days=rng.randrange(20))
                if registered and status in ("answered", "closed")
                else None
            )
            appeals.append(
                Appeal(
                    school=schools[i],
                    opening=opening_of[(schools[i].pk, qn)],
                    number_in_act=n,
                    source="paper" if n % 9 == 0 else "online",
                    received_on=day,
                    kind=rng.choice(kinds),
                    category=rng.choice(categories),
                    urgent=n % 17 == 0,
                    signed=n % 4 == 0,
                    registry_key=registry_keys[i],
                    sealed_content=PLACEHOLDER,
                    sealed_appeal=box_row,
                    status=status,
                    register_by=day + datetime.timedelta(days=1),
                    registered_on=registered,
                    year=registered.year if registered else None,
                    serial=n if registered else None,
                    due_on=registered + datetime.timedelta(days=14) if registered else None,
                    outcome=rng.choice(outcomes) if answered else "",
                    answered_on=answered,
                )
            )
        Appeal.objects.bulk_create(appeals)
    return districts, round(time.perf_counter() - start, 1)


def main() -> None:
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    last = Quarter.of(today).previous()
    if last.due_on >= today:
        last = last.previous()
    quarters = last.last(4)
    districts, made = make_data(quarters)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    frozen, freeze_seconds = timed(lambda: tallies_freeze_due(today=today))
    district = districts[0]
    view, view_seconds = timed(district_view, district, last)
    with translation.override("ky"):
        pdf, pdf_seconds = timed(district_pdf, district, last)
    nation_seconds = []
    for _ in range(5):
        nation, seconds = timed(nation_view, last)
        nation_seconds.append(seconds)
    print(
        json.dumps(
            {
                "engine": connection.vendor,
                "appeals": Appeal.objects.count(),
                "schools": SCHOOLS,
                "districts": DISTRICTS,
                "quarter": str(last),
                "make_data_s": made,
                "freeze_once_s": freeze_seconds,
                "school_quarters_frozen": frozen,
                "district_view_s": view_seconds,
                "district_pdf_s": pdf_seconds,
                "district_pdf_bytes": len(pdf),
                "district_schools": len(view.lines),
                "nation_view_s_median": sorted(nation_seconds)[2],
                "nation_view_s_max": max(nation_seconds),
                "nation_districts": len(nation.rows),
                "quarters_published": Publication.objects.count(),
                "published_counts": PublishedCount.objects.count(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
