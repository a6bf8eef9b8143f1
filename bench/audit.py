"""Benchmark the audit log page's work over a long log (default 100,000 entries). Prints JSON.

The entries are chained with bulk inserts, then the page's parts are timed: the full check
(the daily job), the check from the daily checkpoint with a day's entries after it (the page),
the first and the last page of the merged list, and the heads next to the last digest.
"""

from __future__ import annotations

import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")
os.environ.setdefault("TRUSTBOX_HTTPS", "0")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from trustbox.audit import selectors  # noqa: E402
from trustbox.audit.digests import digest_status  # noqa: E402
from trustbox.audit.models import GENESIS, AuditChain, AuditEntry, WriterEntry  # noqa: E402
from trustbox.audit.services import (  # noqa: E402
    _hash,
    audit_check,
    audit_checkpoint,
    audit_verify,
    audit_write,
)
from trustbox.audit.tests.actions import TrialAction  # noqa: E402
from trustbox.registry.actions import AppealAction  # noqa: E402
from trustbox.schools.models import School  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_ENTRIES", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
DAY = 100  # entries written since the daily check, for the page's check
BATCH = 5000


def make_entries(school: School) -> None:
    """Chain ENTRIES staff entries (and one writer's in fifty) over the last 200 days."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=200)
    heads = {False: GENESIS, True: GENESIS}
    counts = {False: 0, True: 0}
    staff: list[AuditEntry] = []
    writers: list[WriterEntry] = []
    for i in range(ENTRIES):
        writer = i % 50 == 49
        when = start + datetime.timedelta(seconds=i * 150)
        if writer:
            when = when.replace(hour=0, minute=0, second=0)
        details = {"i": i}
        row_hash = _hash(
            heads[writer],
            school.pk,
            None,
            AppealAction.WRITER_MESSAGE.value if writer else TrialAction.STEP.value,
            "",
            details,
            when,
            writer=writer,
        )
        model = WriterEntry if writer else AuditEntry
        row = model(
            school=school,
            action=AppealAction.WRITER_MESSAGE.value if writer else TrialAction.STEP.value,
            details=details,
            created_at=when,
            prev_hash=heads[writer],
            hash=row_hash,
        )
        (writers if writer else staff).append(row)
        heads[writer], counts[writer] = row_hash, counts[writer] + 1
        if len(staff) >= BATCH:
            AuditEntry.objects.bulk_create(staff)
            staff = []
        if len(writers) >= BATCH:
            WriterEntry.objects.bulk_create(writers)
            writers = []
    AuditEntry.objects.bulk_create(staff)
    WriterEntry.objects.bulk_create(writers)
    for writer, kind in ((False, "staff"), (True, "writer")):
        AuditChain.objects.update_or_create(
            key=AuditChain.key_for(school, kind),
            defaults={
                "school": school,
                "kind": kind,
                "count": counts[writer],
                "head": heads[writer],
            },
        )


def timed(work, repeat: int = REPEAT) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    school, _ = School.objects.get_or_create(slug="bench-audit", defaults={"name": "Bench"})
    if not AuditEntry.objects.filter(school=school).exists():
        make_entries(school)
    whole = audit_verify(school=school) == []
    full = timed(lambda: audit_checkpoint(school=school), repeat=3)
    for i in range(DAY):
        audit_write(school=school, actor=None, action=TrialAction.STEP, details={"day": i})
    check = audit_check(school=school)

    def page(number: int | str) -> None:
        keys = selectors.audit_page(school=school, page=number)
        selectors.audit_rows(school=school, keys=list(keys.object_list))

    print(
        json.dumps(
            {
                "entries": check.entries,
                "whole": whole,
                "full_check (daily job)": full,
                f"check since the daily check ({check.checked_now} entries)": timed(
                    lambda: audit_check(school=school)
                ),
                "first page": timed(lambda: page(1)),
                "last page": timed(lambda: page("last")),
                "heads and the last digest": timed(lambda: digest_status(school=school)),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
